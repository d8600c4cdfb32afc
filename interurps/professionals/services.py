"""Writes to the professionals registry: Annuaire Santé synchronisation, synthetic data."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    FloatField,
    OuterRef,
    ProtectedError,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from interurps.core.text import normalize_name
from interurps.geography.models import Commune, Region
from interurps.organizations.models import Profession
from interurps.professionals import rules, synthetic
from interurps.professionals.annuaire import ActivityRow, ReadStats
from interurps.professionals.models import (
    PracticeSite,
    Professional,
    RegistryCount,
    RegistryCountState,
    RegistryImport,
    Source,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
PROFESSIONAL_FIELDS = [
    "identifier_kind",
    "last_name",
    "first_name",
    "search_name",
    "profession_id",
    "specialty",
    "practice_mode",
    "active",
]


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _search_name(last_name: str, first_name: str) -> str:
    return normalize_name(f"{last_name} {first_name}")[:210]


# --- Annuaire Santé synchronisation ---------------------------------------------------


@dataclass
class ProfessionalSyncReport:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    sites_created: int = 0
    sites_deleted: int = 0
    unknown_commune_sites: int = 0
    missing_commune_sites: int = 0
    unknown_commune_codes: set = field(default_factory=set)
    by_profession: dict = field(default_factory=dict)
    read: ReadStats | None = None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)

    def summary(self) -> str:
        parts = [
            f"created={self.created}",
            f"updated={self.updated}",
            f"retired={self.retired}",
            f"unchanged={self.unchanged}",
            f"sites_created={self.sites_created}",
            f"sites_deleted={self.sites_deleted}",
            f"unknown_commune_sites={self.unknown_commune_sites}",
            f"missing_commune_sites={self.missing_commune_sites}",
        ]
        if self.read is not None:
            parts += [
                f"lines={self.read.lines}",
                f"kept_lines={self.read.kept}",
                f"skipped_other_professions={self.read.skipped}",
                f"volunteer_lines={self.read.volunteer_lines}",
                f"errors={self.read.error_count}",
            ]
        if self.dry_run:
            parts.append("dry_run=1")
        return " ".join(parts)


@dataclass
class _Wanted:
    identifier_kind: str
    last_name: str
    first_name: str
    profession_id: str
    specialty: str
    sites: set = field(default_factory=set)

    def fields(self) -> dict:
        sites = sorted(self.sites)
        return {
            "identifier_kind": self.identifier_kind,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "search_name": _search_name(self.last_name, self.first_name),
            "profession_id": self.profession_id,
            "specialty": self.specialty,
            "practice_mode": rules.practice_mode_for(site[3] for site in sites),
            "active": True,
        }


def _collect(rows: Iterable[ActivityRow], commune_codes: set[str], report) -> dict[str, _Wanted]:
    """Group the file's lines by professional; a site is (structure, address, commune, mode,
    site id) and duplicates are merged."""
    wanted: dict[str, _Wanted] = {}
    for row in rows:
        item = wanted.get(row.identifier)
        if item is None:
            item = wanted[row.identifier] = _Wanted(
                identifier_kind=row.identifier_kind,
                last_name=row.last_name,
                first_name=row.first_name,
                profession_id=row.profession_code,
                specialty=row.specialty,
            )
        elif row.profession_code == "biologistes" and item.profession_id != "biologistes":
            # One biology line is enough (see the reader's rules).
            item.profession_id, item.specialty = row.profession_code, row.specialty
        elif not item.specialty and row.specialty and item.profession_id == row.profession_code:
            item.specialty = row.specialty
        if row.site_mode is None:
            continue
        commune = row.commune_code or None
        if commune is not None and commune not in commune_codes:
            report.unknown_commune_sites += 1
            report.unknown_commune_codes.add(commune)
            commune = None
        elif commune is None:
            report.missing_commune_sites += 1
        item.sites.add(
            (row.structure_name, row.address, commune or "", row.site_mode, row.site_identifier)
        )
    return wanted


# A yearly Annuaire Santé extraction retires a few percent of a region's professionals.
DEFAULT_MAX_RETIRE_SHARE = 0.1


def _check_retirements(*, wanted_count, retired_count, active_count, max_share) -> None:
    if wanted_count == 0:
        raise ValidationError(
            "Le fichier ne contient aucune ligne valide : aucun professionnel n'est retiré ni "
            "importé (relancez avec --force pour retirer tout le registre).",
            code="no_valid_line",
        )
    if active_count and retired_count > max_share * active_count:
        raise ValidationError(
            f"Ce fichier retirerait {retired_count} professionnel(s) sur {active_count} actifs "
            f"({retired_count / active_count:.0%}), plus que le maximum autorisé "
            f"({max_share:.0%}) : fichier incomplet ? Rien n'a été modifié (relancez avec "
            "--max-retire-share ou --force si c'est voulu).".replace("%", "\u00a0%"),
            code="too_many_retirements",
        )


@dataclass
class CollectedRows:
    """A file's lines grouped by professional, read before any write
    (`professionals_collect`): the background import reads the file outside its
    transaction, then hands this to `sync_professionals`."""

    wanted: dict
    report: ProfessionalSyncReport
    stats: ReadStats | None = None
    path: object = None
    extracted_on: object = None


def professionals_collect(reader_rows: Iterable[ActivityRow]) -> CollectedRows:
    """Read every line of `reader_rows` (an `AnnuaireReader` or any iterable of
    `ActivityRow`) and group them by professional. Reads the communes; writes nothing."""
    report = ProfessionalSyncReport()
    commune_codes = set(Commune.objects.values_list("code", flat=True))
    wanted = _collect(reader_rows, commune_codes, report)
    return CollectedRows(
        wanted=wanted,
        report=report,
        stats=getattr(reader_rows, "stats", None),
        path=getattr(reader_rows, "path", None),
        extracted_on=getattr(reader_rows, "extracted_on", None),
    )


def sync_professionals(
    reader_rows: Iterable[ActivityRow] | CollectedRows,
    source: str = Source.ANNUAIRE,
    *,
    progress: Callable[..., Iterable] | None = None,
    dry_run: bool = False,
    max_retire_share: float = DEFAULT_MAX_RETIRE_SHARE,
    force: bool = False,
) -> ProfessionalSyncReport:
    """Bring the professionals of `source` in line with `reader_rows` (an `AnnuaireReader`
    or any iterable of `ActivityRow`).

    Creates new professionals, updates changed ones (their sites are replaced as a whole),
    retires (active=False) those of the same source absent from the rows, and reactivates
    those that come back. Unchanged records are not written, so a second run with the same
    file changes nothing. Each run is recorded (`RegistryImport`: the extraction date read
    in the file name, national coverage). All in one transaction; with `dry_run` it is
    rolled back and only the report remains. Writes go in batches of 1,000.

    Retirement guard: a file without any valid line, or one that would retire more than
    `max_retire_share` of the source's active professionals, is refused (ValidationError,
    nothing written) unless `force`: a truncated or wrong file must not empty the registry.
    """
    progress = progress or (lambda iterable, **kwargs: iterable)
    collected = (
        reader_rows
        if isinstance(reader_rows, CollectedRows)
        else professionals_collect(reader_rows)
    )
    report, wanted = collected.report, collected.wanted
    report.dry_run = dry_run
    report.read = collected.stats
    profession_codes = set(Profession.objects.values_list("code", flat=True))
    missing = {w.profession_id for w in wanted.values()} - profession_codes
    if missing:
        raise ValidationError(
            f"Professions absentes de la base : {', '.join(sorted(missing))} "
            "(lancez « manage.py create_organizations »)."
        )

    with transaction.atomic():
        existing = {
            row[1]: (row[0], dict(zip(PROFESSIONAL_FIELDS, row[2:], strict=True)))
            for row in Professional.objects.filter(source=source)
            .values_list("pk", "identifier", *PROFESSIONAL_FIELDS)
            .iterator(chunk_size=BATCH_SIZE * 10)
        }
        existing_sites: dict[int, set] = {}
        for professional_id, *site in (
            PracticeSite.objects.filter(professional__source=source)
            .values_list(
                "professional_id",
                "structure_name",
                "address",
                "commune_id",
                "mode",
                "site_identifier",
            )
            .iterator(chunk_size=BATCH_SIZE * 10)
        ):
            site[2] = site[2] or ""
            existing_sites.setdefault(professional_id, set()).add(tuple(site))

        now = timezone.now()
        to_create, to_update, replace_sites = [], [], []
        for identifier, item in wanted.items():
            values = item.fields()
            if identifier not in existing:
                to_create.append(
                    Professional(identifier=identifier, source=source, updated_at=now, **values)
                )
                continue
            pk, current = existing[identifier]
            sites_differ = existing_sites.get(pk, set()) != item.sites
            if current != values or sites_differ:
                to_update.append(Professional(pk=pk, updated_at=now, **values))
                if sites_differ:
                    replace_sites.append(pk)
            else:
                report.unchanged += 1
        retired = [
            pk
            for identifier, (pk, current) in existing.items()
            if identifier not in wanted and current["active"]
        ]
        if not force:
            _check_retirements(
                wanted_count=len(wanted),
                retired_count=len(retired),
                active_count=sum(current["active"] for _, current in existing.values()),
                max_share=max_retire_share,
            )

        for batch in progress(
            list(_batches(to_create)), desc="Création des professionnels", unit="lot"
        ):
            Professional.objects.bulk_create(batch)
        for batch in progress(
            list(_batches(to_update)), desc="Mise à jour des professionnels", unit="lot"
        ):
            Professional.objects.bulk_update(batch, [*PROFESSIONAL_FIELDS, "updated_at"])
        for batch in _batches(retired):
            Professional.objects.filter(pk__in=batch).update(active=False, updated_at=now)
        for batch in _batches(replace_sites):
            report.sites_deleted += PracticeSite.objects.filter(professional_id__in=batch).delete()[
                0
            ]

        created_ids = [p.identifier for p in to_create]
        pk_by_identifier = {identifier: pk for identifier, (pk, _) in existing.items()}
        for batch in _batches(created_ids):
            pk_by_identifier.update(
                Professional.objects.filter(identifier__in=batch).values_list("identifier", "pk")
            )
        replace_set = set(replace_sites)
        new_sites = [
            PracticeSite(
                professional_id=pk_by_identifier[identifier],
                structure_name=site[0],
                address=site[1],
                commune_id=site[2] or None,
                mode=site[3],
                site_identifier=site[4],
            )
            for identifier, item in wanted.items()
            if identifier not in existing or existing[identifier][0] in replace_set
            for site in sorted(item.sites)
        ]
        for batch in progress(list(_batches(new_sites)), desc="Lieux d'exercice", unit="lot"):
            PracticeSite.objects.bulk_create(batch)

        report.created, report.updated, report.retired = (
            len(to_create),
            len(to_update),
            len(retired),
        )
        report.sites_created = len(new_sites)
        for item in wanted.values():
            report.by_profession[item.profession_id] = (
                report.by_profession.get(item.profession_id, 0) + 1
            )
        path = collected.path
        RegistryImport.objects.create(
            source=source,
            region=None,  # the Annuaire Santé extraction covers all of France
            data_date=collected.extracted_on,
            imported_at=now,
            file_name=path.name[:255] if path is not None else "",
            professionals=Professional.objects.filter(source=source, active=True).count(),
        )
        registry_counts_rebuild()
        logger.info("professionals sync source=%s %s", source, report.summary())
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- Synthetic professionals ----------------------------------------------------------

# Densities per 10,000 inhabitants. Source: DREES, démographie des professionnels de santé,
# 2021–2023 — ordres de grandeur, données synthétiques (médecins: généralistes libéraux).
SYNTHETIC_DENSITIES = {
    "medecins": 6.5,
    "infirmiers": 14.5,
    "masseurs-kinesitherapeutes": 10.5,
    "chirurgiens-dentistes": 5.0,
    "pharmaciens": 3.9,
    "pedicures-podologues": 2.0,
    "orthophonistes": 3.0,
    "orthoptistes": 0.9,
    "sages-femmes": 1.2,
    "biologistes": 0.4,
}
SECOND_SITE_SHARE = 0.15


def synthetic_densities() -> dict[str, float]:
    """The densities the generator draws with: the figures above times
    `settings.SYNTHETIC_REGISTRY_SCALE` (1 for the demo and the benchmarks; the test settings
    draw a quarter, so that the many tests loading the demo region stay fast)."""
    scale = settings.SYNTHETIC_REGISTRY_SCALE
    return {profession: density * scale for profession, density in SYNTHETIC_DENSITIES.items()}


SYNTHETIC_SPECIALTIES = {"medecins": "Médecine générale", "biologistes": "Biologie médicale"}
FIRST_NAMES = [
    "Camille", "Dominique", "Claude", "Alix", "Sacha", "Maxime", "Morgane", "Lou", "Charlie",
    "Noa", "Élise", "Julien", "Manon", "Hugo", "Léa", "Louis", "Chloé", "Paul", "Inès",
    "Arthur", "Zoé", "Jules", "Anaïs", "Théo", "Clara", "Nathan", "Sarah", "Gabriel",
    "Margaux", "Victor",
]  # fmt: skip
LAST_NAMES = [
    "Fictif", "Exemple", "Demo", "Modèle", "Essai", "Prototype", "Maquette", "Spécimen",
    "Échantillon", "Simulé", "Virtuel", "Factice", "Imaginaire", "Témoin", "Gabarit",
    "Brouillon", "Esquisse", "Canevas", "Patron", "Ébauche",
]  # fmt: skip


@dataclass
class SyntheticReport:
    region_code: str
    created: int = 0
    sites: int = 0
    deleted: int = 0
    skipped: bool = False
    by_profession: dict = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"region={self.region_code} created={self.created} sites={self.sites} "
            f"deleted={self.deleted} skipped={int(self.skipped)}"
        )


def _region_communes(region: Region):
    """Communes of the region, Paris/Lyon/Marseille counted by arrondissement (not twice)."""
    return (
        Commune.objects.filter(department__region=region)
        .filter(~Exists(Commune.objects.filter(parent=OuterRef("pk"))))
        .order_by("code")
    )


def _synthetic_of_region(region: Region):
    return Professional.objects.filter(
        source=Source.SYNTHETIC,
        identifier__startswith=f"{rules.SYNTHETIC_PREFIX}{region.code.zfill(2)}",
    )


def _protected_message(error: ProtectedError, region: Region) -> str:
    """Why the synthetic registry of `region` cannot be replaced, in French: the records of
    other modules that point at some of its professionals (accounts, SAS, REPER…)."""
    kinds = sorted({obj._meta.verbose_name_plural for obj in error.protected_objects})
    return (
        f"Impossible de remplacer les professionnels fictifs de la région {region.name} : "
        f"{len(error.protected_objects)} enregistrement(s) y renvoient "
        f"({', '.join(kinds)}). Retirez d'abord ces liens, ou générez le répertoire "
        "avant de charger la démonstration."
    )


@transaction.atomic
def professionals_generate_synthetic(
    *, region: Region, seed: int = 1, replace: bool = False
) -> SyntheticReport:
    """Create fictitious professionals across `region`'s communes (demo and benchmarks).

    Counts per commune and profession follow `synthetic.draw_professionals` (Poisson with
    mean density × population / 10,000, seeded). Each professional gets a fictitious name,
    an identifier "SYN" + region code + sequence, and one liberal site in the drawn commune;
    15 % also practise at a second liberal site in the nearest other commune of the region.
    The generation is recorded (`RegistryImport`, dated today) so that diagnostics can say
    which data they show and which region the registry covers. Idempotent: when the region
    already has synthetic records nothing happens, unless
    `replace`, which deletes them first.
    """
    report = SyntheticReport(region_code=region.code)
    existing = _synthetic_of_region(region)
    if existing.exists():
        if not replace:
            report.skipped = True
            logger.info("synthetic professionals %s", report.summary())
            return report
        try:
            with transaction.atomic():
                report.deleted = existing.delete()[1].get("professionals.Professional", 0)
        except ProtectedError as error:
            raise ValidationError(_protected_message(error, region)) from error

    communes = list(
        _region_communes(region).values_list("code", "population", "latitude", "longitude")
    )
    draws = synthetic.draw_professionals(
        [(code, population or 0) for code, population, _, _ in communes],
        synthetic_densities(),
        seed,
    )
    rng = np.random.default_rng(seed)
    codes = [c[0] for c in communes]
    position = {code: i for i, code in enumerate(codes)}
    coordinates = np.array(
        [(lat if lat is not None else np.nan, lon if lon is not None else np.nan)
         for _, _, lat, lon in communes],
        dtype=float,
    )  # fmt: skip
    prefix = f"{rules.SYNTHETIC_PREFIX}{region.code.zfill(2)}"
    today = timezone.localdate()
    professionals, sites = [], []
    sequence = 0
    for commune_code, profession_code, count in draws:
        for _ in range(count):
            sequence += 1
            first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
            last = LAST_NAMES[rng.integers(len(LAST_NAMES))]
            start = date(1985, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 38)))
            identifier = f"{prefix}{sequence:06d}"
            professionals.append(
                Professional(
                    identifier=identifier,
                    identifier_kind=rules.KIND_SYNTHETIC,
                    last_name=last,
                    first_name=first,
                    search_name=_search_name(last, first),
                    profession_id=profession_code,
                    specialty=SYNTHETIC_SPECIALTIES.get(profession_code, ""),
                    practice_mode=rules.MODE_LIBERAL,
                    active=True,
                    source=Source.SYNTHETIC,
                    activity_start=min(start, today),
                )
            )
            site_communes = [commune_code]
            if rng.random() < SECOND_SITE_SHARE:
                neighbour = _nearest(coordinates, position[commune_code])
                if neighbour is not None:
                    site_communes.append(codes[neighbour])
            sites.append((identifier, site_communes))
            report.by_profession[profession_code] = report.by_profession.get(profession_code, 0) + 1

    for professional in professionals:
        error = rules.identifier_error(
            professional.identifier, professional.identifier_kind, professional.source
        )
        if error:
            raise ValidationError({"identifier": error})
    for batch in _batches(professionals):
        Professional.objects.bulk_create(batch)
    pk_by_identifier = dict(_synthetic_of_region(region).values_list("identifier", "pk"))
    site_objects = [
        PracticeSite(
            professional_id=pk_by_identifier[identifier],
            structure_name=f"Cabinet fictif n° {pk_by_identifier[identifier]}",
            commune_id=code,
            mode=rules.SITE_LIBERAL,
        )
        for identifier, site_communes in sites
        for code in site_communes
    ]
    for batch in _batches(site_objects):
        PracticeSite.objects.bulk_create(batch)
    report.created, report.sites = len(professionals), len(site_objects)
    RegistryImport.objects.create(
        source=Source.SYNTHETIC,
        region=region,
        data_date=today,
        professionals=len(professionals),
    )
    registry_counts_rebuild()
    logger.info("synthetic professionals %s", report.summary())
    return report


def _nearest(coordinates: np.ndarray, index: int) -> int | None:
    """Index of the nearest other commune (equirectangular distance on centroids)."""
    lat, lon = coordinates[index]
    if np.isnan(lat):
        return None
    d_lat = coordinates[:, 0] - lat
    d_lon = (coordinates[:, 1] - lon) * np.cos(np.radians(lat))
    distance = d_lat**2 + d_lon**2
    distance[index] = np.inf
    distance[np.isnan(distance)] = np.inf
    best = int(np.argmin(distance))
    return None if np.isinf(distance[best]) else best


# --- Counts maintained with the registry ------------------------------------------------


def _registry_summary() -> dict:
    """What the registry holds, for its page: active and retired per profession, synthetic
    regions, sources (a few GROUP BY queries)."""
    active = Professional.objects.filter(active=True)
    synthetic_regions = sorted(
        active.filter(source=Source.SYNTHETIC)
        .annotate(region=Substr("identifier", len(rules.SYNTHETIC_PREFIX) + 1, 2))
        .order_by()
        .values_list("region", flat=True)
        .distinct()
    )
    by_profession = {False: {}, True: {}}
    for is_active, profession, n in (
        Professional.objects.order_by()
        .values_list("active", "profession_id")
        .annotate(n=Count("pk"))
        .values_list("active", "profession_id", "n")
    ):
        by_profession[is_active][profession] = n
    return {
        "active_by_profession": by_profession[True],
        "retired_by_profession": by_profession[False],
        "synthetic_regions": synthetic_regions,
        "sources": sorted(active.order_by().values_list("source", flat=True).distinct()),
        "all_sources": sorted(
            Professional.objects.order_by().values_list("source", flat=True).distinct()
        ),
    }


@transaction.atomic
def registry_counts_rebuild() -> RegistryCountState:
    """Recompute `RegistryCount` (persons, sites and supply per commune, department, region
    and France, per profession, liberal sites and all sites) and the registry's summary,
    in the caller's transaction. Called by the import and the generator after their writes,
    and by « manage.py rebuild_registry_counts »."""
    state, _ = RegistryCountState.objects.select_for_update().get_or_create(pk=1)
    rows = list(
        PracticeSite.objects.filter(professional__active=True)
        .order_by()
        .values_list(
            "professional_id",
            "professional__profession_id",
            "commune_id",
            "commune__department_id",
            "commune__department__region_id",
            "mode",
        )
        .iterator(chunk_size=20_000)
    )
    RegistryCount.objects.all().delete()
    records = [
        RegistryCount(
            scope=scope,
            code=code,
            profession_id=profession,
            liberal_only=liberal_only,
            persons=persons,
            sites=sites,
            supply=supply,
        )
        for liberal_only in (False, True)
        for (scope, code, profession), (persons, sites, supply) in rules.registry_counts(
            rows, liberal_only=liberal_only
        ).items()
    ]
    RegistryCount.objects.bulk_create(records, batch_size=5_000)
    state.summary = _registry_summary()
    state.stale = False
    state.version += 1
    state.built_at = timezone.now()
    state.save()
    if connection.vendor == "postgresql":
        # Bulk writes leave the planner's statistics behind (a seq scan of the registry for
        # a CPTS's count): refresh them, as autovacuum would later.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE professionals_professional, professionals_practicesite, "
                "professionals_registrycount"
            )
    logger.info("registry counts rebuilt version=%s rows=%s", state.version, len(records))
    return state


def _count_rows(*, professions: set[str], communes, departments, regions) -> list[RegistryCount]:
    """`RegistryCount` rows of `professions` for these areas and France, counted by the
    database (the same figures as `rules.registry_counts` over the whole registry)."""
    records = []
    for liberal_only in (False, True):
        sites = PracticeSite.objects.filter(
            professional__active=True, professional__profession_id__in=professions
        ).order_by()
        if liberal_only:
            sites = sites.filter(mode=rules.SITE_LIBERAL)
        counted = {"persons": Count("professional_id", distinct=True), "sites": Count("pk")}
        known_sites = (
            sites.filter(professional_id=OuterRef("professional_id"), commune__isnull=False)
            .values("professional_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        per_area = [
            (RegistryCount.Scope.FRANCE, sites, None),
            (
                RegistryCount.Scope.REGION,
                sites.filter(commune__department__region_id__in=regions),
                "commune__department__region_id",
            ),
            (
                RegistryCount.Scope.DEPARTMENT,
                sites.filter(commune__department_id__in=departments),
                "commune__department_id",
            ),
        ]
        for scope, queryset, area in per_area:
            fields = ["professional__profession_id"] + ([area] if area else [])
            for row in queryset.values(*fields).annotate(**counted):
                records.append(
                    RegistryCount(
                        scope=scope,
                        code=row[area] if area else "FR",
                        profession_id=row["professional__profession_id"],
                        liberal_only=liberal_only,
                        persons=row["persons"],
                        sites=row["sites"],
                    )
                )
        for row in (
            sites.filter(commune_id__in=communes)
            .values("professional__profession_id", "commune_id")
            .annotate(
                **counted,
                supply=Sum(
                    Value(1.0, output_field=FloatField())
                    / Cast(Subquery(known_sites), FloatField())
                ),
            )
        ):
            records.append(
                RegistryCount(
                    scope=RegistryCount.Scope.COMMUNE,
                    code=row["commune_id"],
                    profession_id=row["professional__profession_id"],
                    liberal_only=liberal_only,
                    persons=row["persons"],
                    sites=row["sites"],
                    supply=row["supply"] or 0.0,
                )
            )
    return records


@transaction.atomic
def registry_counts_refresh(*, communes: Iterable[str | None], professions: Iterable[str]) -> None:
    """Recount the registry's figures that a change of a few professionals touches: their
    `professions` in the `communes` where their sites were or are now, those communes'
    departments and regions, and France. Called after an edit one by one (the admin); the
    import and the generator rebuild everything. A few indexed GROUP BY queries, where a
    whole rebuild reads every site of the country (about 30 s at national scale).
    """
    state, _ = RegistryCountState.objects.select_for_update().get_or_create(pk=1)
    if state.stale or state.built_at is None:
        registry_counts_rebuild()
        return
    professions = {code for code in professions if code}
    codes = {code for code in communes if code}
    areas = list(
        Commune.objects.filter(code__in=codes).values_list(
            "code", "department_id", "department__region_id"
        )
    )
    communes_ = {code for code, _, _ in areas}
    departments = {department for _, department, _ in areas if department}
    regions = {region for _, _, region in areas if region}
    if professions:
        Scope = RegistryCount.Scope
        RegistryCount.objects.filter(profession_id__in=professions).filter(
            Q(scope=Scope.FRANCE)
            | Q(scope=Scope.REGION, code__in=regions)
            | Q(scope=Scope.DEPARTMENT, code__in=departments)
            | Q(scope=Scope.COMMUNE, code__in=communes_)
        ).delete()
        RegistryCount.objects.bulk_create(
            _count_rows(
                professions=professions,
                communes=communes_,
                departments=departments,
                regions=regions,
            ),
            batch_size=5_000,
        )
    state.summary = _registry_summary()
    state.version += 1
    state.built_at = timezone.now()
    state.save()
    logger.info(
        "registry counts refreshed version=%s professions=%s communes=%s",
        state.version,
        len(professions),
        len(communes_),
    )
