from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.analytics import survey_builder as builder
from interurps.core import exports
from interurps.core.dates import parse_iso_date
from interurps.core.downloads import download_name, pdf_response
from interurps.core.forms import add_validation_errors, form_submission, render_form_page
from interurps.core.http import query_int, query_text
from interurps.core.http import require as _check
from interurps.organizations.selectors import federation_or_404 as _federation
from interurps.surveys import exports as survey_exports
from interurps.surveys import perms, rendering, selectors, sending, services
from interurps.surveys.forms import (
    DefinitionForm,
    ImportForm,
    QuestionForm,
    SectionForm,
    SurveyCreateForm,
    SurveyForm,
    TargetForm,
)
from interurps.surveys.models import Invitation, Response, SendRequest, Survey


def _survey(pk) -> Survey:
    return get_object_or_404(selectors.survey_queryset(), pk=pk)


def _managed(request, pk) -> Survey:
    survey = _survey(pk)
    _check(perms.can_manage_surveys(request.user, survey.federation))
    return survey


def _form_page(request, form, *, title, survey=None, federation=None, intro=""):
    federation = federation or survey.federation
    return render_form_page(
        request,
        form,
        breadcrumbs_template="surveys/_breadcrumbs.html",
        title=title,
        federation=federation,
        survey=survey,
        cancel_url=survey.get_absolute_url()
        if survey
        else reverse("surveys:list", args=[federation.region_id]),
        intro=intro,
    )


# --- staff: surveys and questionnaires ---------------------------------------------------


@login_required
def survey_list(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_survey_list(request.user, federation))
    manage = perms.can_manage_surveys(request.user, federation)
    surveys = selectors.surveys_of(federation, user=request.user, shared_only=not manage)
    return render(
        request,
        "surveys/survey_list.html",
        {"federation": federation, "surveys": surveys, "can_manage": manage},
    )


@login_required
def survey_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_manage_surveys(request.user, federation))
    form = SurveyCreateForm(request.POST or None)
    response = form_submission(
        request,
        form,
        save=lambda data: services.survey_create(federation=federation, by=request.user, **data),
        message=lambda survey: f"Enquête « {survey.title} » créée (brouillon).",
        next_url=lambda survey: survey,
    )
    return response or _form_page(
        request,
        form,
        title="Nouvelle enquête",
        federation=federation,
        intro="Partez d'un questionnaire fourni ou d'un questionnaire vide ; vous le "
        "modifierez ensuite, et pourrez le prévisualiser avant de le publier.",
    )


