import os
import shutil

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from interurps.demo.loader import demo_load
from interurps.organizations.models import Federation

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def reference_data(transactional_db, small_geography_source):
    """Browser tests run against a live server, outside the per-test transaction, and the
    database is flushed after each of them: reload the (idempotent) reference data."""
    call_command("import_geography", source=small_geography_source, verbosity=0)
    call_command("create_organizations", verbosity=0)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A desktop page in a French browser: dates, numbers and inputs as French users get
    them. Every browser test uses this (or `phone_page`), never a bare English page."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (375 × 667, touch) in a French browser."""
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


class DemoTables:
    """Every table's rows as the demo left them, copied once to be put back for the next
    browser tests that need the demo: restoring them takes about a second where loading the
    demo takes ten (its synthetic registry, its SAS requests booked through the search).

    Copied as they are stored: PostgreSQL with COPY, SQLite into an attached database."""

    def __init__(self, directory):
        self.path = str(directory / "demo.sqlite3")
        self.postgresql = {}
        self.copied = False

    def tables(self):
        return connection.introspection.django_table_names(only_existing=True, include_views=False)

    def copy(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in self.tables():
                    with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                        self.postgresql[table] = b"".join(bytes(block) for block in copy)
            else:
                cursor.execute("ATTACH DATABASE %s AS demo_copy", [self.path])
                try:
                    for table in self.tables():
                        name = quote(table)
                        cursor.execute(f"CREATE TABLE demo_copy.{name} AS SELECT * FROM {name}")
                finally:
                    cursor.execute("DETACH DATABASE demo_copy")
        self.copied = True

    def restore(self):
        quote = connection.ops.quote_name
        flush = connection.ops.sql_flush(no_style(), self.tables(), allow_cascade=True)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with transaction.atomic():
                    for sql in flush:
                        cursor.execute(sql)
                    for table, rows in self.postgresql.items():
                        with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                            copy.write(rows)
                    models = apps.get_models(include_auto_created=True)
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)
            else:
                cursor.execute("ATTACH DATABASE %s AS demo_copy", [self.path])
                try:
                    with transaction.atomic():
                        for sql in flush:
                            cursor.execute(sql)
                        for table in self.tables():
                            name = quote(table)
                            cursor.execute(f"INSERT INTO {name} SELECT * FROM demo_copy.{name}")
                finally:
                    cursor.execute("DETACH DATABASE demo_copy")
        # The flush after the last test recreated the content types with other ids.
        ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def demo_tables(tmp_path_factory):
    return DemoTables(tmp_path_factory.mktemp("demo_tables"))


@pytest.fixture
def browser_demo(reference_data, demo_tables):
    """The Pays de la Loire demo (`demo_load`), committed for the live server: loaded by
    the first browser test that asks for it, put back from a copy of the tables for the
    others (the database is flushed after each browser test). Returns the federation."""
    if demo_tables.copied:
        demo_tables.restore()
        return Federation.objects.get(region_id="52")
    federation, _ = demo_load(region_code="52")
    demo_tables.copy()
    return federation
