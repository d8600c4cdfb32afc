"""Build a CPTS territory on the map in Debian's chromium and see the coverage follow."""

from datetime import date

import pytest

from interurps.accounts.models import Role
from interurps.cpts import services
from interurps.geography.models import Department, Region
from tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_territory_built_on_the_map_updates_the_coverage(live_server, browser):
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
        started_on=date(2021, 1, 4),
    )
    page = browser.new_page(locale="fr-FR")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(staff.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/departements/53/couverture/")
    assert page.get_by_test_id("covered-share").inner_text() == "0,0\u202f%"

    page.goto(f"{live_server.url}/cpts/{cpts.pk}/territoire/")
    page.wait_for_selector("#territory-map[data-map-ready='true']", state="attached")
    page.locator("path.feature-53130").dispatch_event("click")
    assert page.locator("#id_codes").input_value().strip() == "53130"
    # The htmx check answers with the commune count and population.
    page.wait_for_selector("#territory-check >> text=1 commune")
    assert "habitants" in page.locator("#territory-check").inner_text()

    page.get_by_role("button", name="Enregistrer le territoire").click()
    page.wait_for_url(f"{live_server.url}/cpts/{cpts.pk}/")
    assert "Territoire enregistré\u202f: 1\xa0commune, " in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/departements/53/couverture/")
    page.wait_for_selector("#coverage-map[data-map-ready='true']", state="attached")
    assert page.get_by_test_id("covered-share").inner_text() != "0,0\u202f%"
    assert page.locator("#coverage-map path.feature-cpts").count() == 1
    assert "CPTS de Laval" in page.locator("main").inner_text()
    assert errors == []
    page.close()
