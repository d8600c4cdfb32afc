"""Reads for REPER records: the people a user may see, a person's record and trajectory,
followers, reminders (due re-screenings, overdue assessments)."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet

from interurps.analytics import icope
from interurps.professionals.models import Professional
from interurps.reper import perms
from interurps.reper.models import (
    DOMAINS,
    Assessment,
    CarePlan,
    Domain,
    FollowUp,
    Person,
    PersonRead,
    PlanAction,
    ProgrammeCpts,
    Screening,
)

DOMAIN_LABELS = dict(Domain.choices)


def person_queryset() -> QuerySet[Person]:
    return Person.objects.select_related("cpts", "cpts__region", "commune")


def programme_cpts_ids() -> set[int]:
    return set(ProgrammeCpts.objects.values_list("cpts_id", flat=True))


def is_programme_cpts(cpts) -> bool:
    return ProgrammeCpts.objects.filter(cpts=cpts).exists()


def people_visible_to(user, region) -> QuerySet[Person]:
    """The people of `region` the user may read: those they follow (health
    professionals), those of the CPTS they coordinate; every one for superusers."""
    people = person_queryset().filter(cpts__region=region)
    if user.is_superuser:
        return people
    condition = Q(pk__in=[])
    ids = perms.professional_ids(user, region)
    if ids:
        condition |= Q(
            pk__in=FollowUp.objects.filter(professional_id__in=ids, until__isnull=True).values(
                "person_id"
            )
        )
    cpts_ids = perms.coordinated_cpts_ids(user, region)
    if cpts_ids:
        condition |= Q(cpts_id__in=cpts_ids)
    return people.filter(condition)


def with_last_screening(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.annotate(last_screened_on=Max("screenings__screened_on"))


def next_screening_due(last_screened_on: date | None, person: Person) -> date:
    """Step 1 is repeated `REPER_RESCREEN_MONTHS` after the last screening
    (`icope.next_screening_due`); a person never screened is due from their consent."""
    if last_screened_on is None:
        return person.consent_on
    return icope.next_screening_due(last_screened_on, months=settings.REPER_RESCREEN_MONTHS)


def person_next_due(person: Person) -> date | None:
    """When the person's next step 1 is due; None once their consent is withdrawn."""
    if not person.consent_active:
        return None
    last = person.screenings.aggregate(last=Max("screened_on"))["last"]
    return next_screening_due(last, person)


@dataclass
class PersonRow:
    person: Person
    last_screened_on: date | None
    next_due: date | None
    open_assessments: int
    overdue_assessments: int
    followed: bool  # the user follows them (their names are shown)


def person_rows(user, region, today: date) -> list[PersonRow]:
    people = with_last_screening(people_visible_to(user, region)).order_by("pseudonym")
    people = list(people)
    open_by_person: dict[int, list[date]] = {}
    for person_id, due_on in Assessment.objects.filter(
        person__in=people, status=Assessment.Status.TO_DO
    ).values_list("person_id", "due_on"):
        open_by_person.setdefault(person_id, []).append(due_on)
    ids = perms.professional_ids(user, region)
    followed = set(
        FollowUp.objects.filter(
            person__in=people, professional_id__in=ids, until__isnull=True
        ).values_list("person_id", flat=True)
    )
    rows = []
    for person in people:
        dues = open_by_person.get(person.pk, [])
        rows.append(
            PersonRow(
                person=person,
                last_screened_on=person.last_screened_on,
                next_due=next_screening_due(person.last_screened_on, person)
                if person.consent_active
                else None,
                open_assessments=len(dues),
                overdue_assessments=sum(due < today for due in dues),
                followed=person.pk in followed,
            )
        )
    return rows


def programme_cpts_where_user_adds(user, region) -> list:
    """The programme's CPTS of `region` where the user may include a person."""
    from interurps.cpts.models import Cpts

    cpts_list = Cpts.objects.filter(region=region, reper_programme__isnull=False).order_by("name")
    return [cpts for cpts in cpts_list if perms.can_add_person(user, cpts)]


def candidate_followers(cpts) -> QuerySet[Professional]:
    """The active professionals with a liberal practice site in the CPTS's territory."""
    return (
        Professional.objects.filter(
            active=True,
            pk__in=Professional.objects.filter(
                sites__mode="liberal", sites__commune__cpts=cpts
            ).values("pk"),
        )
        .select_related("profession")
        .order_by("last_name", "first_name", "identifier")
    )


def followers(person: Person) -> list[FollowUp]:
    return list(
        person.follow_ups.filter(until__isnull=True)
        .select_related("professional", "professional__profession")
        .order_by("since", "pk")
    )


