"""The form-based builder: every change goes through `definition_save`."""

import html

import pytest
from django.urls import reverse

from interurps.surveys import services
from interurps.surveys.models import SurveyVersion
from interurps.surveys.tests.conftest import answer

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def keys(survey):
    definition = survey.current_version().definition
    return [[q["key"] for q in s["questions"]] for s in definition["sections"]]


@pytest.fixture
def page(client, survey, staff):
    client.force_login(staff)
    return reverse("surveys:builder", args=[survey.pk])


def question_data(**fields):
    data = {
        "q-type": "short_text",
        "q-label": "",
        "q-help": "",
        "q-choices": "",
        "q-min": "",
        "q-max": "",
        "q-condition_question": "",
        "q-condition_operator": "equals",
        "q-condition_value": "",
    }
    data.update({f"q-{name}": value for name, value in fields.items()})
    return data


def test_the_page_lists_sections_and_questions_with_the_preview_and_forms(client, survey, page):
    content = text(client.get(page))
    assert "Section 1 — Pratique" in content
    assert content.index("b-question-snp") < content.index("b-question-volume")
    assert "Affichée si « snp » est égal à « oui »." in content
    assert 'data-survey-question="volume"' in content  # the preview
    assert reverse("surveys:definition", args=[survey.pk]) in content
    assert reverse("surveys:builder", args=[survey.pk]) in text(
        client.get(survey.get_absolute_url())
    )
    form = text(client.get(page, {"mode": "question_edit", "question": "volume"}))
    assert 'name="q-condition_value"' in form and "oui</textarea>" in form
    # a condition may name only earlier questions
    assert '<option value="snp"' in form and '<option value="note"' not in form
    assert client.get(page, {"mode": "question_edit", "question": "inconnue"}).status_code == 404


def test_add_a_section_with_its_first_question(client, survey, page):
    data = {"action": "section_add", "s-title": "Vos attentes", "s-description": "Pour 2027"}
    data.update(question_data(label="Qu'attendez-vous de la CPTS ?", type="long_text"))
    response = client.post(page, data)
    assert response.status_code == 302
    definition = survey.current_version().definition
    assert definition["sections"][1]["title"] == "Vos attentes"
    assert definition["sections"][1]["questions"][0]["key"] == "qu_attendez_vous_de_la_cpts"


def test_add_a_question_with_choices_and_a_condition(client, survey, page):
    data = {"action": "question_add", "section": "s1"}
    data.update(
        question_data(
            type="multiple",
            label="Quels créneaux ?",
            required="on",
            choices="matin|Le matin\nSoir",
            condition_question="snp",
            condition_operator="in",
            condition_value="oui",
        )
    )
    assert client.post(page, data).status_code == 302
    question = survey.current_version().definition["sections"][0]["questions"][-1]
    assert question == {
        "key": "quels_creneaux",
        "type": "multiple",
        "label": "Quels créneaux ?",
        "required": True,
        "choices": [{"value": "matin", "label": "Le matin"}, {"value": "soir", "label": "Soir"}],
        "condition": {"question": "snp", "operator": "in", "value": ["oui"]},
    }


def test_edit_keeps_the_key_and_scale_bounds(client, survey, page):
    data = {"action": "question_edit", "question": "note"}
    data.update(question_data(type="scale", label="Satisfaction", min="0", max="10"))
    assert client.post(page, data).status_code == 302
    question = survey.current_version().definition["sections"][0]["questions"][4]
    assert question == {
        "key": "note",
        "type": "scale",
        "label": "Satisfaction",
        "required": False,
        "min": 0,
        "max": 10,
    }


def test_an_invalid_condition_is_refused_with_its_message_and_nothing_saved(client, survey, page):
    before = survey.current_version().definition
    data = {"action": "question_add", "section": "s1"}
    data.update(
        question_data(label="Pourquoi ?", condition_question="snp", condition_value="peut-etre")
    )
    response = client.post(page, data)
    assert response.status_code == 200
    assert "« peut-etre » n'est pas un choix de la question « snp »" in text(response)
    # a condition on a question that is not earlier (forged form) is refused too
    data = {"action": "question_edit", "question": "snp"}
    data.update(question_data(type="single", label="SNP ?", choices="oui\nnon"))
    data.update({"q-condition_question": "note", "q-condition_value": "3"})
    response = client.post(page, data)
    assert response.status_code == 200 and "field--error" in text(response)
    survey.refresh_from_db()
    assert survey.current_version().definition == before


def test_move_and_delete(client, survey, page):
    assert (
        client.post(page, {"action": "question_down", "question": "profession"}).status_code == 302
    )
    assert keys(survey)[0][:2] == ["commune", "profession"]
    client.post(page, {"action": "question_delete", "question": "remarques"})
    assert "remarques" not in keys(survey)[0]
    # deleting a question a condition needs is refused, with the reason
    response = client.post(page, {"action": "question_delete", "question": "snp"}, follow=True)
    assert "snp" in keys(survey)[0]
    assert "Modification refusée" in text(response) and "« snp »" in text(response)
    response = client.post(page, {"action": "section_up", "section": "s1"}, follow=True)
    assert "Impossible de déplacer" in text(response)
    assert client.post(page, {"action": "nimporte"}).status_code == 302


def test_a_change_after_answers_creates_a_new_version(client, survey, page):
    answer(survey, snp="non")
    client.post(page, {"action": "question_up", "question": "remarques"}, follow=True)
    versions = SurveyVersion.objects.filter(survey=survey).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert [q["key"] for q in versions[1].definition["sections"][0]["questions"]][-2:] == [
        "remarques",
        "note",
    ]
    assert versions[0].responses.count() == 1
    assert "remarques" == versions[0].definition["sections"][0]["questions"][-1]["key"]


def test_a_condition_the_form_cannot_show_is_kept(client, survey, page):
    definition = survey.current_version().definition
    definition["sections"][0]["questions"][1]["condition"] = {
        "question": "note",
        "operator": "gte",
        "value": 3,
    }
    services.definition_save(survey=survey, definition=definition)
    form = text(client.get(page, {"mode": "question_edit", "question": "commune"}))
    assert "Condition avancée (affichée si « note » ≥ « 3 »)" in form
    assert 'name="q-condition_question"' not in form
    data = {"action": "question_edit", "question": "commune"}
    data.update(question_data(type="commune", label="Commune d'exercice"))
    assert client.post(page, data).status_code == 302
    question = survey.current_version().definition["sections"][0]["questions"][1]
    assert question["label"] == "Commune d'exercice"
    assert question["condition"] == {"question": "note", "operator": "gte", "value": 3}
