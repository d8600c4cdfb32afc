"""Indicators of a territory (any set of communes) against its department, region and
France: population, professionals per profession, densities, accessibility (E2SFCA)."""

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from interurps.analytics import accessibility
from interurps.geography.models import Commune, Department, Region
from interurps.organizations.models import Profession
from interurps.professionals import selectors as professional_selectors

PER = 10_000
# Supply reaches demand within the last band (20 km); accessibility at a commune depends on
# supply up to 20 km away and on that supply's own demand up to 20 km further.
BUFFER_KM = 40.0
KM_PER_DEGREE_LATITUDE = 111.2
# Geography (communes, populations) changes only when it is imported: read once an hour.
REFERENCE_SECONDS = 3600


@dataclass
class Territory:
    label: str
    communes: list[Commune]
    kind: str = "selection"
    code: str = ""  # the department's or region's code when the territory is one

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.communes]

    @property
    def population(self) -> int:
        return sum(c.population or 0 for c in self.communes)


def density(count: float, population: int) -> float | None:
    return None if not population else count * PER / population


@dataclass
class Level:
    label: str
    population: int
    counts: dict[str, int]
    liberal_counts: dict[str, int]
    kind: str = "territoire"

    def density(self, profession: str, *, liberal: bool = True) -> float | None:
        counts = self.liberal_counts if liberal else self.counts
        return density(counts.get(profession, 0), self.population)


@dataclass
class HiddenLevel:
    """A comparison level left out, and why (shown on the page)."""

    label: str
    reason: str


def _area_level(label, scope, code, population, kind, state=None) -> Level:
    counts, liberal_counts = professional_selectors.area_counts(scope, code, state=state)
    return Level(
        label=label,
        population=population,
        counts=counts,
        liberal_counts=liberal_counts,
        kind=kind,
    )


def _territory_level(territory: Territory, state=None) -> Level:
    """The territory's own column: a department or a region is read in the registry's
    counts, any other set of communes counted (whole people) over its sites."""
    if territory.code and territory.kind in ("departement", "region"):
        return _area_level(
            territory.label,
            territory.kind,
            territory.code,
            territory.population,
            "territoire",
            state,
        )
    return _level(territory.label, territory.codes, territory.population, "territoire")


def _level(label, commune_codes, population, kind) -> Level:
    return Level(
        label=label,
        population=population,
        counts=professional_selectors.counts_by_profession(commune_codes, liberal_only=False),
        liberal_counts=professional_selectors.counts_by_profession(
            commune_codes, liberal_only=True
        ),
        kind=kind,
    )


def _same_communes(territory: Territory, level_key: str, level_communes) -> bool:
    """Whether the territory is made of exactly the communes of a level (Paris, Lyon and
    Marseille counted as whole cities), so that both columns are identical by construction."""
    tops = {c.parent_id or c.code for c in territory.communes}
    wanted = level_communes.filter(kind=Commune.Kind.COMMUNE)
    size = cache.get_or_set(f"geography:communes:{level_key}", wanted.count, REFERENCE_SECONDS)
    return len(tops) == size and not wanted.exclude(code__in=tops).exists()


def coverage_label(covered: set[str]) -> str:
    """The covered area in words: whole regions by name, then the other departments."""
    regions = []
    rest = set(covered)
    for region_name, codes in _region_departments():
        if codes and codes <= rest:
            regions.append(region_name)
            rest -= codes
    departments = (
        [
            f"{d.name} ({d.code})"
            for d in Department.objects.filter(code__in=rest).only("code", "name").order_by("code")
        ]
        if rest
        else []
    )
    return ", ".join(regions + departments)


def _region_departments() -> list[tuple[str, set[str]]]:
    """(region name, its department codes), by name: reference data, cached."""

    def read():
        departments = Prefetch("departments", queryset=Department.objects.only("code", "region"))
        regions = Region.objects.only("code", "name").prefetch_related(departments)
        return [
            (region.name, {d.code for d in region.departments.all()})
            for region in regions.order_by("name")
        ]

    return cache.get_or_set("geography:region-departments", read, REFERENCE_SECONDS)


