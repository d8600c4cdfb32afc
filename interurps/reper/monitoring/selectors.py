"""REPER / ICOPE monitoring: the work queues (what is waiting, for whom, in what order) and
the programme's aggregated indicators. Reads only; every figure comes from the records.

Work queues (Kind.REPER_PERSON, « les siennes »), always computed inside a scope of
people (`scopes`), never for people whose consent was withdrawn (withdrawal stops the
follow-up). Three kinds of work:

- overdue step-2 assessment: an assessment to do whose due date is past (`due_on < today`);
  in a professional's own queue, only those entrusted to them or to nobody yet (one
  entrusted to a colleague who also follows the person is the colleague's work);
- due re-screening: the person's last step-1 screening is older than the re-screening
  interval (setting `REPER_RESCREEN_MONTHS`, 6 by default, WHO ICOPE: step 1 repeated
  every 6 months), i.e. `next_screening_due(last) <= today`; people never screened are
  not in this queue (their first screening is not a re-screening);
- plan without follow-up: an active care plan whose last review (or, never reviewed, its
  creation) is older than `REPER_PLAN_REVIEW_DAYS` days (90 by default: one review per
  quarter, half the re-screening interval).

Order: `icope.priority_key(positive_count, age, days_overdue)` with the number of positive
domains of the person's last screening, their age (this year minus their birth year) and
the days since the work became due; ties by kind, due date, pseudonym.

Indicators (Kind.REPER_INDICATORS, aggregates only): see `indicators()`.
"""

import datetime as dt
import statistics
from calendar import monthrange
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from interurps.geography.models import Commune
from interurps.professionals.models import Professional
from interurps.reper.models import (
    DOMAINS,
    IDENTITY_FIELDS,
    Assessment,
    CarePlan,
    Domain,
    Person,
    Screening,
)

# The person's page, defined by the records helper: one name to fix if it changes.
PERSON_URL_NAME = "reper:person_detail"

ASSESSMENT, RESCREENING, PLAN = "evaluation", "rereperage", "plan"
WORK_KINDS = {
    ASSESSMENT: "Évaluation approfondie (étape 2) en retard",
    RESCREENING: "Nouveau repérage (étape 1) à faire",
    PLAN: "Plan de soins sans point de suivi",
}
WORK_KIND_ORDER = {kind: index for index, kind in enumerate(WORK_KINDS)}
DOMAIN_LABELS = dict(Domain.choices)
NOBODY = "Non confiée"

# Fewer people than this in a commune: the map says "moins de 5", never the number
# (statistical confidentiality, as INSEE and the ATIH do for small cells).
SMALL_COUNT = 5

# Delay from a positive step 1 to the first done step 2, in days: distribution bands.
DELAY_BANDS = ((0, 30), (31, 60), (61, 90), (91, 180), (181, None))


def rescreen_months() -> int:
    return int(getattr(settings, "REPER_RESCREEN_MONTHS", 6))


def plan_review_days() -> int:
    return int(getattr(settings, "REPER_PLAN_REVIEW_DAYS", 90))


