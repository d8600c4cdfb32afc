"""Writes for surveys: questionnaires and their versions, invitations, answers, sharing.

Every write validates inside one transaction; bad input is a `ValidationError` with a
French message saying what and where. The questionnaire's rules (types, conditions,
cycles) are the pure module `interurps.analytics.surveys`. Sending e-mails is in
`interurps.surveys.sending`.
"""

import json
import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interurps.analytics import surveys as rules
from interurps.core import imports
from interurps.core.text import normalize_name
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Department
from interurps.organizations.models import Profession
from interurps.professionals.models import Professional
from interurps.surveys import catalogue, selectors
from interurps.surveys.models import Invitation, Response, Survey, SurveyVersion, Unsubscribe

SURVEY_FIELDS = (
    "title",
    "intro",
    "thanks",
    "distribution",
    "opens_at",
    "closes_at",
    "event",
    "cpom_indicator",
    "cpom_measure",
    "shared_with_union_members",
)

BLANK_DEFINITION = {
    "sections": [
        {
            "key": "section_1",
            "title": "Section 1",
            "questions": [
                {"key": "question_1", "type": "short_text", "label": "Votre question"},
            ],
        }
    ]
}


def _save(record):
    record.full_clean()
    record.save()
    return record


def _check_links(survey: Survey) -> None:
    region = survey.federation.region_id
    errors = {}
    if survey.event_id and survey.event.federation_id != survey.federation_id:
        errors["event"] = "Cet événement est celui d'une autre fédération."
    if survey.cpom_indicator_id and survey.cpom_indicator.contract.federation_id != (
        survey.federation_id
    ):
        errors["cpom_indicator"] = "Cet indicateur est celui du CPOM d'une autre région."
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        errors["closes_at"] = "La clôture doit être postérieure à l'ouverture."
    if errors:
        raise ValidationError(errors)
    del region


def parse_definition(text: str) -> dict:
    """The questionnaire typed as JSON, validated; `ValidationError` listing each problem."""
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"JSON illisible, ligne {error.lineno}, colonne {error.colno} : {error.msg}."
        ) from None
    return validate(definition)


def validate(definition) -> dict:
    try:
        return rules.validate_definition(definition)
    except rules.DefinitionError as error:
        raise ValidationError(error.errors) from None


# --- surveys ---------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, federation, title: str, by=None, template: str = "", **fields) -> Survey:
    """A draft survey with its first version: a shipped questionnaire (`template`, a key
    of `catalogue.TEMPLATES`) or a one-question start."""
    if template and template not in catalogue.TEMPLATES:
        raise ValidationError({"template": "Modèle de questionnaire inconnu."})
    definition = catalogue.TEMPLATES[template][1] if template else BLANK_DEFINITION
    survey = Survey(federation=federation, title=title.strip(), created_by=by, **fields)
    survey.full_clean()
    _check_links(survey)
    survey.save()
    SurveyVersion.objects.create(
        survey=survey,
        number=1,
        definition=validate(json.loads(json.dumps(definition))),
        created_by=by,
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, data: dict, shared_with_partners=None) -> Survey:
    for name in SURVEY_FIELDS:
        if name in data:
            setattr(survey, name, data[name])
    survey.full_clean()
    _check_links(survey)
    survey.save()
    if shared_with_partners is not None:
        wrong = [p for p in shared_with_partners if p.region_id != survey.federation.region_id]
        if wrong:
            raise ValidationError(
                {"shared_with_partners": "Ce partenaire est celui d'une autre région."}
            )
        survey.shared_with_partners.set(shared_with_partners)
    return survey


