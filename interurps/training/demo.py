"""Demo PACTE programme of Pays de la Loire's InterURPS in 2021 (seed 003, activity report 2021).

From the report:

- the programme: « formation PACTE EHESP » for CPTS coordinators, funded by the ARS
  (« PACTE (ARS) 50K € »), launched « en juin 2021 [...] pour 12 coordinateurs CPTS »
  and due to end « en juin 2022 »;
- the « Lancement auprès des référents CPTS et des apprenants : 23 avril 2021 » and the
  three modules with their dates: « gestion de la structure : 02 et 03 juin 2021 »,
  « prise de fonction : 31 août et 01 septembre 2021 », « projet de santé : 08 et 09
  novembre 2021 »;
- the relay trainers: Anne-Laure Le Ny, who « a suivi la formation nationale PACTE EHESP
  des formateurs relais et l'est devenue en région Pays de la Loire, avec le Dr
  Jean-François Moreul »; Jeanne Boutier, who « a commencé la formation en décembre »;
- Mme Le Ny's path in 2021: « formation formateur relai » on 1 and 13 April, 16-17
  September and 25-26 November; « pause visio » on 2 May, 6 October and 10 November;
  « webinaire module pédagogique EHESP » on 16 December; and the 13 « réunions de
  travail avec le Dr Jean-François MOREUL » (8 January to 8 December).

Illustrative: the 12 learners' names (fictitious) and e-mails, which CPTS each
coordinates (demo CPTS named in the report, linked when they exist), the hours of the
sessions (09:00-17:00 a day, 18:00-19:30 for the launch in videoconference), the
places (not given), the modules' expected hours, which relay trainers animated the
sessions, the attendance, and the last day of the cohort (30 June 2022). The report
does not name the 2022 modules: none is created, so completion is measured on the three
2021 modules.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from interurps.cpts.models import Cpts
from interurps.training import services
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

PARIS = ZoneInfo("Europe/Paris")
PROGRAMME = "PACTE CPTS"
COHORT = "Promotion 2021"
COHORT_SIZE = 12  # report: « pour 12 coordinateurs CPTS »
DAY = (time(9, 0), time(17, 0))

MODULES = [
    # (title, days) — report, « Formation des coordinateurs en 2021 ».
    ("Gestion de la structure", [date(2021, 6, 2), date(2021, 6, 3)]),
    ("Prise de fonction", [date(2021, 8, 31), date(2021, 9, 1)]),
    ("Projet de santé", [date(2021, 11, 8), date(2021, 11, 9)]),
]
LAUNCH = "Lancement auprès des référents CPTS et des apprenants"
LAUNCH_DAY = date(2021, 4, 23)

# (fictitious name, demo CPTS from the report).
LEARNERS = [
    ("Camille Renaud", "CPTS du Grand Saumurois"),
    ("Mathilde Guillou", "CPTS Loire Vendée Océan"),
    ("Antoine Bourdais", "CPTS Plaine et Marais"),
    ("Sophie Chevalier", "CPTS Ancenis"),
    ("Léa Marchand", "CPTS Pays de Retz"),
    ("Nicolas Perrin", "CPTS Sud Loire Vignoble"),
    ("Claire Baudouin", "CPTS Centre Vendée"),
    ("Émilie Fournier", "CPTS Sèvre et Loire"),
    ("Julien Hamon", "CPTS Erdre et Cens"),
    ("Manon Rousseau", "CPTS de Guérande"),
    ("Pauline Jamet", "CPTS du Haut Bocage"),
    ("Hugo Lemaître", "CPTS du Choletais"),
]

LE_NY = "Anne-Laure Le Ny"
MOREUL = "Dr Jean-François Moreul"
BOUTIER = "Jeanne Boutier"
TRAINERS = [
    (LE_NY, "InterURPS Pays de la Loire", "Chargée de mission CPTS", RelayTrainer.Status.QUALIFIED),
    (MOREUL, "", "", RelayTrainer.Status.QUALIFIED),
    (
        BOUTIER,
        "InterURPS Pays de la Loire",
        "Chargée de mission CPTS",
        RelayTrainer.Status.IN_TRAINING,
    ),
]


@dataclass(frozen=True)
class DemoStep:
    kind: str
    title: str
    starts_on: date | None
    ends_on: date | None = None
    status: str = TrainerStep.Status.DONE
    notes: str = ""


K = TrainerStep.Kind
RELAY_TRAINING = "Formation formateur relais"
VISIO = "Pause visio des formateurs relais EHESP"
WORKING_MEETING = "Réunion de travail avec le Dr Jean-François Moreul"
LE_NY_STEPS = [
    DemoStep(K.RELAY_TRAINING, RELAY_TRAINING, date(2021, 4, 1)),
    DemoStep(K.RELAY_TRAINING, RELAY_TRAINING, date(2021, 4, 13)),
    DemoStep(K.VISIO_BREAK, VISIO, date(2021, 5, 2)),
    DemoStep(K.RELAY_TRAINING, RELAY_TRAINING, date(2021, 9, 16), date(2021, 9, 17)),
    DemoStep(K.VISIO_BREAK, VISIO, date(2021, 10, 6)),
    DemoStep(K.VISIO_BREAK, VISIO, date(2021, 11, 10)),
    DemoStep(K.RELAY_TRAINING, RELAY_TRAINING, date(2021, 11, 25), date(2021, 11, 26)),
    DemoStep(K.WEBINAR, "Webinaire module pédagogique EHESP", date(2021, 12, 16)),
] + [
    DemoStep(K.WORKING_MEETING, WORKING_MEETING, day)
    for day in (
        date(2021, 1, 8),
        date(2021, 3, 2),
        date(2021, 3, 26),
        date(2021, 4, 2),
        date(2021, 4, 6),
        date(2021, 4, 9),
        date(2021, 4, 13),
        date(2021, 4, 26),
        date(2021, 5, 21),
        date(2021, 6, 4),
        date(2021, 6, 18),
        date(2021, 10, 15),
        date(2021, 12, 8),
    )
]
MOREUL_STEPS = [
    DemoStep(
        K.NATIONAL_TRAINING,
        "Formation nationale des formateurs relais EHESP",
        None,
        notes="Formateur relais en région avec Mme Le Ny (rapport 2021) ; dates non précisées.",
    )
]
BOUTIER_STEPS = [
    DemoStep(
        K.NATIONAL_TRAINING,
        "Formation nationale des formateurs relais EHESP",
        None,
        status=TrainerStep.Status.PLANNED,
        notes="Commencée en décembre 2021, à poursuivre en 2022 (rapport 2021).",
    )
]
STEPS = {LE_NY: LE_NY_STEPS, MOREUL: MOREUL_STEPS, BOUTIER: BOUTIER_STEPS}

# Illustrative attendance: (learner index, module title) of excused absences on both days
# of a module, and (learner index, module title) absent on the first day only.
MISSED_MODULES = {(4, "Projet de santé"), (9, "Prise de fonction"), (9, "Projet de santé")}
MISSED_FIRST_DAY = {(1, "Gestion de la structure"), (6, "Prise de fonction")}


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def _programme(federation) -> Programme:
    programme = Programme.objects.filter(federation=federation, name=PROGRAMME).first()
    return programme or services.programme_create(
        federation=federation,
        name=PROGRAMME,
        short_name="PACTE",
        operator="EHESP",
        description=(
            "Formation PACTE EHESP des coordinateur·rices de CPTS des Pays de la Loire, "
            "financée par l'ARS et animée par les formateur·rices relais de l'InterURPS."
        ),
    )


def _modules(programme: Programme) -> dict[str, Module]:
    modules = {m.title: m for m in programme.modules.all()}
    for order, (title, _days) in enumerate(MODULES, start=1):
        if title not in modules:
            modules[title] = services.module_create(
                programme=programme, title=title, order=order, expected_hours=Decimal("14")
            )
    return modules


def _trainers(federation) -> dict[str, RelayTrainer]:
    trainers = {t.full_name: t for t in RelayTrainer.objects.filter(federation=federation)}
    for full_name, organisation, job_title, status in TRAINERS:
        trainer = trainers.get(full_name) or services.relay_trainer_create(
            federation=federation,
            full_name=full_name,
            organisation=organisation,
            job_title=job_title,
            status=status,
        )
        trainers[full_name] = trainer
        known = set(trainer.steps.values_list("title", "starts_on"))
        for step in STEPS[full_name]:
            if (step.title, step.starts_on) in known:
                continue
            services.trainer_step_create(
                trainer=trainer,
                kind=step.kind,
                title=step.title,
                starts_on=step.starts_on,
                ends_on=step.ends_on,
                status=step.status,
                notes=step.notes,
            )
    return trainers


def _learners(cohort: Cohort, region) -> list[Learner]:
    existing = {learner.full_name: learner for learner in cohort.learners.all()}
    cpts_by_name = {c.name: c for c in Cpts.objects.filter(region=region)}
    learners = []
    for index, (full_name, cpts_name) in enumerate(LEARNERS, start=1):
        learner = existing.get(full_name) or services.learner_create(
            cohort=cohort,
            full_name=full_name,
            email=f"coordination-{index:02d}@cpts.exemple.fr",
            cpts=cpts_by_name.get(cpts_name),
        )
        learners.append(learner)
    return learners


def _session(cohort: Cohort, starts_at: datetime, ends_at: datetime, trainers, **fields):
    session = Session.objects.filter(cohort=cohort, starts_at=starts_at).first()
    return session or services.session_create(
        cohort=cohort, starts_at=starts_at, ends_at=ends_at, trainers=trainers, **fields
    )


def _status(index: int, module_title: str, day_index: int) -> str:
    if (index, module_title) in MISSED_MODULES:
        return Attendance.Status.EXCUSED
    if day_index == 0 and (index, module_title) in MISSED_FIRST_DAY:
        return Attendance.Status.ABSENT
    return Attendance.Status.PRESENT


@transaction.atomic
def training_demo_load(*, federation) -> Cohort:
    """Create (or complete) the PACTE programme, its 2021 cohort and relay trainers.

    Idempotent: records are found by their names and dates before anything is created,
    and attendance already recorded is left as it is.
    """
    programme = _programme(federation)
    modules = _modules(programme)
    trainers = _trainers(federation)
    cohort = Cohort.objects.filter(programme=programme, name=COHORT).first()
    cohort = cohort or services.cohort_create(
        programme=programme,
        name=COHORT,
        start_date=LAUNCH_DAY,
        end_date=date(2022, 6, 30),
        notes="Formation lancée en juin 2021 pour 12 coordinateur·rices de CPTS ; "
        "fin prévue en juin 2022 (rapport d'activité 2021).",
    )
    learners = _learners(cohort, federation.region)
    animators = [trainers[LE_NY], trainers[MOREUL]]

    _session(
        cohort,
        _at(LAUNCH_DAY, time(18, 0)),
        _at(LAUNCH_DAY, time(19, 30)),
        animators,
        title=LAUNCH,
        place="Visioconférence",
    )
    for title, days in MODULES:
        for day_index, day in enumerate(days):
            session = _session(
                cohort,
                _at(day, DAY[0]),
                _at(day, DAY[1]),
                animators,
                module=modules[title],
                title=f"Jour {day_index + 1}",
            )
            if session.attendances.exists():
                continue
            services.attendance_record(
                session=session,
                statuses={
                    learner: _status(index, title, day_index)
                    for index, learner in enumerate(learners)
                },
            )
    return cohort
