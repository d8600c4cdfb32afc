"""A CPTS coordinator signs in, in a French browser, lands on "Ma CPTS", opens the
diagnostic of their CPTS and comes back to it by the breadcrumb."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interurps.accounts.models import Role, RoleAssignment
from interurps.cpts import rules
from interurps.cpts.models import Cpts
from interurps.geography.models import Department
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_home_then_diagnostic_and_back(live_server, page):
    cpts = Cpts.objects.create(
        name="CPTS du Bocage",
        region_id="52",
        main_department=Department.objects.get(code="53"),
        stage=rules.Stage.ACI_SIGNED,
        aci_signed_on=timezone.localdate() - timedelta(days=730),
    )
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.CPTS_COORDINATOR, region_id="52", cpts=cpts)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    assert page.get_by_role("heading", level=1).inner_text() == "Ma CPTS"
    assert page.title() == "Ma CPTS · InterURPS Pays de la Loire"
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Accueil").get_attribute("aria-current") == "page"
    assert "Administration" not in nav.inner_text()
    missions = page.locator("#missions")
    assert missions.get_by_text("en retard pour démarrer").count() == 5

    page.get_by_role("link", name="Diagnostic du territoire").click()
    page.wait_for_url("**/diagnostics/?cpts=*")
    trail = page.get_by_role("navigation", name="Fil d'Ariane")
    trail.get_by_role("link", name="CPTS du Bocage").click()
    page.wait_for_url(f"{live_server.url}/cpts/{cpts.pk}/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Ma CPTS").get_attribute("aria-current") == "page"
    assert errors == []
