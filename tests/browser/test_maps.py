"""Maps: names as labels when zoomed in, a scale bar, the keyboard, the CPTS outline on the
diagnostic, and the territory editor's list of chosen communes."""

from datetime import date

import pytest

from interurps.accounts.models import Role
from interurps.cpts import services as cpts_services
from interurps.geography.models import Commune, Department, Region
from tests.browser.test_security_frontend import watch_csp
from tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def staff_and_cpts():
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = cpts_services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS du Pays de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
        started_on=date(2021, 1, 4),
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=["53130"])
    return staff, cpts


def test_territory_editor_lists_chosen_communes_by_name(live_server, page, staff_and_cpts):
    staff, cpts = staff_and_cpts
    laval = Commune.objects.get(code="53130").name
    other = Commune.objects.get(code="53062").name
    problems = watch_csp(page)
    log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/cpts/{cpts.pk}/territoire/")
    page.wait_for_selector("#territory-map[data-map-ready='true']", state="attached")
    chosen = page.locator("#selected-communes")
    assert chosen.inner_text().startswith(f"{laval} (53130)")

    page.locator("path.feature-53062").dispatch_event("click")
    assert f"{other} (53062)" in chosen.inner_text()
    assert page.locator("[data-selected-count]").inner_text() == "2"

    chosen.get_by_role("button", name=f"Retirer {laval}").click()
    assert laval not in chosen.inner_text()
    assert page.locator("#id_codes").input_value().split() == ["53062"]
    # The htmx check answered the last change (swapped into the page) within the CSP.
    page.wait_for_selector("#territory-check >> text=1 commune ·")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_map_has_scale_labels_on_zoom_and_keyboard(live_server, page, staff_and_cpts):
    staff, _ = staff_and_cpts
    log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/geographie/departements/53/")
    map_element = page.locator("[data-map]").first
    map_element.and_(page.locator("[data-map-ready='true']")).wait_for(state="attached")
    assert "km" in page.locator(".leaflet-control-scale").first.inner_text()

    labels_before = int(map_element.get_attribute("data-label-count"))
    # Keyboard: focus the map and zoom in with "+", twice.
    map_element.focus()
    for _ in range(2):
        page.keyboard.press("+")
        page.wait_for_timeout(400)  # Leaflet's zoom animation
    labels_after = int(map_element.get_attribute("data-label-count"))
    assert labels_after > labels_before
    assert page.locator(".map-label").count() == labels_after
    assert page.locator(".map-label").filter(has_text="Laval").count() >= 1


def test_diagnostic_maps_draw_the_cpts_outline(live_server, page, staff_and_cpts):
    staff, cpts = staff_and_cpts
    log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/diagnostics/?cpts={cpts.pk}")
    for map_id in ("density-map", "access-map"):
        page.wait_for_selector(f"#{map_id}[data-map-ready='true']", state="attached")
        assert page.locator(f"#{map_id} path.map-outline").count() == 1
