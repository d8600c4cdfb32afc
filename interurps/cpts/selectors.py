"""Reads over CPTS: territory checks, coverage of a region or department, funding."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import shapely
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from interurps.analytics import aci, territory
from interurps.core import french
from interurps.cpts import rules
from interurps.cpts.models import Cpts, Mission, StageTransition
from interurps.geography.models import Commune, Department, Region
from interurps.geography.selectors import feature_collection

CODE_SEPARATORS = re.compile(r"[\s,;|]+")


# A territory is at most a few hundred communes; the caps keep a paste (or a query string)
# from making the checks and their queries unbounded.
MAX_CODES = 5000
MAX_CODES_TEXT = 60_000


def parse_insee_codes(text: str) -> list[str]:
    """INSEE codes typed or pasted in any common way, de-duplicated, in their order.

    Linear in the number of tokens (a dict keeps the order and finds duplicates).
    """
    codes = dict.fromkeys(
        code for token in CODE_SEPARATORS.split(text or "") if (code := token.strip().upper())
    )
    return list(codes)


def insee_codes_size_error(text: str) -> str | None:
    """The French message refusing a paste of codes too long to be a territory, or None."""
    if len(text) > MAX_CODES_TEXT:
        return (
            f"La liste est trop longue ({len(text):,} caractères) : collez au plus "
            f"{MAX_CODES_TEXT:,} caractères.".replace(",", "\u202f")
        )
    count = len(parse_insee_codes(text))
    if count > MAX_CODES:
        return (
            f"La liste compte {count:,} codes INSEE : un territoire en compte au plus "
            f"{MAX_CODES:,}.".replace(",", "\u202f")
        )
    return None


@dataclass
class TerritoryCheck:
    codes: list[str]
    communes: list[Commune] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def population(self) -> int:
        return sum(c.population or 0 for c in self.communes)

    @property
    def size_category(self) -> int:
        return aci.size_category(self.population)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _names(communes, limit=8) -> str:
    shown = ", ".join(f"{c.name} ({c.code})" for c in communes[:limit])
    if len(communes) > limit:
        shown += f" et {french.count(len(communes) - limit, 'autre,autres')}"
    return shown


def territory_check(codes: list[str], *, cpts: Cpts | None = None) -> TerritoryCheck:
    """Errors (which block saving) and warnings about a territory given by INSEE codes."""
    check = TerritoryCheck(codes=codes)
    found = {
        c.code: c
        for c in Commune.objects.filter(code__in=codes).select_related("department__region")
    }
    unknown = [code for code in codes if code not in found]
    if unknown:
        label = french.plural(unknown, "Code INSEE inconnu", "Codes INSEE inconnus")
        check.errors.append(f"{label} : {', '.join(unknown)}.")
    check.communes = [found[code] for code in codes if code in found]
    if not check.communes:
        if not unknown:
            check.errors.append("Le territoire est vide : ajoutez au moins une commune.")
        return check

    codes_found = set(found)
    for commune in check.communes:
        if commune.parent_id and commune.parent_id in codes_found:
            check.errors.append(
                f"{commune.name} ({commune.code}) est un arrondissement de "
                f"{found[commune.parent_id].name} : choisissez la ville entière ou ses "
                "arrondissements, pas les deux."
            )

    others = (
        Cpts.objects.filter(communes__code__in=codes_found)
        .exclude(stage=rules.Stage.DISSOLVED)
        .values_list("communes__code", "name")
    )
    if cpts is not None:
        others = others.exclude(pk=cpts.pk)
    claimed: dict[str, list[str]] = {}
    for code, name in others:
        if code in codes_found:
            claimed.setdefault(name, []).append(code)
    for name, claimed_codes in sorted(claimed.items()):
        communes = [found[code] for code in sorted(claimed_codes)]
        check.warnings.append(
            f"Chevauchement avec la CPTS « {name} » : {_names(communes)} "
            "appartiennent déjà à son territoire."
        )

    with_geometry = [c for c in check.communes if c.geometry]
    parts = territory.connected_parts([shapely.from_geojson(c.geometry) for c in with_geometry])
    if len(parts) > 1:
        detached = [with_geometry[i] for part in parts[1:] for i in part]
        check.warnings.append(
            f"Le territoire est en {len(parts)} parties disjointes ; détachées de la partie "
            f"principale : {_names(detached)}."
        )

    regions = {c.department.region for c in check.communes}
    if cpts is not None:
        regions.add(cpts.region)
    if len(regions) > 1:
        check.warnings.append(
            "Le territoire s'étend sur plusieurs régions : "
            + ", ".join(sorted(r.name for r in regions))
            + "."
        )

    low, high = rules.USUAL_POPULATION_RANGE
    if not low <= check.population <= high:
        check.warnings.append(
            f"Population de {french.count(check.population, 'habitant,habitants')}, hors de la "
            f"fourchette habituelle des CPTS ({french.format_number(low)} à "
            f"{french.format_number(high)})."
        )
    return check


def cpts_of_region(region: Region) -> QuerySet[Cpts]:
    """The region's CPTS for lists: without their outlines nor their department's (a few
    kilobytes each, tens per row)."""
    return (
        Cpts.objects.filter(region=region)
        .select_related("main_department")
        .defer("geometry", "main_department__geometry")
    )


def cpts_detail_queryset() -> QuerySet[Cpts]:
    return Cpts.objects.select_related("region", "main_department", "followed_by").prefetch_related(
        Prefetch("transitions", queryset=StageTransition.objects.select_related("recorded_by")),
        "missions",
        "member_counts__profession",
        "structures",
        "governance",
        "coordinators",
        "support_actions__staff",
    )


def cpts_funding(cpts: Cpts, *, as_of: date | None = None):
    """Expected yearly ACI funding, or None before the contract is signed."""
    if cpts.aci_signed_on is None or cpts.stage == rules.Stage.DISSOLVED:
        return None
    missions = {
        m.kind: float(m.achievement)
        for m in cpts.missions.all()
        if m.status != Mission.Status.NOT_STARTED or m.kind in rules.CORE_MISSIONS
    }
    return aci.compute_funding(
        population=cpts.population,
        signed_on=cpts.aci_signed_on,
        missions=missions,
        as_of=as_of or timezone.localdate(),
    )


def contract_years(cpts: Cpts) -> list[aci.ContractYear]:
    """The CPTS's recorded contract years in the pure computation's terms; a mission's
    start date comes from the CPTS's mission of that kind."""
    started = {m.kind: m.started_on for m in cpts.missions.all()}
    years = []
    if "aci_contract_years" in getattr(cpts, "_prefetched_objects_cache", {}):
        recorded = sorted(cpts.aci_contract_years.all(), key=lambda year: year.number)
    else:
        recorded = cpts.aci_contract_years.prefetch_related("missions").order_by("number")
    for year in recorded:
        years.append(
            aci.ContractYear(
                number=year.number,
                operating=year.operating_amount,
                missions=tuple(
                    aci.ContractMission(
                        mission=m.mission,
                        fixed=m.fixed_amount,
                        variable=m.variable_amount,
                        achievement=None
                        if m.achievement_percent is None
                        else m.achievement_percent / 100,
                        started_on=started.get(m.mission),
                    )
                    for m in year.missions.all()
                ),
            )
        )
    return years


