"""Reads for training programmes: completion, sessions per month, calendar and report counts."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from interurps.core.calendar import CalendarEntry
from interurps.organizations.models import Federation
from interurps.training import perms
from interurps.training.models import (
    Attendance,
    Cohort,
    Learner,
    Programme,
    RelayTrainer,
    Session,
    TrainerStep,
)

COMPLETE_LABEL = "terminé"
IN_PROGRESS_LABEL = "en cours"
NOT_STARTED_LABEL = "non commencé"
TRAINER_STEP_KIND_LABEL = "Formation des formateurs relais"


# --- programmes and cohorts ----------------------------------------------------------


def programmes_of_federation(federation) -> QuerySet[Programme]:
    return Programme.objects.filter(federation=federation).annotate(
        module_count=Count("modules", distinct=True),
        cohort_count=Count("cohorts", distinct=True),
    )


def cohorts_of_federation(federation) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(programme__federation=federation)
        .select_related("programme")
        .annotate(
            learner_count=Count("learners", distinct=True),
            session_count=Count("sessions", distinct=True),
        )
        .order_by("programme__name", "-start_date", "name")
    )


def cohorts_of_programme(programme: Programme) -> QuerySet[Cohort]:
    return programme.cohorts.annotate(
        learner_count=Count("learners", distinct=True),
        session_count=Count("sessions", distinct=True),
    ).order_by("-start_date", "name")


def cohort_detail_queryset() -> QuerySet[Cohort]:
    return Cohort.objects.select_related(
        "programme", "programme__federation", "programme__federation__region"
    )


def learners_of_cohort(cohort: Cohort) -> QuerySet[Learner]:
    return cohort.learners.select_related("cpts", "user").order_by("full_name")


def visible_learners(user, cohort: Cohort) -> list[Learner]:
    """The cohort's learners the user may see: all of them, or only their own record."""
    learners = list(learners_of_cohort(cohort))
    if perms.can_view_all_learners(user, cohort.programme.federation):
        return learners
    return [learner for learner in learners if perms.can_view_learner(user, learner)]


def sessions_of_cohort(cohort: Cohort) -> QuerySet[Session]:
    return (
        cohort.sessions.select_related("module")
        .prefetch_related(Prefetch("trainers", queryset=RelayTrainer.objects.order_by("full_name")))
        .order_by("starts_at", "id")
    )


# --- completion ----------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerCompletion:
    """Share of the programme's modules for which the learner attended at least one session."""

    learner: Learner
    attended_modules: int
    total_modules: int

    @property
    def percent(self) -> int:
        if not self.total_modules:
            return 0
        return round(100 * self.attended_modules / self.total_modules)

    @property
    def is_complete(self) -> bool:
        return self.total_modules > 0 and self.attended_modules == self.total_modules

    @property
    def label(self) -> str:
        if self.is_complete:
            return COMPLETE_LABEL
        return IN_PROGRESS_LABEL if self.attended_modules else NOT_STARTED_LABEL


@dataclass(frozen=True)
class CohortCompletion:
    learners: int
    completed: int
    average_percent: int


def _attended_modules(learner_ids) -> dict[int, set[int]]:
    rows = (
        Attendance.objects.filter(
            learner_id__in=learner_ids,
            status=Attendance.Status.PRESENT,
            session__module__isnull=False,
        )
        .values_list("learner_id", "session__module_id")
        .distinct()
    )
    attended: dict[int, set[int]] = {}
    for learner_id, module_id in rows:
        attended.setdefault(learner_id, set()).add(module_id)
    return attended


def completions(cohort: Cohort, learners: list[Learner] | None = None) -> list[LearnerCompletion]:
    """Completion of each learner of the cohort (or of the given learners), in two queries.

    Only sessions of the cohort whose module belongs to the programme count, and only
    attendance recorded as « présent·e ».
    """
    learners = list(learners_of_cohort(cohort)) if learners is None else learners
    module_ids = set(cohort.programme.modules.values_list("pk", flat=True))
    attended = _attended_modules([learner.pk for learner in learners])
    return [
        LearnerCompletion(
            learner, len(attended.get(learner.pk, set()) & module_ids), len(module_ids)
        )
        for learner in learners
    ]


def learner_completion(learner: Learner) -> LearnerCompletion:
    return completions(learner.cohort, [learner])[0]


def cohort_completion(cohort: Cohort) -> CohortCompletion:
    rows = completions(cohort)
    if not rows:
        return CohortCompletion(0, 0, 0)
    return CohortCompletion(
        learners=len(rows),
        completed=sum(1 for row in rows if row.is_complete),
        average_percent=round(sum(row.percent for row in rows) / len(rows)),
    )


# --- sessions, attendance grid -------------------------------------------------------


@dataclass(frozen=True)
class SessionMonth:
    month: date  # first day of the month
    sessions: list[Session]


def sessions_by_month(sessions) -> list[SessionMonth]:
    """Sessions grouped by the month (local time) in which they start, in date order."""
    months: dict[date, list[Session]] = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.pk)):
        first = session.starts_on.replace(day=1)
        months.setdefault(first, []).append(session)
    return [SessionMonth(month, items) for month, items in months.items()]