def follower_professionals(person: Person) -> QuerySet[Professional]:
    return Professional.objects.filter(
        reper_follow_ups__person=person, reper_follow_ups__until__isnull=True
    ).order_by("last_name", "first_name")


def acting_professional(user, person: Person):
    """The registry record the user acts as for this person: one of their health
    professional records that follows the person, else None (coordinators choose)."""
    ids = perms.professional_ids(user, person.cpts.region_id)
    if not ids:
        return None
    follow_up = (
        person.follow_ups.filter(professional_id__in=ids, until__isnull=True)
        .select_related("professional")
        .first()
    )
    return follow_up.professional if follow_up else None


def screenings_of(person: Person) -> list[Screening]:
    return list(
        person.screenings.select_related("professional").prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.order_by("pk"))
        )
    )


def assessments_of(person: Person) -> list[Assessment]:
    return list(
        person.assessments.select_related("assigned_to", "screening").order_by(
            "status", "due_on", "pk"
        )
    )


def plans_of(person: Person) -> list[CarePlan]:
    return list(
        person.care_plans.select_related("created_by").prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("responsible"))
        )
    )


def reads_of(person: Person, limit: int = 50) -> list[PersonRead]:
    return list(person.reads.select_related("user").order_by("-read_at", "-pk")[:limit])


def read_count(person: Person) -> int:
    return person.reads.count()


# --- trajectory ------------------------------------------------------------------------


@dataclass
class TrajectoryRow:
    domain: str
    label: str
    results: list = field(default_factory=list)  # one bool per screening, oldest first
    assessments: list = field(default_factory=list)  # done assessments, oldest first


@dataclass
class Trajectory:
    dates: list[date]
    rows: list[TrajectoryRow]
    positive_counts: list[int]


def trajectory(person: Person) -> Trajectory:
    """Each screening's six results per domain, oldest first, with the domain's step-2
    scores."""
    screenings = list(person.screenings.order_by("screened_on", "pk"))
    done = list(person.assessments.filter(status=Assessment.Status.DONE).order_by("done_on", "pk"))
    rows = []
    for domain in DOMAINS:
        rows.append(
            TrajectoryRow(
                domain=domain,
                label=DOMAIN_LABELS[domain],
                results=[getattr(s, f"{domain}_positive") for s in screenings],
                assessments=[a for a in done if a.domain == domain],
            )
        )
    return Trajectory(
        dates=[s.screened_on for s in screenings],
        rows=rows,
        positive_counts=[s.positive_count for s in screenings],
    )


# --- reminders -------------------------------------------------------------------------


@dataclass
class Reminders:
    due_screenings: list = field(default_factory=list)  # (person, due date)
    overdue_assessments: list = field(default_factory=list)  # Assessment

    @property
    def count(self) -> int:
        return len(self.due_screenings) + len(self.overdue_assessments)


def reminders_for_professional(professional, today: date) -> Reminders:
    """The re-screenings due (people the professional follows whose consent stands) and
    the step-2 assessments assigned to them past their due date."""
    people = with_last_screening(
        person_queryset().filter(
            consent_withdrawn_on__isnull=True,
            follow_ups__professional=professional,
            follow_ups__until__isnull=True,
        )
    ).order_by("pseudonym")
    due = []
    for person in people:
        next_due = next_screening_due(person.last_screened_on, person)
        if next_due <= today:
            due.append((person, next_due))
    due.sort(key=lambda pair: (pair[1], pair[0].pseudonym))
    overdue = list(
        Assessment.objects.filter(
            assigned_to=professional,
            status=Assessment.Status.TO_DO,
            due_on__lt=today,
            person__consent_withdrawn_on__isnull=True,
        )
        .select_related("person")
        .order_by("due_on", "pk")
    )
    return Reminders(due_screenings=due, overdue_assessments=overdue)


@dataclass
class CptsSummary:
    people: int
    due_screenings: int
    overdue_assessments: int
    open_assessments: int
    active_plans: int


def cpts_summary(cpts, today: date) -> CptsSummary:
    """The coordinator's view of the CPTS's follow-up, at a glance."""
    people = list(
        with_last_screening(
            Person.objects.filter(cpts=cpts, consent_withdrawn_on__isnull=True)
        ).only("pk", "consent_on")
    )
    due = sum(next_screening_due(p.last_screened_on, p) <= today for p in people)
    open_assessments = Assessment.objects.filter(person__cpts=cpts, status=Assessment.Status.TO_DO)
    return CptsSummary(
        people=len(people),
        due_screenings=due,
        overdue_assessments=open_assessments.filter(due_on__lt=today).count(),
        open_assessments=open_assessments.count(),
        active_plans=CarePlan.objects.filter(
            person__cpts=cpts, status=CarePlan.Status.ACTIVE
        ).count(),
    )
