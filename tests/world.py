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

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from interurps.accounts.models import (
    AccessRequest,
    ProSanteConnectLink,
    Role,
    RoleAssignment,
    User,
)
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
from interurps.jobs.models import Job
from interurps.organizations.models import Federation, Partner, Union
from interurps.professionals.models import PracticeSite, Professional
from interurps.reper import services as reper_services
from interurps.reports.models import ReportTexts
from interurps.sas import models as sas_models
from interurps.sas import services as sas_services
from interurps.sas.booking import appointment_book
from interurps.sas.models import (
    Appointment,
    CareRequest,
    Effector,
    ParticipationMode,
    Site,
    Slot,
    StructureKind,
)
from interurps.surveys import services as survey_services
from interurps.surveys.models import Invitation
from interurps.training import services as training_services
from interurps.training.models import TrainerStep

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "mot-de-passe-du-monde"

# (region, department, commune) of the two regions: Pays de la Loire and Île-de-France
# (the test database's small geography holds their communes).
REGIONS = {"52": ("44", "44109"), "11": ("75", "75056")}
# A step-1 screening positive in mobility only (3 rises out of 5).
REPER_ANSWERS = {
    "cognition": {"orientation_time": True, "orientation_place": True, "words_recalled": 3},
    "mobility": {"chair_rises_completed": 3, "chair_rise_seconds": None},
    "nutrition": {"weight_loss_over_3kg_3_months": False, "appetite_loss": False},
    "vision": {"eye_problems": False},
    "hearing": {"whisper_test_passed": True},
    "mood": {"feeling_down": False, "little_interest": False},
}


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
    # REPER: the world's CPTS runs the programme; a person of its commune, followed by the
    # world's professional, screened (positive in mobility: an assessment to do), with a
    # care plan and one intervention.
    reper_services.programme_cpts_add(cpts=cpts, since=date(2022, 1, 1))
    person = reper_services.person_create(
        cpts=cpts,
        professional=professional,
        birth_year=1950,
        sex="F",
        commune=world.commune,
        consent_on=date(2023, 1, 10),
        consent_scope="follow_up_evaluation",
        last_name="Personne-du-monde",
        first_name=code,
    )
    named["reper_person"] = person
    named["reper_follow_up"] = person.follow_ups.get()
    named["reper_screening"] = reper_services.screening_record(
        person=person,
        professional=professional,
        screened_on=date(2023, 1, 10),
        answers=REPER_ANSWERS,
    )
    named["reper_assessment"] = named["reper_screening"].assessments.get()
    named["reper_plan"] = reper_services.plan_create(
        person=person, created_by=professional, created_on=date(2023, 2, 1), goals="Marcher."
    )
    named["reper_plan_action"] = reper_services.plan_action_add(
        plan=named["reper_plan"], description="Kinésithérapie", responsible=professional
    )
    # --- SAS indicators (sas-indicators helper) ---------------------------------------
    # The health professional's own effector (get_or_create: the SAS entry helper may
    # already have created the world's effector), a shared slot booked for a care request,
    # for the indicators and the effector's monthly statement.
    sas_effector, _ = Effector.objects.get_or_create(
        professional=professional,
        defaults={
            "region": region,
            "participation_mode": ParticipationMode.INDIVIDUAL,
            "statement_signed_on": date(2026, 1, 5),
        },
    )
    named.setdefault("sas_effector", sas_effector)
    sas_site = sas_effector.sites.first() or Site.objects.create(
        effector=sas_effector,
        name="Cabinet du monde",
        commune=world.commune,
        latitude=world.commune.latitude or 47.2,
        longitude=world.commune.longitude or -1.55,
    )
    sas_start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    sas_slot = Slot.objects.create(
        effector=sas_effector,
        site=sas_site,
        start=sas_start,
        end=sas_start + timedelta(hours=2),
        shared=True,
        booked=1,
    )
    sas_request = CareRequest.objects.create(
        region=region,
        called_at=sas_start - timedelta(hours=3),
        commune=world.commune,
        age_band=CareRequest.AgeBand.ADULT,
        reason=CareRequest.Reason.FEVER,
        outcome=CareRequest.Outcome.BOOKED,
    )
    Appointment.objects.create(
        identifier=f"sas-monde-indicateurs-{code}",
        effector=sas_effector,
        slot=sas_slot,
        care_request=sas_request,
        start=sas_start,
        end=sas_start + timedelta(minutes=20),
    )
    # --- end of the SAS indicators block -----------------------------------------------

    # --- Pro Santé Connect: a pending access request of a professional unknown to the
    # registry (the federation staff's list), and the health professional's RPPS link.
    named["job"] = _job(world)
    named["access_request"] = AccessRequest.objects.create(
        rpps=f"8100000{code}99",
        last_name="Inconnue",
        email=f"inconnue-{code}@monde.fr",
        region=region,
    )
    ProSanteConnectLink.objects.create(
        user=world.users[Role.HEALTH_PROFESSIONAL], rpps=professional.identifier
    )

    _sas_regulation_world(world, named)
    _surveys_world(world, named, staff_user)
    _flows_world(world, named)
    for record in list(named.values()) + [region, federation, union, partner, world.commune]:
        if record is not None and hasattr(record, "_meta"):
            world.objects.setdefault(type(record), record)
    world.objects[Department] = world.department
    world.objects[User] = world.users[Role.HEALTH_PROFESSIONAL]
    return world