@transaction.atomic
def definition_save(*, survey: Survey, definition, by=None) -> SurveyVersion:
    """Save the questionnaire: validated first; the current version is changed in place
    while nobody has answered it, otherwise a new version is created (answers keep
    theirs). An unchanged questionnaire creates nothing."""
    definition = validate(definition)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    current = survey.current_version()
    if current.definition == definition:
        return current
    if current.responses.exists():
        return SurveyVersion.objects.create(
            survey=survey, number=current.number + 1, definition=definition, created_by=by
        )
    current.definition = definition
    current.created_by = by
    current.save(update_fields=["definition", "created_by"])
    return current


@transaction.atomic
def survey_copy(*, survey: Survey, by=None) -> Survey:
    """A new draft survey with a copy of this one's current questionnaire and texts (no
    invitations, no answers, no dates, no sharing)."""
    copy = Survey(
        federation=survey.federation,
        title=f"Copie de {survey.title}"[:250],
        intro=survey.intro,
        thanks=survey.thanks,
        distribution=survey.distribution,
        created_by=by,
    )
    _save(copy)
    SurveyVersion.objects.create(
        survey=copy, number=1, definition=survey.current_version().definition, created_by=by
    )
    return copy


@transaction.atomic
def survey_set_status(*, survey: Survey, status: str) -> Survey:
    if status not in Survey.Status.values:
        raise ValidationError("Statut inconnu.")
    if status == Survey.Status.PUBLISHED:
        validate(survey.current_version().definition)
    survey.status = status
    survey.save(update_fields=["status"])
    return survey


# --- invitations -----------------------------------------------------------------------


def _unsubscribed(federation) -> set[str]:
    return {
        e.lower()
        for e in Unsubscribe.objects.filter(federation=federation).values_list("email", flat=True)
    }


@transaction.atomic
def invitations_from_registry(
    *, survey: Survey, professions=(), departments=(), cpts=()
) -> tuple[int, int]:
    """Invite the professionals the target selects (see `selectors.registry_targets`):
    one invitation each, skipping those already invited. Returns (created, already
    invited). Their e-mail is their account's, when they have one."""
    targets = selectors.registry_targets(
        survey.federation, professions=professions, departments=departments, cpts=cpts
    )
    already = set(
        survey.invitations.filter(professional__isnull=False).values_list(
            "professional_id", flat=True
        )
    )
    emails = set(survey.invitations.exclude(email="").values_list("email", flat=True))
    new = []
    for target in targets:
        if target.professional_id in already:
            continue
        email = target.email if target.email and target.email not in emails else ""
        emails.add(email)
        new.append(
            Invitation(
                survey=survey,
                email=email,
                full_name=target.full_name,
                professional_id=target.professional_id,
                profession_id=target.profession_id,
                department_id=target.department_id,
                cpts_id=target.cpts_id,
                source=Invitation.Source.REGISTRY,
            )
        )
    Invitation.objects.bulk_create(new, batch_size=1000)
    return len(new), len(targets) - len(new)


IMPORT_COLUMNS = {
    "courriel": 254,
    "nom": 200,
    "profession": 100,
    "departement": 3,
    "cpts": 200,
    "rpps": 20,
}


def _import_key(header: str) -> str:
    return normalize_name(header).replace(" ", "_").replace("-", "_").replace("e_mail", "courriel")


