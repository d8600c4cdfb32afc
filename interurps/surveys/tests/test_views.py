"""Pages: who sees what, the respondent's form, the analysis' figures and exports."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.events import services as event_services
from interurps.events.models import Event
from interurps.organizations.models import Partner
from interurps.surveys import services
from interurps.surveys.models import Invitation, Response, SendRequest, Survey
from interurps.surveys.tests.conftest import answer, make_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text with French typography's no-break spaces as plain spaces."""
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def url(name, survey, **kw):
    return reverse(f"surveys:{name}", args=[kw.get("arg", survey.pk)])


def test_staff_build_and_analyse_but_not_another_regions(client, survey, staff):
    client.force_login(staff)
    for name in ("detail", "definition", "preview", "targets", "invitations", "send", "results"):
        assert client.get(url(name, survey)).status_code == 200, name
    other = make_user("autre@exemple.fr", Role.FEDERATION_STAFF, region="11")
    client.force_login(other)
    assert client.get(url("detail", survey)).status_code == 403
    assert client.get(url("results", survey)).status_code == 403


def test_partners_and_elected_members_read_only_what_is_shared(
    client, survey, partner_user, union_user
):
    answer(survey, snp="non")
    for user in (partner_user, union_user):
        client.force_login(user)
        assert client.get(url("results", survey)).status_code == 403
        assert client.get(url("detail", survey)).status_code == 403
        listing = client.get(reverse("surveys:list", args=["52"]))
        assert listing.status_code == 200 and survey.title not in listing.content.decode()
    services.survey_update(
        survey=survey,
        data={},
        shared_with_partners=[Partner.objects.get(region_id="52", kind=Partner.Kind.ARS)],
    )
    client.force_login(partner_user)
    assert client.get(url("results", survey)).status_code == 200
    assert survey.title in client.get(reverse("surveys:list", args=["52"])).content.decode()
    assert client.get(url("detail", survey)).status_code == 403  # never the people invited
    client.force_login(union_user)
    assert client.get(url("results", survey)).status_code == 403
    services.survey_update(survey=survey, data={"shared_with_union_members": True})
    assert client.get(url("results", survey)).status_code == 200
    coordinator = make_user("coord@exemple.fr", Role.HEALTH_PROFESSIONAL)
    client.force_login(coordinator)
    assert client.get(url("results", survey)).status_code == 403


def test_respondents_reach_only_their_form(client, survey):
    invitation = Invitation.objects.create(survey=survey, email="a@exemple.fr", source="fichier")
    page = client.get(reverse("surveys:answer", args=[invitation.token]))
    assert page.status_code == 200 and "Envoyer mes réponses" in page.content.decode()
    assert client.get(reverse("surveys:answer", args=["jeton-inconnu"])).status_code == 404
    assert client.get(url("results", survey)).status_code == 302  # sign-in


def post_answers(client, path, **data):
    return client.post(path, {f"q_{k}": v for k, v in data.items()} | {"send": "1"})


def test_conditions_are_enforced_on_the_server(client, survey):
    public = reverse("surveys:public", args=[survey.public_token])
    # « volume » is hidden when « snp » is « non »: not required, and its answer dropped.
    page = post_answers(client, public, snp="non", volume="40")
    assert page.status_code == 200 and "Merci" in page.content.decode()
    assert Response.objects.get().answers == {"snp": "non"}
    # Shown when « oui »: required, errors in French.
    page = post_answers(client, public, snp="oui")
    assert page.status_code == 400
    assert "Cette question est obligatoire." in page.content.decode()
    page = post_answers(client, public, snp="oui", volume="beaucoup")
    assert "Indiquez un nombre (par exemple 12 ou 12,5)." in page.content.decode()
    assert Response.objects.count() == 1


