"""axe-core on the main pages (French browser, with the CSP on), and the phone layout."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from interurps.cpts.models import Cpts
from interurps.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from interurps.events.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_EMAIL = next(a.email for a in DEMO_ACCOUNTS if a.email.startswith("charge.mission@"))


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_violation(live_server, page, browser_demo):
    federation = browser_demo
    cpts = Cpts.objects.filter(region_id="52").exclude(communes=None).order_by("name").first()
    event = Event.objects.filter(federation=federation).first()
    found = {}

    page.goto(f"{live_server.url}/comptes/connexion/")
    found["connexion"] = serious_violations(page)
    log_in(page, live_server, STAFF_EMAIL)
    pages = {
        "accueil": "/",
        "liste des CPTS": "/regions/52/cpts/",
        "page CPTS": f"/cpts/{cpts.pk}/",
        "carte de couverture": "/regions/52/couverture/",
        "diagnostic": f"/diagnostics/?cpts={cpts.pk}",
        "calendrier": "/federations/52/calendrier/",
        "réunions": "/federations/52/reunions/",
        "événement": f"/evenements/{event.pk}/",
        "rapport": "/federations/52/rapport/2021/",
    }
    for name, path in pages.items():
        assert page.goto(f"{live_server.url}{path}").status == 200, name
        for element in page.locator("[data-map]").all():
            element.and_(page.locator("[data-map-ready='true']")).wait_for(state="attached")
        found[name] = serious_violations(page)
    failing = {name: v for name, v in found.items() if v}
    assert failing == {}, "\n".join(f"{name}: {v}" for name, v in failing.items())


def test_phone_menu_opens_and_wide_tables_scroll_inside_the_page(
    live_server, phone_page, browser_demo
):
    page = phone_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, STAFF_EMAIL)

    menu_button = page.get_by_role("button", name="Menu")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert not navigation.is_visible()
    menu_button.click()
    assert menu_button.get_attribute("aria-expanded") == "true"
    assert navigation.get_by_role("link", name="CPTS", exact=True).is_visible()
    navigation.get_by_role("link", name="CPTS", exact=True).click()
    page.wait_for_url(f"{live_server.url}/regions/52/cpts/")

    for path in ("/regions/52/cpts/", "/federations/52/reunions/", "/regions/52/couverture/"):
        page.goto(f"{live_server.url}{path}")
        widths = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth,"
            " Math.max(...[...document.querySelectorAll('table')].map(t => t.scrollWidth))]"
        )
        page_width, viewport, widest_table = widths
        assert widest_table > viewport, path  # the test does look at a table wider than a phone
        assert page_width <= viewport, path
        region = page.locator(".table-scroll[role='region'][tabindex='0']").first
        assert region.get_attribute("aria-label"), path
        assert serious_violations(page) == [], path  # e.g. scrollable-region-focusable

    # The calendar opens on its list view on a phone.
    page.goto(f"{live_server.url}/federations/52/calendrier/")
    page.wait_for_url("**vue=liste**")
    assert page.locator("#calendar-grid").count() == 0
    assert errors == []
