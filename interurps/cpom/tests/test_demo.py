from decimal import Decimal

import pytest

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
from interurps.organizations.models import Federation

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
    assert first["Contract"] == 1
    assert first["Theme"] == 4
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
