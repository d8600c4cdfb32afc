"""Writes for training programmes, cohorts, learners, sessions, attendance and relay trainers.

Every write validates the record (`full_clean`) and the rules that span several records
(a session's trainers, attendance per cohort) inside one transaction: nothing is written
when a rule fails.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from interurps.training.models import (
    Attendance,
    Cohort,
    Learner,
    Module,
    Programme,
    RelayTrainer,
    Session,
    TrainerStep,
)

PROGRAMME_FIELDS = ("name", "short_name", "operator", "description")
MODULE_FIELDS = ("order", "title", "expected_hours", "description")
COHORT_FIELDS = ("name", "start_date", "end_date", "notes")
LEARNER_FIELDS = ("full_name", "email", "cpts", "user")
SESSION_FIELDS = ("module", "title", "starts_at", "ends_at", "place", "video_link", "notes")
TRAINER_FIELDS = ("full_name", "organisation", "job_title", "status", "user")
STEP_FIELDS = ("kind", "title", "starts_on", "ends_on", "status", "notes")


def _save(record):
    record.full_clean()
    record.save()
    return record


def _update(record, data: dict, fields: tuple[str, ...]):
    for name in fields:
        if name in data:
            setattr(record, name, data[name])
    return _save(record)


# --- programmes, modules, cohorts ----------------------------------------------------


@transaction.atomic
def programme_create(*, federation, name: str, **fields) -> Programme:
    return _save(Programme(federation=federation, name=name.strip(), **fields))


@transaction.atomic
def programme_update(*, programme: Programme, data: dict) -> Programme:
    return _update(programme, data, PROGRAMME_FIELDS)


@transaction.atomic
def module_create(*, programme: Programme, title: str, order: int | None = None, **fields):
    """Add a module; without an order, it comes after the programme's last module."""
    if order is None:
        last = programme.modules.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    return _save(Module(programme=programme, title=title.strip(), order=order, **fields))


@transaction.atomic
def module_update(*, module: Module, data: dict) -> Module:
    return _update(module, data, MODULE_FIELDS)


@transaction.atomic
def cohort_create(*, programme: Programme, name: str, start_date, **fields) -> Cohort:
    return _save(Cohort(programme=programme, name=name.strip(), start_date=start_date, **fields))


@transaction.atomic
def cohort_update(*, cohort: Cohort, data: dict) -> Cohort:
    return _update(cohort, data, COHORT_FIELDS)


# --- learners ------------------------------------------------------------------------


@transaction.atomic
def learner_create(*, cohort: Cohort, full_name: str, **fields) -> Learner:
    """Enrol a learner; their CPTS, when given, must be in the federation's region."""
    return _save(Learner(cohort=cohort, full_name=full_name.strip(), **fields))


@transaction.atomic
def learner_update(*, learner: Learner, data: dict) -> Learner:
    return _update(learner, data, LEARNER_FIELDS)


# --- sessions and attendance ---------------------------------------------------------


def _set_trainers(session: Session, trainers) -> None:
    trainers = list(trainers)
    federation_id = session.cohort.programme.federation_id
    strangers = [t.full_name for t in trainers if t.federation_id != federation_id]
    if strangers:
        raise ValidationError(
            {
                "trainers": "Les formateur·rices doivent être ceux de la fédération ("
                + ", ".join(strangers)
                + " ne le sont pas)."
            }
        )
    session.trainers.set(trainers)


@transaction.atomic
def session_create(
    *, cohort: Cohort, starts_at: datetime, ends_at: datetime, trainers=(), **fields
) -> Session:
    """Schedule a session: it ends after it starts, and its module is one of the programme's."""
    session = _save(Session(cohort=cohort, starts_at=starts_at, ends_at=ends_at, **fields))
    _set_trainers(session, trainers)
    return session


@transaction.atomic
def session_update(*, session: Session, data: dict) -> Session:
    _update(session, data, SESSION_FIELDS)
    if "trainers" in data:
        _set_trainers(session, data["trainers"])
    return session


@transaction.atomic
def attendance_record(*, session: Session, statuses: dict[Learner, str | None]) -> None:
    """Record each given learner's attendance at the session; None clears it.

    Only the learners of the session's cohort can be recorded; learners left out of
    `statuses` keep what was recorded for them.
    """
    existing = {a.learner_id: a for a in session.attendances.all()}
    errors = []
    for learner, status in statuses.items():
        if learner.cohort_id != session.cohort_id:
            errors.append(
                f"{learner.full_name} n'est pas apprenant·e de la cohorte de cette séance."
            )
            continue
        record = existing.get(learner.pk)
        if not status:
            if record is not None:
                record.delete()
            continue
        record = record or Attendance(session=session, learner=learner)
        record.status = status
        try:
            _save(record)
        except ValidationError as error:
            errors += [f"{learner.full_name} : {m}" for m in error.messages]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def attendance_set(*, session: Session, learner: Learner, status: str) -> Attendance:
    attendance_record(session=session, statuses={learner: status})
    return session.attendances.get(learner=learner)


# --- relay trainers ------------------------------------------------------------------


@transaction.atomic
def relay_trainer_create(*, federation, full_name: str, **fields) -> RelayTrainer:
    return _save(RelayTrainer(federation=federation, full_name=full_name.strip(), **fields))


@transaction.atomic
def relay_trainer_update(*, trainer: RelayTrainer, data: dict) -> RelayTrainer:
    return _update(trainer, data, TRAINER_FIELDS)


@transaction.atomic
def trainer_step_create(*, trainer: RelayTrainer, kind: str, title: str, **fields) -> TrainerStep:
    """Add a step to a relay trainer's path; a step still to come cannot be marked done."""
    return _save(TrainerStep(trainer=trainer, kind=kind, title=title.strip(), **fields))


@transaction.atomic
def trainer_step_update(*, step: TrainerStep, data: dict) -> TrainerStep:
    return _update(step, data, STEP_FIELDS)