def cpts_contract_funding(cpts: Cpts, *, as_of: date | None = None):
    """Expected and paid amounts of the CPTS's own ACI contract (`aci.ContractFunding`), or
    None when it has not signed the ACI or no contract amount is recorded."""
    if cpts.aci_signed_on is None:
        return None
    years = contract_years(cpts)
    if not years:
        return None
    return aci.compute_contract(
        signed_on=cpts.aci_signed_on,
        population=cpts.population,
        years=years,
        as_of=as_of or timezone.localdate(),
    )


def mission_rows(cpts: Cpts, today: date | None = None) -> list[dict]:
    """Every core mission (the ACI requires them, recorded or not) and the optional ones
    the CPTS took, with their deadlines and late flags."""
    today = today or timezone.localdate()
    recorded = {m.kind: m for m in cpts.missions.all()}
    missions = [
        recorded.get(kind) or Mission(cpts=cpts, kind=kind) for kind in aci.CORE_MISSIONS
    ] + [recorded[kind] for kind in aci.OPTIONAL_MISSIONS if kind in recorded]
    rows = []
    for mission in missions:
        deadlines = rules.mission_deadlines(
            mission.kind,
            cpts.aci_signed_on,
            mission.started_on,
            mission.status == Mission.Status.DEPLOYED,
            today,
        )
        rows.append({"mission": mission, "deadlines": deadlines})
    return rows


