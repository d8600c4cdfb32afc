from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interurps.cpom import selectors, services
from interurps.cpom.models import Action, FundingSource
from interurps.organizations.models import Federation, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(federation, contract, action):
    ars = services.funding_line_create(
        federation=federation, contract=contract, year=2025, source=FundingSource.ARS,
        label="Accompagnement CPTS", amount=Decimal("100000"), action=action,
    )  # fmt: skip
    unions = services.funding_line_create(
        federation=federation, year=2025, source=FundingSource.UNIONS,
        label="Cotisations des URPS", amount=Decimal("50000"),
    )  # fmt: skip
    services.spending_create(
        funding_line=ars, spent_on=date(2025, 3, 1), amount=Decimal("40000"), label="Salaires"
    )
    services.spending_create(
        funding_line=ars, spent_on=date(2026, 1, 15), amount=Decimal("20000"), label="Solde"
    )
    services.spending_create(
        funding_line=unions, spent_on=date(2025, 6, 1), amount=Decimal("15000"), label="Loyer"
    )
    return ars, unions


def test_funding_by_year_allocated_spent_balance_rate(federation, funded):
    (year,) = selectors.funding_by_year(federation)
    assert year.year == 2025
    assert year.allocated == Decimal("150000")
    assert year.spent == Decimal("75000")  # a 2026 payment counts in its line's year
    assert year.balance == Decimal("75000")
    assert year.execution_rate == Decimal("50.0")
    assert year.allocated_by_source == [
        ("ARS (FIR)", Decimal("100000")),
        ("Cotisations des URPS", Decimal("50000")),
    ]


def test_funding_of_the_contract_leaves_out_lines_outside_it(federation, contract, funded):
    (year,) = selectors.funding_by_year(federation, contract=contract)
    assert (year.allocated, year.spent, year.execution_rate) == (
        Decimal("100000"),
        Decimal("60000"),
        Decimal("60.0"),
    )


def test_funding_breakdown(federation, funded):
    rows = selectors.funding_breakdown(federation, 2025)
    assert rows == [
        {"label": "Accompagnement CPTS", "source": "ARS (FIR)", "amount": Decimal("100000"),
         "share": Decimal("66.7")},
        {"label": "Cotisations des URPS", "source": "Cotisations des URPS",
         "amount": Decimal("50000"), "share": Decimal("33.3")},
    ]  # fmt: skip
    assert selectors.funding_breakdown(federation, 2019) == []


def test_funding_line_rules(federation, contract, action):
    other = Federation.objects.get(region_id="44")
    with pytest.raises(ValidationError, match="autre fédération"):
        services.funding_line_create(
            federation=other, contract=contract, year=2025, source=FundingSource.ARS,
            label="x", amount=Decimal(1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="couvre les années"):
        services.funding_line_create(
            federation=federation, contract=contract, year=2023, source=FundingSource.ARS,
            label="x", amount=Decimal(1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="action financée"):
        services.funding_line_create(
            federation=federation, year=2025, source=FundingSource.ARS, label="x",
            amount=Decimal(1), action=action,
        )  # fmt: skip
    line = services.funding_line_create(
        federation=federation, year=2025, source=FundingSource.OTHER, label="x", amount=1
    )
    with pytest.raises(ValidationError, match="précéder"):
        services.spending_create(
            funding_line=line, spent_on=date(2024, 12, 31), amount=Decimal(1), label="y"
        )


def test_contract_needs_the_ars_of_its_region(federation):
    with pytest.raises(ValidationError, match="autre région"):
        services.contract_create(
            federation=federation, title="x", start_year=2025, end_year=2026,
            partner=Partner.objects.get(region_id="44", kind=Partner.Kind.ARS),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.contract_create(
            federation=federation, title="x", start_year=2026, end_year=2025,
            partner=Partner.objects.get(region_id="52", kind=Partner.Kind.ARS),
        )  # fmt: skip


def test_indicators_for_report_and_dashboard(
    federation, contract, objective, action, manual_indicator
):
    services.measurement_create(
        indicator=manual_indicator, measured_on=date(2025, 6, 30), value=Decimal(16)
    )
    services.measurement_create(
        indicator=manual_indicator, measured_on=date(2025, 11, 30), value=Decimal(18)
    )
    on_action = services.indicator_create(
        action=action, title="Lettres d'intention déposées", unit="CPTS", direction="hausse"
    )
    rows = selectors.indicators_for_report(federation, 2025)
    assert [row.pop("model").title for row in rows] == ["Professionnels formés", on_action.title]
    assert rows == [
        {"contract": contract.title, "theme": "Accompagnement des CPTS",
         "indicator": "Professionnels formés", "unit": "professionnels",
         "target": Decimal("20.00"), "value": Decimal("18.00"), "status": "orange"},
        {"contract": contract.title, "theme": "Accompagnement des CPTS",
         "indicator": on_action.title, "unit": "CPTS", "target": None, "value": None,
         "status": "gris"},
    ]  # fmt: skip
    assert selectors.indicators_for_report(federation, 2023) == []  # contract not in force
    assert selectors.indicators_for_report(federation, 2026)[0]["status"] == "gris"

    services.action_create(objective=objective, title="Atelier", status=Action.Status.DONE)
    dashboard = selectors.contract_dashboard(contract, 2025)
    (theme,) = dashboard["themes"]
    assert [(code, count) for code, _, count in theme.actions_by_status] == [
        ("a_venir", 1), ("en_cours", 0), ("realisee", 1), ("abandonnee", 0),
    ]  # fmt: skip
    assert theme.indicators_by_status == {"vert": 0, "orange": 1, "rouge": 0, "gris": 1}
    assert theme.indicator_summary == [("orange", "En bonne voie", 1), ("gris", "Non renseigné", 1)]
    assert [len(b.indicators) for b in theme.objectives[0].actions] == [1, 0]


def test_manual_measurement_refused_on_automatic_indicator(objective):
    indicator = services.indicator_create(
        objective=objective, title="CPTS ACI", computation="cpts_aci_signe"
    )
    with pytest.raises(ValidationError, match="automatiquement"):
        services.measurement_create(indicator=indicator, measured_on=date(2025, 1, 1), value=1)
    with pytest.raises(ValidationError, match="Mode de calcul"):
        services.indicator_create(objective=objective, title="x", computation="inconnu")
    with pytest.raises(ValidationError, match="couvre les années"):
        services.target_set(indicator=indicator, year=2030, value=1)