@login_required
def survey_detail(request, pk):
    survey = _survey(pk)
    _check(perms.can_manage_surveys(request.user, survey.federation))
    version = survey.current_version()
    invitations = survey.invitations
    context = {
        "survey": survey,
        "federation": survey.federation,
        "version": version,
        "versions": survey.versions.order_by("-number"),
        "question_count": len(selectors.rules.questions(version.definition)),
        "invited": invitations.count(),
        "sent": invitations.filter(sent_at__isnull=False).count(),
        "with_email": invitations.exclude(email="").count(),
        "answered": survey.responses.filter(submitted_at__isnull=False).count(),
        "partial": survey.responses.filter(submitted_at__isnull=True).count(),
        "closed_reason": survey.closed_reason(),
        "public_url": request.build_absolute_uri(survey.get_public_url()),
        "send_request": selectors.latest_send_request(survey),
        "shared_with": list(survey.shared_with_partners.all()),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
def survey_edit(request, pk):
    survey = _managed(request, pk)
    form = SurveyForm(request.POST or None, instance=survey)
    response = form_submission(
        request,
        form,
        save=lambda data: services.survey_update(
            survey=survey,
            data=data,
            shared_with_partners=list(data["shared_with_partners"]),
        ),
        message=lambda s: "Enquête enregistrée.",
        next_url=lambda s: s,
    )
    return response or _form_page(
        request, form, title=f"Paramètres — {survey.title}", survey=survey
    )


@login_required
def survey_definition(request, pk):
    survey = _managed(request, pk)
    version = survey.current_version()
    form = DefinitionForm(
        request.POST or None, initial={"definition": DefinitionForm.text_of(version.definition)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.definition_save(
                survey=survey, definition=form.cleaned_data["definition"], by=request.user
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _saved_message(request, saved, version)
            return redirect(survey)
    return render(
        request,
        "surveys/definition.html",
        {
            "survey": survey,
            "federation": survey.federation,
            "form": form,
            "version": version,
            "has_answers": version.responses.exists(),
            "types": selectors.rules.TYPES.items(),
            "operators": selectors.rules.OPERATORS.items(),
        },
    )


def _saved_message(request, saved, version, done="Questionnaire enregistré.") -> None:
    if saved.number != version.number:
        messages.success(
            request,
            f"Le questionnaire avait des réponses : la version {saved.number} est créée ; "
            f"les réponses déjà reçues gardent la version {version.number}.",
        )
    else:
        messages.success(request, done)


BUILDER_MOVES = {
    "section_up": (builder.move_section, "section", -1, "Section déplacée."),
    "section_down": (builder.move_section, "section", 1, "Section déplacée."),
    "question_up": (builder.move_question, "question", -1, "Question déplacée."),
    "question_down": (builder.move_question, "question", 1, "Question déplacée."),
}


def _builder_forms(definition, mode, section_key, question_key, data):
    """The forms of the item being edited (`mode`), or {} — Http404 for an unknown item."""
    try:
        if mode == "section_add":
            return {
                "section_form": SectionForm(data, prefix="s"),
                "question_form": QuestionForm(
                    data, prefix="q", earlier=selectors.rules.questions(definition)
                ),
            }
        if mode == "section_edit":
            section = definition["sections"][builder.section_index(definition, section_key)]
            return {"section_form": SectionForm(data, prefix="s", initial=section)}
        if mode == "question_add":
            builder.section_index(definition, section_key)
            earlier = builder.earlier_questions(definition, section=section_key)
            return {"question_form": QuestionForm(data, prefix="q", earlier=earlier)}
        if mode == "question_edit":
            s_index, q_index = builder.find_question(definition, question_key)
            question = definition["sections"][s_index]["questions"][q_index]
            earlier = builder.earlier_questions(definition, before=question_key)
            simple = builder.simple_condition(question.get("condition"))
            # a condition the form cannot show (several, another operator, a later
            # question: written in the JSON editor) is kept as it is
            advanced = simple is None or (
                bool(simple) and simple.get("question") not in {q["key"] for q in earlier}
            )
            form = QuestionForm(
                data,
                prefix="q",
                earlier=earlier,
                editing=True,
                initial=QuestionForm.initial_of(question),
            )
            if advanced:
                for name in ("condition_question", "condition_operator", "condition_value"):
                    del form.fields[name]
            return {
                "question_form": form,
                "advanced_condition": builder.describe_condition(question["condition"])
                if advanced
                else "",
                "question": question,
            }
    except builder.BuilderError:
        raise Http404 from None
    return {}


def _builder_change(definition, mode, section_key, question_key, forms):
    """The changed definition from the valid forms (`BuilderError` if refused)."""
    section_form, question_form = forms.get("section_form"), forms.get("question_form")
    if mode == "section_add":
        return builder.add_section(
            definition,
            title=section_form.cleaned_data["title"],
            description=section_form.cleaned_data["description"],
            first_question=question_form.question(),
        )
    if mode == "section_edit":
        return builder.update_section(definition, section_key, **section_form.cleaned_data)
    if mode == "question_add":
        return builder.add_question(definition, section_key, question_form.question())
    keep = None
    if forms["advanced_condition"]:
        keep = forms["question"].get("condition")
    return builder.update_question(
        definition, question_key, question_form.question(keep_condition=keep)
    )


@login_required
def survey_builder(request, pk):
    """The questionnaire edited with forms, item by item: each change is validated and
    saved like the JSON editor's (a new version once the questionnaire has answers)."""
    survey = _managed(request, pk)
    version = survey.current_version()
    definition = version.definition
    here = reverse("surveys:builder", args=[survey.pk])
    params = request.POST if request.method == "POST" else request.GET
    mode = params.get("action" if request.method == "POST" else "mode", "")
    section_key, question_key = params.get("section", ""), params.get("question", "")
    if request.method == "POST" and mode in (*BUILDER_MOVES, "section_delete", "question_delete"):
        try:
            if mode in BUILDER_MOVES:
                change, kind, delta, done = BUILDER_MOVES[mode]
                changed = change(
                    definition, section_key if kind == "section" else question_key, delta
                )
                anchor = f"#b-{kind}-{section_key if kind == 'section' else question_key}"
            elif mode == "section_delete":
                changed = builder.delete_section(definition, section_key)
                done, anchor = f"Section « {section_key} » supprimée.", ""
            else:
                changed = builder.delete_question(definition, question_key)
                done, anchor = f"Question « {question_key} » supprimée.", ""
            saved = services.definition_save(survey=survey, definition=changed, by=request.user)
        except builder.BuilderError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, "Modification refusée : " + " ".join(error.messages))
        else:
            _saved_message(request, saved, version, done)
            return redirect(here + anchor)
        return redirect(here)
    if mode not in ("", "section_add", "section_edit", "question_add", "question_edit"):
        if request.method == "POST":
            messages.error(request, "Action inconnue.")
            return redirect(here)
        mode = ""
    data = request.POST if request.method == "POST" else None
    forms = _builder_forms(definition, mode, section_key, question_key, data)
    if request.method == "POST":
        if not forms:
            messages.error(request, "Action inconnue.")
            return redirect(here)
        shown = [f for f in (forms.get("section_form"), forms.get("question_form")) if f]
        if all(f.is_valid() for f in shown):
            try:
                changed = _builder_change(definition, mode, section_key, question_key, forms)
                saved = services.definition_save(survey=survey, definition=changed, by=request.user)
            except builder.BuilderError as error:
                shown[-1].add_error(None, str(error))
            except ValidationError as error:
                add_validation_errors(shown[-1], error)
            else:
                _saved_message(request, saved, version)
                return redirect(here)
    outline = [
        {
            **section,
            "condition_text": builder.describe_condition(section.get("condition")),
            "items": [
                {
                    **question,
                    "type_label": selectors.rules.TYPES.get(question["type"]),
                    "condition_text": builder.describe_condition(question.get("condition")),
                }
                for question in section["questions"]
            ],
        }
        for section in definition["sections"]
    ]
    return render(
        request,
        "surveys/builder.html",
        {
            "survey": survey,
            "federation": survey.federation,
            "version": version,
            "has_answers": version.responses.exists(),
            "outline": outline,
            "mode": mode,
            "section_key": section_key,
            "question_key": question_key,
            **forms,
            "sections": rendering.form_sections(definition),
            "preview": True,
        },
    )


@login_required
def survey_preview(request, pk):
    """The respondent's form, without sending: the current version (GET), or the
    questionnaire being edited (POST, from the editor, through htmx)."""
    survey = _survey(pk)
    _check(perms.can_manage_surveys(request.user, survey.federation))
    definition = survey.current_version().definition
    error = ""
    if request.method == "POST" and "definition" in request.POST:
        try:
            definition = services.parse_definition(request.POST["definition"])
        except ValidationError as exc:
            error = exc.messages
    context = {
        "survey": survey,
        "federation": survey.federation,
        "sections": rendering.form_sections(definition) if not error else [],
        "errors_list": error,
        "preview": True,
    }
    if request.htmx:
        return render(request, "surveys/_preview.html", context)
    return render(request, "surveys/preview.html", context)


@login_required
@require_POST
def survey_copy(request, pk):
    survey = _managed(request, pk)
    copy = services.survey_copy(survey=survey, by=request.user)
    messages.success(request, f"Copie créée : « {copy.title} » (brouillon).")
    return redirect(copy)


@login_required
@require_POST
def survey_status(request, pk):
    survey = _managed(request, pk)
    status = request.POST.get("status", "")
    try:
        services.survey_set_status(survey=survey, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Enquête : {survey.get_status_display().lower()}.")
    return redirect(survey)


# --- staff: people invited and sending -------------------------------------------------------


@login_required
def survey_targets(request, pk):
    """Choose the people invited from the registry: professions × departments × CPTS,
    with the counts before anything is created."""
    survey = _managed(request, pk)
    federation = survey.federation
    data = request.POST if request.method == "POST" else request.GET
    form = TargetForm(data, federation=federation)
    counts = None
    if form.is_bound and form.is_valid():
        selection = {
            "professions": [p.code for p in form.cleaned_data["professions"]],
            "departments": [d.code for d in form.cleaned_data["departments"]],
            "cpts": [c.pk for c in form.cleaned_data["cpts"]],
        }
        if request.method == "POST":
            created, skipped = services.invitations_from_registry(survey=survey, **selection)
            messages.success(
                request,
                f"{created} invitation(s) créée(s)"
                + (f" ; {skipped} personne(s) déjà invitée(s)" if skipped else "")
                + ".",
            )
            return redirect("surveys:invitations", survey.pk)
        counts = selectors.target_counts(selectors.registry_targets(federation, **selection))
    context = {"survey": survey, "federation": federation, "form": form, "counts": counts}
    if request.htmx:
        return render(request, "surveys/_target_counts.html", context)
    return render(request, "surveys/targets.html", context)


@login_required
def survey_import(request, pk):
    survey = _managed(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.invitations_import(
                survey=survey, content=upload.read(), filename=upload.name
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(request, f"{created} invitation(s) créée(s) depuis le fichier.")
            return redirect("surveys:invitations", survey.pk)
    return render(
        request,
        "surveys/import.html",
        {"survey": survey, "federation": survey.federation, "form": form},
    )


@login_required
def survey_invitations(request, pk):
    survey = _managed(request, pk)
    invitations = selectors.invitation_list(survey)
    if request.GET.get("format") == "csv":
        rows = [
            [
                i.full_name,
                i.email,
                i.profession.label if i.profession else "",
                i.department_id or "",
                i.cpts.name if i.cpts else "",
                request.build_absolute_uri(i.get_answer_url()),
                i.sent_at,
                "oui" if hasattr(i, "response") and i.response.submitted_at else "non",
            ]
            for i in invitations
        ]
        header = [
            "Nom",
            "Courriel",
            "Profession",
            "Département",
            "CPTS",
            "Lien personnel",
            "Invitation envoyée le",
            "A répondu",
        ]
        name = download_name("invitations", survey.title, day=timezone.localdate(), extension="csv")
        return exports.csv_response(rows, filename=name, header=header)
    return render(
        request,
        "surveys/invitations.html",
        {"survey": survey, "federation": survey.federation, "invitations": invitations},
    )


@login_required
def survey_send(request, pk):
    """Start sending the invitations or the reminders (POST), in the background; the page
    shows the progress of the last sending (refreshed by htmx while it runs)."""
    survey = _survey(pk)
    _check(perms.can_manage_surveys(request.user, survey.federation))
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in SendRequest.Kind.values:
            messages.error(request, "Choisissez d'envoyer les invitations ou les relances.")
        elif survey.status != Survey.Status.PUBLISHED:
            messages.error(request, "Publiez l'enquête avant d'envoyer les invitations.")
        else:
            sending.send_request_start(survey=survey, kind=kind, by=request.user)
            messages.success(
                request,
                "Envoi lancé : les courriels partent en arrière-plan, vous pouvez quitter "
                "cette page.",
            )
        return redirect("surveys:send", survey.pk)
    context = {
        "survey": survey,
        "federation": survey.federation,
        "send_request": selectors.latest_send_request(survey),
    }
    if request.htmx:
        return render(request, "surveys/_send_progress.html", context)
    return render(request, "surveys/send.html", context)


@login_required
@require_POST
def survey_indicator(request, pk):
    survey = _managed(request, pk)
    try:
        measurement = services.cpom_measurement_record(survey=survey, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Mesure enregistrée dans l'indicateur « {survey.cpom_indicator} » : "
            f"{measurement.value}.",
        )
    return redirect(survey)


# --- results -------------------------------------------------------------------------------


def _filters(request, survey) -> selectors.Filters:
    choices = selectors.filter_choices(survey)
    profession = query_text(request, "profession")
    department = query_text(request, "departement")
    cpts = query_int(request, "cpts")
    return selectors.Filters(
        profession=profession if profession in dict(choices["professions"]) else "",
        department=department if department in dict(choices["departments"]) else "",
        cpts=cpts if cpts in dict(choices["cpts"]) else None,
        start=parse_iso_date(request.GET.get("du")),
        end=parse_iso_date(request.GET.get("au")),
    )


def _results_context(request, survey):
    filters = _filters(request, survey)
    responses = selectors.filtered_responses(survey, filters)
    search = query_text(request, "recherche")
    results = selectors.analysis(survey, responses, search=search)
    row_key, column_key = query_text(request, "croiser"), query_text(request, "par")
    crossable = [
        r.question for r in results if r.question["type"] in selectors.rules.CROSSABLE_TYPES
    ]
    return {
        "survey": survey,
        "federation": survey.federation,
        "filters": filters,
        "choices": selectors.filter_choices(survey),
        "responses": responses,
        "results": results,
        "search": search,
        "crossable": crossable,
        "row_key": row_key,
        "column_key": column_key,
        "cross": selectors.cross_table(survey, responses, row_key, column_key)
        if row_key and column_key
        else None,
        "rates": selectors.response_rates(survey),
        "table": query_text(request, "tableau"),
        "can_manage": perms.can_manage_surveys(request.user, survey.federation),
    }


@login_required
def survey_results(request, pk):
    survey = _survey(pk)
    _check(perms.can_view_results(request.user, survey))
    context = _results_context(request, survey)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return survey_exports.results_response(export, context)
    return render(request, "surveys/results.html", context)


@login_required
def survey_results_pdf(request, pk):
    from weasyprint import HTML

    survey = _survey(pk)
    _check(perms.can_view_results(request.user, survey))
    context = _results_context(request, survey)
    context["generated_at"] = timezone.now()
    html = render_to_string("surveys/results_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return pdf_response(
        pdf, download_name("enquete", survey.title, day=timezone.localdate(), extension="pdf")
    )


# --- respondents (no account) ---------------------------------------------------------------


def _answer_page(request, survey, *, invitation=None, response=None):
    """The form of one respondent: save a draft or send, with French errors; one answer
    per token; a closed survey says so."""
    closed_reason = survey.closed_reason()
    version = response.version if response else survey.current_version()
    if invitation is not None and hasattr(invitation, "response"):
        response = invitation.response
        version = response.version
    submitted = bool(response and response.submitted_at)
    raw, errors = None, {}
    if request.method == "POST" and not submitted and not closed_reason:
        final = "send" in request.POST
        raw = rendering.raw_answers(version.definition, request.POST)
        try:
            response, checked = services.answers_save(
                survey=survey, raw=raw, final=final, invitation=invitation, response=response
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            errors = checked.errors
            if final and not errors:
                return render(
                    request,
                    "surveys/thanks.html",
                    {"survey": survey, "federation": survey.federation, "response": response},
                )
            if not final:
                if response is None:
                    messages.info(request, "Aucune réponse à enregistrer pour l'instant.")
                else:
                    resume = (
                        invitation.get_answer_url()
                        if invitation
                        else reverse("surveys:answer", args=[response.token])
                    )
                    messages.success(
                        request,
                        "Vos réponses sont enregistrées. Pour les reprendre plus tard, gardez "
                        f"ce lien : {request.build_absolute_uri(resume)}"
                        + (
                            " (les réponses illisibles n'ont pas été gardées : voir les "
                            "messages ci-dessous)"
                            if errors
                            else ""
                        ),
                    )
                    if not errors:
                        return redirect(resume)
                    raw = None  # show what was saved, with the errors
    status = 400 if errors else 200
    context = {
        "survey": survey,
        "federation": survey.federation,
        "closed_reason": closed_reason,
        "submitted": submitted,
        "response": response,
        "invitation": invitation,
        "sections": rendering.form_sections(
            version.definition,
            values=response.answers if response and raw is None else None,
            raw=raw,
            errors=errors,
        ),
        "errors": errors,
    }
    return render(request, "surveys/answer.html", context, status=status)


def public_answer(request, token):
    survey = get_object_or_404(selectors.survey_queryset(), public_token=token)
    if survey.distribution != Survey.Distribution.PUBLIC:
        raise Http404("Cette enquête se fait sur invitation.")
    return _answer_page(request, survey)


def answer(request, token):
    invitation = (
        Invitation.objects.select_related("survey", "survey__federation")
        .filter(token=token)
        .first()
    )
    if invitation is not None:
        return _answer_page(request, invitation.survey, invitation=invitation)
    response = get_object_or_404(
        Response.objects.select_related("survey", "survey__federation", "version"),
        token=token,
        invitation__isnull=True,
    )
    return _answer_page(request, response.survey, response=response)


def unsubscribe(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey", "survey__federation"), token=token
    )
    done = False
    if request.method == "POST":
        services.unsubscribe(invitation=invitation)
        done = True
    return render(
        request,
        "surveys/unsubscribe.html",
        {
            "invitation": invitation,
            "federation": invitation.survey.federation,
            "done": done or bool(invitation.unsubscribed_at),
        },
    )
