"""The signed ACI contract of one CPTS: expected and paid amounts, ceilings (no Django)."""

from datetime import date
from decimal import Decimal

import pytest

from interurps.analytics.aci import (
    ContractMission,
    ContractYear,
    compute_contract,
    contract_year_bounds,
    default_operating,
)

SIGNED = date(2021, 3, 12)
D = Decimal


def year(number, operating=60_000, *missions):
    return ContractYear(number, D(operating), tuple(missions))


def test_year_one_pays_fonctionnement_at_signature_then_75_percent_advances():
    result = compute_contract(
        signed_on=SIGNED,
        population=50_000,
        years=[year(1, 60_000), year(2, 60_000)],
        as_of=date(2022, 6, 1),  # during year 2
    )
    first, second = result.years
    assert (first.starts_on, first.anniversary) == (SIGNED, date(2022, 3, 12))
    assert first.paid == D(60_000) and first.expected == D(60_000)
    assert second.expected == D(60_000)
    assert second.paid == D(45_000)  # 75 % advance; the balance comes at the anniversary
    assert [(p.due_on, p.amount) for p in second.payments] == [
        (date(2022, 3, 12), D("45000.00")),
        (date(2023, 3, 12), D("15000.00")),
    ]
    assert result.paid == D(105_000) and result.expected == D(120_000)
    assert result.current_year() is second


def test_a_mission_starting_during_the_year_gets_a_prorated_fixed_part():
    mission = ContractMission(
        "prevention", D(20_000), D(10_000), achievement=None, started_on=date(2021, 9, 12)
    )
    result = compute_contract(
        signed_on=SIGNED,
        population=50_000,
        years=[year(1, 60_000, mission)],
        as_of=date(2021, 10, 1),
    )
    fixed = next(line for line in result.years[0].lines if line.kind == "fixe")
    assert fixed.contract_amount == D(20_000)
    assert fixed.expected == D(10_000)  # 6 whole months of 12 to the anniversary
    assert fixed.paid == D(7_500)  # 75 % at the mission's start
    variable = next(line for line in result.years[0].lines if line.kind == "variable")
    assert variable.expected == 0 and result.years[0].pending_assessment


def test_the_variable_part_follows_the_achievement_and_is_paid_at_the_anniversary():
    mission = ContractMission("acces_medecin_traitant", D(15_000), D(12_000), D("0.75"))
    before = compute_contract(
        signed_on=SIGNED,
        population=90_000,
        years=[year(1, 75_000, mission)],
        as_of=date(2022, 3, 11),
    )
    after = compute_contract(
        signed_on=SIGNED,
        population=90_000,
        years=[year(1, 75_000, mission)],
        as_of=date(2022, 3, 12),
    )
    line = next(line for line in after.years[0].lines if line.kind == "variable")
    assert line.expected == D(9_000) and line.paid == D(9_000)
    assert next(line for line in before.years[0].lines if line.kind == "variable").paid == 0
    assert not after.years[0].pending_assessment
    assert after.expected == D(75_000 + 15_000 + 9_000) == after.paid


@pytest.mark.parametrize("as_of", [date(2021, 3, 11), SIGNED, date(2021, 9, 30), date(2024, 1, 1)])
def test_paid_is_the_sum_of_the_payments_due_by_the_date(as_of):
    missions = (
        ContractMission("prevention", D(20_000), D(10_000), D("0.5"), date(2021, 9, 12)),
        ContractMission("parcours", D(17_333), D(9_999), D("0.333")),
    )
    result = compute_contract(
        signed_on=SIGNED,
        population=120_000,
        years=[year(1, 75_000, *missions), year(2, 75_000, *missions)],
        as_of=as_of,
    )
    for funding_year in result.years:
        naive = sum((p.amount for p in funding_year.payments if p.due_on <= as_of), D(0))
        assert funding_year.paid == naive
        assert sum((p.amount for p in funding_year.payments), D(0)) == funding_year.expected


def test_an_amount_above_a_confirmed_ceiling_is_warned():
    # Size 4 under the 2019 agreement: fonctionnement 90,000 €, all lines 450,000 €.
    big = ContractMission("parcours", D(200_000), D(200_000), D(1))
    result = compute_contract(
        signed_on=date(2019, 10, 1),
        population=200_000,
        years=[year(1, 95_000, big)],
        as_of=date(2020, 1, 1),
    )
    warnings = result.years[0].warnings
    assert len(warnings) == 2
    assert "fonctionnement de 95 000 € au-dessus du plafond confirmé de 90 000 €" in warnings[0]
    assert "495 000 €" in warnings[1] and "450 000 €" in warnings[1]
    assert result.years[0].lines[0].above_ceiling
    # Under avenant 2 neither figure is confirmed: no ceiling, no warning.
    later = compute_contract(
        signed_on=date(2022, 5, 1),
        population=200_000,
        years=[year(1, 200_000)],
        as_of=date(2022, 6, 1),
    )
    assert later.warnings == () and later.years[0].lines[0].ceiling is None


def test_defaults_are_the_confirmed_national_amounts_only():
    assert default_operating(50_000, date(2020, 1, 1)) == 60_000
    assert default_operating(50_000, date(2023, 1, 1)) is None  # avenant 2: not confirmed


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ([year(1, -1)], "positif"),
        ([year(1, 60_000, ContractMission("prevention", D(1), D(1), D("1.2")))], "entre 0 et 1"),
        ([year(1), year(1)], "deux fois"),
        ([year(1, 60_000, ContractMission("inconnue", D(1), D(1)))], "inconnus"),
        ([year(6)], "de 1 à 5"),
    ],
)
def test_bad_contracts_are_refused_in_french(years, message):
    with pytest.raises(ValueError, match=message):
        compute_contract(signed_on=SIGNED, population=50_000, years=years, as_of=SIGNED)


def test_contract_years_start_at_each_anniversary():
    assert contract_year_bounds(date(2020, 2, 29), 2) == (date(2021, 2, 28), date(2022, 2, 28))