# --- coverage -----------------------------------------------------------------------


@dataclass
class AreaCoverage:
    area: Region | Department
    cpts: list[Cpts]
    by_stage: list[tuple[str, str, int]]
    coverage: territory.Coverage
    units: dict[str, Commune]
    departments_total: int
    departments_covered: list[Department]
    smallest: Cpts | None
    largest: Cpts | None
    overlaps: list[tuple[Commune, list[Cpts]]]
    funding_total: Decimal
    funding_cpts: int = 0
    signed_cpts: int = 0

    @property
    def uncovered(self) -> list[Commune]:
        return [self.units[code] for code in self.coverage.uncovered_units]

    @property
    def uncovered_population(self) -> int:
        return self.coverage.total_population - self.coverage.covered_population


def _area_units(
    communes: QuerySet[Commune], departments: list[Department], *, outlines: bool = True
) -> dict[str, Commune]:
    """Coverage units: communes, with Paris, Lyon and Marseille counted by district."""
    # Only what the figures, lists and exports show, each commune given its department from
    # the area's few: building 1,200 whole communes, each with its own copy of its
    # department, took twice as long as the query itself.
    fields = ["code", "name", "population", "parent", "department"]
    by_code = {department.code: department for department in departments}
    units = {}
    for commune in communes.only(*fields, *(["geometry"] if outlines else [])):
        commune.department = by_code[commune.department_id]
        units[commune.code] = commune
    cities_with_districts = {c.parent_id for c in units.values() if c.parent_id}
    for code in cities_with_districts:
        units.pop(code, None)
    return units


# What the funding figures read, for every CPTS at once (not two queries per CPTS).
COVERAGE_PREFETCH = ("missions", "aci_contract_years__missions")


def area_coverage(
    area: Region | Department, *, as_of: date | None = None, outlines: bool = False
) -> AreaCoverage:
    """The CPTS coverage of a region or a department; the communes' and CPTS's outlines
    are read only with `outlines=True` (the coverage map): reading a region's outlines
    costs about 70 ms with France's geography, the figures need none of them."""
    if isinstance(area, Region):
        communes = Commune.objects.filter(department__region=area)
        departments = list(area.departments.defer("geometry"))
    else:
        communes = Commune.objects.filter(department=area)
        departments = [area]
    units = _area_units(communes, departments, outlines=outlines)
    districts_of: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.parent_id:
            districts_of.setdefault(unit.parent_id, []).append(unit.code)

    memberships = (
        Cpts.communes.through.objects.filter(commune__in=communes)
        .exclude(cpts__stage=rules.Stage.DISSOLVED)
        .values_list("cpts_id", "commune_id")
    )
    territories: dict[int, set[str]] = {}
    for cpts_id, code in memberships:
        # A CPTS drawn on a whole city covers each of its districts.
        territories.setdefault(cpts_id, set()).update(districts_of.get(code, [code]))
    cpts_with_territory = (
        Cpts.objects.filter(pk__in=territories)
        .select_related("main_department")
        .prefetch_related(*COVERAGE_PREFETCH)
        .order_by("name")
    )
    if not outlines:
        cpts_with_territory = cpts_with_territory.defer("geometry", "main_department__geometry")
    cpts_list = list(cpts_with_territory)
    if isinstance(area, Region):
        # A CPTS of the region with no territory yet is still counted in its stage.
        cpts_list += list(
            Cpts.objects.filter(region=area, communes__isnull=True)
            .exclude(stage=rules.Stage.DISSOLVED)
            .prefetch_related(*COVERAGE_PREFETCH)
        )
    by_id = {c.pk: c for c in cpts_list}
    result = territory.coverage({code: u.population for code, u in units.items()}, territories)
    counts = Counter(c.stage for c in cpts_list)
    by_stage = [
        (stage.value, rules.STAGE_LABELS[stage], counts.get(stage.value, 0))
        for stage in rules.Stage
        if stage != rules.Stage.DISSOLVED
    ]
    covered_departments = {units[code].department_id for code in result.covered_units}
    sized = sorted((c for c in cpts_list if c.population), key=lambda c: c.population)
    # The ACI funding is the CPTS's own contracts' (current contract year), never the
    # national tables: CPTS whose contract amounts are not entered are counted apart.
    funding_total = Decimal("0.00")
    funded = 0
    signed = 0
    for cpts in cpts_list:
        if cpts.aci_signed_on is None or cpts.stage == rules.Stage.DISSOLVED:
            continue
        signed += 1
        contract = cpts_contract_funding(cpts, as_of=as_of)
        current = contract.current_year() if contract else None
        if current is not None:
            funding_total += current.expected
            funded += 1
    return AreaCoverage(
        area=area,
        cpts=sorted(cpts_list, key=lambda c: c.name),
        by_stage=by_stage,
        coverage=result,
        units=units,
        departments_total=len(departments),
        departments_covered=[d for d in departments if d.code in covered_departments],
        smallest=sized[0] if sized else None,
        largest=sized[-1] if sized else None,
        overlaps=[
            (units[code], sorted((by_id[i] for i in ids), key=lambda c: c.name))
            for code, ids in sorted(result.overlaps.items())
        ],
        funding_total=funding_total,
        funding_cpts=funded,
        signed_cpts=signed,
    )


