"""A physiotherapist (like the demo's, in Saumur) signs in, in a French browser, opens
"Mes créneaux SAS", adds a shared slot from the week view and sees it in the week."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interurps.accounts.models import Role, RoleAssignment
from interurps.analytics import sas_slots
from interurps.geography.models import Commune, Region
from interurps.sas import services
from interurps.sas.models import Slot
from interurps.sas.tests.conftest import professional
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_professional_adds_a_slot_from_the_week_view(live_server, page):
    kine = professional(profession="masseurs-kinesitherapeutes", commune="49328")
    effector = services.effector_enrol_professional(
        region=Region.objects.get(code="52"),
        professional=kine,
        commune=Commune.objects.get(code="49328"),
        site_name="Cabinet de kinésithérapie",
    )
    user = UserFactory()
    RoleAssignment.objects.create(
        user=user, role=Role.HEALTH_PROFESSIONAL, region_id="52", professional=kine
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes créneaux SAS"
    ).click()
    page.wait_for_url(f"{live_server.url}/sas/effecteurs/{effector.pk}/creneaux/")
    # next week, Wednesday: the week view's "+ créneau" link of that day
    monday = sas_slots.week_start(timezone.localdate()) + timedelta(days=7)
    wednesday = monday + timedelta(days=2)
    page.get_by_role("link", name="Semaine suivante ›").click()
    page.wait_for_url(f"**/creneaux/?semaine={monday.isoformat()}")
    page.get_by_role(
        "link", name=f"Ajouter un créneau le mercredi {wednesday.day}", exact=False
    ).click()
    assert page.get_by_label("Jour").input_value() == wednesday.isoformat()
    page.get_by_label("Début").fill("17:30")
    page.get_by_label("Fin").fill("19:00")
    page.get_by_label("Partager avec la régulation SAS et la plateforme nationale").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector(".messages >> text=1\u00a0créneau ajouté (partagé).")

    slot = Slot.objects.get(effector=effector)
    assert slot.shared and timezone.localtime(slot.start).date() == wednesday
    cell = page.locator(".week-grid td").nth(2)
    assert "17\u202fh\u202f30 – 19\u202fh" in cell.inner_text()
    assert "Partagé" in cell.inner_text()
    lead = page.locator(".lead").inner_text()
    assert "1,5" in lead and "h partagées" in lead
    assert errors == []