def reference_levels(
    territory: Territory, covered: set[str] | None = None, *, state=None
) -> tuple[list[Level], list[HiddenLevel]]:
    """The territory, then its (main) department, its region and France, each shown only
    when the registry covers every one of its departments (`covered`, by default
    `professionals.selectors.covered_departments()`): a density computed over a partly
    covered level would be an artefact of the data, not of the territory.

    A level made of exactly the territory's communes (the territory is a department or a
    region) is left out: its column would repeat the territory's. Returns the levels shown
    and the levels hidden with their reason.
    """
    if covered is None:
        covered = professional_selectors.covered_departments(state=state)
    levels = [_territory_level(territory, state)]
    hidden: list[HiddenLevel] = []
    candidates = []
    departments = [c.department for c in territory.communes]
    if departments:
        main = max(set(departments), key=departments.count)
        region = main.region
        candidates += [
            (
                f"{main.name} ({main.code})",
                "departement",
                main.code,
                Commune.objects.filter(department=main),
                {main.code},
                main.population,
            ),
            (
                region.name,
                "region",
                region.code,
                Commune.objects.filter(department__region=region),
                set(region.departments.values_list("code", flat=True)),
                region.population,
            ),
        ]
    france_population = cache.get_or_set(
        "geography:france-population",
        lambda: Region.objects.aggregate(total=Sum("population"))["total"] or 0,
        REFERENCE_SECONDS,
    )
    candidates.append(
        (
            "France",
            "france",
            "FR",
            Commune.objects.all(),
            set(Department.objects.values_list("code", flat=True)),
            france_population,
        )
    )
    uncovered_reason = (
        "le registre des professionnels ne couvre que {area} : une densité calculée sur "
        "ce niveau compterait ses habitants sans ses professionnels."
    )
    for label, kind, code, communes, department_codes, population in candidates:
        if _same_communes(territory, f"{kind}:{code}", communes):
            continue
        if not department_codes <= covered:
            area = coverage_label(covered)
            reason = (
                uncovered_reason.format(area=area)
                if area
                else "le registre des professionnels est vide."
            )
            hidden.append(HiddenLevel(label, reason))
            continue
        levels.append(_area_level(label, kind, code, population, kind, state))
    return levels, hidden


@dataclass
class CommuneRow:
    """One commune: `count` is whole people (distinct professionals with a liberal site
    there), `density` is per 10,000 inhabitants, `accessibility` the E2SFCA value (where a
    professional with n sites counts 1/n on each)."""

    commune: Commune
    count: int
    density: float | None
    accessibility: float | None
    below_threshold: bool


@dataclass
class Diagnostic:
    territory: Territory
    profession: Profession
    levels: list[Level]
    rows: list[CommuneRow]
    bands: tuple
    threshold: float | None
    territory_accessibility: float | None
    professions: list[Profession] = field(default_factory=list)
    hidden_levels: list[HiddenLevel] = field(default_factory=list)
    territory_covered: bool = True
    coverage: str = ""
    show_all_modes: bool = True
    sources: list = field(default_factory=list)

    @property
    def comparison(self) -> list[dict]:
        """One row per profession: counts and densities at every level."""
        return [
            {
                "profession": p,
                "count": self.levels[0].liberal_counts.get(p.code, 0),
                "count_all": self.levels[0].counts.get(p.code, 0),
                "densities": [level.density(p.code) for level in self.levels],
            }
            for p in self.professions
        ]

    @property
    def flagged(self) -> list[CommuneRow]:
        return [r for r in self.rows if r.below_threshold]


class BufferUnit(NamedTuple):
    code: str
    population: int | None
    latitude: float
    longitude: float
    parent_id: str | None


def _buffer_box(communes: list[Commune]) -> QuerySet[Commune] | None:
    """Communes whose centroid lies within BUFFER_KM of the territory's bounding box."""
    located = [c for c in communes if c.latitude is not None]
    if not located:
        return None
    lat_min = min(c.latitude for c in located)
    lat_max = max(c.latitude for c in located)
    lon_min = min(c.longitude for c in located)
    lon_max = max(c.longitude for c in located)
    dlat = BUFFER_KM / KM_PER_DEGREE_LATITUDE
    widest = np.cos(np.radians(max(abs(lat_min), abs(lat_max))))
    dlon = BUFFER_KM / (KM_PER_DEGREE_LATITUDE * widest)
    return Commune.objects.filter(
        latitude__range=(lat_min - dlat, lat_max + dlat),
        longitude__range=(lon_min - dlon, lon_max + dlon),
    )


def _buffer_communes(communes: list[Commune], box=None) -> list[BufferUnit]:
    """The units of the accessibility computation: the communes of `_buffer_box`."""
    box = box if box is not None else _buffer_box(communes)
    if box is None:
        return []
    # Plain rows, not communes: a large department and its buffer are some 2,000 of them.
    units = [
        BufferUnit(*row)
        for row in box.order_by("name", "code").values_list(
            "code", "population", "latitude", "longitude", "parent_id"
        )
    ]
    in_territory = {c.code for c in communes}
    cities_with_districts = {u.parent_id for u in units if u.parent_id}

    def counted(unit) -> bool:
        # Paris, Lyon and Marseille count once: by district, unless the territory is drawn
        # on the whole city.
        if unit.parent_id:
            return unit.parent_id not in in_territory
        if unit.code in cities_with_districts:
            return unit.code in in_territory
        return True

    return [u for u in units if counted(u)]


