from datetime import date, datetime

import pytest

from interurps.core.calendar import CalendarEntry
from interurps.training import selectors, services
from interurps.training.models import TrainerStep

from .conftest import ABSENT, EXCUSED, PRESENT, paris

pytestmark = pytest.mark.django_db


def record(session, learner, status):
    services.attendance_record(session=session, statuses={learner: status})


def test_completion_starts_at_zero(learner, sessions):
    completion = selectors.learner_completion(learner)
    assert (completion.attended_modules, completion.total_modules) == (0, 3)
    assert completion.percent == 0
    assert not completion.is_complete
    assert completion.label == "non commencé"


def test_completion_counts_modules_not_sessions(learner, sessions):
    # Both days of the first module count once; excused and absent count for nothing.
    record(sessions[0], learner, PRESENT)
    record(sessions[1], learner, PRESENT)
    record(sessions[2], learner, EXCUSED)
    record(sessions[3], learner, ABSENT)
    completion = selectors.learner_completion(learner)
    assert completion.attended_modules == 1
    assert completion.percent == 33
    assert completion.label == "en cours"


def test_completion_is_terminé_when_every_module_is_attended(learner, other_learner, sessions):
    # One day of the two-day module is enough.
    for session in (sessions[1], sessions[2], sessions[3]):
        record(session, learner, PRESENT)
    record(sessions[0], other_learner, PRESENT)
    record(sessions[2], other_learner, PRESENT)
    rows = {c.learner.pk: c for c in selectors.completions(learner.cohort)}
    assert rows[learner.pk].percent == 100
    assert rows[learner.pk].is_complete
    assert rows[learner.pk].label == "terminé"
    assert rows[other_learner.pk].percent == 67

    summary = selectors.cohort_completion(learner.cohort)
    assert (summary.learners, summary.completed, summary.average_percent) == (2, 1, 84)


def test_a_session_without_module_does_not_count(cohort, learner, sessions):
    launch = services.session_create(
        cohort=cohort,
        title="Lancement",
        starts_at=paris(2021, 4, 23, 18, 0),
        ends_at=paris(2021, 4, 23, 19, 30),
    )
    record(launch, learner, PRESENT)
    assert selectors.learner_completion(learner).attended_modules == 0


def test_a_programme_without_modules_is_never_complete(federation):
    programme = services.programme_create(federation=federation, name="Vide")
    cohort = services.cohort_create(programme=programme, name="A", start_date=date(2021, 1, 1))
    learner = services.learner_create(cohort=cohort, full_name="Personne")
    completion = selectors.learner_completion(learner)
    assert completion.percent == 0 and not completion.is_complete


def test_sessions_by_month(sessions):
    months = selectors.sessions_by_month(reversed(sessions))
    assert [m.month for m in months] == [date(2021, 6, 1), date(2021, 8, 1), date(2021, 11, 1)]
    assert months[0].sessions == sessions[:2]


def test_a_session_late_in_the_evening_belongs_to_its_local_month(cohort, modules):
    # 31 May 23:30 in Paris is 21:30 UTC: the local month is May.
    session = services.session_create(
        cohort=cohort,
        module=modules[0],
        starts_at=paris(2021, 5, 31, 23, 30),
        ends_at=paris(2021, 6, 1, 0, 30),
    )
    assert selectors.sessions_by_month([session])[0].month == date(2021, 5, 1)


@pytest.fixture
def trainer(federation):
    trainer = services.relay_trainer_create(federation=federation, full_name="Anne-Laure Le Ny")
    services.trainer_step_create(
        trainer=trainer,
        kind=TrainerStep.Kind.RELAY_TRAINING,
        title="Formation formateur relais",
        starts_on=date(2021, 9, 16),
        ends_on=date(2021, 9, 17),
        status=TrainerStep.Status.DONE,
    )
    services.trainer_step_create(
        trainer=trainer,
        kind=TrainerStep.Kind.VISIO_BREAK,
        title="Pause visio",
        starts_on=date(2021, 11, 10),
        status=TrainerStep.Status.DONE,
    )
    services.trainer_step_create(
        trainer=trainer, kind=TrainerStep.Kind.NATIONAL_TRAINING, title="Sans date"
    )
    return trainer


