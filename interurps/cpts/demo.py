"""Demo CPTS of Pays de la Loire, named in the InterURPS 2021 activity report (seed 003).

Names, departments, stages and ACI signature dates come from the report; territories are
drawn here by growing contiguous sets of real communes around each CPTS's main town until
a plausible population is reached. Earlier stage dates are spaced back from the known
ones and are illustrative.

A few CPTS with a signed ACI get the amounts of their ACI contract (`DEMO_CONTRACTS`): the
report gives none, so every amount and achievement rate there is ILLUSTRATIVE (round
figures of the right order, under the confirmed national ceilings), not read anywhere.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import shapely
from django.db import transaction

from interurps.analytics import aci, territory
from interurps.core.text import normalize_name
from interurps.cpts import rules, services
from interurps.cpts.models import Cpts, Mission, SupportAction
from interurps.geography.models import Commune, Department


@dataclass(frozen=True)
class DemoCpts:
    name: str
    department: str
    seed_town: str
    target_population: int
    stage: rules.Stage
    aci_signed_on: date | None = None


# ACI signatures of 2021 (report, "De nombreuses CPTS ont également signé leur ACI en 2021").
SIGNED = [
    DemoCpts(
        "CPTS du Grand Saumurois", "49", "Saumur", 95_000, rules.Stage.ACI_SIGNED, date(2021, 3, 12)
    ),
    DemoCpts(
        "CPTS Loire Vendée Océan",
        "85",
        "Challans",
        70_000,
        rules.Stage.ACI_SIGNED,
        date(2021, 3, 24),
    ),
    DemoCpts(
        "CPTS Plaine et Marais", "85", "Luçon", 45_000, rules.Stage.ACI_SIGNED, date(2021, 3, 24)
    ),
    DemoCpts(
        "CPTS Ancenis",
        "44",
        "Ancenis-Saint-Géréon",
        65_000,
        rules.Stage.ACI_SIGNED,
        date(2021, 6, 14),
    ),
    DemoCpts(
        "CPTS Pays de Retz", "44", "Pornic", 80_000, rules.Stage.ACI_SIGNED, date(2021, 6, 23)
    ),
    DemoCpts(
        "CPTS Sud Loire Vignoble", "44", "Vallet", 60_000, rules.Stage.ACI_SIGNED, date(2021, 7, 5)
    ),
    DemoCpts(
        "CPTS Centre Vendée",
        "85",
        "Essarts en Bocage",
        45_000,
        rules.Stage.ACI_SIGNED,
        date(2021, 9, 3),
    ),
]
# In accompaniment in 2021 (report, "plusieurs CPTS étaient en cours d'accompagnement");
# the stage reached by each is illustrative.
ACCOMPANIED = [
    DemoCpts("CPTS Sèvre et Loire", "44", "Vertou", 60_000, rules.Stage.ASSOCIATION_CREATED),
    DemoCpts("CPTS Erdre et Cens", "44", "Orvault", 50_000, rules.Stage.PROJECT_SUBMITTED),
    DemoCpts("CPTS Erdre et Canal", "44", "Nort-sur-Erdre", 45_000, rules.Stage.LETTER_VALIDATED),
    DemoCpts("CPTS de Guérande", "44", "Guérande", 50_000, rules.Stage.ASSOCIATION_CREATED),
    DemoCpts("CPTS du Haut Bocage", "85", "Les Herbiers", 45_000, rules.Stage.LETTER_SUBMITTED),
    DemoCpts("CPTS Nord Est Mayenne", "53", "Villaines-la-Juhel", 25_000, rules.Stage.EMERGENCE),
    DemoCpts(
        "CPTS Chalonnes sur Loire",
        "49",
        "Chalonnes-sur-Loire",
        25_000,
        rules.Stage.PROJECT_VALIDATED,
    ),
    DemoCpts("CPTS Nord Est Anjou", "49", "Baugé-en-Anjou", 35_000, rules.Stage.LETTER_VALIDATED),
    DemoCpts("CPTS du Choletais", "49", "Cholet", 100_000, rules.Stage.PROJECT_SUBMITTED),
]
DEMO_CPTS = SIGNED + ACCOMPANIED
STAGE_SPACING = timedelta(days=75)
LAST_STAGE_OF_ACCOMPANIED = date(2021, 11, 15)


def _grow_territories(department: Department, specs: list[DemoCpts]) -> dict[str, list[Commune]]:
    communes = list(
        Commune.objects.filter(department=department, kind=Commune.Kind.COMMUNE)
        .exclude(geometry="")
        .order_by("code")
    )
    index_of = {c.normalized_name: i for i, c in enumerate(communes)}
    geometries = [shapely.from_geojson(c.geometry) for c in communes]
    neighbours: dict[int, set[int]] = {}
    for left, right in territory.adjacency_pairs(geometries).tolist():
        neighbours.setdefault(left, set()).add(right)
        neighbours.setdefault(right, set()).add(left)
    populations = [c.population or 0 for c in communes]
    taken: set[int] = set()
    territories = {}
    for spec in specs:
        seed = index_of.get(normalize_name(spec.seed_town))
        if seed is None or seed in taken:
            territories[spec.name] = []
            continue
        chosen = territory.grow_territory(
            seed,
            neighbours,
            populations,
            spec.target_population,
            taken,
            max_population=int(spec.target_population * 1.25),
        )
        taken.update(chosen)
        territories[spec.name] = [communes[i] for i in chosen]
    return territories


def _stage_dates(spec: DemoCpts) -> list[tuple[rules.Stage, date]]:
    last = spec.aci_signed_on or LAST_STAGE_OF_ACCOMPANIED
    path = rules.PATH[: rules.PATH.index(spec.stage) + 1]
    return [
        (stage, last - STAGE_SPACING * (len(path) - 1 - position))
        for position, stage in enumerate(path)
    ]


@transaction.atomic
def demo_cpts_load(*, region, staff_user) -> list[Cpts]:
    """Create the demo CPTS that are missing; existing ones are left as they are."""
    by_department: dict[str, list[DemoCpts]] = {}
    for spec in DEMO_CPTS:
        by_department.setdefault(spec.department, []).append(spec)
    created = []
    for department_code, specs in sorted(by_department.items()):
        department = Department.objects.filter(code=department_code, region=region).first()
        missing = [s for s in specs if not Cpts.objects.filter(region=region, name=s.name).exists()]
        if department is None or not missing:
            continue
        territories = _grow_territories(department, specs)
        for spec in missing:
            created.append(
                _create_one(spec, region, department, territories[spec.name], staff_user)
            )
    demo_aci_contracts_load(region=region)
    return created


# Illustrative contract amounts (euros a year) and achievement rates (%, None: not yet
# assessed) — not read in any source. Per CPTS: fonctionnement, then per mission
# (fixed part, maximum variable part), and the achievement of each contract year.
DEMO_CONTRACT_MISSIONS = {
    aci.ACCESS_PHYSICIAN: (Decimal(15_000), Decimal(10_000)),
    aci.ACCESS_UNSCHEDULED: (Decimal(20_000), Decimal(15_000)),
    aci.CARE_PATHWAYS: (Decimal(12_000), Decimal(8_000)),
    aci.PREVENTION: (Decimal(10_000), Decimal(7_000)),
}
DEMO_ACHIEVEMENT = {1: 60, 2: 70, 3: 80, 4: 85, 5: None}
DEMO_CONTRACTS = {
    "CPTS du Grand Saumurois": Decimal(75_000),
    "CPTS Pays de Retz": Decimal(60_000),
    "CPTS Centre Vendée": Decimal(60_000),
}


def demo_aci_contracts_load(*, region) -> int:
    """Give the CPTS of `DEMO_CONTRACTS` the illustrative amounts of their ACI contract, for
    the contract years begun by today; CPTS that already have contract years are left as
    they are. Returns the number of contract years created."""
    from django.utils import timezone

    today = timezone.localdate()
    created = 0
    for name, operating in DEMO_CONTRACTS.items():
        cpts = Cpts.objects.filter(region=region, name=name).first()
        if cpts is None or cpts.aci_signed_on is None or cpts.aci_contract_years.exists():
            continue
        for number, achievement in DEMO_ACHIEVEMENT.items():
            starts_on, _ = aci.contract_year_bounds(cpts.aci_signed_on, number)
            if starts_on > today:
                break
            rate = None if achievement is None else Decimal(achievement)
            services.aci_contract_year_set(
                cpts=cpts,
                number=number,
                operating_amount=operating,
                missions={
                    code: services.MissionAmounts(fixed, variable, rate)
                    for code, (fixed, variable) in DEMO_CONTRACT_MISSIONS.items()
                },
            )
            created += 1
    return created


def _create_one(spec, region, department, communes, staff_user) -> Cpts:
    dates = _stage_dates(spec)
    cpts = services.cpts_create(
        region=region,
        name=spec.name,
        main_department=department,
        by=staff_user,
        started_on=dates[0][1],
        legal_form=(
            Cpts.LegalForm.ASSOCIATION
            if rules.PATH.index(spec.stage) >= rules.PATH.index(rules.Stage.ASSOCIATION_CREATED)
            else Cpts.LegalForm.NONE
        ),
        followed_by=staff_user,
    )
    for stage, occurred_on in dates[1:]:
        services.cpts_transition(cpts=cpts, stage=stage, occurred_on=occurred_on, by=staff_user)
    if communes:
        services.cpts_set_territory(cpts=cpts, codes=[c.code for c in communes])
    if spec.aci_signed_on:
        _demo_missions(cpts, spec.aci_signed_on)
    SupportAction.objects.create(
        cpts=cpts,
        occurred_on=dates[0][1],
        kind=SupportAction.Kind.MEETING,
        description="Première réunion d'information avec les professionnels du territoire.",
        staff=staff_user,
    )
    return cpts


def _demo_missions(cpts: Cpts, signed_on: date) -> None:
    # Access to care started promptly everywhere; prevention is late to start in some CPTS
    # so that the deadline flags have something to show.
    plan = {
        aci.ACCESS_PHYSICIAN: (Mission.Status.DEPLOYED, 90, 0.8),
        aci.ACCESS_UNSCHEDULED: (Mission.Status.STARTED, 120, 0.5),
        aci.CARE_PATHWAYS: (Mission.Status.STARTED, 300, 0.4),
        aci.HEALTH_CRISES: (Mission.Status.STARTED, 150, 0.5),
        aci.PREVENTION: (
            (Mission.Status.NOT_STARTED, None, 0)
            if signed_on.month >= 6
            else (Mission.Status.STARTED, 330, 0.3)
        ),
    }
    for kind, (status, days_after, achievement) in plan.items():
        services.mission_set(
            cpts=cpts,
            kind=kind,
            status=status,
            started_on=signed_on + timedelta(days=days_after) if days_after else None,
            achievement=achievement,
        )
