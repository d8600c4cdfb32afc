"""Reads for the flows: the communes of an area as arrays, the flows as a matrix, poles,
and the quality of today's CPTS and of the EPCI on the same flows."""

from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db.models import Q, QuerySet

from interurps.analytics import flows as analytics
from interurps.analytics import territory
from interurps.cpts import rules as cpts_rules
from interurps.cpts.models import Cpts
from interurps.flows.models import Flow, FlowSet, ProposedTerritory, TerritoryProposal
from interurps.geography.models import Commune, Department, Region


def flow_sets_of(region: Region) -> QuerySet[FlowSet]:
    return FlowSet.objects.filter(region=region).select_related("profession")


def flow_set_queryset() -> QuerySet[FlowSet]:
    return FlowSet.objects.select_related("region", "profession")


def proposals_of(flow_set: FlowSet) -> QuerySet[TerritoryProposal]:
    return flow_set.proposals.order_by("-created_at", "method")


def proposal_queryset() -> QuerySet[TerritoryProposal]:
    return TerritoryProposal.objects.select_related("flow_set__region", "flow_set__profession")


def territory_queryset() -> QuerySet[ProposedTerritory]:
    return ProposedTerritory.objects.select_related(
        "proposal__flow_set__region", "existing_cpts", "adopted_cpts"
    )


def commune_code_map() -> dict[str, str]:
    """Every INSEE code → the commune its flows count for (a district → its city)."""
    mapping = {}
    for code, kind, parent in Commune.objects.values_list("code", "kind", "parent_id"):
        mapping[code] = parent if kind == Commune.Kind.MUNICIPAL_DISTRICT and parent else code
    return mapping


# --- an area's communes as arrays ----------------------------------------------------------


@dataclass
class Area:
    """The communes (not districts) of a department or a region, numbered 0..n-1, with
    what the analytics need; `codes` may be extended by `with_outside` (communes outside
    the area that appear in flows: indices n.., inactive)."""

    scope: str
    code: str
    name: str
    codes: list[str]
    names: list[str]
    populations: np.ndarray
    latitudes: np.ndarray
    longitudes: np.ndarray
    departments: list[str]
    regions: list[str]
    epcis: list[str | None]
    geometries: list[str]
    size: int = 0  # communes of the area proper
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.size = len(self.codes)
        self.index = {code: i for i, code in enumerate(self.codes)}

    @property
    def active(self) -> np.ndarray:
        mask = np.zeros(len(self.codes), dtype=bool)
        mask[: self.size] = True
        return mask

    def groups(self, within: str) -> np.ndarray:
        keys = self.departments if within == TerritoryProposal.Scope.DEPARTMENT else self.regions
        _, inverse = np.unique(np.asarray(keys, dtype=object).astype(str), return_inverse=True)
        return inverse

    def with_outside(self, codes) -> None:
        """Add communes outside the area (flows to or from them count as leaving)."""
        extra = [c for c in dict.fromkeys(codes) if c not in self.index]
        if not extra:
            return
        rows = {
            c.code: c for c in Commune.objects.filter(code__in=extra).select_related("department")
        }
        for code in extra:
            commune = rows.get(code)
            self.index[code] = len(self.codes)
            self.codes.append(code)
            self.names.append(commune.name if commune else code)
            self.departments.append(commune.department_id if commune else "")
            self.regions.append(commune.department.region_id if commune else "")
            self.epcis.append(None)
            self.geometries.append("")
        count = len(extra)
        pops = [rows[c].population or 0 if c in rows else 0 for c in extra]
        self.populations = np.concatenate([self.populations, np.asarray(pops, dtype=float)])
        self.latitudes = np.concatenate([self.latitudes, np.full(count, np.nan)])
        self.longitudes = np.concatenate([self.longitudes, np.full(count, np.nan)])

    def link(self) -> "analytics.sparse.csr_matrix":
        """Adjacency of the area's communes from their geometries, islands and communes
        without geometry joined to the nearest commune (inside each department)."""
        with_geometry = [i for i in range(self.size) if self.geometries[i]]
        shapes = shapely.from_geojson([self.geometries[i] for i in with_geometry])
        pairs = territory.adjacency_pairs(shapes)
        mapped = np.asarray(with_geometry, dtype=np.int64)[pairs] if len(pairs) else pairs
        total = len(self.codes)
        link = analytics.adjacency_matrix(mapped, total)
        inside = np.arange(self.size)
        local = link[inside][:, inside]
        lat = np.nan_to_num(self.latitudes[: self.size], nan=float(np.nanmean(self.latitudes)))
        lon = np.nan_to_num(self.longitudes[: self.size], nan=float(np.nanmean(self.longitudes)))
        connected = analytics.connect_pieces(local, lat, lon, self.groups("department")[inside])
        coo = connected.tocoo()
        return analytics.sparse.csr_matrix(
            (coo.data, (coo.row, coo.col)), shape=(total, total), dtype=bool
        )


def area_of(scope: str, code: str) -> Area:
    """The communes of a department (`scope` "department") or region ("region")."""
    communes = Commune.objects.filter(kind=Commune.Kind.COMMUNE).select_related("department")
    if scope == TerritoryProposal.Scope.DEPARTMENT:
        area = Department.objects.get(code=code)
        communes = communes.filter(department=area)
    else:
        area = Region.objects.get(code=code)
        communes = communes.filter(department__region=area)
    rows = list(
        communes.order_by("code").values_list(
            "code",
            "name",
            "population",
            "latitude",
            "longitude",
            "department_id",
            "department__region_id",
            "epci_id",
            "geometry",
        )
    )
    return Area(
        scope=scope,
        code=code,
        name=area.name,
        codes=[r[0] for r in rows],
        names=[r[1] for r in rows],
        populations=np.asarray([r[2] or 0 for r in rows], dtype=float),
        latitudes=np.asarray([np.nan if r[3] is None else r[3] for r in rows], dtype=float),
        longitudes=np.asarray([np.nan if r[4] is None else r[4] for r in rows], dtype=float),
        departments=[r[5] for r in rows],
        regions=[r[6] for r in rows],
        epcis=[r[7] for r in rows],
        geometries=[r[8] for r in rows],
    )