# --- SAS regulation (the regulation helper's block) -------------------------------------


def _job(world: RegionWorld) -> Job:
    """A finished background job of the region, with its result file."""
    job = Job.objects.create(
        kind="report_pdf",
        region=world.region,
        started_by=world.users[Role.FEDERATION_STAFF],
        state=Job.State.DONE,
        params={"year": 2021},
        result={"summary": "PDF prêt.", "counts": {}, "errors": []},
        log="10:00:00 Démarrage",
    )
    job.result_file.save("rapport.pdf", ContentFile(b"%PDF-1.4 monde"), save=True)
    return job


def _sas_regulation_world(world: RegionWorld, named: dict) -> None:
    """A care request of the region booked in a shared slot, with a second free slot.

    The effector, its site and a slot are created only when the SAS effectors' block has
    not already made them (keys `sas_effector`, `sas_site`, `sas_slot`): both blocks can
    coexist in either order.
    """
    region = world.region
    professional = named["professional"]
    effector = (
        named.get("sas_effector")
        or sas_models.Effector.objects.get_or_create(
            professional=professional,
            defaults={
                "region": region,
                "participation_mode": sas_models.ParticipationMode.INDIVIDUAL,
                "statement_signed_on": date(2025, 1, 6),
                "accepts_extra_patients": True,
            },
        )[0]
    )
    named.setdefault("sas_effector", effector)
    site = named.get("sas_site") or effector.sites.first()
    if site is None:
        site = sas_models.Site.objects.create(
            effector=effector,
            name="Cabinet du monde",
            commune=world.commune,
            latitude=world.commune.latitude or 47.0,
            longitude=world.commune.longitude or -1.5,
        )
    named.setdefault("sas_site", site)
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, tzinfo=PARIS)
    # Two places: one booked for the world's care request, one left free for the search.
    slot = sas_models.Slot.objects.create(
        effector=effector,
        site=site,
        start=start,
        end=start + timedelta(minutes=30),
        capacity=2,
        shared=True,
    )
    named.setdefault("sas_slot", slot)
    named["sas_regulation_slot"] = slot
    care_request = sas_models.CareRequest.objects.create(
        region=region,
        regulator=world.users[Role.SAS_REGULATOR],
        called_at=timezone.now() - timedelta(minutes=30),
        commune=world.commune,
        age_band=sas_models.CareRequest.AgeBand.ADULT,
        reason=sas_models.CareRequest.Reason.FEVER,
    )
    named["sas_care_request"] = care_request
    named["sas_appointment"] = appointment_book(
        slot=slot, care_request=care_request, booked_by=world.users[Role.SAS_REGULATOR]
    )


# --- surveys ----------------------------------------------------------------------------


def _surveys_world(world: RegionWorld, named: dict, staff_user) -> None:
    """A published satisfaction survey of the world's event, answered through its public
    link, its results shared with the region's partner and the elected members, and one
    person invited who has not answered yet."""
    survey = survey_services.survey_create(
        federation=world.federation,
        title="Enquête du monde",
        by=staff_user,
        template="satisfaction",
        distribution="public",
        event=named["event"],
    )
    survey_services.survey_update(
        survey=survey,
        data={"shared_with_union_members": True},
        shared_with_partners=[world.partner],
    )
    survey_services.survey_set_status(survey=survey, status="publiee")
    survey_services.answers_save(
        survey=survey, raw={"satisfaction": "4", "recommande": "oui"}, final=True
    )
    named["survey"] = survey
    named["survey_invitation"] = Invitation.objects.create(
        survey=survey,
        email=f"invite-{world.region.code}@monde.fr",
        full_name="Invitée du monde",
        source=Invitation.Source.CSV,
    )


# --- patient flows (the flows helper's block) ---------------------------------------------


def _flows_world(world: RegionWorld, named: dict) -> None:
    """A flow set of the region (two flows around the world's commune) and a proposal over
    the world's department (one method: the sweep only needs its pages)."""
    from interurps.flows import services as flow_services
    from interurps.flows.models import FlowSet

    flow_set = FlowSet.objects.create(
        region=world.region, name="Flux du monde", source="Monde", year=2024, synthetic=True
    )
    code = world.commune.code
    flow_services._store(flow_set, {(code, code, ""): 100})
    named["flow_set"] = flow_set
    named["territory_proposal"] = flow_services.proposal_create(
        flow_set=flow_set,
        request=flow_services.ProposalRequest(
            scope="department",
            area_code=world.department.code,
            methods=("plurality",),
            keep_cpts=False,
        ),
        by=world.users[Role.FEDERATION_STAFF],
    )[0]
    named["proposed_territory"] = named["territory_proposal"].territories.order_by("number")[0]