def test_partial_save_gives_a_resume_link_then_one_answer_per_token(client, survey):
    public = reverse("surveys:public", args=[survey.public_token])
    saved = client.post(public, {"q_snp": "oui", "q_remarques": "À suivre", "save": "1"})
    response = Response.objects.get()
    resume = reverse("surveys:answer", args=[response.token])
    assert saved.status_code == 302 and saved["Location"] == resume
    page = client.get(resume).content.decode()
    assert "À suivre" in page and 'value="oui" checked' in page
    assert post_answers(client, resume, snp="oui", volume="12").status_code == 200
    response.refresh_from_db()
    assert response.submitted_at and response.answers["volume"] == 12
    again = client.get(resume).content.decode()
    assert "Vous avez déjà envoyé vos réponses" in again and "Envoyer mes réponses" not in again
    post_answers(client, resume, snp="non")
    response.refresh_from_db()
    assert response.answers["snp"] == "oui"


def test_a_closed_survey_says_so(client, survey):
    survey.closes_at = timezone.now() - timedelta(hours=1)
    survey.save()
    page = client.get(reverse("surveys:public", args=[survey.public_token])).content.decode()
    assert "Cette enquête est close depuis le" in page and "Envoyer mes réponses" not in page
    post_answers(client, reverse("surveys:public", args=[survey.public_token]), snp="non")
    assert Response.objects.count() == 0


def test_unsubscribe_page(client, survey):
    invitation = Invitation.objects.create(survey=survey, email="a@exemple.fr", source="fichier")
    path = reverse("surveys:unsubscribe", args=[invitation.token])
    assert "Confirmer la désinscription" in client.get(path).content.decode()
    assert "C'est noté" in client.post(path).content.decode()
    invitation.refresh_from_db()
    assert invitation.unsubscribed_at


@pytest.fixture
def answered(survey, registry):
    """Five sent answers: computed by hand below."""
    answer(
        survey,
        snp="oui",
        volume="10",
        note="5",
        profession="infirmiers",
        commune="44109",
        remarques="Manque de temps le soir",
    )
    answer(survey, snp="oui", volume="30", note="3", profession="infirmiers", commune="44109")
    answer(
        survey,
        snp="non",
        note="4",
        profession="medecins",
        commune="49007",
        remarques="Rien à signaler",
    )
    answer(survey, snp="non", profession="medecins", remarques="Trop de TEMPS perdu")
    answer(survey, snp="oui", volume="20", note="3")
    answer(survey, final=False, snp="oui")  # partial: never counted
    return survey


def test_results_against_hand_computed_figures(client, answered, staff, registry):
    client.force_login(staff)
    context = client.get(url("results", answered)).context
    results = {r.question["key"]: r.summary for r in context["results"]}
    assert len(context["responses"]) == 5
    snp = results["snp"]
    assert [(r.label, r.count, r.percent) for r in snp.rows] == [("Oui", 3, 60.0), ("Non", 2, 40.0)]
    assert (results["volume"].answered, results["volume"].mean) == (3, 20.0)
    assert (results["note"].mean, results["note"].median) == (3.75, 3.5)
    assert [r.count for r in results["note"].rows] == [0, 0, 2, 1, 1]
    # Filters: nurses only (from their answers), then the CPTS of Nantes.
    nurses = client.get(url("results", answered), {"profession": "infirmiers"}).context
    assert len(nurses["responses"]) == 2
    in_cpts = client.get(url("results", answered), {"cpts": registry["cpts"].pk}).context
    assert len(in_cpts["responses"]) == 2
    # Free texts searched without case or accents.
    page = client.get(url("results", answered), {"recherche": "temps"})
    texts = next(r for r in page.context["results"] if r.question["key"] == "remarques").texts
    assert sorted(t for _, t in texts) == ["Manque de temps le soir", "Trop de TEMPS perdu"]
    # Cross-tabulation: profession × snp.
    cross = client.get(url("results", answered), {"croiser": "profession", "par": "snp"}).context[
        "cross"
    ]
    rows = dict(zip(cross.row_labels, cross.counts, strict=True))
    assert rows["Infirmiers"] == [2, 0] and rows["Médecins"] == [0, 2] and cross.total == 4
    assert "<svg" in page.content.decode()


