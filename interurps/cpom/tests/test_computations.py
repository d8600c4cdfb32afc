import html
from datetime import date
from decimal import Decimal

import pytest

from interurps.activities import services as activity_services
from interurps.activities.models import Meeting, Project
from interurps.cpom import computations, selectors, services
from interurps.cpts.models import Cpts, StageTransition, SupportAction
from interurps.events.models import Event
from interurps.geography.models import Department
from interurps.organizations.models import Federation
from interurps.training.models import Cohort, Learner, Programme

from .conftest import paris

pytestmark = pytest.mark.django_db


def make_cpts(name, region_code="52", **fields):
    department = Department.objects.filter(region_id=region_code).order_by("code").first()
    return Cpts.objects.create(
        name=name, region_id=region_code, main_department=department, **fields
    )


def test_cpts_with_signed_aci_at_the_end_of_the_year(federation):
    make_cpts("CPTS Nantes Nord", aci_signed_on=date(2021, 3, 1))
    make_cpts("CPTS Erdre", aci_signed_on=date(2021, 12, 31))
    make_cpts("CPTS Loire", aci_signed_on=date(2022, 1, 1))
    make_cpts("CPTS sans ACI")
    dissolved = make_cpts("CPTS dissoute", aci_signed_on=date(2020, 5, 1))
    StageTransition.objects.create(cpts=dissolved, stage="dissoute", occurred_on=date(2021, 6, 1))
    make_cpts("CPTS d'une autre région", region_code="44", aci_signed_on=date(2021, 1, 1))

    assert computations.compute("cpts_aci_signe", federation, 2021) == Decimal(2)
    assert computations.compute("cpts_aci_signe", federation, 2020) == Decimal(1)
    assert computations.compute("cpts_aci_signe", federation, 2022) == Decimal(3)


def test_cpts_accompanied_by_support_action_or_stage_step(federation):
    supported = make_cpts("CPTS accompagnée")
    SupportAction.objects.create(cpts=supported, occurred_on=date(2021, 4, 2), kind="reunion")
    SupportAction.objects.create(cpts=supported, occurred_on=date(2021, 5, 2), kind="atelier")
    moved = make_cpts("CPTS qui avance")
    StageTransition.objects.create(
        cpts=moved, stage="lettre_intention_deposee", occurred_on=date(2021, 9, 1)
    )
    old = make_cpts("CPTS accompagnée en 2020")
    SupportAction.objects.create(cpts=old, occurred_on=date(2020, 12, 31), kind="reunion")
    elsewhere = make_cpts("CPTS du Grand Est", region_code="44")
    SupportAction.objects.create(cpts=elsewhere, occurred_on=date(2021, 4, 2), kind="reunion")

    assert computations.cpts_accompanied(federation, 2021) == Decimal(2)
    assert computations.cpts_accompanied(federation, 2020) == Decimal(1)


def test_congresses_and_seminars_held(federation):
    def event(kind, start, status=Event.Status.PLANNED, fed=federation):
        return Event.objects.create(
            federation=fed, kind=kind, title=f"{kind} {start}", starts_at=start,
            ends_at=start.replace(hour=18), status=status,
        )  # fmt: skip

    event(Event.Kind.CONGRESS, paris(2021, 3, 20, 9), Event.Status.HELD)
    event(Event.Kind.SEMINAR, paris(2021, 10, 5, 9))  # over, not yet declared held
    event(Event.Kind.SEMINAR, paris(2021, 11, 5, 9), Event.Status.CANCELLED)
    event(Event.Kind.WEBINAR, paris(2021, 6, 1, 9), Event.Status.HELD)  # not a seminar
    event(Event.Kind.SEMINAR, paris(2022, 1, 1, 9), Event.Status.HELD)  # another year
    event(Event.Kind.SEMINAR, paris(2021, 5, 1, 9), fed=Federation.objects.get(region_id="44"))

    assert computations.compute("congres_seminaires", federation, 2021) == Decimal(2)
    # Seen from before the seminar ended, the planned one does not count yet.
    assert computations.congresses_and_seminars_held(
        federation, 2021, now=paris(2021, 10, 5, 12)
    ) == Decimal(1)


