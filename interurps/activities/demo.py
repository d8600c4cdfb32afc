"""2021 meetings of the Pays de la Loire federation, counted as in its activity report.

From the report (seed 003): the SAS mission (chargé de mission in post from 14 June 2021)
held 16 internal meetings, 25 with the ARS, 11 with the SAS follow-up team (CHU, ARL, CPTS
of the 44), 19 with the unions and 4 with the unions on a paediatric SAS; the quintet (the
operational committee following the CPTS, every two weeks) met 18 times. Exact dates,
times and subjects are illustrative: meetings are spread evenly over the period.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from interurps.activities import services
from interurps.activities.models import Meeting, MeetingKind, Project
from interurps.activities.selectors import year_bounds

SAS_START, YEAR_END = date(2021, 6, 14), date(2021, 12, 17)
SAS_MEETINGS = [
    # (kind, count, subject)
    ("Interne", 16, "Prise de fonction SAS : point interne"),
    ("ARS", 25, "Point de synchronisation SAS avec l'ARS"),
    ("Équipe de suivi SAS", 11, "Équipe de suivi SAS (CHU, ARL, CPTS du 44)"),
    ("URPS", 19, "Lien avec les URPS : le pluriprofessionnel dans le SAS"),
    ("SAS pédiatrie", 4, "Premières réflexions sur un SAS pédiatrie avec les URPS"),
]
QUINTET_COUNT = 18


def _working_days(start: date, end: date, count: int) -> list[date]:
    """`count` weekdays spread evenly between `start` and `end`."""
    span = (end - start).days
    days = []
    for index in range(count):
        day = start + timedelta(days=round(index * span / max(count - 1, 1)))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        days.append(day)
    return days


@transaction.atomic
def activities_demo_load(*, federation, staff_user) -> int:
    """Create the demo meetings once (nothing happens when 2021 already has meetings)."""
    start, end = year_bounds(2021)
    if Meeting.objects.filter(
        federation=federation, starts_at__gte=start, starts_at__lt=end
    ).exists():
        return 0
    services.meeting_kinds_ensure(federation=federation)
    created = 0
    for kind_name, count, subject in SAS_MEETINGS:
        kind, _ = MeetingKind.objects.get_or_create(
            federation=federation, name=kind_name, defaults={"display_order": 50}
        )
        for day in _working_days(SAS_START, YEAR_END, count):
            services.meeting_create(
                federation=federation,
                by=staff_user,
                title=subject,
                starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
                kind=kind,
                project=Project.SAS,
                duration_minutes=90,
                participant_users=[staff_user],
            )
            created += 1
    quintet = MeetingKind.objects.get(federation=federation, name="Quintet")
    for day in _working_days(date(2021, 1, 12), date(2021, 12, 14), QUINTET_COUNT):
        services.meeting_create(
            federation=federation,
            by=staff_user,
            title="Quintet : suivi des CPTS",
            starts_at=timezone.make_aware(datetime.combine(day, time(14, 0))),
            kind=quintet,
            project=Project.CPTS,
            duration_minutes=90,
            place="Visioconférence",
            external_participants="Représentant·e ARS (ARS Pays de la Loire)\n"
            "Représentant·e Assurance Maladie (DCGDR Pays de la Loire)",
        )
        created += 1
    return created
