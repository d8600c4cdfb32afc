"""Demo REPER data: the four experimentation CPTS of seed 003 (Pays de Retz, Sud Loire
Vignoble, Centre Vendée, Grand Saumurois) with about 400 synthetic people aged 60 and
over, followed by liberal professionals of those CPTS (synthetic registry), screened over
2022–2023.

Everything here is ILLUSTRATIVE and fictitious (names drawn from common French first and
last names, seeded): the shape follows what the programme's evaluations report — most
step-1 screenings raise an alert (about nine in ten here), few get a step-2 assessment
(about a quarter of the domains to assess), some care plans, and a backlog of overdue
assessments and due re-screenings. Deterministic (seed 3) and idempotent: nothing is
added once the programme's CPTS follow people.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from interurps.analytics import icope
from interurps.cpts.models import Cpts
from interurps.reper import selectors, services
from interurps.reper.models import (
    DOMAINS,
    Assessment,
    CarePlan,
    FollowUp,
    Person,
    PlanAction,
    Screening,
)

DEMO_SEED = 3
PROGRAMME_CPTS = (
    "CPTS Pays de Retz",
    "CPTS Sud Loire Vignoble",
    "CPTS Centre Vendée",
    "CPTS du Grand Saumurois",
)
PROGRAMME_SINCE = date(2022, 1, 3)
PEOPLE_PER_CPTS = 100
FOLLOWERS_PER_CPTS = 12
DEMO_PROFESSIONAL_PEOPLE = 15
FOLLOWER_PROFESSIONS = (
    "infirmiers",
    "masseurs-kinesitherapeutes",
    "pharmaciens",
    "orthophonistes",
    "orthoptistes",
    "pedicures-podologues",
    "medecins",
)
FIRST = date(2022, 1, 10)
LAST = date(2023, 12, 15)
SHARE_DONE = 0.25
SHARE_CANCELLED = 0.08
CANCEL_REASONS = (
    "Refus de la personne",
    "Déjà suivie pour ce domaine par son médecin",
    "Personne injoignable",
)
FEMALE = (
    "Monique",
    "Françoise",
    "Jacqueline",
    "Nicole",
    "Sylvie",
    "Martine",
    "Annie",
    "Christiane",
    "Danielle",
    "Colette",
    "Josiane",
    "Odile",
    "Brigitte",
    "Yvette",
    "Marie-Thérèse",
    "Geneviève",
    "Simone",
    "Paulette",
    "Ginette",
    "Huguette",
)
MALE = (
    "Jean",
    "Michel",
    "André",
    "Pierre",
    "Bernard",
    "Jacques",
    "Gérard",
    "Alain",
    "Claude",
    "René",
    "Roger",
    "Marcel",
    "Daniel",
    "Yves",
    "Joseph",
    "Henri",
    "Louis",
    "Robert",
    "Guy",
    "Raymond",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Guérin",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Blanchard",
    "Gaudin",
    "Chevalier",
    "Robin",
    "Brunet",
    "Boucher",
    "Rousseau",
    "Gautier",
    "Perrin",
    "Baudry",
    "Guillet",
    "Ménard",
    "Pineau",
    "Chauvin",
    "Rabaud",
    "Tessier",
    "Hervouet",
    "Bouyer",
    "Cormerais",
)
STREETS = (
    "rue de la Mairie",
    "rue de l'Église",
    "route de Nantes",
    "chemin des Vignes",
    "rue du Stade",
    "allée des Tilleuls",
    "rue des Écoles",
    "impasse du Moulin",
)
GOALS = {
    "cognition": "Préserver l'autonomie cognitive ; stimuler la mémoire",
    "mobility": "Marcher sans aide et prévenir les chutes",
    "nutrition": "Retrouver l'appétit et stabiliser le poids",
    "vision": "Corriger la vue ; sécuriser le domicile",
    "hearing": "Mieux entendre ; appareillage si besoin",
    "mood": "Retrouver le moral ; rompre l'isolement",
}
ACTIONS = {
    "cognition": "Ateliers mémoire et consultation mémoire",
    "mobility": "Rééducation de l'équilibre, 2 séances par semaine",
    "nutrition": "Enrichissement de l'alimentation, pesée mensuelle",
    "vision": "Consultation d'ophtalmologie ; éclairage du logement",
    "hearing": "Audiogramme chez l'ORL",
    "mood": "Consultation du médecin traitant ; activités du club",
}


@dataclass
class ReperDemoReport:
    cpts: int = 0
    people: int = 0
    screenings: int = 0
    assessments: int = 0
    plans: int = 0


def _day(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _answers(rng) -> dict:
    """Step-1 answers drawn so that about nine screenings in ten have a positive domain."""
    rises = 5 if rng.random() < 0.8 else rng.randint(0, 4)
    seconds = round(rng.uniform(8.5, 19.0), 1) if rises == 5 else None
    return {
        "cognition": {
            "orientation_time": rng.random() > 0.12,
            "orientation_place": rng.random() > 0.05,
            "words_recalled": 3 if rng.random() > 0.2 else rng.randint(0, 2),
        },
        "mobility": {"chair_rises_completed": rises, "chair_rise_seconds": seconds},
        "nutrition": {
            "weight_loss_over_3kg_3_months": rng.random() < 0.1,
            "appetite_loss": rng.random() < 0.12,
        },
        "vision": {"eye_problems": rng.random() < 0.45},
        "hearing": {"whisper_test_passed": rng.random() > 0.35},
        "mood": {"feeling_down": rng.random() < 0.18, "little_interest": rng.random() < 0.12},
    }


def _step2(rng, domain: str):
    """A scored step-2 result with one of the domain's tools (random items in range)."""
    tools = icope.STEP2_TOOLS.get(domain) or ()
    if not tools:
        return None
    tool = tools[0] if len(tools) == 1 or rng.random() < 0.7 else tools[1]
    items = {}
    for item in tool.items:
        if item.kind == "bool":
            items[item.name] = rng.random() < 0.5
        elif item.allowed is not None:
            items[item.name] = rng.choice(item.allowed)
        elif item.kind == "int":
            items[item.name] = rng.randint(int(item.min), int(item.max))
        else:
            items[item.name] = round(rng.uniform(max(item.min, 0), item.max * 0.6), 1)
    try:
        result = tool.score(items)
    except (icope.Step2Error, ValueError):
        return None
    return tool, items, result


