"""Writes for REPER: people, their followers, step-1 screenings, step-2 assessments, care
plans, consent withdrawal and identity erasure, and the read log.

Every write validates (`full_clean`) inside one transaction; the ICOPE decisions (which
domains are positive, when step 2 and the next screening are due, step-2 scores) come
from the pure rules module `interurps.analytics.icope`. A person whose consent is
withdrawn gets no new screening, assessment or plan.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.analytics import icope
from interurps.reper import selectors
from interurps.reper.models import (
    DOMAINS,
    IDENTITY_FIELDS,
    Assessment,
    CarePlan,
    FollowUp,
    Person,
    PersonRead,
    PlanAction,
    ProgrammeCpts,
    Screening,
)

MINIMUM_AGE = 60  # REPER / ICOPE: people aged 60 and over living at home (issue 14)
WITHDRAWAL_REASON = "Retrait du consentement"


def _save(record):
    record.full_clean()
    record.save()
    return record


def _require_consent(person: Person) -> None:
    if not person.consent_active:
        raise ValidationError(
            "Le consentement de cette personne a été retiré : plus aucun repérage, "
            "évaluation ou plan ne peut être enregistré."
        )


def _not_future(on: date, field: str, label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: f"{label} ne peut pas être dans le futur."})


# --- the programme's CPTS --------------------------------------------------------------


@transaction.atomic
def programme_cpts_add(*, cpts, since: date) -> ProgrammeCpts:
    """Mark a CPTS as running REPER (idempotent: the first date is kept)."""
    existing = ProgrammeCpts.objects.filter(cpts=cpts).first()
    return existing or _save(ProgrammeCpts(cpts=cpts, since=since))


@transaction.atomic
def programme_cpts_remove(*, cpts) -> None:
    """Take a CPTS out of the programme; refused while it follows people."""
    if Person.objects.filter(cpts=cpts).exists():
        raise ValidationError(
            f"La {cpts} suit des personnes dans REPER : elle ne peut pas quitter le programme."
        )
    ProgrammeCpts.objects.filter(cpts=cpts).delete()


# --- people and their followers --------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    cpts,
    professional,
    birth_year: int,
    sex: str,
    commune,
    consent_on: date,
    consent_scope: str,
    by=None,
    **identity,
) -> Person:
    """A person aged 60 or over in the year of their consent, living in a commune of a
    CPTS of the programme; `professional` (the one who includes them) follows them."""
    if not ProgrammeCpts.objects.filter(cpts=cpts).exists():
        raise ValidationError(f"La {cpts} ne fait pas partie du programme REPER.")
    errors = {}
    if commune is not None and not cpts.communes.filter(pk=commune.pk).exists():
        errors["commune"] = f"La commune {commune.name} n'est pas dans le territoire de la {cpts}."
    if birth_year and consent_on and consent_on.year - birth_year < MINIMUM_AGE:
        errors["birth_year"] = (
            f"REPER suit les personnes de {MINIMUM_AGE} ans et plus : née en {birth_year}, "
            f"la personne a moins de {MINIMUM_AGE} ans en {consent_on.year}."
        )
    birth_date = identity.get("birth_date")
    if birth_date and birth_year and birth_date.year != birth_year:
        errors["birth_date"] = "La date de naissance ne correspond pas à l'année de naissance."
    if consent_on:
        try:
            _not_future(consent_on, "consent_on", "La date du consentement")
        except ValidationError as error:
            errors.update(error.message_dict)
    if professional is None:
        errors["follower"] = "Choisissez le ou la professionnel·le qui suit la personne."
    if errors:
        raise ValidationError(errors)
    person = Person(
        cpts=cpts,
        birth_year=birth_year,
        sex=sex,
        commune=commune,
        consent_on=consent_on,
        consent_scope=consent_scope,
        created_by=by,
        **{name: value for name, value in identity.items() if name in IDENTITY_FIELDS},
    )
    _save(person)
    _save(FollowUp(person=person, professional=professional, since=timezone.localdate()))
    return person


@transaction.atomic
def person_update_identity(*, person: Person, **identity) -> Person:
    if person.identity_erased_on:
        raise ValidationError("L'identité de cette personne a été effacée.")
    for name in IDENTITY_FIELDS:
        if name in identity:
            setattr(person, name, identity[name] or ("" if name != "birth_date" else None))
    if person.birth_date and person.birth_date.year != person.birth_year:
        raise ValidationError(
            {"birth_date": "La date de naissance ne correspond pas à l'année de naissance."}
        )
    return _save(person)


@transaction.atomic
def follower_add(*, person: Person, professional, since: date | None = None) -> FollowUp:
    """Another professional of the CPTS follows the person (and may then read them)."""
    _require_consent(person)
    if not selectors.candidate_followers(person.cpts).filter(pk=professional.pk).exists():
        raise ValidationError(
            {"professional": f"{professional} n'exerce pas en libéral dans la {person.cpts}."}
        )
    if person.follow_ups.filter(professional=professional, until__isnull=True).exists():
        raise ValidationError({"professional": f"{professional} suit déjà cette personne."})
    return _save(
        FollowUp(person=person, professional=professional, since=since or timezone.localdate())
    )


@transaction.atomic
def follower_remove(*, follow_up: FollowUp, on: date | None = None) -> FollowUp:
    """End a follow-up; the last one of a person whose consent stands stays."""
    person = follow_up.person
    if follow_up.until is not None:
        return follow_up
    others = person.follow_ups.filter(until__isnull=True).exclude(pk=follow_up.pk)
    if person.consent_active and not others.exists():
        raise ValidationError(
            "La personne doit rester suivie par au moins un·e professionnel·le : ajoutez-en "
            "un·e autre avant de retirer celui-ci ou celle-ci."
        )
    follow_up.until = on or timezone.localdate()
    return _save(follow_up)


# --- step 1 ----------------------------------------------------------------------------


def _item_name(item: str) -> str:
    return (item or "").rsplit(".", 1)[-1]


@transaction.atomic
def screening_record(
    *,
    person: Person,
    professional,
    screened_on: date,
    answers: dict,
    assign_to=None,
) -> Screening:
    """Record a step-1 screening and open a step-2 assessment for each positive domain.

    The answers are in the `icope_screen` JSON shape; `icope.validate_answers` refuses a
    missing item, a wrong type or an impossible value (the error names the item), and
    `icope.positive_domains` decides. Each positive domain opens an assessment due by
    `icope.step2_due(screened_on)`, assigned to `assign_to` (one of the person's
    followers) or else to the screening professional — unless an assessment of that
    domain is still to do, which then stays the one to do (no duplicate).
    """
    _require_consent(person)
    _not_future(screened_on, "screened_on", "La date du repérage")
    if screened_on < person.consent_on:
        raise ValidationError(
            {"screened_on": "Le repérage ne peut pas précéder le consentement de la personne."}
        )
    try:
        answers = icope.validate_answers(answers)
        positive = icope.positive_domains(answers)
    except icope.ScreeningError as error:
        raise ValidationError({_item_name(error.item) or "__all__": error.message}) from error
    screening = Screening(
        person=person,
        professional=professional,
        screened_on=screened_on,
        answers=answers,
        positive_count=len(positive),
        **{f"{domain}_positive": domain in positive for domain in DOMAINS},
    )
    _save(screening)
    assignee = assign_to or professional
    open_domains = set(
        person.assessments.filter(status=Assessment.Status.TO_DO).values_list("domain", flat=True)
    )
    for domain in positive:
        if domain in open_domains:
            continue
        _save(
            Assessment(
                person=person,
                screening=screening,
                domain=domain,
                due_on=icope.step2_due(screened_on),
                assigned_to=assignee,
            )
        )
    return screening


# --- step 2 ----------------------------------------------------------------------------


def tool_of(domain: str, code: str):
    for tool in icope.STEP2_TOOLS.get(domain, ()):
        if tool.code == code:
            return tool
    return None


@transaction.atomic
def assessment_record(
    *, assessment: Assessment, tool_code: str, items: dict, done_on: date, by=None
) -> Assessment:
    """Record a step-2 assessment with one of its domain's reference tools: the score,
    whether it is abnormal and its band are computed by the tool (`icope.STEP2_TOOLS`)."""
    _require_consent(assessment.person)
    if assessment.status == Assessment.Status.CANCELLED:
        raise ValidationError("Cette évaluation a été annulée.")
    tool = tool_of(assessment.domain, tool_code)
    if tool is None:
        raise ValidationError({"tool": "Choisissez un des outils de référence du domaine."})
    _not_future(done_on, "done_on", "La date de l'évaluation")
    if done_on < assessment.screening.screened_on:
        raise ValidationError(
            {"done_on": "L'évaluation ne peut pas précéder le repérage qui l'a ouverte."}
        )
    try:
        result = tool.score(items)
    except (icope.Step2Error, icope.ScreeningError) as error:
        raise ValidationError({_item_name(error.item) or "__all__": error.message}) from error
    assessment.status = Assessment.Status.DONE
    assessment.done_on = done_on
    assessment.tool = tool.code
    assessment.score = Decimal(str(result.score)).quantize(Decimal("0.01"))
    assessment.abnormal = bool(result.abnormal)
    assessment.band = str(result.band or "")[:60]
    assessment.details = {key: value for key, value in items.items() if value is not None}
    if by is not None and assessment.assigned_to_id is None:
        assessment.assigned_to = by
    return _save(assessment)


@transaction.atomic
def assessment_cancel(*, assessment: Assessment, reason: str, on: date | None = None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Donnez le motif de l'annulation."})
    if assessment.status != Assessment.Status.TO_DO:
        raise ValidationError("Seule une évaluation à réaliser peut être annulée.")
    assessment.status = Assessment.Status.CANCELLED
    assessment.cancelled_on = on or timezone.localdate()
    assessment.cancel_reason = reason
    return _save(assessment)


@transaction.atomic
def assessment_assign(*, assessment: Assessment, professional) -> Assessment:
    if not assessment.person.follow_ups.filter(
        professional=professional, until__isnull=True
    ).exists():
        raise ValidationError(
            {"assigned_to": "L'évaluation se confie à un·e professionnel·le qui suit la personne."}
        )
    assessment.assigned_to = professional
    return _save(assessment)


# --- care plan -------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    person: Person,
    created_by,
    created_on: date,
    goals: str,
    referred_to_physician: bool = False,
    referral_note: str = "",
) -> CarePlan:
    """A personalised plan; a person has at most one plan in progress."""
    _require_consent(person)
    _not_future(created_on, "created_on", "La date du plan")
    if person.care_plans.filter(status=CarePlan.Status.ACTIVE).exists():
        raise ValidationError(
            "Un plan est déjà en cours pour cette personne : clôturez-le d'abord."
        )
    if referred_to_physician and not referral_note.strip():
        raise ValidationError(
            {"referral_note": "Dites au médecin traitant pourquoi vous l'adressez."}
        )
    return _save(
        CarePlan(
            person=person,
            created_by=created_by,
            created_on=created_on,
            goals=goals,
            referred_to_physician=referred_to_physician,
            referral_note=referral_note,
        )
    )


def _active(plan: CarePlan) -> None:
    _require_consent(plan.person)
    if plan.status != CarePlan.Status.ACTIVE:
        raise ValidationError("Ce plan est clos.")


@transaction.atomic
def plan_action_add(
    *,
    plan: CarePlan,
    description: str,
    domain: str = "",
    responsible=None,
    responsible_label: str = "",
    due_on: date | None = None,
) -> PlanAction:
    _active(plan)
    if responsible is None and not responsible_label.strip():
        raise ValidationError(
            {"responsible": "Dites qui réalise l'intervention (un·e professionnel·le ou autre)."}
        )
    return _save(
        PlanAction(
            plan=plan,
            description=description,
            domain=domain,
            responsible=responsible,
            responsible_label=responsible_label,
            due_on=due_on,
        )
    )


@transaction.atomic
def plan_action_done(*, action: PlanAction, on: date | None = None) -> PlanAction:
    _active(action.plan)
    action.done_on = on or timezone.localdate()
    return _save(action)


@transaction.atomic
def plan_review(*, plan: CarePlan, on: date, note: str = "") -> CarePlan:
    """A follow-up point of the plan."""
    _active(plan)
    _not_future(on, "on", "La date du point de suivi")
    if on < plan.created_on:
        raise ValidationError({"on": "Le point de suivi ne peut pas précéder le plan."})
    plan.last_reviewed_on = on
    plan.review_note = note
    return _save(plan)


@transaction.atomic
def plan_close(*, plan: CarePlan, on: date | None = None) -> CarePlan:
    if plan.status == CarePlan.Status.CLOSED:
        return plan
    plan.status = CarePlan.Status.CLOSED
    plan.closed_on = on or timezone.localdate()
    return _save(plan)


# --- consent withdrawal and erasure ----------------------------------------------------


@transaction.atomic
def consent_withdraw(*, person: Person, on: date, erase_identity: bool = False) -> Person:
    """The person withdraws their consent: follow-up stops (open assessments cancelled,
    plans closed; no new screening, assessment or plan). The followers keep reading the
    record. With `erase_identity`, the identity is erased at once (`identity_erase`)."""
    if not person.consent_active:
        raise ValidationError("Le consentement de cette personne est déjà retiré.")
    _not_future(on, "on", "La date du retrait")
    if on < person.consent_on:
        raise ValidationError({"on": "Le retrait ne peut pas précéder le consentement."})
    person.assessments.filter(status=Assessment.Status.TO_DO).update(
        status=Assessment.Status.CANCELLED, cancelled_on=on, cancel_reason=WITHDRAWAL_REASON
    )
    for plan in person.care_plans.filter(status=CarePlan.Status.ACTIVE):
        plan_close(plan=plan, on=on)
    person.consent_withdrawn_on = on
    _save(person)
    if erase_identity:
        identity_erase(person=person, on=on)
    return person


@transaction.atomic
def identity_erase(*, person: Person, on: date | None = None) -> Person:
    """Erase the identity (names, date of birth, contact, treating physician) of a person
    whose consent is withdrawn.

    The pseudonymous record (birth year, sex, commune, screenings, assessments, plans)
    stays for the programme's evaluation only when the consent's scope allowed it
    (« Repérage, suivi et évaluation pseudonymisée »); with a follow-up-only consent the
    screenings, assessments and plans are deleted too, and only the pseudonym, the
    consent dates and the read log remain, as the trace of the withdrawal.
    """
    if person.consent_active:
        raise ValidationError("L'identité ne s'efface qu'après le retrait du consentement.")
    for name in IDENTITY_FIELDS:
        setattr(person, name, None if name == "birth_date" else "")
    person.identity_erased_on = on or timezone.localdate()
    _save(person)
    if person.consent_scope != Person.ConsentScope.FOLLOW_UP_AND_EVALUATION:
        person.care_plans.all().delete()
        person.assessments.all().delete()
        person.screenings.all().delete()
    return person


# --- read log --------------------------------------------------------------------------


def person_read_log(*, person: Person, user, what: str) -> PersonRead:
    """Who read the record, when and what (shown on the record)."""
    return PersonRead.objects.create(person=person, user=user, what=what[:100])


def people_read_log(*, people, user, what: str) -> None:
    PersonRead.objects.bulk_create(
        [PersonRead(person=person, user=user, what=what[:100]) for person in people]
    )
