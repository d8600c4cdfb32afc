from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from interurps.cpts.services import cpts_create
from interurps.geography.models import Department, Region
from interurps.organizations.models import Federation
from interurps.training import services
from interurps.training.models import Attendance

PARIS = ZoneInfo("Europe/Paris")
MODULE_TITLES = ["Gestion de la structure", "Prise de fonction", "Projet de santé"]


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def federation(db):
    return Federation.objects.select_related("region").get(region_id="52")


@pytest.fixture
def make_cpts(db):
    def make(name, region_code="52", department_code="44"):
        return cpts_create(
            region=Region.objects.get(code=region_code),
            name=name,
            main_department=Department.objects.get(code=department_code),
            by=None,
        )

    return make


@pytest.fixture
def cpts(make_cpts):
    return make_cpts("CPTS Pays de Retz")


@pytest.fixture
def programme(federation):
    programme = services.programme_create(
        federation=federation, name="PACTE CPTS", short_name="PACTE", operator="EHESP"
    )
    for title in MODULE_TITLES:
        services.module_create(programme=programme, title=title, expected_hours=14)
    return programme


@pytest.fixture
def modules(programme):
    return list(programme.modules.order_by("order"))


@pytest.fixture
def cohort(programme):
    return services.cohort_create(
        programme=programme,
        name="Promotion 2021",
        start_date=date(2021, 4, 23),
        end_date=date(2022, 6, 30),
    )


@pytest.fixture
def learner(cohort, cpts):
    return services.learner_create(
        cohort=cohort, full_name="Léa Marchand", email="lea@exemple.fr", cpts=cpts
    )


@pytest.fixture
def other_learner(cohort, make_cpts):
    return services.learner_create(
        cohort=cohort, full_name="Hugo Lemaître", cpts=make_cpts("CPTS du Choletais", "52", "49")
    )


@pytest.fixture
def sessions(cohort, modules):
    """Two days for the first module, one day each for the others."""
    days = [
        (modules[0], (2021, 6, 2)),
        (modules[0], (2021, 6, 3)),
        (modules[1], (2021, 8, 31)),
        (modules[2], (2021, 11, 8)),
    ]
    return [
        services.session_create(
            cohort=cohort,
            module=module,
            starts_at=paris(*day, 9, 0),
            ends_at=paris(*day, 17, 0),
            place="Nantes",
        )
        for module, day in days
    ]


PRESENT = Attendance.Status.PRESENT
EXCUSED = Attendance.Status.EXCUSED
ABSENT = Attendance.Status.ABSENT
