"""Versions, copies, token rules, partial answers, targeting, imports, sending, CPOM."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from interurps.cpom import services as cpom_services
from interurps.organizations.models import Partner
from interurps.surveys import selectors, sending, services
from interurps.surveys.models import Invitation, Response, SendRequest, Survey, Unsubscribe
from interurps.surveys.tests.conftest import DEFINITION, answer


def test_editing_a_questionnaire_with_answers_creates_a_version(survey, staff):
    first = survey.current_version()
    changed = {**DEFINITION, "sections": [dict(DEFINITION["sections"][0], title="Autre")]}
    # No answer yet: the version is changed in place.
    assert services.definition_save(survey=survey, definition=changed, by=staff) == first
    response = answer(survey, snp="non")
    again = {**DEFINITION, "sections": [dict(DEFINITION["sections"][0], title="Encore")]}
    second = services.definition_save(survey=survey, definition=again, by=staff)
    assert second.number == 2 and survey.current_version() == second
    response.refresh_from_db()
    first.refresh_from_db()
    assert response.version == first
    assert first.definition["sections"][0]["title"] == "Autre"
    # Unchanged: nothing new.
    assert services.definition_save(survey=survey, definition=again, by=staff) == second


def test_an_invalid_questionnaire_is_refused_and_nothing_changes(survey, staff):
    bad = {
        "sections": [
            {
                "key": "s1",
                "questions": [
                    {
                        "key": "a",
                        "type": "single",
                        "label": "A",
                        "choices": [{"value": "x", "label": "X"}],
                        "condition": {"question": "a", "operator": "answered"},
                    }
                ],
            }
        ]
    }
    with pytest.raises(ValidationError) as caught:
        services.definition_save(survey=survey, definition=bad, by=staff)
    assert caught.value.messages[0].startswith("Conditions circulaires")
    assert survey.current_version().definition == DEFINITION
    with pytest.raises(ValidationError, match="JSON illisible, ligne 1"):
        services.parse_definition("{sections: }")


def test_copy_takes_the_questionnaire_not_the_answers(survey, staff):
    answer(survey, snp="non")
    copy = services.survey_copy(survey=survey, by=staff)
    assert copy.title == "Copie de Soins non programmés"
    assert copy.status == Survey.Status.DRAFT
    assert copy.current_version().definition == DEFINITION
    assert copy.responses.count() == 0 and copy.public_token != survey.public_token


def test_one_answer_per_token(survey):
    invitation = Invitation.objects.create(survey=survey, email="a@exemple.fr", source="fichier")
    services.answers_save(survey=survey, raw={"snp": "non"}, final=True, invitation=invitation)
    with pytest.raises(ValidationError, match="déjà envoyé vos réponses"):
        services.answers_save(survey=survey, raw={"snp": "oui"}, final=False, invitation=invitation)
    assert Response.objects.get(invitation=invitation).answers == {"snp": "non"}


def test_a_closed_survey_refuses_answers(survey):
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    with pytest.raises(ValidationError, match="Cette enquête est close depuis le"):
        services.answers_save(survey=survey, raw={"snp": "non"}, final=True)
    services.survey_set_status(survey=survey, status=Survey.Status.CLOSED)
    assert "ne reçoit plus de réponses" in survey.closed_reason()


def test_partial_save_then_resume_and_send(survey):
    response = answer(survey, final=False, snp="oui")  # « volume » is required but missing
    assert response.submitted_at is None and response.answers == {"snp": "oui"}
    response, checked = services.answers_save(
        survey=survey, raw={"snp": "oui"}, final=True, response=response
    )
    assert checked.errors == {"volume": "Cette question est obligatoire."}
    response.refresh_from_db()
    assert response.submitted_at is None
    response, checked = services.answers_save(
        survey=survey, raw={"snp": "oui", "volume": "12"}, final=True, response=response
    )
    assert checked.errors == {} and response.submitted_at is not None
    assert response.answers == {"snp": "oui", "volume": 12}


def test_respondent_filters_come_from_the_answers(survey, registry):
    response = answer(survey, snp="non", profession="infirmiers", commune="Nantes")
    assert response.answers["commune"] == "44109"
    assert (response.profession_id, response.department_id, response.cpts) == (
        "infirmiers",
        "44",
        registry["cpts"],
    )


def test_registry_targets_and_counts(federation, registry, survey):
    targets = selectors.registry_targets(federation, professions=["infirmiers"])
    assert sorted(t.full_name for t in targets) == ["Camille Pro1", "Camille Pro2"]
    counts = selectors.target_counts(selectors.registry_targets(federation))
    assert (counts.total, counts.with_email) == (3, 1)
    assert counts.departments == ["Loire-Atlantique (44)", "Maine-et-Loire (49)"]
    assert counts.grid == [("Médecins", [0, 1]), ("Infirmiers", [2, 0])]
    in_cpts = selectors.registry_targets(federation, cpts=[registry["cpts"].pk])
    assert {t.cpts_id for t in in_cpts} == {registry["cpts"].pk} and len(in_cpts) == 2
    assert services.invitations_from_registry(survey=survey, professions=["infirmiers"]) == (2, 0)
    assert services.invitations_from_registry(survey=survey) == (1, 2)
    nurse = survey.invitations.get(professional=registry["nurse"])
    assert (nurse.email, nurse.department_id, nurse.cpts) == (
        "pro1@exemple.fr",
        "44",
        registry["cpts"],
    )


CSV = (
    "Courriel;Nom;Profession;Département\n"
    "a@exemple.fr;Ana;Infirmiers;44\n"
    "pas-une-adresse;Bob;;\n"
    "c@exemple.fr;Cid;astronaute;99\n"
    "a@exemple.fr;Ana bis;;\n"
)


def test_csv_import_names_every_wrong_line_and_writes_nothing(survey):
    with pytest.raises(ValidationError) as caught:
        services.invitations_import(survey=survey, content=CSV.encode())
    assert caught.value.messages == [
        "Ligne 3, colonne « courriel » : adresse « pas-une-adresse » invalide.",
        "Ligne 4, colonne « profession » : « astronaute » inconnue.",
        "Ligne 4, colonne « departement » : « 99 » n'est pas un département de la région "
        "Pays de la Loire.",
        "Ligne 5, colonne « courriel » : a@exemple.fr figure déjà ligne 2.",
    ]
    assert survey.invitations.count() == 0
    good = "courriel;nom;profession\na@exemple.fr;Ana;infirmiers\nb@exemple.fr;Bob;\n"
    assert services.invitations_import(survey=survey, content=good.encode()) == 2
    assert services.invitations_import(survey=survey, content=good.encode()) == 0


def _invite(survey, *emails):
    return [
        Invitation.objects.create(survey=survey, email=e, full_name=e[:3], source="fichier")
        for e in emails
    ]


def test_sending_is_once_per_token_and_honours_unsubscribes(survey, federation):
    a, b, c = _invite(survey, "a@exemple.fr", "b@exemple.fr", "c@exemple.fr")
    Invitation.objects.create(survey=survey, full_name="Sans adresse", source="repertoire")
    Unsubscribe.objects.create(federation=federation, email="c@exemple.fr")
    seen = []
    counts = sending.send_invitations(
        survey, progress=lambda done, total: seen.append((done, total))
    )
    assert (counts.sent, counts.unsubscribed, counts.no_email) == (2, 1, 1)
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr", "b@exemple.fr"]
    message = next(m for m in mail.outbox if m.to == ["a@exemple.fr"])
    assert f"http://testserver/enquete/reponse/{a.token}/" in message.body
    assert "desinscription" in message.extra_headers["List-Unsubscribe"]
    # Sent again: nothing goes twice.
    again = sending.send_invitations(survey)
    assert (again.sent, again.already_sent) == (0, 2) and len(mail.outbox) == 2
    # Reminders: only to those invited who did not answer; not twice within the interval.
    services.answers_save(survey=survey, raw={"snp": "non"}, final=True, invitation=a)
    mail.outbox.clear()
    reminded = sending.send_invitations(survey, reminders=True)
    assert (reminded.sent, reminded.answered) == (1, 1)
    assert [m.to for m in mail.outbox] == [["b@exemple.fr"]]
    assert mail.outbox[0].subject.startswith("Relance : ")
    assert sending.send_invitations(survey, reminders=True).sent == 0
    later = timezone.now() + sending.REMINDER_INTERVAL + timedelta(minutes=1)
    assert sending.send_invitations(survey, reminders=True, now=later).sent == 1
    b.refresh_from_db()
    assert b.reminder_count == 2


def test_unsubscribe_reaches_every_survey_of_the_federation(survey, staff, federation):
    other = services.survey_create(federation=federation, title="Autre", by=staff)
    (mine,) = _invite(survey, "a@exemple.fr")
    (elsewhere,) = _invite(other, "A@exemple.fr")
    services.unsubscribe(invitation=mine)
    elsewhere.refresh_from_db()
    assert elsewhere.unsubscribed_at is not None
    services.survey_set_status(survey=other, status=Survey.Status.PUBLISHED)
    assert sending.send_invitations(other).unsubscribed == 1 and mail.outbox == []


def test_a_send_request_runs_once_through_the_command(survey, staff):
    _invite(survey, "a@exemple.fr", "b@exemple.fr")
    request = sending.send_request_start(survey=survey, kind="invitations", by=staff)
    call_command("survey_send_invitations", verbosity=0)
    request.refresh_from_db()
    assert request.finished_at and (request.done, request.total) == (2, 2)
    assert request.counts["sent"] == 2 and len(mail.outbox) == 2
    assert sending.run_send_request(request.pk) is None  # already taken
    assert SendRequest.objects.count() == 1


def test_a_send_request_is_queued_for_the_workers_once_committed(
    survey, staff, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from interurps.surveys import tasks

    _invite(survey, "a@exemple.fr")
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = sending.send_request_start(survey=survey, kind="invitations", by=staff)
        assert default_task_backend.results == []  # nothing before the commit
    (queued,) = default_task_backend.results
    assert queued.task.func is tasks.run_send_request.func and queued.args == [request.pk]
    # What a worker runs: the request, once.
    assert tasks.run_send_request.call(request.pk)["sent"] == 1 and len(mail.outbox) == 1
    assert tasks.run_send_request.call(request.pk) is None


def test_cpom_measurement_from_the_survey(survey, staff, federation):
    contract = cpom_services.contract_create(
        federation=federation,
        title="CPOM",
        start_year=2024,
        end_year=2028,
        partner=Partner.objects.get(region=federation.region, kind=Partner.Kind.ARS),
    )
    theme = cpom_services.theme_create(contract=contract, order=1, title="Accès aux soins")
    objective = cpom_services.objective_create(theme=theme, order=1, title="SNP")
    indicator = cpom_services.indicator_create(objective=objective, title="Répondants")
    services.survey_update(survey=survey, data={"cpom_indicator": indicator})
    answer(survey, snp="non")
    answer(survey, snp="oui", volume="3")
    measurement = services.cpom_measurement_record(survey=survey, by=staff)
    assert measurement.value == 2
    assert measurement.source.startswith("Enquête « Soins non programmés » (2 réponse(s)")