def test_calendar_entries_within_a_range(federation, cohort, sessions, trainer):
    entries = selectors.calendar_entries(
        region=federation.region, start=paris(2021, 8, 1), end=paris(2021, 10, 1)
    )
    assert all(isinstance(e, CalendarEntry) for e in entries)
    assert [e.uid for e in entries] == [
        f"training-session-{sessions[2].pk}@interurps",
        f"trainer-step-{trainer.steps.get(title='Formation formateur relais').pk}@interurps",
    ]
    session_entry, step_entry = entries
    assert session_entry.category == "formation"
    assert session_entry.kind_label == "PACTE — Prise de fonction"
    assert session_entry.url == f"/cohortes/{cohort.pk}/#seance-{sessions[2].pk}"
    assert session_entry.location == "Nantes"
    assert session_entry.start == paris(2021, 8, 31, 9, 0)
    assert step_entry.kind_label == "Formation des formateurs relais"
    assert step_entry.url.startswith("/federations/52/formations/formateurs/#etape-")
    # A two-day step runs from local midnight of its first day to the day after its last.
    assert step_entry.start == paris(2021, 9, 16)
    assert step_entry.end == paris(2021, 9, 18)
    for entry in entries:
        assert entry.start.tzinfo is not None and entry.end.tzinfo is not None
        assert entry.end > entry.start


def test_calendar_entries_overlap_bounds(federation, sessions, trainer):
    # A session that started before the range and ends inside it is included; one that
    # ends exactly when the range starts is not.
    entries = selectors.calendar_entries(
        region="52", start=paris(2021, 6, 2, 17, 0), end=paris(2021, 6, 3, 10, 0)
    )
    assert [e.uid for e in entries] == [f"training-session-{sessions[1].pk}@interurps"]
    # A one-day step overlaps a range that starts during its day.
    entries = selectors.calendar_entries(
        region="52", start=paris(2021, 11, 10, 15, 0), end=paris(2021, 11, 10, 16, 0)
    )
    assert [e.title for e in entries] == ["Pause visio — Anne-Laure Le Ny"]


def test_calendar_entries_are_scoped_to_region_and_readers(federation, sessions):
    from interurps.accounts.models import Role
    from tests.factories import user_with_role

    start, end = paris(2021, 1, 1), paris(2022, 1, 1)
    assert len(selectors.calendar_entries(region="52", start=start, end=end)) == 4
    assert selectors.calendar_entries(region="11", start=start, end=end) == []
    partner = user_with_role(Role.PARTNER)
    assert len(selectors.calendar_entries(region="52", start=start, end=end, user=partner)) == 4
    stranger = user_with_role(Role.PARTNER, region_code="11")
    assert selectors.calendar_entries(region="52", start=start, end=end, user=stranger) == []


def test_calendar_entries_refuse_naive_datetimes(federation):
    with pytest.raises(ValueError):
        selectors.calendar_entries(
            region="52",
            start=datetime(2021, 1, 1),  # noqa: DTZ001
            end=datetime(2022, 1, 1),  # noqa: DTZ001
        )


def test_report_counts(federation, cohort, learner, other_learner, sessions):
    assert selectors.sessions_count(federation, 2021) == 4
    assert selectors.sessions_count(federation, 2022) == 0
    assert selectors.learners_count(federation, 2020) == 0
    assert selectors.learners_count(federation, 2021) == 2
    assert selectors.learners_count(federation, 2022) == 2  # the cohort ends in June 2022
    assert selectors.learners_count(federation, 2023) == 0