def test_response_rate_by_group(client, survey, staff, registry):
    services.invitations_from_registry(survey=survey)
    nurse = survey.invitations.get(professional=registry["nurse"])
    services.answers_save(survey=survey, raw={"snp": "non"}, final=True, invitation=nurse)
    client.force_login(staff)
    rates = client.get(url("results", survey)).context["rates"]
    by_profession = {r.label: (r.invited, r.answered, r.rate) for r in rates["Profession"]}
    assert by_profession == {"Infirmiers": (2, 1, 50.0), "Médecins": (1, 0, 0.0)}


def test_exports(client, answered, staff):
    from openpyxl import load_workbook

    client.force_login(staff)
    csv = client.get(url("results", answered), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Recevez-vous des demandes de soins non programmés ?;Oui;3;60" in csv
    lines = client.get(url("results", answered), {"format": "csv", "tableau": "reponses"})
    assert lines.content.decode("utf-8-sig").count("\r\n") == 6  # header + 5 answers
    workbook = load_workbook(
        io.BytesIO(client.get(url("results", answered), {"format": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["Synthèse", "Réponses", "Taux de réponse"]
    pdf = client.get(url("results_pdf", answered))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_definition_page_refuses_a_cycle_with_its_message(client, survey, staff):
    client.force_login(staff)
    definition = (
        '{"sections": [{"key": "s", "questions": ['
        '{"key": "a", "type": "short_text", "label": "A",'
        ' "condition": {"question": "b", "operator": "answered"}},'
        '{"key": "b", "type": "short_text", "label": "B",'
        ' "condition": {"question": "a", "operator": "answered"}}]}]}'
    )
    page = client.post(url("definition", survey), {"definition": definition})
    assert "Conditions circulaires : « a » → « b » → « a »" in text(page)
    preview = client.post(
        url("preview", survey), {"definition": definition}, HTTP_HX_REQUEST="true"
    )
    assert "Conditions circulaires" in preview.content.decode()


def test_targets_page_counts_then_creates(client, survey, staff, registry):
    client.force_login(staff)
    page = client.get(url("targets", survey), {"professions": "infirmiers"})
    assert page.context["counts"].total == 2
    client.post(url("targets", survey), {"professions": "infirmiers"})
    assert survey.invitations.count() == 2


def test_import_page_shows_line_errors(client, survey, staff):
    client.force_login(staff)
    upload = io.BytesIO(b"courriel;nom\nnon-valide;X\n")
    upload.name = "liste.csv"
    page = client.post(url("import", survey), {"file": upload})
    assert "Ligne 2, colonne « courriel » : adresse « non-valide » invalide." in text(page)


def test_send_page_starts_in_the_background(client, survey, staff):
    Invitation.objects.create(survey=survey, email="a@exemple.fr", source="fichier")
    client.force_login(staff)
    response = client.post(url("send", survey), {"kind": "invitations"})
    assert response.status_code == 302 and mail.outbox == []  # nothing sent in the request
    request = SendRequest.objects.get()
    assert request.started_at is None
    from interurps.surveys.sending import run_send_request

    run_send_request(request.pk)
    assert len(mail.outbox) == 1
    assert "1 courriel(s) envoyé(s)" in client.get(url("send", survey)).content.decode()


def test_event_page_shows_its_satisfaction_survey(client, federation, staff):
    day = timezone.now() + timedelta(days=3)
    event = event_services.event_create(
        federation=federation,
        kind=Event.Kind.SEMINAR,
        title="Séminaire",
        starts_at=day,
        ends_at=day + timedelta(hours=3),
    )
    survey = services.survey_create(
        federation=federation,
        title="Satisfaction du séminaire",
        by=staff,
        template="satisfaction",
        distribution="public",
        event=event,
    )
    services.survey_set_status(survey=survey, status=Survey.Status.PUBLISHED)
    answer(survey, satisfaction="4", recommande="oui")
    answer(survey, satisfaction="5", recommande="oui")
    client.force_login(staff)
    page = text(client.get(event.get_absolute_url()))
    assert "Satisfaction du séminaire" in page and survey.get_public_url() in page
    assert "2 réponses" in page and "4,5 en moyenne" in page