@transaction.atomic
def invitations_import(*, survey: Survey, content: bytes, filename: str = "") -> int:
    """Invite the people of a CSV or Excel file: columns `courriel` (required), `nom`,
    `profession` (code or label), `departement` (code), `cpts` (name), `rpps`. All or
    nothing: any line in error refuses the file, each error naming its line and column.
    Addresses already invited are skipped. Returns the number of invitations created."""
    from django.core.validators import validate_email

    try:
        lines = (
            imports.xlsx_lines(content)
            if filename.lower().endswith(".xlsx")
            else imports.csv_lines(content)
        )
        table = imports.read_table(
            lines, columns=IMPORT_COLUMNS, required=["courriel"], key=_import_key
        )
    except imports.FileRefused as error:
        raise ValidationError(str(error)) from None
    region = survey.federation.region
    professions = {}
    for p in Profession.objects.all():
        professions[p.code] = p
        professions[normalize_name(p.label)] = p
    departments = {d.code: d for d in Department.objects.filter(region=region)}
    cpts_by_name = {normalize_name(c.name): c for c in Cpts.objects.filter(region=region)}
    existing = {e.lower() for e in survey.invitations.values_list("email", flat=True)}
    errors, new, seen = [], [], {}
    for line, row in table.rows:
        email = row.get("courriel", "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"{imports.where(line, 'courriel')} : adresse « {email[:60]} » invalide.")
            continue
        if email in seen:
            errors.append(
                f"{imports.where(line, 'courriel')} : {email} figure déjà ligne {seen[email]}."
            )
            continue
        seen[email] = line
        invitation = Invitation(
            survey=survey, email=email, full_name=row.get("nom", ""), source=Invitation.Source.CSV
        )
        if text := row.get("profession", ""):
            profession = professions.get(text) or professions.get(normalize_name(text))
            if profession is None:
                errors.append(f"{imports.where(line, 'profession')} : « {text} » inconnue.")
            invitation.profession = profession
        if text := row.get("departement", ""):
            department = departments.get(text.zfill(2))
            if department is None:
                errors.append(
                    f"{imports.where(line, 'departement')} : « {text} » n'est pas un "
                    f"département de la région {region.name}."
                )
            invitation.department = department
        if text := row.get("cpts", ""):
            cpts = cpts_by_name.get(normalize_name(text))
            if cpts is None:
                errors.append(f"{imports.where(line, 'cpts')} : CPTS « {text} » inconnue.")
            invitation.cpts = cpts
        if text := row.get("rpps", ""):
            professional = Professional.objects.filter(identifier=text).first()
            if professional is None:
                errors.append(f"{imports.where(line, 'rpps')} : « {text} » absent du répertoire.")
            else:
                invitation.professional = professional
                invitation.profession = invitation.profession or professional.profession
                invitation.full_name = invitation.full_name or str(professional)
        if email not in existing:
            new.append(invitation)
        if len(errors) > 50:
            break
    if errors:
        raise ValidationError(errors)
    invited_professionals = set(
        survey.invitations.filter(professional__isnull=False).values_list(
            "professional_id", flat=True
        )
    )
    new = [
        i
        for i in new
        if i.professional_id is None or i.professional_id not in invited_professionals
    ]
    try:
        with transaction.atomic():
            Invitation.objects.bulk_create(new, batch_size=1000)
    except IntegrityError:
        raise ValidationError(
            "Une personne du fichier est déjà invitée (même fiche du répertoire)."
        ) from None
    return len(new)


@transaction.atomic
def unsubscribe(*, invitation: Invitation) -> None:
    """The person asks to receive no more survey e-mails from the federation: recorded
    for their address (every survey of the federation honours it)."""
    now = timezone.now()
    if invitation.email:
        Unsubscribe.objects.get_or_create(
            federation=invitation.survey.federation, email=invitation.email.lower()
        )
        Invitation.objects.filter(
            survey__federation=invitation.survey.federation,
            email__iexact=invitation.email,
            unsubscribed_at__isnull=True,
        ).update(unsubscribed_at=now)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(unsubscribed_at=now)


# --- answers ---------------------------------------------------------------------------


def resolve_commune(text: str) -> str | None:
    """An INSEE code from a code or an exact (accent- and case-insensitive) name that
    names only one commune."""
    text = text.strip()
    named = re.search(r"\(([0-9][0-9AB][0-9]{3})\)$", text)  # « Nantes (44109) »
    if named:
        text = named.group(1)
    if Commune.objects.filter(code=text.upper()).exists():
        return text.upper()
    codes = list(
        Commune.objects.filter(normalized_name=normalize_name(text)).values_list("code", flat=True)[
            :2
        ]
    )
    return codes[0] if len(codes) == 1 else None


def _respondent(response: Response) -> None:
    """Fill the analysis' filters (profession, department, CPTS) of a response."""
    invitation = response.invitation
    if invitation is not None:
        response.profession_id = invitation.profession_id
        response.department_id = invitation.department_id
        response.cpts_id = invitation.cpts_id
    definition = response.version.definition
    by_type = {}
    for question in rules.questions(definition):
        by_type.setdefault(question["type"], question["key"])
    answers = response.answers
    if not response.profession_id and answers.get(by_type.get("profession")):
        response.profession_id = answers[by_type["profession"]]
    commune_code = answers.get(by_type.get("commune"))
    if commune_code and not (response.department_id and response.cpts_id):
        commune = Commune.objects.filter(code=commune_code).first()
        if commune is not None:
            response.department_id = response.department_id or commune.department_id
            response.cpts_id = (
                response.cpts_id
                or Cpts.objects.filter(region=response.survey.federation.region, communes=commune)
                .values_list("pk", flat=True)
                .first()
            )


class AlreadySubmitted(ValidationError):
    pass


@transaction.atomic
def answers_save(
    *,
    survey: Survey,
    raw: dict,
    final: bool,
    invitation: Invitation | None = None,
    response: Response | None = None,
    now: datetime | None = None,
) -> tuple[Response | None, rules.Checked]:
    """Save a respondent's answers (through an invitation, an existing response's token,
    or the public link when both are None). A partial save keeps every valid answer;
    sending (`final`) requires the visible required questions and closes the response.

    Refused when the survey is closed or the response already sent (one answer per
    token). Returns (the response, or None when a first public save has nothing valid;
    the checked answers with their errors)."""
    now = now or timezone.now()
    reason = survey.closed_reason(now)
    if reason:
        raise ValidationError(reason)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        response = Response.objects.filter(invitation=invitation).first()
    elif response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk)
    if response is not None and response.submitted_at:
        raise AlreadySubmitted(
            "Vous avez déjà envoyé vos réponses à cette enquête : elles ne peuvent plus "
            "être modifiées. Merci de votre participation."
        )
    version = response.version if response is not None else survey.current_version()
    checked = rules.check_answers(
        version.definition,
        raw,
        final=final,
        resolve_commune=resolve_commune,
        professions=Profession.objects.values_list("code", flat=True),
    )
    if final and checked.errors:
        return response, checked
    if response is None:
        if not checked.answers and invitation is None:
            return None, checked
        response = Response(survey=survey, version=version, invitation=invitation, started_at=now)
    response.answers = checked.answers
    if final:
        response.submitted_at = now
    _respondent(response)
    response.save()
    return response, checked


