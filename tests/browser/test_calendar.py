"""Enter a meeting from the keyboard in Debian's chromium and find it in the calendar."""

import pytest
from django.utils import timezone

from interurps.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_quick_entry_then_calendar(live_server, browser):
    staff = user_with_role(Role.FEDERATION_STAFF)
    page = browser.new_page(locale="fr-FR")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(staff.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/federations/52/reunions/")
    today = timezone.localdate()
    quick = page.get_by_role("region", name="Saisie rapide")
    quick.get_by_label("Date").fill(today.isoformat())
    quick.get_by_label("Heure").fill("14:30")
    quick.get_by_label("Type").select_option(label="ARS")
    quick.get_by_label("Projet").select_option(label="SAS")
    quick.get_by_label("Objet").focus()
    # From the subject field: type and press Enter, nothing else.
    page.keyboard.type("Point d'étape SAS avec l'ARS")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages >> text=Réunion enregistrée")
    quick = page.get_by_role("region", name="Saisie rapide")
    assert quick.get_by_label("Type").input_value() != ""  # kind kept for the next entry

    page.goto(f"{live_server.url}/federations/52/calendrier/?date={today.isoformat()}")
    cell = page.locator("#calendar-grid td", has_text="Point d'étape SAS avec l'ARS")
    assert cell.count() == 1
    assert "14\u202fh\u202f30" in cell.inner_text()  # French time: 14 h 30
    assert page.get_by_role("columnheader", name="Lundi").is_visible()
    assert errors == []
    page.close()