def flow_rows(flow_set: FlowSet, area: Area) -> list[tuple[str, str, int]]:
    """(origin, destination, count) of the flows leaving or entering the area."""
    codes = area.codes[: area.size]
    return list(
        Flow.objects.filter(flow_set=flow_set)
        .filter(Q(origin_id__in=codes) | Q(destination_id__in=codes))
        .values_list("origin_id", "destination_id", "count")
    )


def matrix_of(area: Area, rows) -> "analytics.sparse.csr_matrix":
    """The flow matrix of `rows` (codes) over the area's communes, extended with the
    communes outside it that the rows name."""
    area.with_outside(code for row in rows for code in row[:2])
    origins = np.fromiter((area.index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    destinations = np.fromiter((area.index[r[1]] for r in rows), dtype=np.int64, count=len(rows))
    counts = np.fromiter((r[2] for r in rows), dtype=float, count=len(rows))
    return analytics.flow_matrix(origins, destinations, counts, len(area.codes))


# --- existing territories on the same flows -------------------------------------------------


def cpts_of_area(area: Area) -> list[Cpts]:
    """The region's CPTS (not dissolved) with a commune of the area, each with its codes
    folded to communes (districts → city) in `area_codes`."""
    codes = set(area.codes[: area.size])
    result = []
    queryset = (
        Cpts.objects.exclude(stage=cpts_rules.Stage.DISSOLVED)
        .filter(Q(communes__code__in=codes) | Q(communes__parent_id__in=codes))
        .distinct()
        .order_by("pk")
        .prefetch_related("communes")
    )
    for cpts in queryset:
        folded = {
            (c.parent_id if c.kind == Commune.Kind.MUNICIPAL_DISTRICT and c.parent_id else c.code)
            for c in cpts.communes.all()
        }
        cpts.area_codes = sorted(code for code in folded if code in codes)
        result.append(cpts)
    return result


def cpts_labels(area: Area, cpts_list: list[Cpts]) -> np.ndarray:
    return analytics.partition_from_sets(
        len(area.codes), [[area.index[c] for c in cpts.area_codes] for cpts in cpts_list]
    )


def epci_labels(area: Area) -> tuple[np.ndarray, list[str]]:
    keys = sorted({e for e in area.epcis[: area.size] if e})
    position = {key: i for i, key in enumerate(keys)}
    labels = np.full(len(area.codes), -1, dtype=np.int64)
    for i in range(area.size):
        if area.epcis[i]:
            labels[i] = position[area.epcis[i]]
    return labels, keys


@dataclass
class ComparisonRow:
    label: str
    summary: dict
    covered_population: int
    url: str = ""


def comparison(proposal: TerritoryProposal, area: Area | None = None) -> list[ComparisonRow]:
    """The proposals of the same run (stored figures), then today's CPTS and the EPCI of
    the same area measured on the same flows (recomputed now)."""
    rows = []
    siblings = TerritoryProposal.objects.filter(
        flow_set=proposal.flow_set, run=proposal.run
    ).order_by("method")
    for sibling in siblings:
        rows.append(
            ComparisonRow(
                label=f"Proposition : {sibling.get_method_display()}",
                summary=sibling.summary,
                covered_population=sibling.summary.get("covered_population", 0),
                url=sibling.get_absolute_url(),
            )
        )
    area = area or area_of(proposal.scope, proposal.area_code)
    matrix = matrix_of(area, flow_rows(proposal.flow_set, area))
    cpts_list = cpts_of_area(area)
    for label, labels in (
        ("CPTS d'aujourd'hui", cpts_labels(area, cpts_list)),
        ("EPCI", epci_labels(area)[0]),
    ):
        quality = analytics.quality(labels, matrix, area.populations)
        summary = quality.summary()
        covered = int(area.populations[: area.size][labels[: area.size] >= 0].sum())
        summary["covered_population"] = covered
        rows.append(ComparisonRow(label=label, summary=summary, covered_population=covered))
    return rows


def area_population(area: Area) -> int:
    return int(area.populations[: area.size].sum())


# --- poles ---------------------------------------------------------------------------------


@dataclass
class PoleRow:
    code: str
    name: str
    inflow: int
    self_containment: float
    basin_count: int
    basin_population: int
    basin_codes: list[str]


def department_poles(
    flow_set: FlowSet, department: Department, count: int | None
) -> tuple[list[PoleRow], int, Area]:
    """The attraction poles of a department on the flow set (see
    `analytics.flows.attraction_poles`), and the default number of poles."""
    area = area_of(TerritoryProposal.Scope.DEPARTMENT, department.code)
    matrix = matrix_of(area, flow_rows(flow_set, area))
    poles, default = analytics.attraction_poles(matrix, area.active, area.populations, count)
    rows = [
        PoleRow(
            code=area.codes[p.index],
            name=area.names[p.index],
            inflow=int(round(p.inflow)),
            self_containment=p.self_containment,
            basin_count=len(p.basin),
            basin_population=p.basin_population,
            basin_codes=[area.codes[i] for i in p.basin],
        )
        for p in poles
    ]
    return rows, default, area
