"""The demo region: Pays de la Loire's federation, its unions and one user per role.

People and contact details are fictitious; geography and organisations are real.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from interurps.accounts.models import Role, User
from interurps.accounts.services import role_assign, user_create
from interurps.activities.demo import activities_demo_load
from interurps.cpom.demo import cpom_demo_load
from interurps.cpts.demo import demo_cpts_load
from interurps.cpts.models import Cpts
from interurps.elections.demo import elections_demo_load
from interurps.events.demo import SEMINAR_TITLE, events_demo_load
from interurps.events.models import Event
from interurps.flows.demo import flows_demo_load
from interurps.geography.models import Region
from interurps.governance.demo import governance_demo_load
from interurps.organizations.models import Federation, Partner, Union
from interurps.organizations.services import organizations_create_for_regions
from interurps.professionals.demo import professionals_demo_load
from interurps.professionals.models import Professional
from interurps.reper.demo import reper_demo_load
from interurps.reports.demo import reports_demo_load
from interurps.sas.demo import sas_demo_load
from interurps.sas.regulation.demo import sas_demo_requests_load
from interurps.surveys.demo import surveys_demo_load
from interurps.training.demo import training_demo_load

DEMO_PASSWORD = "demo-InterURPS-2026"
DEMO_DOMAIN = "demo.interurps.fr"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    union_profession: str | None = None
    partner_kind: str | None = None
    cpts_name: str | None = None
    # Health professionals: the registry record they are, a liberal of this profession
    # practising in this commune (INSEE code) of the synthetic demo registry.
    professional_in: tuple[str, str] | None = None


DEMO_ACCOUNTS = [
    DemoAccount(f"admin@{DEMO_DOMAIN}", "Camille", "Administratrice", Role.FEDERATION_ADMIN),
    DemoAccount(f"charge.mission@{DEMO_DOMAIN}", "Julien", "Chargé", Role.FEDERATION_STAFF),
    DemoAccount(f"elu.infirmier@{DEMO_DOMAIN}", "Sophie", "Élue", Role.UNION_MEMBER, "infirmiers"),
    DemoAccount(
        f"coordination.cpts@{DEMO_DOMAIN}",
        "Nadia",
        "Coordinatrice",
        Role.CPTS_COORDINATOR,
        cpts_name="CPTS du Grand Saumurois",
    ),
    DemoAccount(f"ars@{DEMO_DOMAIN}", "Paul", "Partenaire", Role.PARTNER, partner_kind="ars"),
    DemoAccount(
        f"kine@{DEMO_DOMAIN}",
        "Léa",
        "Kinésithérapeute",
        Role.HEALTH_PROFESSIONAL,
        # Saumur, in the Grand Saumurois CPTS (REPER experimentation) of the coordinator.
        professional_in=("masseurs-kinesitherapeutes", "49328"),
    ),
    DemoAccount(f"regulation.sas@{DEMO_DOMAIN}", "Marc", "Régulateur", Role.SAS_REGULATOR),
]


class DemoError(Exception):
    pass


def _demo_professional(account: DemoAccount) -> Professional | None:
    """The registry record of a demo health professional: the first liberal of their
    profession in their commune, else in its department (the registry is synthetic)."""
    if account.professional_in is None:
        return None
    profession, commune_code = account.professional_in
    liberal = Professional.objects.filter(
        profession_id=profession, active=True, sites__mode="liberal"
    ).order_by("identifier")
    return (
        liberal.filter(sites__commune_id=commune_code).first()
        or liberal.filter(sites__commune__department_id=commune_code[:2]).first()
    )


@transaction.atomic
def demo_load(*, region_code: str | None = None) -> tuple[Federation, list[DemoAccount]]:
    """Create (or complete) the demo region and its accounts. Idempotent."""
    region_code = region_code or settings.DEMO_REGION_CODE
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise DemoError(
            f"La région {region_code} est absente : lancez d'abord « manage.py import_geography »."
        )
    organizations_create_for_regions(regions=[region])
    federation = Federation.objects.get(region=region)
    if not federation.email:
        federation.email = f"contact@{DEMO_DOMAIN}"
        federation.phone = "02 00 00 00 00"
        federation.address = "Adresse de démonstration\n44000 Nantes"
        federation.save()
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = user_create(
                email=account.email,
                password=DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
            )
        union = (
            Union.objects.get(region=region, profession_id=account.union_profession)
            if account.union_profession
            else None
        )
        partner = (
            Partner.objects.get(region=region, kind=account.partner_kind)
            if account.partner_kind
            else None
        )
        users[account.email] = (user, union, partner)
    demo_cpts_load(region=region, staff_user=users[f"charge.mission@{DEMO_DOMAIN}"][0])
    professionals_demo_load(region=region)
    governance_demo_load(federation=federation)
    training_demo_load(federation=federation)
    events_demo_load(federation=federation)
    cpom_demo_load()
    reports_demo_load(federation=federation)
    activities_demo_load(
        federation=federation, staff_user=users[f"charge.mission@{DEMO_DOMAIN}"][0]
    )
    elections_demo_load(union=Union.objects.get(region=region, profession_id="infirmiers"))
    for account in DEMO_ACCOUNTS:
        user, union, partner = users[account.email]
        cpts = Cpts.objects.filter(region=region, name=account.cpts_name).first()
        role_assign(
            user=user,
            role=account.role,
            region=region,
            union=union,
            partner=partner,
            cpts=cpts,
            professional=_demo_professional(account),
        )
    # REPER: the four experimentation CPTS, their people; the demo physiotherapist
    # (Saumur, Grand Saumurois) follows some of them.
    reper_demo_load(region=region, demo_professional=_demo_professional(DEMO_ACCOUNTS[5]))
    # SAS, after the roles (the demo health professional becomes an effector too): the
    # effectors and their slots, then the regulators' care requests booked in them.
    sas_demo_load(region=region)
    flows_demo_load(region=region)
    sas_demo_requests_load(region=region, regulator=users[f"regulation.sas@{DEMO_DOMAIN}"][0])
    # Surveys: the unscheduled-care questionnaire with its answers, the seminar's satisfaction.
    surveys_demo_load(
        federation=federation,
        staff_user=users[f"charge.mission@{DEMO_DOMAIN}"][0],
        event=Event.objects.filter(federation=federation, topic=SEMINAR_TITLE).first(),
    )
    return federation, DEMO_ACCOUNTS
