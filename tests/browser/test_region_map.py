"""Drive Debian's chromium (never a downloaded browser) through the demo's first steps."""

import pytest

from interurps.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_demo_user_logs_in_and_sees_the_region_map_in_french(
    live_server, page, tmp_path, browser_demo
):
    admin = DEMO_ACCOUNTS[0]
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Connexion"
    page.get_by_label("Adresse électronique").fill(admin.email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Votre travail"
    assert page.get_by_role("link", name="InterURPS Pays de la Loire").first.is_visible()
    assert page.get_by_text("unions (URPS)").is_visible()

    page.get_by_role("link", name="Voir la carte des départements de la région").click()
    page.wait_for_selector("#region-map[data-map-ready='true']", state="attached", timeout=10_000)
    map_element = page.locator("#region-map")
    assert int(map_element.get_attribute("data-feature-count")) >= 1
    # Leaflet drew the departments as SVG paths inside the map.
    assert page.locator("#region-map path.leaflet-interactive").count() >= 1
    assert page.get_by_text("Carte des départements de la région").is_visible()
    assert page.get_by_role("columnheader", name="Département").is_visible()

    page.locator("#region-map path.leaflet-interactive").first.hover()
    assert "habitants" in page.locator(".leaflet-tooltip").inner_text()
    page.screenshot(path=str(tmp_path / "region-map.png"), full_page=True)
    assert errors == []
