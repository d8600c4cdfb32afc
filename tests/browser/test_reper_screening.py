"""A health professional screens a person from the keyboard only, in a French browser:
Tab, Space and typing (the chair-rise time with a decimal comma, « 11,2 »)."""

import pytest

from interurps.reper.models import Assessment, Screening
from interurps.reper.tests.conftest import make_person, reper  # noqa: F401  (fixtures)
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def test_screening_from_the_keyboard_in_a_french_browser(live_server, page, reper, make_person):  # noqa: F811
    person = make_person()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, reper.kine_user)
    page.goto(f"{live_server.url}/reper/personnes/{person.pk}/reperage/")

    # The cursor is in the first box; the normal answers are pre-set.
    assert page.evaluate("document.activeElement.name") == "words_recalled"
    keyboard = page.keyboard
    keyboard.type("2")  # 2 words recalled out of 3
    keyboard.press("Tab")  # orientation in time: right
    keyboard.press("Tab")  # orientation in place: right
    keyboard.press("Tab")  # 5 chair rises (pre-set)
    keyboard.press("Tab")
    keyboard.type("11,2")  # seconds, decimal comma
    keyboard.press("Tab")  # weight loss: no
    keyboard.press("Tab")
    keyboard.press("Space")  # appetite loss: yes
    assert page.evaluate("document.activeElement.name") == "appetite_loss"
    keyboard.press("Shift+Tab")
    keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == "chair_rise_seconds"
    keyboard.press("Enter")

    page.wait_for_selector("text=2 domaines positifs")
    assert page.get_by_text("Repérage enregistré : 2 domaines à approfondir.").count() == 1
    opened = page.locator("#evaluations-ouvertes")
    assert opened.get_by_text("Cognition : à réaliser").count() == 1
    assert opened.get_by_text("Nutrition : à réaliser").count() == 1

    screening = Screening.objects.get(person=person)
    assert screening.answers["mobility"]["chair_rise_seconds"] == 11.2
    assert screening.positive_domains == ["cognition", "nutrition"]
    assert set(Assessment.objects.filter(person=person).values_list("domain", flat=True)) == {
        "cognition",
        "nutrition",
    }
    assert errors == []
