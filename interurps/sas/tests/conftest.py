"""An SAS world in Pays de la Loire: a CPTS with its SAS structure, two professionals
enrolled as effectors (one through the CPTS) with a site each, and accounts for them."""

from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from interurps.accounts.models import Role, RoleAssignment
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Department, Region
from interurps.professionals.models import PracticeSite, Professional
from interurps.sas import services
from interurps.sas.models import ParticipationMode, StructureKind
from tests.factories import UserFactory

PARIS = ZoneInfo("Europe/Paris")
_numbers = count(1)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def professional(profession="medecins", commune="44109", **fields) -> Professional:
    n = next(_numbers)
    record = Professional.objects.create(
        identifier=f"8100000{n:04d}",
        identifier_kind="rpps",
        source="annuaire",
        profession_id=profession,
        specialty="Médecine générale" if profession == "medecins" else "",
        last_name=f"Effecteur{n}",
        first_name="Alex",
        search_name=f"effecteur{n} alex",
        active=True,
        **fields,
    )
    PracticeSite.objects.create(professional=record, commune_id=commune, mode="liberal")
    return record


def spec(site, **fields) -> services.SlotSpec:
    return services.SlotSpec(site=site, **fields)


@dataclass
class SasWorld:
    region: Region
    cpts: Cpts
    structure: object
    member: object  # effector through the CPTS
    other: object  # individual effector
    member_site: object
    other_site: object


def enrol(region, *, through=None, commune="44109", **fields):
    mode = ParticipationMode.CPTS if through else ParticipationMode.INDIVIDUAL
    return services.effector_enrol_professional(
        region=region,
        professional=professional(commune=commune),
        participation_mode=mode,
        through=through,
        statement_signed_on=date(2025, 1, 6),
        commune=Commune.objects.get(code=commune),
        site_name="Cabinet",
        **fields,
    )


@pytest.fixture
def sas(db):
    region = Region.objects.get(code="52")
    cpts = Cpts.objects.create(
        name="CPTS de test", region=region, main_department=Department.objects.get(code="44")
    )
    structure = services.structure_create(
        region=region, kind=StructureKind.CPTS, name=cpts.name, cpts=cpts
    )
    member = enrol(region, through=structure)
    other = enrol(region, commune="72181")
    return SasWorld(
        region=region,
        cpts=cpts,
        structure=structure,
        member=member,
        other=other,
        member_site=member.sites.get(),
        other_site=other.sites.get(),
    )


def account(role, *, professional=None, cpts=None, region="52"):
    user = UserFactory()
    RoleAssignment.objects.create(
        user=user, role=role, region_id=region, professional=professional, cpts=cpts
    )
    if role == Role.FEDERATION_ADMIN:
        user.is_staff = True
        user.save()
    return user


def evening(day: date, start=time(18), end=time(20)):
    return services.local_datetime(day, start), services.local_datetime(day, end)
