"""A small but complete world in two regions, for tests that go through every URL.

`build_region(code)` creates, through the services where they hold rules, one record of
every kind a URL can name: the federation's CPTS, an election with mandates, a body with a
meeting and a decision, staff, an internal meeting with an attachment, an event with a
registration, a training programme with a cohort, a learner and a session, a relay
trainer, a CPOM with an indicator and a funding line with a spending, a professional, the
report's texts, an SAS effector (the professional, through the CPTS) with a site and a
shared rota slot, and one account per role. Everything is fictitious but real in shape.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from interurps.accounts.models import Role, RoleAssignment, User
from interurps.accounts.services import role_assign
from interurps.activities import services as activity_services
from interurps.cpom import services as cpom_services
from interurps.cpom.models import Indicator
from interurps.cpts import services as cpts_services
from interurps.cpts.models import MemberStructure
from interurps.elections import services as election_services
from interurps.elections.demo import elections_demo_load
from interurps.events import services as event_services
from interurps.events.models import Event, Registration
from interurps.geography.models import Commune, Department, Region
from interurps.governance import services as governance_services
from interurps.governance.models import Body
from interurps.organizations.models import Federation, Partner, Union
from interurps.professionals.models import PracticeSite, Professional
from interurps.reports.models import ReportTexts
from interurps.sas import services as sas_services
from interurps.sas.models import ParticipationMode, StructureKind
from interurps.training import services as training_services
from interurps.training.models import TrainerStep

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "mot-de-passe-du-monde"

# (region, department, commune) of the two regions: Pays de la Loire and Île-de-France
# (the test database's small geography holds their communes).
REGIONS = {"52": ("44", "44109"), "11": ("75", "75056")}


@dataclass
class RegionWorld:
    region: Region
    department: Department
    commune: Commune
    federation: Federation
    union: Union
    partner: Partner
    users: dict[str, User] = field(default_factory=dict)  # role → account
    objects: dict = field(default_factory=dict)  # model class → one record of the region

    def __getattr__(self, name):
        try:
            return self.__dict__["named"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _user(email: str, **fields) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


def build_region(code: str) -> RegionWorld:
    department_code, commune_code = REGIONS[code]
    region = Region.objects.get(code=code)
    federation = Federation.objects.select_related("region").get(region=region)
    union = Union.objects.get(region=region, profession_id="infirmiers")
    partner = Partner.objects.get(region=region, kind=Partner.Kind.ARS)
    world = RegionWorld(
        region=region,
        department=Department.objects.get(code=department_code),
        commune=Commune.objects.get(code=commune_code),
        federation=federation,
        union=union,
        partner=partner,
    )
    named = {}
    world.__dict__["named"] = named

    staff_user = _user(f"staff-{code}@monde.fr", first_name="Chargé", last_name=code)
    role_assign(user=staff_user, role=Role.FEDERATION_STAFF, region=region)

    # CPTS, with a territory, a member structure and its first stage.
    cpts = cpts_services.cpts_create(
        region=region,
        name=f"CPTS du monde {code}",
        main_department=world.department,
        by=staff_user,
        started_on=date(2021, 1, 4),
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=[commune_code])
    named["cpts"] = cpts
    named["structure"] = MemberStructure.objects.create(
        cpts=cpts, kind=MemberStructure.Kind.MSP, name="MSP du monde"
    )
    named["transition"] = cpts.transitions.first()

    # Professionals registry.
    professional = Professional.objects.create(
        identifier=f"1000000{code}00",
        identifier_kind="rpps",
        source="annuaire",
        profession_id="medecins",
        last_name="Monde",
        first_name=code,
        search_name=f"monde {code}",
        active=True,
    )
    PracticeSite.objects.create(professional=professional, commune=world.commune, mode="liberal")
    named["professional"] = professional

    # One account per role (the coordinator coordinates the world's CPTS).
    for role in Role.values:
        if role == Role.FEDERATION_STAFF:
            user = staff_user
        else:
            user = _user(f"{role}-{code}@monde.fr", first_name=role, last_name=code)
            role_assign(
                user=user,
                role=role,
                region=region,
                union=union if role == Role.UNION_MEMBER else None,
                partner=partner if role == Role.PARTNER else None,
                cpts=cpts if role == Role.CPTS_COORDINATOR else None,
                professional=professional if role == Role.HEALTH_PROFESSIONAL else None,
            )
        if role == Role.FEDERATION_ADMIN:
            user.is_staff = True
            user.save()
        world.users[role] = user
    named["assignment"] = RoleAssignment.objects.filter(region=region).first()
    named["epci"] = world.commune.epci

    # Elections: the demo election of the nurses' union (results, seats, mandates, offices).
    election = elections_demo_load(union=union)
    named["election"] = election
    named["ballot"] = election.ballots.get()
    named["mandate"] = named["ballot"].mandates.order_by("pk").last()
    named["designation"] = election_services.designation_create(
        union=Union.objects.get(region=region, profession_id="sages-femmes"),
        designated_on=date(2021, 4, 7),
    )

    # Governance: a body, a member, staff, a meeting with a decision.
    body = governance_services.body_create(
        federation=federation, kind=Body.Kind.BOARD, name="Conseil d'administration"
    )
    named["body"] = body
    named["body_member"] = governance_services.body_member_create(
        body=body, full_name="Membre du monde", union=union, start_date=date(2020, 1, 1)
    )
    named["staff_member"] = governance_services.staff_member_create(
        federation=federation,
        full_name="Salariée du monde",
        job_title="Chargée de mission",
        start_date=date(2020, 1, 1),
    )
    named["gov_meeting"] = governance_services.meeting_create(
        body=body, held_at=datetime(2021, 3, 23, 18, 30, tzinfo=PARIS)
    )
    named["decision"] = governance_services.decision_create(
        meeting=named["gov_meeting"], title="Budget prévisionnel"
    )

    # Activities: an internal meeting with an attachment; the staff member's feed.
    kinds = activity_services.meeting_kinds_ensure(federation=federation)
    named["meeting_kind"] = kinds[0]
    meeting = activity_services.meeting_create(
        federation=federation,
        by=staff_user,
        title="Réunion interne du monde",
        starts_at=timezone.now() - timedelta(days=2),
        kind=kinds[0],
        project="cpts",
        minutes="Compte rendu confidentiel.",
        participant_users=[staff_user],
    )
    named["meeting"] = meeting
    named["attachment"] = activity_services.attachment_add(
        meeting=meeting,
        uploaded_file=SimpleUploadedFile("compte-rendu.txt", b"Confidentiel"),
        by=staff_user,
    )
    named["user_feed"] = activity_services.calendar_feed_for(user=staff_user)

    # Events: an event with its programme, a speaker and an attended registration of the
    # health professional (their own certificate).
    day = timezone.localdate() + timedelta(days=10)
    event = event_services.event_create(
        federation=federation,
        kind=Event.Kind.SEMINAR,
        title="Séminaire du monde",
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=PARIS),
        ends_at=datetime(day.year, day.month, day.day, 17, tzinfo=PARIS),
        capacity=50,
    )
    named["event"] = event
    named["programme_item"] = event_services.programme_item_create(event=event, title="Ouverture")
    named["speaker"] = event_services.speaker_create(
        programme_item=named["programme_item"], full_name="Intervenante du monde"
    )
    registration = event_services.registration_create(
        event=event,
        full_name="Professionnelle inscrite",
        email=f"inscrite-{code}@monde.fr",
        user=world.users[Role.HEALTH_PROFESSIONAL],
    )
    Registration.objects.filter(pk=registration.pk).update(
        attended=True, checked_in_at=timezone.now(), certificate_number=f"{code}-0001"
    )
    registration.refresh_from_db()
    named["registration"] = registration
    named["cancel_token"] = event_services.registration_cancel_token(registration)

    # Training: programme, module, cohort, learner (of the world's CPTS), session, trainer.
    programme = training_services.programme_create(
        federation=federation, name="PACTE du monde", short_name="PACTE", operator="EHESP"
    )
    named["programme"] = programme
    named["module"] = training_services.module_create(
        programme=programme, title="Prise de fonction", expected_hours=14
    )
    cohort = training_services.cohort_create(
        programme=programme, name="Promotion du monde", start_date=date(2021, 4, 23)
    )
    named["cohort"] = cohort
    named["learner"] = training_services.learner_create(
        cohort=cohort, full_name="Apprenante du monde", email="apprenante@monde.fr", cpts=cpts
    )
    named["session"] = training_services.session_create(
        cohort=cohort,
        module=named["module"],
        starts_at=datetime(2021, 6, 2, 9, tzinfo=PARIS),
        ends_at=datetime(2021, 6, 2, 17, tzinfo=PARIS),
        place="Salle du monde",
    )
    trainer = training_services.relay_trainer_create(
        federation=federation, full_name="Formatrice du monde"
    )
    named["trainer"] = trainer
    named["trainer_step"] = training_services.trainer_step_create(
        trainer=trainer, kind=TrainerStep.Kind.WEBINAR, title="Webinaire du monde"
    )

    # CPOM: contract, theme, objective, action, indicator, funding line and spending.
    contract = cpom_services.contract_create(
        federation=federation,
        title="CPOM du monde",
        partner=partner,
        start_year=2024,
        end_year=2026,
    )
    named["contract"] = contract
    named["theme"] = cpom_services.theme_create(contract=contract, order=1, title="CPTS")
    named["objective"] = cpom_services.objective_create(
        theme=named["theme"], order=1, title="Couvrir la région"
    )
    named["action"] = cpom_services.action_create(
        objective=named["objective"], title="Accompagner les CPTS"
    )
    named["indicator"] = cpom_services.indicator_create(
        objective=named["objective"], title="Professionnels formés", unit="professionnels"
    )
    assert named["indicator"].computation == Indicator.MANUAL
    line = cpom_services.funding_line_create(
        federation=federation,
        contract=contract,
        year=2024,
        source="ars_fir",
        label="Dotation FIR",
        amount=Decimal("100000"),
    )
    named["funding_line"] = line
    named["spending"] = cpom_services.spending_create(
        funding_line=line, spent_on=date(2024, 3, 1), amount=Decimal("1000"), label="Salaires"
    )
    named["report_texts"] = ReportTexts.objects.create(
        federation=federation, year=2021, presidents_word="Le mot du monde."
    )
    # SAS: the world's professional is an effector taking part through the world's CPTS
    # (a structure of kind CPTS), with a site and a shared slot of the CPTS's rota.
    cpts_structure = sas_services.structure_create(
        region=region, kind=StructureKind.CPTS, name=cpts.name, cpts=cpts
    )
    effector = sas_services.effector_enrol_professional(
        region=region,
        professional=professional,
        participation_mode=ParticipationMode.CPTS,
        through=cpts_structure,
        statement_signed_on=date(2024, 1, 8),
        commune=world.commune,
        site_name="Cabinet du monde",
    )
    named["sas_effector"] = effector
    named["sas_site"] = effector.sites.get()
    slot_day = timezone.localdate() + timedelta(days=3)
    named["sas_slot"] = sas_services.slot_create(
        effector=effector,
        spec=sas_services.rota_spec(named["sas_site"], shared=True),
        start=sas_services.local_datetime(slot_day, time(18)),
        end=sas_services.local_datetime(slot_day, time(20)),
        rota_cpts=cpts,
    )
    for record in list(named.values()) + [region, federation, union, partner, world.commune]:
        if record is not None and hasattr(record, "_meta"):
            world.objects.setdefault(type(record), record)
    world.objects[Department] = world.department
    world.objects[User] = world.users[Role.HEALTH_PROFESSIONAL]
    return world
