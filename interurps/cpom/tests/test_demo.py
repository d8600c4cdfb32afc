import html
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.cpom import selectors
from interurps.cpom.demo import cpom_demo_load
from interurps.cpom.models import (
    Action,
    Contract,
    FundingLine,
    Indicator,
    IndicatorTarget,
    Measurement,
    Objective,
    Theme,
)
from interurps.cpts.demo import demo_cpts_load
from interurps.cpts.selectors import area_coverage, covered_share_percent
from interurps.geography.models import Region
from interurps.organizations.models import Federation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

MODELS = (Contract, Theme, Objective, Action, Indicator, IndicatorTarget, Measurement,
          FundingLine)  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_is_idempotent():
    cpom_demo_load()
    first = counts()
    cpom_demo_load()
    assert counts() == first
    assert first["Contract"] == 2
    assert first["Theme"] == 8
    assert first["FundingLine"] == 5


def test_grand_est_contract_follows_the_seed():
    contract = cpom_demo_load()["contract"]
    assert contract.federation.region_id == "44"
    assert contract.partner.kind == "ars" and contract.partner.region_id == "44"
    assert (contract.start_year, contract.end_year) == (2025, 2027)
    assert contract.signed_on.year == 2025 and contract.signed_on.month == 3
    assert [t.title for t in contract.themes.all()] == [
        "Animation de la coopération inter-URPS",
        "Santé numérique au service de l’accessibilité aux soins",
        "Prendre soin des soignants et des étudiants",
        "Santé-Environnement",
    ]
    flagship = Action.objects.filter(objective__theme__contract=contract, flagship=True)
    assert flagship.count() == 2
    assert all(a.objective.theme.order == 2 for a in flagship)
    rows = selectors.indicators_for_report(contract.federation, 2025)
    assert len(rows) == 4
    guide = next(r for r in rows if r["indicator"].startswith("Avancement du guide"))
    assert (guide["value"], guide["target"], guide["status"]) == (
        Decimal("25.00"), Decimal("30.00"), "orange",
    )  # fmt: skip


def test_pays_de_la_loire_2021_shares_are_the_reports():
    cpom_demo_load()
    rows = selectors.funding_breakdown(Federation.objects.get(region_id="52"), 2021)
    assert [(r["label"], r["source"], r["amount"], r["share"]) for r in rows] == [
        ("Accompagnement CPTS", "ARS (FIR)", Decimal("100000.00"), Decimal("32.3")),
        ("Solde appel de fonds 2020 des 10 URPS", "Cotisations des URPS", Decimal("80000.00"),
         Decimal("25.8")),
        ("SAS", "ARS (FIR)", Decimal("55000.00"), Decimal("17.7")),
        ("PACTE", "ARS (FIR)", Decimal("50000.00"), Decimal("16.1")),
        ("Communication", "ARS (FIR)", Decimal("25000.00"), Decimal("8.1")),
    ]  # fmt: skip
    assert sum(r["share"] for r in rows) == Decimal("100.0")
    assert sum(r["amount"] for r in rows) == Decimal("310000")


def test_the_demo_region_has_a_cpom_with_computed_indicators():
    contract = cpom_demo_load()["pays_de_la_loire_contract"]
    assert contract.federation.region_id == "52"
    assert contract.partner.kind == "ars" and contract.partner.region_id == "52"
    assert contract.in_force(2021) and contract.in_force(2026)
    assert "démonstration" in contract.title and "illustratifs" in contract.description
    indicators = Indicator.objects.filter(
        Q(objective__theme__contract=contract) | Q(action__objective__theme__contract=contract)
    )
    assert indicators.count() == 7
    assert not indicators.filter(computation=Indicator.MANUAL).exists()
    coverage = indicators.get(computation="cpts_population_couverte")
    assert coverage.is_percentage and coverage.targets.count() == 6
    assert all("cibles de démonstration" in i.definition for i in indicators)


def test_the_demo_partner_sees_the_cpom_dashboard_with_indicators(client):
    region = Region.objects.get(code="52")
    staff = user_with_role(Role.FEDERATION_STAFF)
    demo_cpts_load(region=region, staff_user=staff)
    contract = cpom_demo_load()["pays_de_la_loire_contract"]
    client.force_login(user_with_role(Role.PARTNER))
    response = client.get(reverse("cpom:contract_detail", args=[contract.pk]), {"annee": 2026})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Part de la population couverte par une CPTS" in page
    share = covered_share_percent(area_coverage(region))
    assert share > 0
    # The value as the coverage page prints it, and the target, both with « % ».
    assert f"{share}".replace(".", ",") + "\u202f%" in page
    assert "100\u202f%" in page
    rows = [
        row
        for block in response.context["dashboard"]["themes"]
        for objective in block.objectives
        for row in objective.indicators + [r for a in objective.actions for r in a.indicators]
    ]
    assert len(rows) == 7
    assert all(row.value is not None for row in rows)  # all computed from the records


@pytest.mark.parametrize(
    ("unit", "value", "printed"),
    [
        ("%", Decimal("25.30"), "25,3\u202f%"),
        ("%", Decimal("100.00"), "100\u202f%"),
        ("CPTS", Decimal("7.00"), "7"),
        ("€", Decimal("1.25"), "1,25"),
        ("%", None, "—"),
    ],
)
def test_percentages_carry_the_percent_sign(unit, value, printed):
    from django.utils import translation

    from interurps.cpom.templatetags.cpom_format import measure

    with translation.override("fr"):
        assert measure(value, Indicator(unit=unit)) == printed
