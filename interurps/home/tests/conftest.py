"""A region with something for every role: CPTS late on their missions or waiting for a
step, meetings, events with a waiting list and presences to point, a training session, a
CPOM with an indicator, and a union with elected members in office."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interurps.accounts.models import Role, RoleAssignment
from interurps.activities import services as activities_services
from interurps.cpom import services as cpom_services
from interurps.cpts import rules as cpts_rules
from interurps.cpts import services as cpts_services
from interurps.cpts.models import Cpts, MemberCount, MemberStructure, Mission, StageTransition
from interurps.elections import services as elections_services
from interurps.elections.results_csv import parse_results
from interurps.events import services as events_services
from interurps.events.models import Event
from interurps.geography.models import Department, Region
from interurps.organizations.models import Federation, Partner, Profession, Union
from interurps.training import services as training_services
from tests.factories import UserFactory, user_with_role

PARIS = ZoneInfo("Europe/Paris")

RESULTS = """liste;syndicat;voix;rang;candidat;date_naissance
Liste Soins;Syndicat A;300;1;Anne Aubert;
Liste Soins;Syndicat A;300;2;Alain Arnaud;
Liste Ville;Syndicat B;100;1;Bruno Blanc;
"""


@dataclass
class RegionData:
    region: Region
    federation: Federation
    staff: object
    cpts: Cpts
    waiting_cpts: Cpts
    meeting_title: str
    event_title: str
    session_title: str
    indicator_title: str
    union: Union


def _cpts(name, **fields):
    return Cpts.objects.create(
        name=name,
        region_id="52",
        main_department=Department.objects.get(code="53"),
        **fields,
    )


@pytest.fixture
def region_data(db):
    now = timezone.now()
    today = timezone.localdate()
    region = Region.objects.get(code="52")
    federation = Federation.objects.select_related("region").get(region=region)
    staff = user_with_role(Role.FEDERATION_STAFF)

    # A CPTS that signed its ACI two years ago: of its five core missions, one is deployed
    # and the four others are late to start.
    cpts = _cpts(
        "CPTS du Bocage",
        stage=cpts_rules.Stage.ACI_SIGNED,
        aci_signed_on=today - timedelta(days=730),
    )
    StageTransition.objects.create(
        cpts=cpts, stage=cpts_rules.Stage.ACI_SIGNED, occurred_on=today - timedelta(days=730)
    )
    cpts_services.mission_set(
        cpts=cpts,
        kind="acces_medecin_traitant",
        status=Mission.Status.DEPLOYED,
        started_on=today - timedelta(days=700),
    )
    MemberCount.objects.create(
        cpts=cpts, profession=Profession.objects.get(pk="infirmiers"), count=12
    )
    MemberStructure.objects.create(cpts=cpts, kind="msp", name="MSP du Bocage")
    # A CPTS whose health project waits for the ARS.
    waiting_cpts = _cpts("CPTS des Coëvrons", stage=cpts_rules.Stage.PROJECT_SUBMITTED)
    StageTransition.objects.create(
        cpts=waiting_cpts,
        stage=cpts_rules.Stage.PROJECT_SUBMITTED,
        occurred_on=today - timedelta(days=40),
    )

    kind = activities_services.meeting_kinds_ensure(federation=federation)[0]
    activities_services.meeting_create(
        federation=federation,
        by=staff,
        title="Comité de pilotage du Bocage",
        starts_at=now + timedelta(days=3),
        kind=kind,
        project="cpts",
        cpts=[cpts],
        participant_users=[staff],
    )

    # An event with one place: the second registrant waits.
    day = today + timedelta(days=10)
    event = events_services.event_create(
        federation=federation,
        kind=Event.Kind.SEMINAR,
        title="Séminaire des CPTS",
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=PARIS),
        ends_at=datetime(day.year, day.month, day.day, 17, tzinfo=PARIS),
        capacity=1,
    )
    for n in (1, 2):
        events_services.registration_create(
            event=event, full_name=f"Personne {n}", email=f"p{n}@exemple.fr", cpts=cpts
        )
    # An event under way with a registrant whose presence is not pointed yet.
    running = events_services.event_create(
        federation=federation,
        kind=Event.Kind.WEBINAR,
        title="Webinaire en cours",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    events_services.registration_create(
        event=running, full_name="Claire Dupont", email="claire@exemple.fr"
    )

    programme = training_services.programme_create(federation=federation, name="PACTE")
    cohort = training_services.cohort_create(
        programme=programme, name="Promotion test", start_date=today
    )
    training_services.learner_create(cohort=cohort, full_name="Léa Martin", cpts=cpts)
    training_services.session_create(
        cohort=cohort,
        title="Jour 1",
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=3),
    )

    contract = cpom_services.contract_create(
        federation=federation,
        title="CPOM de test",
        partner=Partner.objects.get(region=region, kind=Partner.Kind.ARS),
        start_year=today.year - 1,
        end_year=today.year + 1,
    )
    theme = cpom_services.theme_create(contract=contract, order=1, title="CPTS")
    objective = cpom_services.objective_create(theme=theme, order=1, title="Couvrir la région")
    indicator = cpom_services.indicator_create(
        objective=objective, title="Coordinateurs formés", unit="personnes", baseline=0
    )
    cpom_services.target_set(indicator=indicator, year=today.year, value=Decimal(10))
    cpom_services.measurement_create(indicator=indicator, measured_on=today, value=Decimal(12))

    union = Union.objects.get(region=region, profession_id="infirmiers")
    election = elections_services.election_create(union=union, held_on=today - timedelta(days=100))
    ballot = election.ballots.get()
    elections_services.ballot_update(
        ballot=ballot, data={"seats_override": 2, "seats_override_reason": "Arrêté"}
    )
    elections_services.ballot_results_replace(ballot=ballot, parsed=parse_results(RESULTS.encode()))
    elections_services.ballot_allocate(ballot=ballot)

    return RegionData(
        region=region,
        federation=federation,
        staff=staff,
        cpts=cpts,
        waiting_cpts=waiting_cpts,
        meeting_title="Comité de pilotage du Bocage",
        event_title="Séminaire des CPTS",
        session_title="Jour 1",
        indicator_title="Coordinateurs formés",
        union=union,
    )


def coordinator_of(cpts):
    assignment = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.CPTS_COORDINATOR, region_id=cpts.region_id, cpts=cpts
    )
    return assignment.user


def union_member_of(union):
    assignment = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.UNION_MEMBER, region_id=union.region_id, union=union
    )
    return assignment.user


def partner_user(region_code="52"):
    return user_with_role(Role.PARTNER, region_code)