def _icope():
    """The pure ICOPE rules (`interurps.analytics.icope`, written by the rules helper)."""
    from interurps.analytics import icope

    return icope


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` months, the day clamped to the month's length.

    >>> add_months(dt.date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def person_url(pk: int) -> str:
    """The person's page, or "" while that page does not exist (see PERSON_URL_NAME)."""
    try:
        return reverse(PERSON_URL_NAME, args=[pk])
    except NoReverseMatch:
        return ""


# --- work queues ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    kind: str
    record_id: int  # the assessment, the last screening or the plan
    person_id: int
    pseudonym: str
    cpts_id: int
    age: int
    positive_count: int
    due_on: dt.date  # the day the work became due
    days_overdue: int
    domains: tuple[str, ...]
    professional_id: int | None  # who is in charge (see `_in_charge`)
    professional_name: str
    priority: tuple = field(compare=False, default=())

    @property
    def kind_label(self) -> str:
        return WORK_KINDS[self.kind]

    @property
    def domain_labels(self) -> list[str]:
        return [DOMAIN_LABELS[d] for d in self.domains]

    @property
    def person_url(self) -> str:
        return person_url(self.person_id)


# The queue shows pseudonyms: the encrypted identity is never read for it (decrypting it
# took most of a coordinator's home page).
_PERSON_IDENTITY = tuple(f"person__{name}" for name in IDENTITY_FIELDS)


def _last_screening(field_name: str, person_ref: str = "pk"):
    return Subquery(
        Screening.objects.filter(person_id=OuterRef(person_ref))
        .order_by("-screened_on", "-pk")
        .values(field_name)[:1]
    )


def _name(professional) -> str:
    return str(professional) if professional is not None else NOBODY


def _item(kind, record_id, person, positive_count, due_on, today, domains, professional):
    age = today.year - person.birth_year
    days = (today - due_on).days
    return QueueItem(
        kind=kind,
        record_id=record_id,
        person_id=person.pk,
        pseudonym=person.pseudonym,
        cpts_id=person.cpts_id,
        age=age,
        positive_count=positive_count or 0,
        due_on=due_on,
        days_overdue=days,
        domains=tuple(domains),
        professional_id=professional.pk if professional is not None else None,
        professional_name=_name(professional),
        priority=_icope().priority_key(positive_count or 0, age, days),
    )


def _consenting(people) -> QuerySet[Person]:
    """The people whose work can wait in a queue: consent not withdrawn."""
    return people.filter(consent_withdrawn_on__isnull=True)


def _due_assessments(people, today, own_professionals) -> QuerySet[Assessment]:
    assessments = Assessment.objects.filter(
        person__in=people, status=Assessment.Status.TO_DO, due_on__lt=today
    )
    if own_professionals is not None:
        assessments = assessments.filter(
            Q(assigned_to__in=own_professionals) | Q(assigned_to__isnull=True)
        )
    return assessments


def _rescreening_candidates(people, today) -> QuerySet[Person]:
    """A loose cut-off in the database (a few days of slack for month ends); the exact
    rule (`_rescreening_due_on`) is applied to the rows it lets through."""
    cutoff = add_months(today, -rescreen_months()) + dt.timedelta(days=3)
    return people.annotate(last_on=_last_screening("screened_on")).filter(last_on__lte=cutoff)


def _rescreening_due_on(last_on: dt.date, today: dt.date) -> dt.date | None:
    due_on = _icope().next_screening_due(last_on, months=rescreen_months())
    return due_on if due_on <= today else None


def _plans_due(people, today) -> QuerySet[CarePlan]:
    return (
        CarePlan.objects.filter(person__in=people, status=CarePlan.Status.ACTIVE)
        .annotate(reference=Coalesce("last_reviewed_on", "created_on"))
        .filter(reference__lt=today - dt.timedelta(days=plan_review_days()))
    )


def queue(
    people: QuerySet[Person],
    *,
    today: dt.date | None = None,
    own_professionals: set[int] | None = None,
) -> list[QueueItem]:
    """Every piece of work waiting for `people` (a scope from `scopes`), by priority.

    `own_professionals`: a professional's own queue (their registry records): overdue
    assessments entrusted to someone else are left out. A constant number of queries
    whatever the number of people.
    """
    today = today or timezone.localdate()
    people = _consenting(people)
    items: list[QueueItem] = []

    assessments = (
        _due_assessments(people, today, own_professionals)
        .select_related("person", "assigned_to")
        .defer(*_PERSON_IDENTITY)
        .annotate(last_positive=_last_screening("positive_count", "person_id"))
    )
    for a in assessments:
        items.append(
            _item(
                ASSESSMENT,
                a.pk,
                a.person,
                a.last_positive,
                a.due_on,
                today,
                [a.domain],
                a.assigned_to,
            )
        )

    due = list(
        _rescreening_candidates(people.defer(*IDENTITY_FIELDS), today).annotate(
            last_id=_last_screening("pk")
        )
    )
    last = Screening.objects.select_related("professional").in_bulk([p.last_id for p in due])
    for person in due:
        screening = last[person.last_id]
        due_on = _rescreening_due_on(person.last_on, today)
        if due_on is None:
            continue
        items.append(
            _item(
                RESCREENING,
                screening.pk,
                person,
                screening.positive_count,
                due_on,
                today,
                screening.positive_domains,
                screening.professional,
            )
        )

    days = plan_review_days()
    plans = (
        _plans_due(people, today)
        .annotate(last_positive=_last_screening("positive_count", "person_id"))
        .select_related("person", "created_by")
        .defer(*_PERSON_IDENTITY)
        .prefetch_related("actions")
    )
    for plan in plans:
        domains = [d for d in DOMAINS if any(a.domain == d for a in plan.actions.all())]
        items.append(
            _item(
                PLAN,
                plan.pk,
                plan.person,
                plan.last_positive,
                plan.reference + dt.timedelta(days=days),
                today,
                domains,
                plan.created_by,
            )
        )
    return sorted(items, key=_order)


def _order(item: QueueItem):
    return (item.priority, WORK_KIND_ORDER[item.kind], item.due_on, item.pseudonym)


def filter_items(items, *, kind=None, domain=None, professional=None) -> list[QueueItem]:
    """`professional`: a registry id, or "none" for work entrusted to nobody."""
    if kind:
        items = [i for i in items if i.kind == kind]
    if domain:
        items = [i for i in items if domain in i.domains]
    if professional == "none":
        items = [i for i in items if i.professional_id is None]
    elif professional:
        items = [i for i in items if i.professional_id == professional]
    return items


@dataclass
class Backlog:
    """A queue at a glance: what is waiting, by kind, domain and professional."""

    items: list[QueueItem]
    by_kind: list[tuple[str, str, int]]  # (kind, label, count)
    by_domain: list[tuple[str, str, int]]  # (domain, label, count): an item per domain
    by_professional: list[tuple[int | None, str, int]]  # (id, name, count)
    oldest: list[QueueItem]

    @property
    def total(self) -> int:
        return len(self.items)


def backlog(items: list[QueueItem], *, oldest: int = 5) -> Backlog:
    kinds = Counter(i.kind for i in items)
    domains = Counter(d for i in items for d in i.domains)
    professionals = Counter((i.professional_id, i.professional_name) for i in items)
    return Backlog(
        items=items,
        by_kind=[(k, label, kinds[k]) for k, label in WORK_KINDS.items()],
        by_domain=[(d, DOMAIN_LABELS[d], domains[d]) for d in DOMAINS],
        by_professional=sorted(
            ((pk, name, n) for (pk, name), n in professionals.items()),
            key=lambda row: (row[0] is None, -row[2], row[1]),
        ),
        oldest=sorted(items, key=lambda i: (-i.days_overdue, i.pseudonym))[:oldest],
    )


def cpts_professionals(cpts) -> QuerySet[Professional]:
    """The professionals of a CPTS, to whom its coordinator may entrust work: those who
    practise in its territory (a practice site in one of its communes) and those who
    follow one of its people now."""
    return (
        Professional.objects.filter(
            Q(sites__commune__in=cpts.communes.all())
            | Q(reper_follow_ups__person__cpts=cpts, reper_follow_ups__until__isnull=True)
        )
        .distinct()
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


# --- indicators ----------------------------------------------------------------------


@dataclass
class Indicators:
    """The programme's figures for a region (one CPTS, a period); aggregates only."""

    start: dt.date | None
    end: dt.date | None
    screenings: int = 0
    people: int = 0
    by_month: list = field(default_factory=list)  # (first day of month, count)
    by_profession: list = field(default_factory=list)  # (label, count)
    by_cpts: list = field(default_factory=list)  # (name, count)
    by_professional: list = field(default_factory=list)  # (name, profession, count)
    positive_screenings: int = 0
    positivity: list = field(default_factory=list)  # (domain, label, count, share %)
    positive_share: float | None = None
    with_step2: int = 0
    step2_share: float | None = None
    delays: list = field(default_factory=list)  # days, for every positive with a step 2
    delay_median: float | None = None
    delay_bands: list = field(default_factory=list)  # (label, count, share %)
    follow_up: list = field(default_factory=list)  # (months, window label, n, followed, %)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def scoped_screenings(region, *, cpts=None, start=None, end=None) -> QuerySet[Screening]:
    """Screenings of people of the region's CPTS (or of one CPTS) within the period."""
    code = region if isinstance(region, str) else region.pk
    screenings = Screening.objects.filter(person__cpts__region_id=code)
    if cpts is not None:
        screenings = screenings.filter(person__cpts=cpts)
    if start is not None:
        screenings = screenings.filter(screened_on__gte=start)
    if end is not None:
        screenings = screenings.filter(screened_on__lte=end)
    return screenings


def _band_label(low: int, high: int | None) -> str:
    return f"{low} à {high} jours" if high is not None else f"plus de {low - 1} jours"


FOLLOW_UP_WINDOWS = ((6, 1), (12, 2))  # (months, ± months)


def indicators(
    region,
    *,
    cpts=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    names_for_cpts=None,
) -> Indicators:
    """The indicators of the screenings of the period (all counted, whatever the consent:
    they are aggregates), in a bounded number of queries.

    - screenings per month, per profession of the screening professional, per CPTS (the
      person's); per professional (names) only for `names_for_cpts`, the CPTS of a
      coordinator reading them: the others read counts per profession;
    - positivity per domain: share of the period's screenings positive in that domain;
    - step 2: among positive screenings (at least one positive domain), the share with at
      least one assessment done (opened by that screening), and the delay in days from the
      screening to its first done assessment (median, bands);
    - follow-up at 6 and 12 months: among people whose first screening of the period F is
      old enough for the window to be over (F + 7 months, F + 14 months ≤ today), the share
      screened again within F + 6 ± 1 months, F + 12 ± 2 months (bounds included).
    """
    today = today or timezone.localdate()
    result = Indicators(start=start, end=end)
    screenings = scoped_screenings(region, cpts=cpts, start=start, end=end)

    counts = screenings.aggregate(
        total=Count("pk"),
        people=Count("person_id", distinct=True),
        positive=Count("pk", filter=Q(positive_count__gt=0)),
        **{d: Count("pk", filter=Q(**{f"{d}_positive": True})) for d in DOMAINS},
    )
    total = result.screenings = counts["total"]
    result.people = counts["people"]
    result.positive_screenings = counts["positive"]
    result.positive_share = _share(counts["positive"], total)
    result.positivity = [
        (d, DOMAIN_LABELS[d], counts[d], _share(counts[d], total)) for d in DOMAINS
    ]
    if not total:
        return result

    result.by_month = [
        (row["month"], row["n"])
        for row in screenings.annotate(month=TruncMonth("screened_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    result.by_profession = [
        (row["professional__profession__label"], row["n"])
        for row in screenings.values(
            "professional__profession_id", "professional__profession__label"
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "professional__profession__label")
    ]
    result.by_cpts = [
        (row["person__cpts__name"], row["n"])
        for row in screenings.values("person__cpts_id", "person__cpts__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "person__cpts__name")
    ]
    if names_for_cpts is not None:
        own = scoped_screenings(region, cpts=names_for_cpts, start=start, end=end)
        result.by_professional = [
            (
                f"{row['professional__first_name']} {row['professional__last_name']}".strip(),
                row["professional__profession__label"],
                row["n"],
            )
            for row in own.values(
                "professional_id",
                "professional__first_name",
                "professional__last_name",
                "professional__profession__label",
            )
            .annotate(n=Count("pk"))
            .order_by("-n", "professional__last_name", "professional_id")
        ]

    # Step 2 after a positive step 1.
    firsts = screenings.filter(positive_count__gt=0).annotate(
        first_done=Min("assessments__done_on", filter=Q(assessments__status="done"))
    )
    delays = [
        max(0, (done - screened).days)
        for screened, done in firsts.values_list("screened_on", "first_done")
        if done is not None
    ]
    result.with_step2 = len(delays)
    result.step2_share = _share(len(delays), counts["positive"])
    result.delays = sorted(delays)
    if delays:
        result.delay_median = statistics.median(delays)
        for low, high in DELAY_BANDS:
            n = sum(1 for d in delays if d >= low and (high is None or d <= high))
            result.delay_bands.append((_band_label(low, high), n, _share(n, len(delays))))

    # Follow-up at 6 and 12 months, per person.
    first_of_period = dict(
        screenings.values("person_id")
        .annotate(first=Min("screened_on"))
        .values_list("person_id", "first")
    )
    later = defaultdict(list)
    for person_id, day in Screening.objects.filter(
        person_id__in=screenings.values("person_id")
    ).values_list("person_id", "screened_on"):
        later[person_id].append(day)
    for months, margin in FOLLOW_UP_WINDOWS:
        eligible = followed = 0
        for person_id, first in first_of_period.items():
            if add_months(first, months + margin) > today:
                continue
            eligible += 1
            low, high = add_months(first, months - margin), add_months(first, months + margin)
            followed += any(low <= day <= high for day in later[person_id])
        result.follow_up.append(
            (months, f"{months} mois ± {margin}", eligible, followed, _share(followed, eligible))
        )
    return result


@dataclass(frozen=True)
class CommuneCount:
    code: str
    name: str
    people: int  # people screened in the period living there

    @property
    def masked(self) -> bool:
        return 0 < self.people < SMALL_COUNT

    @property
    def shown(self) -> str:
        if self.masked:
            return f"moins de {SMALL_COUNT}"
        return str(self.people)


def people_screened_by_commune(region, *, cpts=None, start=None, end=None) -> list[CommuneCount]:
    """People screened in the period per commune of residence, over the communes of the
    programme's CPTS territories (those with people) and wherever screened people live."""
    screenings = scoped_screenings(region, cpts=cpts, start=start, end=end)
    counts = dict(
        screenings.values("person__commune_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("person__commune_id", "n")
    )
    code = region if isinstance(region, str) else region.pk
    programme = Person.objects.filter(cpts__region_id=code)
    if cpts is not None:
        programme = programme.filter(cpts=cpts)
    communes = Commune.objects.filter(
        Q(code__in=list(counts)) | Q(cpts__in=programme.values("cpts_id"))
    ).distinct()
    return [
        CommuneCount(c.code, c.name, counts.get(c.code, 0))
        for c in communes.only("code", "name").order_by("name", "code")
    ]


def cpts_waiting_counts(cpts, today: dt.date | None = None) -> dict[str, int] | None:
    """What waits in the CPTS's backlog, by kind (for the coordinator's home); None when
    the CPTS has nobody in the programme."""
    people = Person.objects.filter(cpts=cpts)
    if not people.exists():
        return None
    # The queue's own rules, counted without building its items (the coordinator's home
    # only shows the numbers).
    today = today or timezone.localdate()
    people = _consenting(people)
    rescreenings = sum(
        _rescreening_due_on(last_on, today) is not None
        for last_on in _rescreening_candidates(people, today).values_list("last_on", flat=True)
    )
    counts = {
        ASSESSMENT: _due_assessments(people, today, None).count(),
        RESCREENING: rescreenings,
        PLAN: _plans_due(people, today).count(),
    }
    return {"total": sum(counts.values()), **{kind: counts[kind] for kind in WORK_KINDS}}
