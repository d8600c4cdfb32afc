"""Writes for the flows: import and generation of flow sets, proposals, adoption as a CPTS."""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import transaction

from interurps.analytics import flows as analytics
from interurps.analytics import territory
from interurps.cpts import services as cpts_services
from interurps.flows import selectors
from interurps.flows.importer import FlowFileError, parse_flows
from interurps.flows.models import Flow, FlowSet, ProposedTerritory, TerritoryProposal
from interurps.geography.models import Commune, Department, Region
from interurps.organizations.models import Profession
from interurps.professionals import selectors as registry

logger = logging.getLogger(__name__)

BATCH = 5000
# The synthetic generator: each origin's visits shared among its 20 nearest communes.
GRAVITY_NEIGHBOURS = 20


def _store(flow_set: FlowSet, counts: dict[tuple[str, str, str], int], progress=None) -> None:
    """Replace the flows of `flow_set` by `counts` ((origin, destination, profession) →
    count), in batches."""
    flow_set.flows.all().delete()
    batch = []
    for (origin, destination, profession), count in counts.items():
        batch.append(
            Flow(
                flow_set=flow_set,
                origin_id=origin,
                destination_id=destination,
                profession_id=profession or None,
                count=count,
            )
        )
        if len(batch) >= BATCH:
            Flow.objects.bulk_create(batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        Flow.objects.bulk_create(batch)
        if progress:
            progress(len(batch))
    flow_set.pair_count = len(counts)
    flow_set.total = sum(counts.values())
    flow_set.save(update_fields=["pair_count", "total", "loaded_at"])


def _flow_set(*, region, name, source, year, profession, synthetic, by) -> FlowSet:
    """The named flow set of the region, created or its description updated."""
    flow_set = FlowSet.objects.filter(region=region, name=name.strip()).first() or FlowSet(
        region=region, name=name.strip()
    )
    flow_set.source = source
    flow_set.year = year
    flow_set.profession = profession
    flow_set.synthetic = synthetic
    flow_set.loaded_by = by
    flow_set.full_clean()
    flow_set.save()
    return flow_set


@transaction.atomic
def flow_set_import(
    *,
    region: Region,
    name: str,
    source: str,
    year: int,
    profession: Profession | None,
    chunks: Iterable[bytes],
    by=None,
    progress=None,
) -> FlowSet:
    """Import a flows CSV (`origin,destination,count[,profession]`) into the region's flow
    set named `name`: created, or its flows replaced (importing the same file twice gives
    the same flow set). All or nothing: any line in error raises a ValidationError listing
    the lines, and nothing is written."""
    try:
        parsed = parse_flows(
            chunks,
            commune_codes=selectors.commune_code_map(),
            professions=set(Profession.objects.values_list("code", flat=True)),
            scope_profession=profession.code if profession else None,
        )
    except FlowFileError as error:
        raise ValidationError({"file": error.errors}) from error
    flow_set = _flow_set(
        region=region,
        name=name,
        source=source,
        year=year,
        profession=profession,
        synthetic=False,
        by=by,
    )
    _store(flow_set, parsed.counts, progress)
    logger.info("flows imported flow_set=%d pairs=%d", flow_set.pk, flow_set.pair_count)
    return flow_set


@transaction.atomic
def flow_set_generate(
    *,
    region: Region,
    name: str,
    year: int,
    profession: Profession | None = None,
    seed: int = 1,
    department: Department | None = None,
    by=None,
) -> FlowSet:
    """Synthetic flows between the region's communes (or one `department`'s) from a gravity
    model (`analytics.flows.gravity_flows`): real populations and distances, care supplied
    where the registry places professionals (of `profession`, or of every profession),
    seeded. Refused when the registry has nobody there."""
    communes = Commune.objects.filter(kind=Commune.Kind.COMMUNE, department__region=region)
    if department is not None:
        communes = communes.filter(department=department)
    communes = list(
        communes.exclude(latitude=None)
        .order_by("code")
        .values_list("code", "population", "latitude", "longitude")
    )
    codes = [c[0] for c in communes]
    professions = (
        [profession.code] if profession else list(Profession.objects.values_list("code", flat=True))
    )
    supply = np.zeros(len(codes))
    position = {code: i for i, code in enumerate(codes)}
    for code in professions:
        for commune, value in registry.supply_by_commune(
            code, liberal_only=True, commune_codes=codes
        ).items():
            if commune in position:
                supply[position[commune]] += value
    if not supply.sum():
        who = f"de la profession « {profession.label} »" if profession else "libéral"
        where = department.name if department else f"la région {region.name}"
        raise ValidationError(
            f"Le répertoire ne place aucun professionnel {who} dans {where} : "
            "importez-le ou générez-le d'abord."
        )
    origins, destinations, counts = analytics.gravity_flows(
        [c[2] for c in communes],
        [c[3] for c in communes],
        [c[1] or 0 for c in communes],
        supply,
        neighbours=GRAVITY_NEIGHBOURS,
        seed=seed,
    )
    flow_set = _flow_set(
        region=region,
        name=name,
        source=f"Synthétique : modèle gravitaire (graine {seed})",
        year=year,
        profession=profession,
        synthetic=True,
        by=by,
    )
    pairs = {
        (codes[o], codes[d], ""): int(c)
        for o, d, c in zip(origins.tolist(), destinations.tolist(), counts.tolist(), strict=True)
    }
    _store(flow_set, pairs)
    return flow_set


# --- proposals ----------------------------------------------------------------------------


@dataclass
class ProposalRequest:
    scope: str  # "department" or "region"
    area_code: str
    methods: tuple[str, ...] = analytics.METHODS
    within: str = TerritoryProposal.Scope.DEPARTMENT
    min_population: int | None = analytics.DEFAULT_MIN_POPULATION
    max_population: int | None = analytics.DEFAULT_MAX_POPULATION
    contiguous: bool = True
    keep_cpts: bool = True
    seed: int = 0


@dataclass
class Computed:
    """One method's result over an area, ready to print or store."""

    method: str
    area: "selectors.Area"
    proposal: analytics.Proposal
    cpts_by_label: dict
    matrix: object = None

    def territories(self) -> list[dict]:
        area, quality, labels = self.area, self.proposal.quality, self.proposal.partition.labels
        result = []
        inflow = np.asarray(self.matrix.sum(axis=0)).ravel() - self.matrix.diagonal()
        for number in range(quality.count):
            members = np.flatnonzero(labels == number)
            pole = int(members[np.argmax(inflow[members])]) if len(members) else None
            result.append(
                {
                    "number": number,
                    "communes": [area.codes[i] for i in members],
                    "pole": area.codes[pole] if pole is not None else "",
                    "pole_name": area.names[pole] if pole is not None else "",
                    "population": int(quality.population[number]),
                    "self_containment": round(float(quality.self_containment[number]), 6),
                    "attraction": round(float(quality.attraction[number]), 6),
                    "modularity": round(float(quality.modularity[number]), 6),
                    "existing_cpts": self.cpts_by_label.get(number),
                }
            )
        return result

    def summary(self) -> dict:
        summary = self.proposal.quality.summary()
        summary["detected"] = self.proposal.detected
        summary["covered_population"] = int(self.proposal.quality.population.sum())
        return summary

    def unmet(self) -> list[dict]:
        return [
            {
                "reason": item.reason,
                "communes": [self.area.codes[i] for i in item.communes],
                "population": item.population,
            }
            for item in self.proposal.partition.unmet
        ]


def compute(request: ProposalRequest, rows, *, area=None, cpts_list=None) -> list[Computed]:
    """Run each requested method over the area with the flows `rows` ((origin,
    destination, count) codes). Fixed territories: today's CPTS when `keep_cpts`."""
    if (
        request.min_population is not None
        and request.max_population is not None
        and request.min_population > request.max_population
    ):
        raise ValidationError(
            {"max_population": "La population maximale doit dépasser la population minimale."}
        )
    area = area or selectors.area_of(request.scope, request.area_code)
    matrix = selectors.matrix_of(area, rows)
    link = area.link()
    fixed = np.full(len(area.codes), -1, dtype=np.int64)
    cpts_list = (
        (cpts_list if cpts_list is not None else selectors.cpts_of_area(area))
        if request.keep_cpts
        else []
    )
    for cpts in cpts_list:
        for code in cpts.area_codes:
            index = area.index[code]
            if fixed[index] < 0:
                fixed[index] = cpts.pk
    within = (
        TerritoryProposal.Scope.DEPARTMENT
        if request.scope == TerritoryProposal.Scope.DEPARTMENT
        else request.within
    )
    constraints = analytics.Constraints(
        min_population=request.min_population,
        max_population=request.max_population,
        contiguous=request.contiguous,
    )
    by_pk = {c.pk: c for c in cpts_list}
    results = []
    for method in request.methods:
        proposal = analytics.propose(
            matrix,
            link,
            area.populations,
            area.active,
            method=method,
            groups=area.groups(within),
            fixed=fixed,
            constraints=constraints,
            seed=request.seed,
        )
        computed = Computed(
            method=method,
            area=area,
            proposal=proposal,
            cpts_by_label={label: by_pk[key] for label, key in proposal.partition.fixed.items()},
            matrix=matrix,
        )
        results.append(computed)
    return results


def _outline(codes: list[str], geometries: dict[str, str]) -> str:
    outline = territory.dissolve(
        shapely.from_geojson(geometries[c]) for c in codes if geometries.get(c)
    )
    return shapely.to_geojson(outline) if outline is not None else ""


@transaction.atomic
def proposal_create(*, flow_set: FlowSet, request: ProposalRequest, by=None):
    """Compute and store one proposal per requested method (one run, shown side by side).

    The area must be a department or the flow set's region, or a department of it."""
    region = flow_set.region
    if request.scope == TerritoryProposal.Scope.DEPARTMENT:
        department = Department.objects.filter(code=request.area_code, region=region).first()
        if department is None:
            raise ValidationError({"area": "Choisissez un département de la région."})
    elif request.area_code != region.code:
        raise ValidationError({"area": "Choisissez la région du jeu de flux."})
    if not request.methods:
        raise ValidationError({"methods": "Choisissez au moins une méthode."})
    area = selectors.area_of(request.scope, request.area_code)
    rows = selectors.flow_rows(flow_set, area)
    if not rows:
        raise ValidationError(
            {"area": f"Le jeu de flux ne contient aucun flux touchant {area.name}."}
        )
    results = compute(request, rows, area=area)
    geometries = dict(zip(area.codes[: area.size], area.geometries[: area.size], strict=True))
    run = uuid.uuid4().hex
    proposals = []
    for computed in results:
        proposal = TerritoryProposal(
            flow_set=flow_set,
            run=run,
            method=computed.method,
            scope=request.scope,
            area_code=request.area_code,
            area_name=area.name,
            within=(
                TerritoryProposal.Scope.DEPARTMENT
                if request.scope == TerritoryProposal.Scope.DEPARTMENT
                else request.within
            ),
            min_population=request.min_population,
            max_population=request.max_population,
            contiguous=request.contiguous,
            keep_cpts=request.keep_cpts,
            seed=request.seed,
            detected=computed.proposal.detected,
            summary=computed.summary(),
            unmet=computed.unmet(),
            created_by=by,
        )
        proposal.full_clean()
        proposal.save()
        territories = []
        for item in computed.territories():
            cpts = item["existing_cpts"]
            territories.append(
                ProposedTerritory(
                    proposal=proposal,
                    number=item["number"] + 1,
                    name=(
                        cpts.name
                        if cpts
                        else f"Territoire {item['number'] + 1} — pôle de {item['pole_name']}"
                    )[:200],
                    communes=item["communes"],
                    population=item["population"],
                    commune_count=len(item["communes"]),
                    self_containment=item["self_containment"],
                    attraction=item["attraction"],
                    modularity=item["modularity"],
                    existing_cpts=cpts,
                    geometry=_outline(item["communes"], geometries),
                )
            )
        ProposedTerritory.objects.bulk_create(territories)
        proposals.append(proposal)
    return proposals


@transaction.atomic
def territory_adopt(
    *, territory_record: ProposedTerritory, name: str, main_department: Department, by
):
    """Create a CPTS (emergence stage) whose territory is the proposed one, in one step,
    through the CPTS services: the same checks as any territory (unknown codes refuse,
    overlaps, parts, regions and population warn). Refused for a kept CPTS or a territory
    already adopted."""
    if territory_record.existing_cpts_id:
        raise ValidationError(
            "Ce territoire est celui d'une CPTS existante, conservée telle quelle."
        )
    if territory_record.adopted_cpts_id:
        raise ValidationError(
            f"Ce territoire a déjà été adopté : CPTS « {territory_record.adopted_cpts.name} »."
        )
    region = territory_record.proposal.flow_set.region
    cpts = cpts_services.cpts_create(
        region=region, name=name, main_department=main_department, by=by
    )
    check = cpts_services.cpts_set_territory(cpts=cpts, codes=list(territory_record.communes))
    territory_record.adopted_cpts = cpts
    territory_record.save(update_fields=["adopted_cpts"])
    return cpts, check