def _professional_pool(cpts, rng, demo_professional) -> list:
    candidates = list(
        selectors.candidate_followers(cpts).filter(profession_id__in=FOLLOWER_PROFESSIONS)
    )
    pool = rng.sample(candidates, min(FOLLOWERS_PER_CPTS, len(candidates)))
    if demo_professional is not None and demo_professional in candidates:
        pool = [demo_professional] + [p for p in pool if p != demo_professional]
    return pool


@transaction.atomic
def reper_demo_load(*, region, demo_professional=None) -> ReperDemoReport:
    """The programme's CPTS of the demo region and their synthetic people (idempotent).

    `demo_professional` (the demo physiotherapist's registry record) follows
    `DEMO_PROFESSIONAL_PEOPLE` people of the Grand Saumurois when practising there.
    """
    report = ReperDemoReport()
    cpts_list = list(Cpts.objects.filter(region=region, name__in=PROGRAMME_CPTS).order_by("name"))
    for cpts in cpts_list:
        services.programme_cpts_add(cpts=cpts, since=PROGRAMME_SINCE)
    report.cpts = len(cpts_list)
    if not cpts_list or Person.objects.filter(cpts__in=cpts_list).exists():
        return report
    rng = random.Random(DEMO_SEED)
    taken = set(Person.objects.values_list("pseudonym", flat=True))
    people, followers_of = [], []
    for cpts in cpts_list:
        pool = _professional_pool(cpts, rng, demo_professional)
        communes = list(cpts.communes.order_by("code"))
        if not pool or not communes:
            continue
        weights = [max(c.population or 0, 50) for c in communes]
        for index in range(PEOPLE_PER_CPTS):
            pseudonym = f"R-{rng.getrandbits(32):08X}"
            while pseudonym in taken:
                pseudonym = f"R-{rng.getrandbits(32):08X}"
            taken.add(pseudonym)
            sex = "F" if rng.random() < 0.58 else "M"
            birth_year = rng.randint(1928, 1961)
            commune = rng.choices(communes, weights)[0]
            consent_on = _day(rng, FIRST, date(2023, 6, 30))
            first_name = rng.choice(FEMALE if sex == "F" else MALE)
            last_name = rng.choice(LAST_NAMES)
            people.append(
                Person(
                    pseudonym=pseudonym,
                    cpts=cpts,
                    birth_year=birth_year,
                    sex=sex,
                    commune=commune,
                    consent_on=consent_on,
                    consent_scope=Person.ConsentScope.FOLLOW_UP_AND_EVALUATION
                    if rng.random() < 0.85
                    else Person.ConsentScope.FOLLOW_UP,
                    last_name=last_name,
                    first_name=first_name,
                    birth_date=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
                    phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                    address=f"{rng.randint(1, 60)} {rng.choice(STREETS)}\n{commune.name}",
                    treating_physician=f"Dr {rng.choice(LAST_NAMES)}",
                )
            )
            if demo_professional is not None and pool[0] == demo_professional:
                main = demo_professional if index < DEMO_PROFESSIONAL_PEOPLE else None
            else:
                main = None
            main = main or rng.choice(pool[1:] or pool)
            others = [p for p in pool if p != main]
            second = rng.choice(others) if others and rng.random() < 0.2 else None
            followers_of.append([p for p in (main, second) if p is not None])
    people = Person.objects.bulk_create(people)
    FollowUp.objects.bulk_create(
        [
            FollowUp(person=person, professional=professional, since=person.consent_on)
            for person, professionals in zip(people, followers_of, strict=True)
            for professional in professionals
        ]
    )
    report.people = len(people)

    # Screenings: a first one at consent, then re-screenings about 6 months apart for some.
    screenings, plans_to_make = [], []
    for person, professionals in zip(people, followers_of, strict=True):
        day = person.consent_on
        while day <= LAST:
            answers = _answers(rng)
            positive = icope.positive_domains(answers)
            screenings.append(
                Screening(
                    person=person,
                    professional=professionals[0],
                    screened_on=day,
                    answers=answers,
                    positive_count=len(positive),
                    **{f"{d}_positive": d in positive for d in DOMAINS},
                )
            )
            if rng.random() > 0.45:
                break
            day = icope.next_screening_due(day) + timedelta(days=rng.randint(0, 45))
    screenings = Screening.objects.bulk_create(screenings)
    report.screenings = len(screenings)

    # Step 2: each positive domain opens an assessment (none while one of that domain is
    # still to do); a quarter are done, a few cancelled, the rest wait (the backlog).
    assessments, open_domains = [], {}
    for screening in screenings:
        still_open = open_domains.setdefault(screening.person_id, set())
        for domain in screening.positive_domains:
            if domain in still_open:
                continue
            assessment = Assessment(
                person_id=screening.person_id,
                screening=screening,
                domain=domain,
                due_on=icope.step2_due(screening.screened_on),
                assigned_to=screening.professional,
            )
            draw = rng.random()
            scored = _step2(rng, domain) if draw < SHARE_DONE else None
            if scored is not None:
                tool, items, result = scored
                assessment.status = Assessment.Status.DONE
                assessment.done_on = screening.screened_on + timedelta(days=rng.randint(7, 75))
                assessment.tool = tool.code
                assessment.score = Decimal(str(result.score)).quantize(Decimal("0.01"))
                assessment.abnormal = bool(result.abnormal)
                assessment.band = str(result.band or "")[:60]
                assessment.details = items
                if result.abnormal and rng.random() < 0.6:
                    plans_to_make.append((screening, assessment))
            elif draw > 1 - SHARE_CANCELLED:
                assessment.status = Assessment.Status.CANCELLED
                assessment.cancelled_on = screening.screened_on + timedelta(days=20)
                assessment.cancel_reason = rng.choice(CANCEL_REASONS)
            else:
                still_open.add(domain)
            assessments.append(assessment)
    Assessment.objects.bulk_create(assessments)
    report.assessments = len(assessments)

    # Care plans after an abnormal step 2: one per person at most.
    plans, actions, planned = [], [], set()
    for screening, assessment in plans_to_make:
        if screening.person_id in planned:
            continue
        planned.add(screening.person_id)
        created_on = assessment.done_on + timedelta(days=rng.randint(3, 20))
        closed = rng.random() < 0.3
        plan = CarePlan(
            person_id=screening.person_id,
            created_on=created_on,
            goals=GOALS[assessment.domain],
            referred_to_physician=rng.random() < 0.5,
            created_by=screening.professional,
            last_reviewed_on=created_on + timedelta(days=60) if rng.random() < 0.5 else None,
            status=CarePlan.Status.CLOSED if closed else CarePlan.Status.ACTIVE,
            closed_on=created_on + timedelta(days=150) if closed else None,
        )
        if plan.referred_to_physician:
            plan.referral_note = f"Résultat anormal ({assessment.tool.upper()}) : avis demandé."
        plans.append(plan)
        actions.append(
            PlanAction(
                domain=assessment.domain,
                description=ACTIONS[assessment.domain],
                responsible=screening.professional,
                due_on=created_on + timedelta(days=45),
                done_on=created_on + timedelta(days=40) if rng.random() < 0.5 else None,
            )
        )
    plans = CarePlan.objects.bulk_create(plans)
    for plan, action in zip(plans, actions, strict=True):
        action.plan = plan
    PlanAction.objects.bulk_create(actions)
    report.plans = len(plans)
    return report