def commune_accessibility(
    territory: Territory, profession_code: str, bands=accessibility.DEFAULT_BANDS, *, state=None
) -> dict[str, float]:
    """E2SFCA accessibility (liberal professionals per 10,000 inhabitants) of the territory's
    communes, computed over the territory and a 40 km buffer around it."""
    box = _buffer_box(territory.communes)
    units = _buffer_communes(territory.communes, box)
    if not units:
        return {}
    codes = [u.code for u in units]
    # The box as a subquery: two thousand codes sent as parameters cost more than the read.
    supply_map = professional_selectors.supply_by_commune(
        profession_code, liberal_only=True, commune_codes=box.values("code"), state=state
    )
    supply = np.array([supply_map.get(code, 0.0) for code in codes], dtype=float)
    demand = np.array([u.population or 0 for u in units], dtype=float)
    neighbourhood = accessibility.build_neighbourhood(
        np.array([u.latitude for u in units]),
        np.array([u.longitude for u in units]),
        max_km=max(bound for bound, _ in bands),
    )
    values = accessibility.e2sfca(supply, demand, neighbourhood, bands=bands, per=PER)
    wanted = set(territory.codes)
    return {code: float(v) for code, v in zip(codes, values, strict=True) if code in wanted}


def diagnostic(
    territory: Territory,
    profession_code: str = "medecins",
    *,
    bands=accessibility.DEFAULT_BANDS,
    threshold: float | None = None,
) -> Diagnostic:
    professions = list(Profession.objects.all())
    profession = next(p for p in professions if p.code == profession_code)
    state = professional_selectors.registry_state()
    covered = professional_selectors.covered_departments(state=state)
    levels, hidden = reference_levels(territory, covered, state=state)
    access = commune_accessibility(territory, profession_code, bands, state=state)
    per_commune = professional_selectors.persons_by_commune(
        profession_code, liberal_only=True, commune_codes=territory.codes, state=state
    )
    rows = []
    for commune in sorted(territory.communes, key=lambda c: c.name):
        count = per_commune.get(commune.code, 0)
        value = access.get(commune.code)
        rows.append(
            CommuneRow(
                commune=commune,
                count=count,
                density=density(count, commune.population or 0),
                accessibility=value,
                below_threshold=threshold is not None and value is not None and value < threshold,
            )
        )
    populations = np.array([c.population or 0 for c in territory.communes], dtype=float)
    values = np.array([access.get(c.code, 0.0) for c in territory.communes], dtype=float)
    territory_value = (
        accessibility.population_weighted_mean(values, populations) if populations.sum() else None
    )
    return Diagnostic(
        hidden_levels=hidden,
        territory_covered={c.department_id for c in territory.communes} <= covered,
        coverage=coverage_label(covered),
        # Synthetic professionals are all liberal by construction: « tous modes » would
        # repeat « libéraux ».
        show_all_modes=not professional_selectors.only_synthetic(state=state),
        sources=professional_selectors.latest_imports(state=state),
        territory=territory,
        profession=profession,
        levels=levels,
        rows=rows,
        bands=tuple(bands),
        threshold=threshold,
        territory_accessibility=territory_value,
        professions=professions,
    )


# Outlines are served apart (geography:communes_geojson): a territory's communes are read
# without them, nor their department's and region's.
WITHOUT_OUTLINES = ("geometry", "department__geometry", "department__region__geometry")


def territory_communes(communes) -> list[Commune]:
    return list(communes.select_related("department__region").defer(*WITHOUT_OUTLINES))


def territory_from_cpts(cpts) -> Territory:
    return Territory(
        label=cpts.name,
        communes=territory_communes(cpts.communes.all()),
        kind="cpts",
    )


def territory_from_codes(codes: list[str], label: str = "Territoire choisi") -> Territory:
    communes = territory_communes(Commune.objects.filter(code__in=codes))
    return Territory(label=label, communes=communes)


def territory_from_department(department: Department) -> Territory:
    return Territory(
        label=f"{department.name} ({department.code})",
        communes=territory_communes(department.communes.filter(kind=Commune.Kind.COMMUNE)),
        kind="departement",
        code=department.code,
    )


def sources_text(sources) -> str:
    """The registry's source and date in one French sentence (Excel exports)."""
    parts = []
    for record in sources:
        if record.source == "annuaire":
            when = (
                f"extraction du {record.data_date:%d/%m/%Y}"
                if record.data_date
                else "extraction de date inconnue"
            )
            imported = timezone.localdate(record.imported_at)
            parts.append(f"Annuaire Santé (ANS), {when}, importée le {imported:%d/%m/%Y}")
        else:
            day = record.data_date or timezone.localdate(record.imported_at)
            region = f" ({record.region.name})" if record.region else ""
            parts.append(
                f"Données synthétiques de démonstration{region} générées le {day:%d/%m/%Y}"
            )
    return " ; ".join(parts) or "source et date des données non enregistrées"
