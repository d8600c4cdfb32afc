"""The demo's surveys: the unscheduled-care questionnaire of seed 003, published, with a
hundred answers drawn at random (seeded) among the questionnaire's own choices, its
results shared with the region's ARS and the unions' elected members; and a satisfaction
survey of the demo's past seminar. Idempotent (by title)."""

import random
from datetime import date, timedelta

from django.db import transaction

from interurps.analytics import surveys as rules
from interurps.geography.models import Commune
from interurps.organizations.models import Partner, Profession
from interurps.surveys import services
from interurps.surveys.models import Survey

SNP_TITLE = "Prise en charge des soins non programmés (démonstration)"
SATISFACTION_TITLE = "Satisfaction du séminaire (démonstration)"
SENTENCES = (
    "Davantage de créneaux partagés entre cabinets du secteur.",
    "Un numéro unique pour joindre les collègues en journée.",
    "La régulation ne connaît pas nos disponibilités.",
    "Manque de temps administratif pour s'organiser.",
    "Une meilleure coordination avec la pharmacie et les infirmier·es.",
    "",
)


def _random_answers(definition, rng: random.Random, communes, professions) -> dict:
    answers = {}
    for question in rules.questions(definition):
        kind = question["type"]
        choices = list(rules.choice_labels(question)) if kind in ("single", "multiple") else []
        if kind == "single":
            answers[question["key"]] = rng.choice(choices)
        elif kind == "multiple":
            answers[question["key"]] = rng.sample(choices, rng.randint(1, min(3, len(choices))))
        elif kind == "scale":
            low, high = question.get("min", 1), question.get("max", 5)
            answers[question["key"]] = str(min(high, max(low, round(rng.gauss(high - 1, 1)))))
        elif kind == "number":
            low, high = question.get("min", 0), question.get("max", 50)
            answers[question["key"]] = str(rng.randint(int(low), int(min(high, low + 40))))
        elif kind in ("short_text", "long_text"):
            answers[question["key"]] = rng.choice(SENTENCES)
        elif kind == "date":
            answers[question["key"]] = (
                date(2026, 1, 1) + timedelta(rng.randint(0, 300))
            ).isoformat()
        elif kind == "commune":
            answers[question["key"]] = rng.choice(communes)
        elif kind == "profession":
            answers[question["key"]] = rng.choice(professions)
    return answers


def _answered(survey: Survey, count: int, seed: int) -> None:
    rng = random.Random(seed)
    definition = survey.current_version().definition
    communes = list(
        Commune.objects.filter(department__region=survey.federation.region, kind="COM")
        .order_by("-population")
        .values_list("code", flat=True)[:60]
    )
    professions = list(Profession.objects.order_by("pk").values_list("pk", flat=True))
    for _ in range(count):
        # The service keeps only what the conditions show (as the form would have asked).
        raw = _random_answers(definition, rng, communes, professions)
        response, checked = services.answers_save(survey=survey, raw=raw, final=True)
        if checked.errors:
            raise ValueError(f"Réponse de démonstration refusée : {checked.errors}")


@transaction.atomic
def surveys_demo_load(*, federation, staff_user=None, event=None) -> list[Survey]:
    made = []
    snp = Survey.objects.filter(federation=federation, title=SNP_TITLE).first()
    if snp is None:
        snp = services.survey_create(
            federation=federation, title=SNP_TITLE, by=staff_user, template="snp"
        )
        services.survey_set_status(survey=snp, status=Survey.Status.PUBLISHED)
        ars = Partner.objects.filter(region=federation.region, kind=Partner.Kind.ARS)
        services.survey_update(
            survey=snp,
            data={"shared_with_union_members": True},
            shared_with_partners=list(ars),
        )
        _answered(snp, 100, seed=3)
    made.append(snp)
    if event is not None:
        satisfaction = Survey.objects.filter(
            federation=federation, title=SATISFACTION_TITLE
        ).first()
        if satisfaction is None:
            satisfaction = services.survey_create(
                federation=federation,
                title=SATISFACTION_TITLE,
                by=staff_user,
                template="satisfaction",
            )
            services.survey_update(survey=satisfaction, data={"event": event})
            services.survey_set_status(survey=satisfaction, status=Survey.Status.PUBLISHED)
            _answered(satisfaction, 40, seed=4)
        made.append(satisfaction)
    return made