@dataclass(frozen=True)
class GridRow:
    learner: Learner
    cells: list[Attendance | None]  # one per session, in the sessions' order


def attendance_grid(sessions: list[Session], learners: list[Learner]) -> list[GridRow]:
    recorded = {
        (a.session_id, a.learner_id): a
        for a in Attendance.objects.filter(session__in=sessions, learner__in=learners)
    }
    return [
        GridRow(learner, [recorded.get((session.pk, learner.pk)) for session in sessions])
        for learner in learners
    ]


def attendance_of_learner(learner: Learner) -> list[tuple[Session, Attendance | None]]:
    recorded = {a.session_id: a for a in learner.attendances.all()}
    return [(s, recorded.get(s.pk)) for s in sessions_of_cohort(learner.cohort)]


def attendance_summary(session: Session) -> dict[str, int]:
    counts = dict(
        session.attendances.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Attendance.Status.values}


# --- relay trainers ------------------------------------------------------------------


def relay_trainers_of_federation(federation) -> QuerySet[RelayTrainer]:
    return (
        RelayTrainer.objects.filter(federation=federation)
        .prefetch_related(
            Prefetch("steps", queryset=TrainerStep.objects.order_by("starts_on", "id"))
        )
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("full_name")
    )


# --- calendar ------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def calendar_entries(*, region, start: datetime, end: datetime, user=None) -> list[CalendarEntry]:
    """Sessions and dated relay-trainer steps of the region's federation that overlap
    [start, end).

    With a user who may not read the region's training, nothing is returned. Steps carry
    dates without times: they run from local midnight of their first day to local midnight
    after their last day (the all-day convention of calendar files).
    """
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("calendar_entries needs timezone-aware start and end.")
    region_code = region if isinstance(region, str) else region.pk
    federation = Federation.objects.filter(region_id=region_code).first()
    if federation is None:
        return []
    if user is not None and not perms.can_view_training(user, federation):
        return []
    sessions = (
        Session.objects.filter(
            cohort__programme__federation=federation, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("module", "cohort", "cohort__programme")
        .order_by("starts_at", "id")
    )
    steps = (
        TrainerStep.objects.filter(
            trainer__federation=federation,
            starts_on__isnull=False,
            starts_on__lte=timezone.localtime(end).date(),
        )
        .filter(Q(ends_on__gte=timezone.localtime(start).date()) | Q(ends_on__isnull=True))
        .select_related("trainer")
        .order_by("starts_on", "id")
    )
    entries = []
    for session in sessions:
        programme = session.cohort.programme
        subject = session.module.title if session.module_id else session.title or "Séance"
        entries.append(
            CalendarEntry(
                uid=f"training-session-{session.pk}@interurps",
                category="formation",
                title=f"{programme.label} : {session.display_title} ({session.cohort.name})",
                start=session.starts_at,
                end=session.ends_at,
                url=session.get_absolute_url(),
                location=session.place or session.video_link,
                kind_label=f"{programme.label} — {subject}",
                description=session.notes,
            )
        )
    trainers_url = reverse("training:trainers", args=[federation.region_id])
    for step in steps:
        step_start = _local_midnight(step.starts_on)
        step_end = _local_midnight(step.last_day + timedelta(days=1))
        if not (step_start < end and step_end > start):
            continue
        entries.append(
            CalendarEntry(
                uid=f"trainer-step-{step.pk}@interurps",
                category="formation",
                title=f"{step.title} — {step.trainer.full_name}",
                start=step_start,
                end=step_end,
                url=f"{trainers_url}#etape-{step.pk}",
                kind_label=TRAINER_STEP_KIND_LABEL,
                description=step.notes,
            )
        )
    return sorted(entries, key=lambda e: (e.start, e.uid))


# --- activity report -----------------------------------------------------------------


def sessions_count(federation, year: int) -> int:
    """Sessions of the federation's cohorts starting in `year` (local time)."""
    return Session.objects.filter(
        cohort__programme__federation=federation, starts_at__year=year
    ).count()


def learners_count(federation, year: int) -> int:
    """Learners of the federation's cohorts that run during `year`.

    A cohort runs from the year of its start to the year of its planned end (or, with
    no end, every year after its start): a promotion launched in June 2021 that ends in
    June 2022 counts its learners in both years.
    """
    return Learner.objects.filter(
        Q(cohort__end_date__isnull=True) | Q(cohort__end_date__year__gte=year),
        cohort__programme__federation=federation,
        cohort__start_date__year__lte=year,
    ).count()


def upcoming_sessions_of_cpts(cpts, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions not yet over of the cohorts in which someone of the CPTS is a learner."""
    now = now or timezone.now()
    return (
        Session.objects.filter(cohort__learners__cpts=cpts, ends_at__gt=now)
        .select_related("module", "cohort", "cohort__programme")
        .distinct()
        .order_by("starts_at", "id")
    )
