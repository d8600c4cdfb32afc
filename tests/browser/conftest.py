import os
import shutil

import pytest
from django.core.management import call_command

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