# --- CPOM ------------------------------------------------------------------------------


@transaction.atomic
def cpom_measurement_record(*, survey: Survey, by=None, on=None):
    """Report the survey's figure (its number of sent answers, or its response rate) as a
    measurement of the CPOM indicator it is linked to, with the survey as the source."""
    from interurps.cpom import services as cpom_services

    indicator = survey.cpom_indicator
    if indicator is None:
        raise ValidationError("Cette enquête n'est liée à aucun indicateur du CPOM.")
    on = on or timezone.localdate()
    answered = survey.responses.filter(submitted_at__isnull=False).count()
    if survey.cpom_measure == Survey.CpomMeasure.RATE:
        invited = survey.invitations.count()
        if not invited:
            raise ValidationError("Aucune personne invitée : pas de taux de réponse.")
        value = rules.response_rate(
            invited, survey.invitations.filter(response__submitted_at__isnull=False).count()
        )
        detail = f"taux de réponse au {on:%d/%m/%Y}"
    else:
        value = answered
        detail = f"{answered} réponse(s) au {on:%d/%m/%Y}"
    return cpom_services.measurement_create(
        indicator=indicator,
        measured_on=on,
        value=value,
        source=f"Enquête « {survey.title} » ({detail})"[:250],
        by=by,
    )
