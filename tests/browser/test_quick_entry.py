"""Two meetings typed in a row in the quick entry of a French browser.

The date input used to receive `29/11/2026` (Django's French format), which a
`type="date"` input rejects: the field was empty and the form answered
"Ce champ est obligatoire" on every line.
"""

import datetime as dt

import pytest
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.activities.models import Meeting
from tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def test_two_meetings_in_a_row_in_a_french_browser(live_server, page):
    staff = user_with_role(Role.FEDERATION_STAFF)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/federations/52/reunions/")
    today = timezone.localdate()

    # First line: today's date is already there, only the rest is typed.
    quick = page.get_by_role("region", name="Saisie rapide")
    assert quick.get_by_label("Date").input_value() == today.isoformat()
    quick.get_by_label("Type").select_option(label="ARS")
    quick.get_by_label("Projet").select_option(label="SAS")
    quick.get_by_label("Objet").fill("Point d'étape SAS")
    quick.get_by_label("Objet").press("Enter")
    page.wait_for_selector(".messages >> text=Réunion enregistrée : Point d'étape SAS")

    # Second line: another date. (Playwright fills a date input with its ISO value: the
    # order of the day, month and year parts on screen follows chromium's UI language,
    # which a context's locale does not change.)
    quick = page.get_by_role("region", name="Saisie rapide")
    quick.get_by_label("Date").fill("2026-03-09")
    quick.get_by_label("Heure").fill("14:30")
    quick.get_by_label("Objet").fill("Comité de pilotage")
    quick.get_by_label("Objet").press("Enter")
    page.wait_for_selector(".messages >> text=Réunion enregistrée : Comité de pilotage")

    # The last date typed stays for the next line.
    quick = page.get_by_role("region", name="Saisie rapide")
    assert quick.get_by_label("Date").input_value() == "2026-03-09"
    assert page.get_by_text("Ce champ est obligatoire").count() == 0

    saved = {
        m.title: timezone.localtime(m.starts_at)
        for m in Meeting.objects.filter(federation__region_id="52")
    }
    assert saved["Point d'étape SAS"].date() == today
    assert saved["Point d'étape SAS"].time() == dt.time(9, 0)
    assert saved["Comité de pilotage"].date() == dt.date(2026, 3, 9)
    assert saved["Comité de pilotage"].time() == dt.time(14, 30)
    assert errors == []
