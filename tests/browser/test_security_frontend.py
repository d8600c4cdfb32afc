"""The Content-Security-Policy holds on the main pages, and user text on maps stays text."""

from datetime import date

import pytest

from interurps.accounts.models import Role
from interurps.cpts import services as cpts_services
from interurps.cpts.models import Cpts
from interurps.geography.models import Department, Region
from tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS_NAME = '<img src=x onerror="window.__xss=1">'

# Records every CSP violation the page reports, from before any of its scripts runs
# (Playwright injects this through the DevTools protocol, which the CSP does not govern).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def watch_csp(page):
    """A list that fills with every CSP complaint and page error of `page`."""
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def cpts_with_territory(staff, name, codes=("53130",)):
    cpts = cpts_services.cpts_create(
        region=Region.objects.get(code="52"),
        name=name,
        main_department=Department.objects.get(code="53"),
        by=staff,
        started_on=date(2021, 1, 4),
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=list(codes))
    return Cpts.objects.get(pk=cpts.pk)


def test_cpts_name_with_html_is_shown_as_text_on_the_map(live_server, page):
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts_with_territory(staff, XSS_NAME)
    problems = watch_csp(page)
    log_in(page, live_server, staff)

    page.goto(f"{live_server.url}/departements/53/couverture/")
    page.wait_for_selector("#coverage-map[data-map-ready='true']", state="attached")
    page.locator("#coverage-map path.feature-cpts").first.hover()
    tooltip = page.locator(".leaflet-tooltip").first
    tooltip.wait_for()
    assert XSS_NAME in tooltip.inner_text()
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert problems == []


def test_main_pages_raise_no_csp_violation_and_maps_draw(live_server, page):
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = cpts_with_territory(staff, "CPTS du Pays de Laval")
    problems = watch_csp(page)
    log_in(page, live_server, staff)

    pages = [
        ("/", None),
        ("/geographie/regions/52/", "#region-map"),
        ("/departements/53/couverture/", "#coverage-map"),
        (f"/cpts/{cpts.pk}/territoire/", "#territory-map"),
        (f"/diagnostics/?cpts={cpts.pk}", "#density-map"),
        ("/federations/52/calendrier/", None),
        ("/federations/52/reunions/", None),
        (f"/cpts/{cpts.pk}/", None),
    ]
    for path, map_selector in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        if map_selector:
            page.wait_for_selector(f"{map_selector}[data-map-ready='true']", state="attached")
            assert page.locator(f"{map_selector} path.leaflet-interactive").count() >= 1, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], path
    assert problems == []


def test_admin_pages_raise_no_csp_violation(live_server, page):
    admin = UserFactory(is_staff=True, is_superuser=True)
    cpts = cpts_with_territory(admin, "CPTS du Pays de Laval")
    problems = watch_csp(page)
    log_in(page, live_server, admin)
    for path in ("/admin/", "/admin/cpts/cpts/", f"/admin/cpts/cpts/{cpts.pk}/change/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], path
    assert problems == []
