"""Demo care requests: about 150 calls over the past four weeks in Loire-Atlantique (44) and
Sarthe (72), over the slots the effectors' demo made (`interurps.sas.demo.sas_demo_load`).

Each call comes from a commune drawn by population, at a time of day when the regulation
is busy; the regulator searches as the page does (`selectors.slot_search`, from the call to
the end of the day after tomorrow) and books one of the first slots through
`booking.appointment_book`; the others end as medical advice, sent to the emergency
department, or no slot found. Seeded: the same slots give the same requests. Idempotent: a
region that already has care requests is left as it is, one without shared slots too.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from interurps.geography.models import Commune
from interurps.sas.models import CareRequest, Slot
from interurps.sas.regulation import selectors, services

DEMO_DEPARTMENTS = ("44", "72")
DEMO_REQUESTS = 150
DEMO_DAYS = 28
SEED = 20260315
# Shares of the outcomes other than a booking, among the calls (SAS activity reports give
# most regulated calls a booking; the rest advice, emergency, or nothing found).
ADVICE_SHARE = 0.15
EMERGENCY_SHARE = 0.06
AGE_WEIGHTS = {"0-5": 12, "6-17": 10, "18-59": 45, "60-74": 18, "75+": 15}
REASON_WEIGHTS = {
    "fever": 24,
    "pain": 20,
    "trauma": 12,
    "respiratory": 16,
    "skin": 8,
    "prescription": 6,
    "mental": 4,
    "other": 10,
}
# Calls per hour of the day (8 h–21 h): busy mornings and early evenings.
HOUR_WEIGHTS = {8: 8, 9: 10, 10: 9, 11: 8, 12: 5, 13: 5, 14: 6, 15: 6, 16: 7, 17: 9, 18: 10}


def _call_times(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    today = timezone.localdate(now)
    hours, weights = zip(*HOUR_WEIGHTS.items(), strict=True)
    times = []
    while len(times) < count:
        day = today - timedelta(days=rng.randrange(DEMO_DAYS))
        hour = rng.choices(hours, weights)[0]
        called = timezone.make_aware(
            datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        )
        if called <= now:
            times.append(called)
    return sorted(times)


@transaction.atomic
def sas_demo_requests_load(*, region, regulator=None, count: int = DEMO_REQUESTS) -> int:
    """Create the demo care requests of `region` (its departments among 44 and 72) and
    their bookings; returns how many were created (0 when the region already has some)."""
    if CareRequest.objects.filter(region=region).exists():
        return 0
    if not Slot.objects.filter(effector__region=region, shared=True).exists():
        return 0  # no effectors' demo yet: calls with nothing to book would be misleading
    communes = list(
        Commune.objects.filter(
            department__region=region,
            department_id__in=DEMO_DEPARTMENTS,
            kind=Commune.Kind.COMMUNE,
            latitude__isnull=False,
            population__gt=0,
        ).order_by("code")
    )
    if not communes:
        return 0
    rng = random.Random(f"{SEED}-{region.pk}")
    weights = [c.population for c in communes]
    ages, age_weights = zip(*AGE_WEIGHTS.items(), strict=True)
    reasons, reason_weights = zip(*REASON_WEIGHTS.items(), strict=True)
    now = timezone.now()
    created = 0
    for called_at in _call_times(rng, now, count):
        commune = rng.choices(communes, weights)[0]
        care_request = services.care_request_create(
            region=region,
            regulator=regulator,
            called_at=called_at,
            commune=commune,
            age_band=rng.choices(ages, age_weights)[0],
            reason=rng.choices(reasons, reason_weights)[0],
        )
        created += 1
        draw = rng.random()
        if draw < ADVICE_SHARE:
            services.care_request_set_outcome(
                care_request=care_request, outcome=CareRequest.Outcome.ADVICE
            )
            continue
        if draw < ADVICE_SHARE + EMERGENCY_SHARE:
            services.care_request_set_outcome(
                care_request=care_request, outcome=CareRequest.Outcome.EMERGENCY
            )
            continue
        _, end = selectors.default_window(called_at)
        criteria = selectors.criteria_for(care_request, window=(called_at, end))
        found = selectors.slot_search(criteria, limit=3).slots if criteria else []
        if not found:
            services.care_request_set_outcome(
                care_request=care_request, outcome=CareRequest.Outcome.NO_SLOT
            )
            continue
        # The regulator takes one of the three first slots (nearest, then soonest).
        services.care_request_book(
            care_request=care_request, slot=rng.choice(found).slot, by=regulator
        )
    return created
