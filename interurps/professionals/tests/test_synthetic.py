import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from interurps.geography.models import Commune, Region
from interurps.professionals import selectors
from interurps.professionals.demo import professionals_demo_load
from interurps.professionals.models import PracticeSite, Professional, RegistryImport
from interurps.professionals.services import (
    SYNTHETIC_DENSITIES,
    professionals_generate_synthetic,
)
from interurps.professionals.synthetic import draw_professionals

GRID = [(f"{i:05d}", 1_000 + 37 * i) for i in range(400)]


def naive_draw(communes, densities, seed):
    """Reference: one Poisson draw at a time, communes then sorted professions."""
    rng = np.random.default_rng(seed)
    result = []
    for code, population in communes:
        for profession in sorted(densities):
            count = int(rng.poisson(densities[profession] * (population or 0) / 10_000))
            if count:
                result.append((code, profession, count))
    return result


def test_draw_is_reproducible_and_matches_the_naive_reference():
    first = draw_professionals(GRID, SYNTHETIC_DENSITIES, seed=1)
    assert first == draw_professionals(GRID, SYNTHETIC_DENSITIES, seed=1)
    assert first != draw_professionals(GRID, SYNTHETIC_DENSITIES, seed=2)
    assert first == naive_draw(GRID, SYNTHETIC_DENSITIES, seed=1)


def test_draw_means_follow_density_times_population():
    population = sum(p for _, p in GRID)
    draws = draw_professionals(GRID, {"infirmiers": 14.5, "orthoptistes": 0.9}, seed=7)
    for profession, density in [("infirmiers", 14.5), ("orthoptistes", 0.9)]:
        expected = density * population / 10_000
        total = sum(count for _, code, count in draws if code == profession)
        # Sum of independent Poisson draws: Poisson(expected); 5 standard deviations.
        assert abs(total - expected) < 5 * expected**0.5


def test_draw_edge_cases():
    assert draw_professionals([], SYNTHETIC_DENSITIES, seed=1) == []
    assert draw_professionals([("44109", 0), ("44110", None)], SYNTHETIC_DENSITIES, seed=1) == []
    assert draw_professionals([("44109", 10_000)], {"infirmiers": 0.0}, seed=1) == []
    with pytest.raises(ValueError):
        draw_professionals([("44109", -1)], {"infirmiers": 1.0}, seed=1)
    with pytest.raises(ValueError):
        draw_professionals([("44109", 1)], {"infirmiers": -1.0}, seed=1)


@pytest.mark.django_db
def test_synthetic_identifiers_are_reserved_to_synthetic_records():
    fields = {"last_name": "X", "profession_id": "infirmiers"}
    real_with_syn = Professional(
        identifier="SYN52000001", identifier_kind="rpps", source="annuaire", **fields
    )
    with pytest.raises(ValidationError):
        real_with_syn.full_clean()
    synthetic_with_rpps = Professional(
        identifier="10000000011", identifier_kind="rpps", source="synthetique", **fields
    )
    with pytest.raises(ValidationError):
        synthetic_with_rpps.full_clean()
    Professional(
        identifier="SYN52000001", identifier_kind="synthetique", source="synthetique",
        **fields,
    ).full_clean()  # fmt: skip


@pytest.mark.django_db
def test_generate_professionals_for_the_demo_region(capsys, settings):
    """One generation of the region, checked from every side (the generation is most of
    the time of these tests), then a no-op run, the refused and the accepted replacement."""
    from django.core.management.base import CommandError

    from interurps.accounts.models import Role, User
    from interurps.accounts.services import role_assign

    settings.SYNTHETIC_REGISTRY_SCALE = 0.25
    loire = Region.objects.get(code="52")
    call_command("generate_professionals", "--region", "52", "--seed", "1")
    assert "professionnel(s) fictif(s) créé(s)" in capsys.readouterr().out
    professionals = Professional.objects.filter(source="synthetique")
    total = professionals.count()
    population = sum(
        Commune.objects.filter(department__region=loire, kind="COM").values_list(
            "population", flat=True
        )
    )
    # The drawn total follows the scaled densities (Poisson: within 5 standard deviations).
    expected = 0.25 * sum(SYNTHETIC_DENSITIES.values()) * population / 10_000
    assert abs(total - expected) < 5 * expected**0.5
    assert not professionals.exclude(identifier__startswith="SYN52").exists()
    assert not professionals.exclude(practice_mode="liberal").exists()
    assert set(professionals.values_list("profession_id", flat=True)) == set(SYNTHETIC_DENSITIES)
    assert professionals.filter(profession_id="medecins").first().specialty == "Médecine générale"
    sites = PracticeSite.objects.filter(professional__source="synthetique")
    assert not sites.exclude(commune__department__region=loire).exists()
    second_share = (sites.count() - total) / total
    assert 0.12 < second_share < 0.18
    two_sites = professionals.filter(sites__isnull=False).distinct()
    assert two_sites.count() == total
    supply = selectors.supply_by_commune("infirmiers")
    assert round(sum(supply.values())) == professionals.filter(profession_id="infirmiers").count()

    # A second site is in another commune.
    doubles = (
        sites.values("professional_id")
        .annotate(n=Count("pk"))
        .filter(n=2)
        .values_list("professional_id", flat=True)[:50]
    )
    assert doubles
    for professional_id in doubles:
        first, second = PracticeSite.objects.filter(professional_id=professional_id).values_list(
            "commune_id", flat=True
        )
        assert first != second

    # The generation is recorded for its region.
    record = RegistryImport.objects.get()
    assert (record.source, record.region, record.professionals) == ("synthetique", loire, total)
    assert record.data_date == timezone.localdate()

    # Idempotent: nothing to do, nothing recorded, and the demo's loader skips it.
    identifiers = list(
        professionals.order_by("identifier").values_list("identifier", "profession_id", "last_name")
    )
    call_command("generate_professionals", "--region", "52")
    assert "rien à faire" in capsys.readouterr().out
    assert professionals.count() == total
    assert professionals_generate_synthetic(region=loire, seed=1).skipped
    assert professionals_demo_load(region=loire).skipped
    assert RegistryImport.objects.count() == 1

    # Replacing a registry that an account points at is refused, in French, and deletes
    # nothing (the demo's health professional is a synthetic professional).
    linked = professionals.order_by("identifier").first()
    user = User.objects.create_user("pro@exemple.fr", "x-long-password-1")
    assignment = role_assign(
        user=user, role=Role.HEALTH_PROFESSIONAL, region=loire, professional=linked
    )
    before = Professional.objects.count()
    with pytest.raises(CommandError, match="1 enregistrement\\(s\\) y renvoient") as error:
        call_command("generate_professionals", "--region", "52", "--replace")
    assert "rôles attribués" in str(error.value)
    assert Professional.objects.count() == before

    # Once unlinked, another seed replaces it with another draw (the same seed draws the
    # same registry: test_draw_is_reproducible_and_matches_the_naive_reference).
    assignment.delete()
    call_command("generate_professionals", "--region", "52", "--seed", "2", "--replace")
    drawn = list(
        professionals.order_by("identifier").values_list("identifier", "profession_id", "last_name")
    )
    assert drawn and drawn != identifiers
