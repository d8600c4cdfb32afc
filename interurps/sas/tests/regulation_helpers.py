"""Records for the regulation's tests: effectors, sites and slots near Nantes (region 52)."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from interurps.geography.models import Commune, Region
from interurps.professionals.models import Professional
from interurps.sas.models import CareRequest, Effector, ParticipationMode, Site, Slot

PARIS = ZoneInfo("Europe/Paris")
NANTES = "44109"
_numbers = itertools.count(1)


def effector_create(
    *,
    region_code="52",
    profession="medecins",
    specialty="Médecine générale",
    accepts_extra_patients=False,
    suspended=False,
) -> Effector:
    number = next(_numbers)
    professional = Professional.objects.create(
        identifier=f"SYN8{number:08d}",
        identifier_kind="synthetique",
        source="synthetique",
        profession_id=profession,
        specialty=specialty,
        last_name=f"Effecteur{number}",
        first_name="Test",
        search_name=f"effecteur{number} test",
        active=True,
    )
    return Effector.objects.create(
        region_id=region_code,
        professional=professional,
        participation_mode=ParticipationMode.INDIVIDUAL,
        accepts_extra_patients=accepts_extra_patients,
        suspended_on=timezone.localdate() if suspended else None,
    )


def site_create(effector, *, latitude, longitude, commune_code=NANTES) -> Site:
    return Site.objects.create(
        effector=effector,
        name=f"Cabinet {effector.pk}",
        commune_id=commune_code,
        latitude=latitude,
        longitude=longitude,
    )


def slot_create(site, *, start, minutes=20, **fields) -> Slot:
    fields.setdefault("shared", True)
    return Slot.objects.create(
        effector=site.effector,
        site=site,
        start=start,
        end=start + timedelta(minutes=minutes),
        **fields,
    )


def care_request_create(*, region_code="52", commune_code=NANTES, called_at=None, regulator=None):
    return CareRequest.objects.create(
        region=Region.objects.get(code=region_code),
        regulator=regulator,
        called_at=called_at or timezone.now(),
        commune=Commune.objects.get(code=commune_code),
        age_band=CareRequest.AgeBand.ADULT,
        reason=CareRequest.Reason.FEVER,
    )


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
