"""A small REPER world: a programme CPTS in Saumur (Maine-et-Loire), two physiotherapists
and a nurse practising there, their accounts, the CPTS's coordinator."""

from dataclasses import dataclass
from datetime import date

import pytest

from interurps.accounts.models import Role
from interurps.accounts.services import role_assign
from interurps.cpts import services as cpts_services
from interurps.geography.models import Commune, Department, Region
from interurps.professionals.models import PracticeSite, Professional
from interurps.reper import services
from tests.factories import UserFactory, user_with_role

SAUMUR, DISTRE = "49328", "49125"

NORMAL = {
    "cognition": {"orientation_time": True, "orientation_place": True, "words_recalled": 3},
    "mobility": {"chair_rises_completed": 5, "chair_rise_seconds": 11.2},
    "nutrition": {"weight_loss_over_3kg_3_months": False, "appetite_loss": False},
    "vision": {"eye_problems": False},
    "hearing": {"whisper_test_passed": True},
    "mood": {"feeling_down": False, "little_interest": False},
}


def answers(**changes) -> dict:
    """NORMAL with `domain__item=value` changes."""
    result = {domain: dict(items) for domain, items in NORMAL.items()}
    for key, value in changes.items():
        domain, item = key.split("__")
        result[domain][item] = value
    return result


def make_professional(identifier, profession, last_name, commune_code=SAUMUR):
    professional = Professional.objects.create(
        identifier=identifier,
        identifier_kind="rpps",
        source="annuaire",
        profession_id=profession,
        last_name=last_name,
        first_name="Camille",
        search_name=last_name.lower(),
        active=True,
    )
    PracticeSite.objects.create(professional=professional, commune_id=commune_code, mode="liberal")
    return professional


def professional_user(professional, region_code="52"):
    user = UserFactory()
    role_assign(
        user=user,
        role=Role.HEALTH_PROFESSIONAL,
        region=Region.objects.get(code=region_code),
        professional=professional,
    )
    return user


@dataclass
class Reper:
    cpts: object
    commune: Commune
    kine: Professional
    kine_user: object
    other: Professional
    other_user: object
    nurse: Professional
    coordinator: object
    staff: object


@pytest.fixture
def reper(db):
    region = Region.objects.get(code="52")
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = cpts_services.cpts_create(
        region=region,
        name="CPTS du Saumurois de test",
        main_department=Department.objects.get(code="49"),
        by=staff,
        started_on=date(2020, 1, 6),
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=[SAUMUR, DISTRE])
    services.programme_cpts_add(cpts=cpts, since=date(2022, 1, 1))
    kine = make_professional("10000000001", "masseurs-kinesitherapeutes", "Kiné")
    other = make_professional("10000000002", "masseurs-kinesitherapeutes", "Autre", DISTRE)
    nurse = make_professional("10000000003", "infirmiers", "Infirmière")
    coordinator = UserFactory()
    role_assign(user=coordinator, role=Role.CPTS_COORDINATOR, region=region, cpts=cpts)
    return Reper(
        cpts=cpts,
        commune=Commune.objects.get(code=SAUMUR),
        kine=kine,
        kine_user=professional_user(kine),
        other=other,
        other_user=professional_user(other),
        nurse=nurse,
        coordinator=coordinator,
        staff=staff,
    )


@pytest.fixture
def make_person(reper):
    def make(professional=None, **fields):
        values = {
            "cpts": reper.cpts,
            "professional": professional or reper.kine,
            "birth_year": 1948,
            "sex": "F",
            "commune": reper.commune,
            "consent_on": date(2023, 1, 5),
            "consent_scope": "follow_up_evaluation",
            "last_name": "Dupontel",
            "first_name": "Henriette",
            "phone": "02 41 00 00 00",
            "treating_physician": "Dr Martinaud",
        }
        values.update(fields)
        return services.person_create(**values)

    return make
