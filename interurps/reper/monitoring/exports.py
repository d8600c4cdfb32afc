"""The pseudonymised evaluation export of the REPER programme (Kind.REPER_EXPORT): one row
per step-1 screening, for the people whose consent covers the programme's evaluation and
has not been withdrawn.

What a row holds, and what it never holds:

- an export identifier, `EV-` and 16 hex digits of HMAC-SHA256(key, the person's
  pseudonym): stable from one export to the next (an evaluator follows a person over
  time) but not the pseudonym of the database, and it cannot be computed back or joined to
  the application's records without the key (setting `REPER_EXPORT_KEY`, from the
  environment; by default derived from `SECRET_KEY`: set it apart to keep the identifiers
  when the secret key is rotated, and change it to make a new export unlinkable to the
  previous ones);
- the age band at the screening (5 years, "90 ans et plus"), not the birth year; sex;
- where the person lives: the commune's INSEE code only for communes of at least
  `COMMUNE_MIN_POPULATION` inhabitants, always the department;
- the CPTS; the month of the screening (not the day);
- the six step-1 results and, per domain, the step-2 assessment opened by that screening:
  status, tool, abnormal or not, delay in days from the screening to the assessment.

No name, birth date, contact, address, treating physician, pseudonym or database id.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.crypto import salted_hmac

from interurps.reper.models import DOMAINS, Assessment, Person
from interurps.reper.monitoring import selectors

COMMUNE_MIN_POPULATION = 5_000
AGE_BAND_YEARS = 5
OLDEST_BAND = 90
STATUS_LABELS = dict(Assessment.Status.choices)


def export_id(pseudonym: str) -> str:
    """The export's identifier of a person (see the module docstring)."""
    secret = getattr(settings, "REPER_EXPORT_KEY", "") or settings.SECRET_KEY
    digest = salted_hmac(
        "interurps.reper.evaluation_export", pseudonym, secret=secret, algorithm="sha256"
    ).hexdigest()
    return f"EV-{digest[:16].upper()}"


def age_band(age: int) -> str:
    if age >= OLDEST_BAND:
        return f"{OLDEST_BAND} ans et plus"
    low = age - age % AGE_BAND_YEARS
    return f"{low}-{low + AGE_BAND_YEARS - 1} ans"


def header() -> list[str]:
    columns = [
        "Identifiant d'évaluation",
        "Tranche d'âge au repérage",
        "Sexe",
        f"Commune (code INSEE, communes de {COMMUNE_MIN_POPULATION} habitants et plus)",
        "Département",
        "CPTS",
        "Mois du repérage",
    ]
    columns += [f"Étape 1 : {selectors.DOMAIN_LABELS[d].lower()} positif" for d in DOMAINS]
    columns.append("Domaines positifs")
    for d in DOMAINS:
        label = selectors.DOMAIN_LABELS[d].lower()
        columns += [
            f"Étape 2 {label} : statut",
            f"Étape 2 {label} : outil",
            f"Étape 2 {label} : anormale",
            f"Étape 2 {label} : délai (jours)",
        ]
    return columns


def consenting_screenings(region, *, cpts=None, start=None, end=None):
    """The period's screenings of people who consented to the evaluation (not withdrawn)."""
    return (
        selectors.scoped_screenings(region, cpts=cpts, start=start, end=end)
        .filter(
            person__consent_scope=Person.ConsentScope.FOLLOW_UP_AND_EVALUATION,
            person__consent_withdrawn_on__isnull=True,
        )
        .select_related("person__commune", "person__cpts")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.exclude(status=Assessment.Status.CANCELLED).order_by(
                    "pk"
                ),
            )
        )
        .order_by("screened_on", "pk")
    )


def rows(screenings):
    """One row per screening, in the order of `header()`."""
    for s in screenings:
        person = s.person
        commune = person.commune
        small = (commune.population or 0) < COMMUNE_MIN_POPULATION
        row = [
            export_id(person.pseudonym),
            age_band(s.screened_on.year - person.birth_year),
            person.get_sex_display(),
            "" if small else commune.code,
            commune.department_id,
            person.cpts.name,
            s.screened_on.strftime("%Y-%m"),
        ]
        row += [getattr(s, f"{d}_positive") for d in DOMAINS]
        row.append(s.positive_count)
        by_domain = {}
        for assessment in s.assessments.all():
            by_domain.setdefault(assessment.domain, assessment)
        for d in DOMAINS:
            a = by_domain.get(d)
            if a is None:
                row += ["", "", None, None]
                continue
            done = a.status == Assessment.Status.DONE and a.done_on is not None
            row += [
                STATUS_LABELS[a.status],
                a.tool,
                a.abnormal,
                (a.done_on - s.screened_on).days if done else None,
            ]
        yield row
