"""Demo data of the SAS effectors' side, in Loire-Atlantique (44, the national pilot) and
Sarthe (72) (seed 003), plus the demo health professional and their CPTS.

Every effector is drawn from the synthetic demo registry (liberal general practitioners):
no real person. Structures: an SOS Médecins association in Nantes, an MSP in Sarthe, the
SAS structures of two demo CPTS of Loire-Atlantique (the demo CPTS of `cpts/demo.py` has
none in Sarthe) and the demo coordinator's CPTS (Grand Saumurois). Statements are signed
(a few are not), three effectors are suspended, about one in six shares less than 2 hours
a week; the two CPTS of Loire-Atlantique and the Grand Saumurois run a rota. Slots cover
the 4 past weeks and the 3 coming ones around today (dates relative to
`timezone.localdate()`, draws seeded), most shared.

Idempotent: when the region already has effectors, nothing happens.
"""

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from interurps.accounts.models import Role, RoleAssignment
from interurps.analytics import sas_slots
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune
from interurps.professionals.models import PracticeSite, Professional
from interurps.sas import services
from interurps.sas.models import (
    ConsultationType,
    Effector,
    ParticipationMode,
    Slot,
    Structure,
    StructureKind,
)

DEMO_SEED = 3
DEPARTMENTS = {"44": 36, "72": 24}  # department → number of GP effectors
DEMO_CPTS = ["CPTS Pays de Retz", "CPTS Sud Loire Vignoble", "CPTS du Grand Saumurois"]
SOS_MEDECINS = ("SOS Médecins Nantes", "44109", "44")
MSP = ("MSP du Pays sabolien (fictive)", "72264", "72")
PAST_WEEKS, COMING_WEEKS = 4, 3
SHARED_SHARE = 0.96
CPTS_MEMBERS = 14  # GPs of Loire-Atlantique drawn from the two CPTS' territories
BELOW_SHARE = 0.16
SUSPENDED = 3

# Weekly patterns (weekday, start, end) of an effector's own slots; none overlaps the rota
# shifts below.
PATTERNS = [
    [(0, time(18), time(20)), (3, time(12), time(13))],
    [(1, time(12), time(14, 30))],
    [(2, time(17), time(19)), (5, time(9), time(11))],
    [(4, time(18), time(20)), (1, time(8), time(9))],
    [(5, time(9), time(12))],
]
BELOW_PATTERNS = [[(2, time(12), time(13))], [(0, time(18), time(19, 30))]]
ROTA_SHIFTS = [(6, time(9), time(13)), (6, time(14), time(18)), (2, time(20), time(22))]


def _commune(code: str, department: str):
    return (
        Commune.objects.filter(code=code).first()
        or Commune.objects.filter(department_id=department, kind=Commune.Kind.COMMUNE)
        .order_by("-population")
        .first()
    )


def _gps(department: str):
    return (
        Professional.objects.filter(
            profession_id="medecins",
            specialty="Médecine générale",
            active=True,
            sites__mode="liberal",
            sites__commune__department_id=department,
        )
        .distinct()
        .order_by("identifier")
    )


def _first_liberal_commune(professional, department: str | None = None):
    sites = professional.sites.filter(mode="liberal", commune__isnull=False)
    if department:
        sites = sites.filter(commune__department_id=department)
    site = sites.select_related("commune").order_by("pk").first()
    return site.commune if site else None


def _slot(effector, site, day, start, end, *, shared, rota_cpts=None, home=False, capacity=1):
    return Slot(
        effector=effector,
        site=site,
        start=services.local_datetime(day, start),
        end=services.local_datetime(day, end),
        consultation_type=ConsultationType.HOME if home else ConsultationType.OFFICE,
        type_snp=True,
        type_cpts=rota_cpts is not None,
        type_public=rota_cpts is None and not home,
        capacity=capacity,
        shared=shared,
        rota_cpts=rota_cpts,
        source=Slot.Source.ROTA if rota_cpts is not None else Slot.Source.REPEAT,
    )


def _mondays():
    monday = sas_slots.week_start(timezone.localdate())
    return [monday + timedelta(weeks=n) for n in range(-PAST_WEEKS, COMING_WEEKS + 1)]


