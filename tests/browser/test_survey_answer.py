"""A professional answers a survey with conditions on a phone, in a French browser: the
questions appear as the answers call for them, a hidden question's answer is not sent,
and the answers reach the database."""

import pytest

from interurps.organizations.models import Federation
from interurps.surveys import services
from interurps.surveys.models import Response, Survey
from interurps.surveys.tests.conftest import DEFINITION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answering_a_survey_with_conditions(live_server, phone_page):
    page = phone_page
    federation = Federation.objects.get(region_id="52")
    survey = services.survey_create(
        federation=federation, title="Soins non programmés", distribution="public"
    )
    services.definition_save(survey=survey, definition=DEFINITION)
    services.survey_set_status(survey=survey, status=Survey.Status.PUBLISHED)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}{survey.get_public_url()}")

    volume = page.get_by_label("Combien par semaine ?")
    assert volume.is_hidden()
    page.get_by_label("Oui").check()
    assert volume.is_visible()
    volume.fill("12")
    page.get_by_label("Non").check()  # changes their mind: the question goes away
    assert volume.is_hidden()
    page.get_by_label("Oui").check()
    assert volume.input_value() == "12"
    page.get_by_label("Votre commune").fill("Nantes")
    page.get_by_role("group", name="Votre satisfaction").get_by_label("4").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci !").wait_for()

    response = Response.objects.get()
    assert response.submitted_at is not None
    assert response.answers == {"snp": "oui", "volume": 12, "commune": "44109", "note": 4}
    assert errors == []


def test_a_hidden_answer_is_not_sent(live_server, page):
    federation = Federation.objects.get(region_id="52")
    survey = services.survey_create(federation=federation, title="SNP", distribution="public")
    services.definition_save(survey=survey, definition=DEFINITION)
    services.survey_set_status(survey=survey, status=Survey.Status.PUBLISHED)
    page.goto(f"{live_server.url}{survey.get_public_url()}")
    page.get_by_label("Oui").check()
    page.get_by_label("Combien par semaine ?").fill("40")
    page.get_by_label("Non").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci !").wait_for()
    assert Response.objects.get().answers == {"snp": "non"}
