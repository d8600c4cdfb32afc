from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from interurps.cpom import services
from interurps.organizations.models import Federation, Partner

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def federation(db):
    return Federation.objects.select_related("region").get(region_id="52")


@pytest.fixture
def contract(federation):
    return services.contract_create(
        federation=federation,
        title="CPOM InterURPS/ARS 2024-2026",
        partner=Partner.objects.get(region_id="52", kind=Partner.Kind.ARS),
        start_year=2024,
        end_year=2026,
    )


@pytest.fixture
def objective(contract):
    theme = services.theme_create(contract=contract, order=1, title="Accompagnement des CPTS")
    return services.objective_create(theme=theme, order=1, title="Couvrir la région de CPTS")


@pytest.fixture
def action(objective):
    return services.action_create(
        objective=objective, title="Accompagner les CPTS en émergence", flagship=True
    )


@pytest.fixture
def manual_indicator(objective):
    indicator = services.indicator_create(
        objective=objective, title="Professionnels formés", unit="professionnels", baseline=10
    )
    services.target_set(indicator=indicator, year=2025, value=Decimal(20))
    return indicator