@transaction.atomic
def sas_demo_load(*, region) -> int:
    """Create the demo effectors, structures, rota and slots; returns the effectors
    created (0 when the region already has some)."""
    if Effector.objects.filter(region=region).exists():
        return 0
    rng = random.Random(DEMO_SEED)
    today = timezone.localdate()
    cpts_structures = {}
    for name in DEMO_CPTS:
        cpts = Cpts.objects.filter(region=region, name=name).first()
        if cpts is not None:
            cpts_structures[cpts.pk] = (
                cpts,
                Structure.objects.filter(cpts=cpts).first()
                or services.structure_create(
                    region=region, kind=StructureKind.CPTS, name=cpts.name, cpts=cpts
                ),
            )
    territory = {
        code: cpts_pk
        for cpts_pk, (cpts, _) in cpts_structures.items()
        for code in cpts.communes.values_list("code", flat=True)
    }
    name, code, department = SOS_MEDECINS
    sos_commune = _commune(code, department)
    sos = services.effector_enrol_structure(
        region=region,
        kind=StructureKind.SOS_MEDECINS,
        name=name,
        statement_signed_on=today - timedelta(days=400),
        accepts_extra_patients=True,
        commune=sos_commune,
        site_name="Centre de consultations SOS Médecins",
    )
    name, code, department = MSP
    msp = services.effector_enrol_structure(
        region=region,
        kind=StructureKind.MSP,
        name=name,
        statement_signed_on=today - timedelta(days=300),
        commune=_commune(code, department),
        site_name=name,
    )

    effectors = []
    sos_members = msp_members = 0
    for department, wanted in DEPARTMENTS.items():
        candidates = list(_gps(department))
        first_commune = {}
        for professional_id, commune_code in (
            PracticeSite.objects.filter(
                professional__profession_id="medecins",
                mode="liberal",
                commune__department_id=department,
            )
            .order_by("pk")
            .values_list("professional_id", "commune_id")
        ):
            first_commune.setdefault(professional_id, commune_code)
        inside = [p for p in candidates if first_commune.get(p.pk) in territory]
        drawn = rng.sample(inside, min(CPTS_MEMBERS, len(inside)))
        others = [p for p in candidates if p not in drawn]
        drawn += rng.sample(others, min(wanted - len(drawn), len(others)))
        for professional in drawn:
            commune = _first_liberal_commune(professional, department)
            if commune is None:
                continue
            mode, through = ParticipationMode.INDIVIDUAL, None
            if commune.code in territory and rng.random() < 0.85:
                mode, through = ParticipationMode.CPTS, cpts_structures[territory[commune.code]][1]
            elif department == "44" and sos_members < 5 and commune.code == sos_commune.code:
                mode, through = ParticipationMode.SOS_MEDECINS, sos.structure
                sos_members += 1
            elif department == "72" and msp_members < 5 and rng.random() < 0.3:
                mode, through = ParticipationMode.MSP, msp.structure
                msp_members += 1
            signed = None if rng.random() < 0.08 else today - timedelta(days=rng.randint(20, 700))
            effectors.append(
                services.effector_enrol_professional(
                    region=region,
                    professional=professional,
                    participation_mode=mode,
                    through=through,
                    statement_signed_on=signed,
                    accepts_extra_patients=rng.random() < 0.25,
                    commune=commune,
                    site_name=f"Cabinet médical de {commune.name}",
                )
            )
    for effector in rng.sample(effectors, min(SUSPENDED, len(effectors))):
        services.effector_suspend(
            effector=effector,
            on=today - timedelta(days=rng.randint(3, 40)),
            reason=rng.choice(
                ["Congé de longue durée", "Déclaration non renouvelée", "À sa demande"]
            ),
        )

    # The demo health professionals (the accounts of the region with a registry record)
    # take part through their CPTS when it has an SAS structure.
    demo_professionals = []
    for assignment in RoleAssignment.objects.filter(
        region=region, role=Role.HEALTH_PROFESSIONAL, professional__isnull=False
    ).select_related("professional"):
        professional = assignment.professional
        if Effector.objects.filter(professional=professional).exists():
            continue
        commune = _first_liberal_commune(professional)
        if commune is None:
            continue
        through = next(
            (s for c, s in cpts_structures.values() if c.communes.filter(pk=commune.pk).exists()),
            None,
        )
        demo_professionals.append(
            services.effector_enrol_professional(
                region=region,
                professional=professional,
                participation_mode=ParticipationMode.CPTS
                if through
                else ParticipationMode.INDIVIDUAL,
                through=through,
                statement_signed_on=today - timedelta(days=90),
                commune=commune,
                site_name=f"Cabinet de {commune.name}",
            )
        )

    slots = []
    mondays = _mondays()
    for effector in effectors + demo_professionals:
        site = effector.sites.get()
        demo = effector in demo_professionals
        below = not demo and rng.random() < BELOW_SHARE
        pattern = rng.choice(BELOW_PATTERNS if below else PATTERNS)
        shared = demo or rng.random() < SHARED_SHARE
        for monday in mondays:
            for weekday, start, end in pattern:
                # now and then a slot is skipped or kept private (patterns have margin)
                if not demo and not below and rng.random() < 0.03:
                    continue
                slot_shared = shared and (demo or below or rng.random() > 0.03)
                slots.append(
                    _slot(effector, site, monday + timedelta(days=weekday), start, end,
                          shared=slot_shared)
                )  # fmt: skip
    for effector in (sos, msp):
        site = effector.sites.get()
        for monday in mondays:
            for weekday in range(7):
                day = monday + timedelta(days=weekday)
                if effector is sos:
                    slots.append(_slot(effector, site, day, time(8), time(12), shared=True,
                                       home=True, capacity=4))  # fmt: skip
                elif weekday < 5:
                    slots.append(_slot(effector, site, day, time(17), time(19), shared=True,
                                       capacity=2))  # fmt: skip
    # The CPTS's rota: shifts handed round its members, week after week.
    for cpts, structure in cpts_structures.values():
        members = [e for e in effectors + demo_professionals if e.through_id == structure.pk]
        if not members:
            continue
        turn = 0
        for monday in mondays:
            for weekday, start, end in ROTA_SHIFTS:
                member = members[turn % len(members)]
                turn += 1
                slots.append(
                    _slot(member, member.sites.get(), monday + timedelta(days=weekday), start,
                          end, shared=rng.random() < 0.9 or member in demo_professionals,
                          rota_cpts=cpts)
                )  # fmt: skip
    Slot.objects.bulk_create(slots, batch_size=1000)
    return len(effectors) + len(demo_professionals) + 2