def covered_share_percent(report: AreaCoverage) -> Decimal:
    """Share of the area's population covered by a CPTS, in percent with one decimal
    (half up): the figure of the coverage page, its exports and the CPOM indicator."""
    cov = report.coverage
    if not cov.total_population:
        return Decimal("0.0")
    share = Decimal(cov.covered_population) * 100 / Decimal(cov.total_population)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage_geojson(report: AreaCoverage) -> dict:
    """CPTS outlines coloured by stage, and white zones, for the coverage map."""
    white_zones = feature_collection(
        report.uncovered,
        lambda unit: {
            "label": f"Zone blanche : {unit.name} ({unit.code})",
            "population": unit.population,
            "color": "#ffffff",
            "kind": "white_zone",
            "url": unit.get_absolute_url(),
        },
    )
    territories = feature_collection(
        report.cpts,
        lambda cpts: {
            "label": f"{cpts.name} — {cpts.stage_label}",
            "name": cpts.name,
            "population": cpts.population,
            "color": cpts.stage_color,
            "kind": "cpts",
            "url": cpts.get_absolute_url(),
        },
    )
    white_zones["features"] += territories["features"]
    return white_zones


def stage_legend() -> list[tuple[str, str]]:
    return [
        (rules.STAGE_LABELS[stage], rules.STAGE_COLORS[stage])
        for stage in rules.Stage
        if stage != rules.Stage.DISSOLVED
    ]


# --- follow-up (role homes) ---------------------------------------------------------


@dataclass(frozen=True)
class LateMission:
    cpts: Cpts
    mission: Mission
    deadlines: rules.MissionDeadlines


def late_missions_of_region(region: Region, today: date | None = None) -> list[LateMission]:
    """Missions late to start or to be fully deployed, of the region's CPTS that are not
    dissolved, by CPTS name then mission."""
    today = today or timezone.localdate()
    cpts_list = (
        Cpts.objects.filter(region=region, aci_signed_on__isnull=False)
        .exclude(stage=rules.Stage.DISSOLVED)
        .prefetch_related("missions")
        .order_by("name")
    )
    late = []
    for cpts in cpts_list:
        for row in mission_rows(cpts, today):
            if row["deadlines"].late:
                late.append(LateMission(cpts, row["mission"], row["deadlines"]))
    return late


@dataclass(frozen=True)
class WaitingCpts:
    cpts: Cpts
    waiting_for: str
    since: date | None


def cpts_awaiting_a_step(region: Region) -> list[WaitingCpts]:
    """CPTS of the region whose current stage waits for a decision (rules.AWAITING), the
    longest waiting first."""
    cpts_list = Cpts.objects.filter(region=region, stage__in=list(rules.AWAITING)).prefetch_related(
        "transitions"
    )
    waiting = []
    for cpts in cpts_list:
        dates = [t.occurred_on for t in cpts.transitions.all() if t.stage == cpts.stage]
        waiting.append(
            WaitingCpts(cpts, rules.AWAITING[rules.Stage(cpts.stage)], max(dates, default=None))
        )
    return sorted(waiting, key=lambda w: (w.since or date.max, w.cpts.name))
