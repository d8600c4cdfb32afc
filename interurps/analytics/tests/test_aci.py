"""Behaviour of the ACI CPTS funding rules (pure Python, no database)."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interurps.analytics import aci
from interurps.analytics.aci import (
    ACCESS_PHYSICIAN,
    ACCESS_UNSCHEDULED,
    ACI_2019,
    ACI_AVENANT_2,
    CARE_PATHWAYS,
    HEALTH_CRISES,
    MISSION_CODES,
    MISSION_LABELS,
    PREVENTION,
    PROFESSIONAL_SUPPORT,
    QUALITY,
    AciVersion,
    Figure,
    MissionFunding,
    compute_funding,
    prorated_fixed_advance,
    size_category,
    version_for,
)

SIGNED_2020 = date(2020, 3, 1)
MISSIONS_2019 = (
    ACCESS_PHYSICIAN,
    ACCESS_UNSCHEDULED,
    CARE_PATHWAYS,
    PREVENTION,
    QUALITY,
    PROFESSIONAL_SUPPORT,
)


def synthetic_version(**overrides):
    """A fully specified version with made-up round figures, to test the mechanics only."""
    missions = {
        code: MissionFunding(
            fixed=Figure((1_000 * i, 2_000 * i, 3_000 * i, 4_000 * i), "test", True),
            variable=Figure((500 * i, 1_000 * i, 1_500 * i, 2_000 * i), "test", True),
        )
        for i, code in enumerate(MISSION_CODES, start=1)
    }
    fields = {
        "name": "synthétique",
        "effective_from": date(2019, 8, 25),
        "source": "test",
        "operating": Figure((10_000, 20_000, 30_000, 40_000), "test", True),
        "missions": missions,
    }
    fields.update(overrides)
    return AciVersion(**fields)


SYNTHETIC = synthetic_version()


# --- size categories ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, 1),
        (39_999, 1),
        (40_000, 2),
        (79_999, 2),
        (80_000, 2),
        (80_001, 3),
        (174_999, 3),
        (175_000, 3),
        (175_001, 4),
        (2_000_000, 4),
    ],
)
def test_size_category_boundaries(population, expected):
    assert size_category(population) == expected


@pytest.mark.parametrize("population", [-1, 1.5, "40000", True, None])
def test_size_category_rejects_bad_population(population):
    with pytest.raises(ValueError, match="population"):
        size_category(population)


# --- mission codes -------------------------------------------------------------------------


def test_mission_codes_are_the_shared_constants():
    assert MISSION_CODES == (
        "acces_medecin_traitant",
        "acces_soins_non_programmes",
        "parcours",
        "prevention",
        "crises_sanitaires",
        "qualite_pertinence",
        "accompagnement_professionnels",
    )
    assert aci.CORE_MISSIONS == MISSION_CODES[:5]
    assert aci.OPTIONAL_MISSIONS == (QUALITY, PROFESSIONAL_SUPPORT)
    assert set(MISSION_LABELS) == set(MISSION_CODES)


# --- the 2019 table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "operating"),
    [(10_000, 50_000), (50_000, 60_000), (100_000, 75_000), (200_000, 90_000)],
)
def test_2019_fonctionnement(population, operating):
    breakdown = compute_funding(population=population, signed_on=SIGNED_2020)
    assert breakdown.version_name == ACI_2019.name
    [line] = breakdown.lines
    assert line.kind == "fonctionnement"
    assert line.mission == "fonctionnement"
    assert line.maximum == operating
    assert line.amount == Decimal(operating)
    assert line.confirmed
    assert breakdown.total_maximum == operating
    assert breakdown.complete and breakdown.all_confirmed


@pytest.mark.parametrize(
    ("population", "ceiling", "mission_envelope"),
    [
        (10_000, 220_000, 170_000),
        (50_000, 287_000, 227_000),
        (100_000, 370_000, 295_000),
        (200_000, 450_000, 360_000),
    ],
)
def test_2019_ceiling_is_fonctionnement_plus_unsplit_mission_envelope(
    population, ceiling, mission_envelope
):
    """The confirmed 2019 figures are the ceiling and fonctionnement, not the mission lines.

    With every 2019 mission at full achievement, the confirmed lines (fonctionnement only)
    plus the mission envelope (not split per mission in any source read) give back the
    published ceilings 220 000 / 287 000 / 370 000 / 450 000 €.
    """
    breakdown = compute_funding(
        population=population,
        signed_on=SIGNED_2020,
        missions=dict.fromkeys(MISSIONS_2019, 1.0),
    )
    assert breakdown.annual_ceiling == ceiling
    assert breakdown.annual_ceiling_confirmed
    mission_lines = [line for line in breakdown.lines if line.mission != "fonctionnement"]
    assert len(mission_lines) == 2 * len(MISSIONS_2019)
    assert all(line.maximum is None and line.amount is None for line in mission_lines)
    assert not any(line.confirmed for line in mission_lines)
    assert not breakdown.complete
    confirmed_total = sum(line.maximum for line in breakdown.lines if line.confirmed)
    assert confirmed_total == breakdown.total_maximum
    size = breakdown.size_category
    assert ACI_2019.mission_envelope(size) == mission_envelope
    assert confirmed_total + mission_envelope == ceiling


def test_health_crises_mission_did_not_exist_in_2019():
    breakdown = compute_funding(
        population=50_000, signed_on=SIGNED_2020, missions={HEALTH_CRISES: 1.0}
    )
    crisis = [line for line in breakdown.lines if line.mission == HEALTH_CRISES]
    assert [line.kind for line in crisis] == ["fixe", "variable"]
    assert all(line.maximum == 0 and line.amount == 0 for line in crisis)
    assert all("non prévue" in line.note for line in crisis)
    assert HEALTH_CRISES in ACI_AVENANT_2.missions


def test_every_unconfirmed_figure_has_a_note_and_a_source():
    for version in aci.ACI_VERSIONS:
        figures = [version.operating]
        figures += [f for m in version.missions.values() for f in (m.fixed, m.variable)]
        if version.annual_ceiling:
            figures.append(version.annual_ceiling)
        for figure in figures:
            assert figure.source
            assert figure.confirmed or figure.note


def test_unconfirmed_figure_without_note_is_refused():
    with pytest.raises(ValueError, match="note"):
        Figure((1, 2, 3, 4), source="x", confirmed=False)


def test_avenant_2_fonctionnement_is_flagged_unconfirmed():
    breakdown = compute_funding(population=10_000, signed_on=date(2022, 6, 1))
    assert breakdown.version_name == ACI_AVENANT_2.name
    [line] = breakdown.lines
    assert line.maximum == 87_500
    assert not line.confirmed
    assert "projet" in line.note
    assert not breakdown.all_confirmed
    assert breakdown.annual_ceiling is None
    assert not breakdown.version_effective_from_confirmed


# --- version selection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed_on", "as_of", "expected"),
    [
        (None, date(2019, 8, 25), ACI_2019),
        (date(2019, 9, 1), date(2021, 12, 31), ACI_2019),
        (date(2019, 9, 1), date(2022, 3, 31), ACI_2019),
        (date(2019, 9, 1), date(2022, 4, 1), ACI_AVENANT_2),
        (date(2023, 1, 15), date(2024, 1, 15), ACI_AVENANT_2),
    ],
)
def test_version_for_picks_the_version_in_force(signed_on, as_of, expected):
    assert version_for(signed_on, as_of) is expected


def test_version_for_rejects_dates_before_the_aci():
    with pytest.raises(ValueError, match="Aucune version"):
        version_for(None, date(2019, 8, 24))
    with pytest.raises(ValueError, match="signature"):
        version_for(date(2019, 1, 1), date(2020, 1, 1))


def test_version_for_rejects_as_of_before_signature():
    with pytest.raises(ValueError, match="antérieure à la signature"):
        version_for(date(2021, 1, 1), date(2020, 1, 1))


def test_compute_funding_defaults_as_of_to_signature():
    breakdown = compute_funding(population=1_000, signed_on=date(2021, 5, 1))
    assert breakdown.as_of == date(2021, 5, 1)
    assert breakdown.version_name == ACI_2019.name
    later = compute_funding(population=1_000, signed_on=date(2021, 5, 1), as_of=date(2023, 1, 1))
    assert later.version_name == ACI_AVENANT_2.name


# --- achievement scaling (synthetic, fully specified table) ---------------------------------


def test_variable_part_scales_with_achievement_and_fixed_part_does_not():
    # Synthetic size-2 figures for PREVENTION (4th code): fixed 8 000, variable 4 000.
    half = compute_funding(
        population=50_000, signed_on=None, missions={PREVENTION: 0.5}, version=SYNTHETIC
    )
    fixed, variable = (line for line in half.lines if line.mission == PREVENTION)
    assert (fixed.kind, fixed.maximum, fixed.amount) == ("fixe", 8_000, Decimal("8000.00"))
    assert (variable.kind, variable.maximum, variable.amount) == (
        "variable",
        4_000,
        Decimal("2000.00"),
    )
    assert variable.achievement == Decimal("0.5")
    assert half.total_maximum == 20_000 + 8_000 + 4_000
    assert half.total_amount == Decimal("30000.00")

    zero = compute_funding(
        population=50_000, signed_on=None, missions={PREVENTION: 0}, version=SYNTHETIC
    )
    assert zero.total_amount == Decimal("28000.00")


def test_missions_absent_are_not_funded():
    breakdown = compute_funding(
        population=50_000, signed_on=None, missions={QUALITY: 1}, version=SYNTHETIC
    )
    assert {line.mission for line in breakdown.lines} == {"fonctionnement", QUALITY}


def test_amounts_are_rounded_to_the_cent():
    breakdown = compute_funding(
        population=1, signed_on=None, missions={ACCESS_PHYSICIAN: 1 / 3}, version=SYNTHETIC
    )
    variable = breakdown.lines[-1]
    assert variable.amount == Decimal("166.67")


def test_prorated_fixed_advance():
    assert prorated_fixed_advance(20_000, 12) == Decimal("15000.00")
    assert prorated_fixed_advance(20_000, 6) == Decimal("7500.00")
    assert prorated_fixed_advance(20_000, 0) == Decimal("0.00")
    with pytest.raises(ValueError, match="mois"):
        prorated_fixed_advance(20_000, 13)


# --- errors --------------------------------------------------------------------------------


def test_unknown_mission_code_is_named():
    with pytest.raises(ValueError, match="Code de mission inconnu : foo"):
        compute_funding(population=1_000, signed_on=SIGNED_2020, missions={"foo": 1})


@pytest.mark.parametrize("rate", [-0.01, 1.01, float("nan"), float("inf"), "1", None, True])
def test_bad_achievement_is_named(rate):
    with pytest.raises(ValueError, match=re.escape(f"mission {PREVENTION} : {rate!r}")):
        compute_funding(population=1_000, signed_on=SIGNED_2020, missions={PREVENTION: rate})


def test_negative_population_is_refused():
    with pytest.raises(ValueError, match="négative : -5"):
        compute_funding(population=-5, signed_on=SIGNED_2020)


# --- output --------------------------------------------------------------------------------


def test_as_dict_is_json_serialisable_and_complete():
    breakdown = compute_funding(
        population=100_000,
        signed_on=SIGNED_2020,
        missions={CARE_PATHWAYS: 0.8},
        as_of=date(2021, 1, 1),
    )
    data = json.loads(json.dumps(breakdown.as_dict()))
    assert data["size_category"] == 3
    assert data["version"]["name"] == ACI_2019.name
    assert data["version"]["effective_from"] == "2019-08-25"
    assert data["as_of"] == "2021-01-01"
    assert data["signed_on"] == "2020-03-01"
    assert data["annual_ceiling"] == {
        "amount": 370_000,
        "source": ACI_2019.annual_ceiling.source,
        "confirmed": True,
    }
    assert [line["kind"] for line in data["lines"]] == ["fonctionnement", "fixe", "variable"]
    assert data["lines"][2]["achievement"] == 0.8
    assert data["lines"][2]["amount"] is None
    assert data["total_maximum"] == 75_000
    assert data["complete"] is False


def test_payment_schedule_mentions_signature_fixed_advance_and_anniversary():
    breakdown = compute_funding(
        population=50_000, signed_on=None, missions={PREVENTION: 1}, version=SYNTHETIC
    )
    first, fixed, anniversary = breakdown.payment_schedule
    assert "signature" in first and "20 000 €" in first
    assert "75 %" in fixed and "6 000 €" in fixed and "prorat" in fixed
    assert "anniversaire" in anniversary and "solde" in anniversary


# --- properties ----------------------------------------------------------------------------

rates = st.floats(min_value=0, max_value=1, allow_nan=False)
mission_rates = st.dictionaries(st.sampled_from(MISSION_CODES), rates)
populations = st.integers(min_value=0, max_value=3_000_000)


@given(population=populations, missions=mission_rates)
def test_amount_never_exceeds_maximum(population, missions):
    for version in (SYNTHETIC, *aci.ACI_VERSIONS):
        breakdown = compute_funding(
            population=population, signed_on=None, missions=missions, version=version
        )
        assert Decimal(0) <= breakdown.total_amount <= breakdown.total_maximum
        for line in breakdown.lines:
            if line.amount is not None:
                assert 0 <= line.amount <= line.maximum


@given(
    population=populations,
    missions=mission_rates,
    mission=st.sampled_from(MISSION_CODES),
    low=rates,
    high=rates,
)
def test_amount_is_monotonic_in_achievement(population, missions, mission, low, high):
    low, high = sorted((low, high))
    amounts = [
        compute_funding(
            population=population,
            signed_on=None,
            missions={**missions, mission: rate},
            version=SYNTHETIC,
        ).total_amount
        for rate in (low, high)
    ]
    assert amounts[0] <= amounts[1]


@given(population=populations)
def test_full_achievement_reaches_maximum(population):
    breakdown = compute_funding(
        population=population,
        signed_on=None,
        missions=dict.fromkeys(MISSION_CODES, 1.0),
        version=SYNTHETIC,
    )
    assert breakdown.complete
    assert breakdown.total_amount == breakdown.total_maximum


def test_module_is_pure_python():
    """aci.py must stay importable without Django (stdlib imports only)."""
    import ast
    import sys
    from pathlib import Path

    tree = ast.parse(Path(aci.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