def test_coordinators_trained_counts_learners_of_cohorts_running_that_year(federation):
    programme = Programme.objects.create(federation=federation, name="PACTE CPTS")
    cohort_2021 = Cohort.objects.create(
        programme=programme, name="Promotion 2021", start_date=date(2021, 6, 1),
        end_date=date(2022, 6, 30),
    )  # fmt: skip
    cohort_2023 = Cohort.objects.create(
        programme=programme, name="Promotion 2023", start_date=date(2023, 1, 1)
    )
    for i in range(3):
        Learner.objects.create(cohort=cohort_2021, full_name=f"Coordinatrice {i}")
    Learner.objects.create(cohort=cohort_2023, full_name="Coordinateur 2023")

    assert computations.compute("coordinateurs_formes", federation, 2021) == Decimal(3)
    assert computations.compute("coordinateurs_formes", federation, 2022) == Decimal(3)
    assert computations.compute("coordinateurs_formes", federation, 2023) == Decimal(1)
    assert computations.compute("coordinateurs_formes", federation, 2020) == Decimal(0)


def test_meetings_of_a_project_in_the_year(federation):
    kinds = activity_services.meeting_kinds_ensure(federation=federation)
    for start, project in [
        (paris(2021, 1, 5, 10), Project.SAS),
        (paris(2021, 12, 31, 23, 30), Project.SAS),  # still 2021 in Paris
        (paris(2022, 1, 1, 0, 30), Project.SAS),
        (paris(2021, 5, 5, 10), Project.CPTS),
    ]:
        Meeting.objects.create(
            federation=federation, title="Point", starts_at=start, kind=kinds[0], project=project
        )
    assert computations.compute("reunions_sas", federation, 2021) == Decimal(2)
    assert computations.compute("reunions_cpts", federation, 2021) == Decimal(1)


def test_unknown_computation_is_refused(federation):
    with pytest.raises(ValueError, match="inconnu"):
        computations.compute("nope", federation, 2021)


def test_automatic_indicator_is_computed_live_then_frozen(federation, objective):
    indicator = services.indicator_create(
        objective=objective, title="CPTS signataires de l'ACI", computation="cpts_aci_signe"
    )
    services.target_set(indicator=indicator, year=2025, value=Decimal(2))
    make_cpts("CPTS A", aci_signed_on=date(2025, 2, 1))
    row = selectors.indicator_row(indicator, 2025)
    assert (row.value, row.value_source, row.status) == (Decimal(1), "calcul automatique", "rouge")

    frozen = services.measurement_freeze(indicator=indicator, year=2025)
    assert frozen.source == "calcul automatique"
    assert frozen.measured_on == date(2025, 12, 31)
    make_cpts("CPTS B", aci_signed_on=date(2025, 3, 1))
    indicator.refresh_from_db()
    row = selectors.indicator_row(indicator, 2025)
    assert (row.value, row.value_source) == (Decimal(1), "calcul automatique (figé)")

    services.measurement_freeze(indicator=indicator, year=2025)  # re-freezing replaces
    assert indicator.measurements.count() == 1
    row = selectors.indicator_row(indicator, 2025)
    assert (row.value, row.status) == (Decimal(2), "vert")


def test_population_covered_is_the_coverage_pages_figure(client, federation):
    from django.urls import reverse

    from interurps.accounts.models import Role
    from interurps.cpts import services as cpts_services
    from interurps.cpts.views import coverage_rows
    from tests.factories import user_with_role

    staff = user_with_role(Role.FEDERATION_STAFF)
    laval = cpts_services.cpts_create(
        region=federation.region,
        name="CPTS de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
    )
    cpts_services.cpts_set_territory(cpts=laval, codes=["53130", "53054", "53034"])
    value = computations.compute("cpts_population_couverte", federation, 2026)

    client.force_login(staff)
    page = client.get(reverse("cpts:region_coverage", args=["52"]))
    assert page.context["covered_share"] == value
    population = page.context["report"].coverage
    exact = Decimal(population.covered_population * 100) / population.total_population
    assert value == exact.quantize(Decimal("0.1")) and value > 0
    assert f"{value}".replace(".", ",") + "\u202f%" in html.unescape(page.content.decode())
    exported = dict((label, v) for _, label, v in coverage_rows(page.context["report"]))
    assert exported["Part de la population couverte (%)"] == value
    assert computations.REGISTRY["cpts_population_couverte"].label.endswith("(%)")
