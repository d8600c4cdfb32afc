"""Small hand-made SAS records for the indicators' tests (created with the ORM)."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from interurps.geography.models import Commune, Region
from interurps.professionals.models import Professional
from interurps.sas.models import (
    Appointment,
    CareRequest,
    Effector,
    ParticipationMode,
    Site,
    Slot,
    Structure,
    StructureKind,
)

PARIS = ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


def at(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def region(code="52") -> Region:
    return Region.objects.get(code=code)


def commune(code) -> Commune:
    return Commune.objects.get(code=code)


def professional(last_name=None, profession="medecins") -> Professional:
    n = next(_numbers)
    return Professional.objects.create(
        identifier=f"81{n:09d}",
        identifier_kind="rpps",
        source="annuaire",
        profession_id=profession,
        last_name=last_name or f"Effecteur{n}",
        first_name="Camille",
        search_name=f"effecteur{n}",
    )


def effector(
    *, commune_code="44109", region_code="52", through=None, last_name=None, **fields
) -> Effector:
    place = commune(commune_code)
    e = Effector.objects.create(
        region=region(region_code),
        professional=professional(last_name),
        participation_mode=ParticipationMode.CPTS if through else ParticipationMode.INDIVIDUAL,
        through=through,
        **fields,
    )
    Site.objects.create(
        effector=e,
        name=f"Cabinet {e.pk}",
        commune=place,
        latitude=place.latitude,
        longitude=place.longitude,
    )
    return e


def cpts_structure(cpts) -> Structure:
    return Structure.objects.create(
        region=cpts.region, kind=StructureKind.CPTS, name=cpts.name, cpts=cpts
    )


def slot(e: Effector, start: datetime, minutes=60, *, shared=True, capacity=1, booked=0, **kw):
    return Slot.objects.create(
        effector=e,
        site=e.sites.first(),
        start=start,
        end=start + timedelta(minutes=minutes),
        shared=shared,
        capacity=capacity,
        booked=booked,
        **kw,
    )


def care_request(called_at, *, commune_code="44109", outcome="booked", region_code="52"):
    return CareRequest.objects.create(
        region=region(region_code),
        called_at=called_at,
        commune=commune(commune_code),
        age_band="18-59",
        reason="fever",
        outcome=outcome,
    )


def appointment(e: Effector, start: datetime, *, request=None, status="booked", slot_=None):
    return Appointment.objects.create(
        identifier=f"rdv-{next(_numbers)}",
        effector=e,
        slot=slot_,
        extra=slot_ is None,
        care_request=request,
        start=start,
        end=start + timedelta(minutes=20),
        status=status,
    )
