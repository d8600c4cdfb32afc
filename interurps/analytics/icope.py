"""WHO ICOPE rules for REPER: step-1 screening, step-2 tools, scheduling and queue priority.

Pure Python (stdlib only, no Django import). The REPER app records the answers and the
results; every decision is taken here, so that the forms, the ``icope_screen`` command, the
demo and the indicators agree.

Sources
-------
[ICOPE-2019]  WHO. Integrated care for older people (ICOPE): guidance for person-centred
              assessment and pathways in primary care. Geneva: World Health Organization;
              2019 (WHO/FWC/ALC/19.1): the ICOPE screening tool (step 1) and the pathway
              chapter of each domain (step 2). The 2024 second edition was not consulted.
[REPER-14]    InterURPS issue 14 (REPER / ICOPE), which restates the step-1 criteria of
              [ICOPE-2019] in the exact form implemented here.
[JARLIFE-25]  J Aging Res Lifestyle 2025;15:100033, table 1 (step 1 items of the WHO ICOPE
              app and the step-2 reference tool of each domain: GPCOG/MoCA, SPPB, MNA-SF,
              Snellen chart, pure-tone audiometry, PHQ-9) and the step-1 cut-off « 5
              chair-rises ≤ 14 s », read while writing this module.
[ACCESSMED]   AccessMedicine summary of the WHO 2019 ICOPE recommendations (chair rise test:
              cannot rise 5 times in 14 s without using the arms → SPPB; MoCA or GPCOG for
              cognitive decline), read while writing this module.
[NASREDDINE]  Nasreddine ZS et al. The Montreal Cognitive Assessment, MoCA: a brief screening
              tool for mild cognitive impairment. J Am Geriatr Soc 2005;53(4):695-699.
[BRODATY]     Brodaty H et al. The GPCOG: a new screening test for dementia designed for
              general practice. J Am Geriatr Soc 2002;50(3):530-534.
[GURALNIK]    Guralnik JM et al. A short physical performance battery assessing lower
              extremity function. J Gerontol 1994;49(2):M85-M94.
[KAISER]      Kaiser MJ et al. Validation of the Mini Nutritional Assessment short-form
              (MNA-SF). J Nutr Health Aging 2009;13(9):782-788; first short form:
              Rubenstein LZ et al. J Gerontol A Biol Sci Med Sci 2001;56(6):M366-M372.
[ICD-11-VI]   WHO ICD-11, 9D90 « Vision impairment including blindness » (presenting distance
              acuity in the better eye: mild worse than 6/12, moderate worse than 6/18, severe
              worse than 6/60, blindness worse than 3/60); WHO World report on vision, 2019.
[WRH-2021]    WHO. World report on hearing. Geneva; 2021, table 1.3 « Grades of hearing loss »
              (pure-tone average of 0.5, 1, 2 and 4 kHz in the better ear: normal < 20 dB,
              mild 20 to < 35, moderate 35 to < 50, moderately severe 50 to < 65, severe 65
              to < 80, profound 80 to < 95, complete 95 dB or more), read while writing.
[KROENKE]     Kroenke K, Spitzer RL, Williams JB. The PHQ-9: validity of a brief depression
              severity measure. J Gen Intern Med 2001;16(9):606-613.

Provenance, honestly: what was read while writing this module is [REPER-14],
[JARLIFE-25], [ACCESSMED], the [WRH-2021] grade table and public copies of the GPCOG score
sheet (gpnotebook.com; Wikipedia « General Practitioner Assessment of Cognition »), which
confirm the 9 / 5-8 / 0-4 and informant 0-3 rules of [BRODATY], and a table of the WHO
ICD-10 visual impairment levels (Arch Dis Child; « normal vision 6/18 or better », low
vision « < 6/18 to 6/60 »), which supports the 6/18 cut-off below. The handbook [ICOPE-2019]
itself could not be read here: its step-1 criteria are taken as [REPER-14] states them
(consistent with [JARLIFE-25] and [ACCESSMED]). The MoCA, SPPB, MNA-SF, ICD-11 and PHQ-9
figures are those of the publications cited, as printed on their standard score sheets,
not re-read for this module. Places where a choice had to be made are marked « Choice ».

Step-1 answers (the ``icope_screen`` JSON shape, [REPER-14])
-------------------------------------------------------------
>>> answers = {
...     "cognition": {"orientation_time": True, "orientation_place": True, "words_recalled": 3},
...     "mobility": {"chair_rises_completed": 5, "chair_rise_seconds": 11.2},
...     "nutrition": {"weight_loss_over_3kg_3_months": False, "appetite_loss": False},
...     "vision": {"eye_problems": False},
...     "hearing": {"whisper_test_passed": True},
...     "mood": {"feeling_down": False, "little_interest": False},
... }
>>> positive_domains(answers)
[]
>>> answers["mobility"] = {"chair_rises_completed": 5, "chair_rise_seconds": 14.01}
>>> positive_domains(answers)
['mobility']
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- Domains --------------------------------------------------------------------------------

#: The six ICOPE domains, in the order of the [ICOPE-2019] screening tool (and of
#: ``interurps.reper.models.DOMAINS``).
DOMAINS = ("cognition", "mobility", "nutrition", "vision", "hearing", "mood")

DOMAIN_LABELS = {
    "cognition": "Cognition",
    "mobility": "Mobilité",
    "nutrition": "Nutrition",
    "vision": "Vision",
    "hearing": "Audition",
    "mood": "Humeur",
}


# --- Step 1: thresholds ---------------------------------------------------------------------

#: [ICOPE-2019] cognition, as stated in [REPER-14]: three words to recall; fewer than 3
#: recalled is positive.
WORDS_TO_RECALL = 3
#: [ICOPE-2019] mobility: five chair rises without using the arms [REPER-14], [ACCESSMED].
CHAIR_RISES = 5
#: [ICOPE-2019] mobility: positive unless the five rises were completed within 14 seconds;
#: 14.0 s is within (negative), anything above is positive [REPER-14], [JARLIFE-25] (≤ 14 s).
CHAIR_RISE_MAX_SECONDS = 14.0
# [ICOPE-2019] nutrition: unintended weight loss of more than 3 kg over 3 months [REPER-14],
# asked as a yes/no question, hence the boolean item below; the 3 kg boundary is the
# person's answer (exactly 3 kg is « no »), not a number we compare.


@dataclass(frozen=True)
class ScreeningItem:
    """One step-1 question: where it lives in the JSON, its French label and its type.

    ``kind`` is ``"bool"`` (true/false), ``"int"`` (whole number in ``min``..``max``) or
    ``"seconds"`` (finite number > 0). ``required`` is False for items that may be null or
    absent (see ``validate_answers``).
    """

    domain: str
    name: str
    label: str
    kind: str
    min: int | None = None
    max: int | None = None
    required: bool = True

    @property
    def path(self) -> str:
        return f"{self.domain}.{self.name}"


SCREENING_ITEMS = (
    ScreeningItem(
        "cognition", "orientation_time", "Orientation dans le temps (date complète juste)", "bool"
    ),
    ScreeningItem(
        "cognition", "orientation_place", "Orientation dans l'espace (lieu juste)", "bool"
    ),
    ScreeningItem(
        "cognition", "words_recalled", "Nombre de mots rappelés, sur 3", "int", 0, WORDS_TO_RECALL
    ),
    ScreeningItem(
        "mobility",
        "chair_rises_completed",
        "Levers de chaise réalisés sans l'aide des bras, sur 5",
        "int",
        0,
        CHAIR_RISES,
    ),
    ScreeningItem(
        "mobility",
        "chair_rise_seconds",
        "Durée des 5 levers de chaise, en secondes",
        "seconds",
        required=False,
    ),
    ScreeningItem(
        "nutrition",
        "weight_loss_over_3kg_3_months",
        "Perte de poids involontaire de plus de 3 kg en 3 mois",
        "bool",
    ),
    ScreeningItem("nutrition", "appetite_loss", "Perte d'appétit", "bool"),
    ScreeningItem(
        "vision",
        "eye_problems",
        "Problème aux yeux : voir de loin, lire, maladie des yeux, traitement en cours",
        "bool",
    ),
    ScreeningItem(
        "hearing", "whisper_test_passed", "Test du chuchotement réussi", "bool", required=False
    ),
    ScreeningItem(
        "hearing",
        "audiometry_passed",
        "Audiométrie de dépistage réussie, 35 dB ou moins",
        "bool",
        required=False,
    ),
    ScreeningItem(
        "hearing",
        "digits_in_noise_passed",
        "Test de chiffres dans le bruit réussi",
        "bool",
        required=False,
    ),
    ScreeningItem(
        "mood",
        "feeling_down",
        "Ces deux dernières semaines : triste, déprimé·e ou désespéré·e",
        "bool",
    ),
    ScreeningItem(
        "mood",
        "little_interest",
        "Ces deux dernières semaines : peu d'intérêt ou de plaisir à faire les choses",
        "bool",
    ),
)

ITEMS_BY_PATH = {item.path: item for item in SCREENING_ITEMS}
#: The items of the hearing domain, any one of which may carry the result (at least one).
HEARING_TESTS = ("whisper_test_passed", "audiometry_passed", "digits_in_noise_passed")


class ScreeningError(ValueError):
    """Step-1 answers that cannot be decided on.

    ``item`` is the dotted path of the faulty item (``"mobility.chair_rise_seconds"``; a
    domain name for a faulty domain; ``""`` for the whole document) and ``message`` a French
    sentence naming the item, saying what is wrong and what is expected.
    """

    def __init__(self, item: str, message: str):
        super().__init__(message)
        self.item = item
        self.message = message

    def __str__(self) -> str:
        return self.message


def _describe(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return f"le texte « {value} »"
    if isinstance(value, Mapping):
        return "un objet"
    if isinstance(value, list | tuple):
        return "une liste"
    return repr(value)


def _where(item: ScreeningItem) -> str:
    return f"{DOMAIN_LABELS[item.domain]} — {item.label.lower()} ({item.path})"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_item(item: ScreeningItem, value):
    """Return the normalised value of one present, non-null item or raise ScreeningError."""
    where = _where(item)
    if item.kind == "bool":
        if not isinstance(value, bool):
            raise ScreeningError(
                item.path,
                f"{where} : valeur refusée ({_describe(value)}) ; attendu true ou false.",
            )
        return value
    if item.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ScreeningError(
                item.path,
                f"{where} : valeur refusée ({_describe(value)}) ; attendu un nombre entier "
                f"de {item.min} à {item.max}.",
            )
        if not item.min <= value <= item.max:
            raise ScreeningError(
                item.path,
                f"{where} : valeur impossible ({value}) ; attendu un nombre entier "
                f"de {item.min} à {item.max}.",
            )
        return value
    # seconds
    if not _is_number(value):
        raise ScreeningError(
            item.path,
            f"{where} : valeur refusée ({_describe(value)}) ; attendu un nombre de secondes "
            "(ex. 11.2).",
        )
    if not math.isfinite(value) or value <= 0:
        raise ScreeningError(
            item.path,
            f"{where} : valeur impossible ({value}) ; attendu un nombre de secondes "
            "strictement positif.",
        )
    return float(value)


def validate_answers(answers: Mapping) -> dict:
    """Check one screening's answers and return them normalised.

    The shape is exactly the one of [REPER-14] (see the module docstring). Rules:

    - every domain and every required item must be present; unknown domains or items are
      refused (a typo such as ``"words_recaled"`` would otherwise silently drop an answer);
    - true/false items take JSON booleans only (not 0/1, not ``"true"``); counts take whole
      numbers only (not ``true``, not ``3.0``, not ``"3"``); seconds take a number;
    - ``cognition.words_recalled`` is 0 to 3 and ``mobility.chair_rises_completed`` 0 to 5;
    - ``mobility.chair_rise_seconds`` is required (finite, > 0) when 5 rises were done.
      Choice: with fewer than 5 rises it may be null or absent, and a number is also
      accepted (the time at which the person stopped, kept as information: mobility is
      positive whatever it is);
    - hearing: ``whisper_test_passed`` and the optional alternatives ``audiometry_passed``
      (screening audiometry at 35 dB or less, [ICOPE-2019]) and ``digits_in_noise_passed``
      (automated digits-in-noise test) are each true, false or null/absent, and at least one
      must be given.

    The result always holds ``chair_rise_seconds`` (float or None) and
    ``whisper_test_passed`` (bool or None); the two hearing alternatives only when given.
    """
    if not isinstance(answers, Mapping):
        raise ScreeningError(
            "",
            f"Réponses du repérage : valeur refusée ({_describe(answers)}) ; attendu un objet "
            f"avec les six domaines ({', '.join(DOMAINS)}).",
        )
    unknown = [key for key in answers if key not in DOMAINS]
    if unknown:
        raise ScreeningError(
            str(unknown[0]),
            f"Domaine inconnu « {unknown[0]} » refusé ; domaines attendus : {', '.join(DOMAINS)}.",
        )
    result: dict[str, dict] = {}
    for domain in DOMAINS:
        label = DOMAIN_LABELS[domain]
        if domain not in answers:
            raise ScreeningError(
                domain, f"{label} ({domain}) : domaine manquant ; attendu un objet de réponses."
            )
        given = answers[domain]
        if not isinstance(given, Mapping):
            raise ScreeningError(
                domain,
                f"{label} ({domain}) : valeur refusée ({_describe(given)}) ; attendu un objet "
                "de réponses.",
            )
        items = [item for item in SCREENING_ITEMS if item.domain == domain]
        names = [item.name for item in items]
        extra = [key for key in given if key not in names]
        if extra:
            raise ScreeningError(
                f"{domain}.{extra[0]}",
                f"{label} : élément inconnu « {extra[0]} » ({domain}.{extra[0]}) refusé ; "
                f"éléments attendus : {', '.join(names)}.",
            )
        values = {}
        for item in items:
            value = given.get(item.name)
            if value is None:
                if item.required:
                    raise ScreeningError(
                        item.path, f"{_where(item)} : réponse manquante ; {_expected(item)}."
                    )
                values[item.name] = None
            else:
                values[item.name] = _check_item(item, value)
        result[domain] = values

    mobility = result["mobility"]
    if mobility["chair_rises_completed"] == CHAIR_RISES and mobility["chair_rise_seconds"] is None:
        item = ITEMS_BY_PATH["mobility.chair_rise_seconds"]
        raise ScreeningError(
            item.path,
            f"{_where(item)} : réponse manquante alors que les 5 levers ont été réalisés ; "
            "attendu la durée en secondes (ex. 11.2).",
        )
    hearing = result["hearing"]
    if all(hearing[name] is None for name in HEARING_TESTS):
        raise ScreeningError(
            "hearing.whisper_test_passed",
            "Audition — test du chuchotement réussi (hearing.whisper_test_passed) : réponse "
            "manquante ; attendu true ou false (ou le résultat d'une audiométrie de dépistage, "
            "audiometry_passed, ou d'un test de chiffres dans le bruit, digits_in_noise_passed).",
        )
    for name in HEARING_TESTS[1:]:
        if hearing[name] is None:
            del hearing[name]
    return result


def _expected(item: ScreeningItem) -> str:
    if item.kind == "bool":
        return "attendu true ou false"
    if item.kind == "int":
        return f"attendu un nombre entier de {item.min} à {item.max}"
    return "attendu un nombre de secondes"


def _domain_positive(domain: str, values: Mapping) -> bool:
    """The [ICOPE-2019] step-1 criterion of one domain, on validated answers."""
    if domain == "cognition":
        # [ICOPE-2019] as stated in [REPER-14]: either orientation answer (time, place)
        # wrong, or fewer than 3 words recalled.
        return (
            not values["orientation_time"]
            or not values["orientation_place"]
            or values["words_recalled"] < WORDS_TO_RECALL
        )
    if domain == "mobility":
        # [ICOPE-2019]: positive unless five chair rises were completed within 14 seconds.
        return not (
            values["chair_rises_completed"] == CHAIR_RISES
            and values["chair_rise_seconds"] <= CHAIR_RISE_MAX_SECONDS
        )
    if domain == "nutrition":
        # [ICOPE-2019], [REPER-14]: weight loss > 3 kg in 3 months or appetite loss: either.
        return values["weight_loss_over_3kg_3_months"] or values["appetite_loss"]
    if domain == "vision":
        # [ICOPE-2019], [REPER-14]: any self-reported eye problem.
        return values["eye_problems"]
    if domain == "hearing":
        # [ICOPE-2019], [REPER-14]: whisper test failed, or a screening audiometry (passed
        # at 35 dB or less, per the handbook as commonly reproduced) or an automated
        # digits-in-noise test failed → positive.
        # Choice: when several tests are recorded, any failed one makes the domain positive.
        return any(values.get(name) is False for name in HEARING_TESTS)
    if domain == "mood":
        # [ICOPE-2019]: past two weeks, feeling down/depressed/hopeless or little interest or
        # pleasure in doing things: either [REPER-14].
        return values["feeling_down"] or values["little_interest"]
    raise ValueError(f"Domaine inconnu : {domain!r}")


def positive_domains(answers: Mapping) -> list[str]:
    """Validate the answers (``validate_answers``) and return the positive domains, in the
    order of ``DOMAINS``."""
    values = validate_answers(answers)
    return [domain for domain in DOMAINS if _domain_positive(domain, values[domain])]


def screening_flags(answers: Mapping) -> dict:
    """The fields of ``reper.Screening`` decided from the answers: ``<domain>_positive`` for
    the six domains and ``positive_count``."""
    positive = positive_domains(answers)
    flags = {f"{domain}_positive": domain in positive for domain in DOMAINS}
    flags["positive_count"] = len(positive)
    return flags


# --- Step 2: reference tools ----------------------------------------------------------------


class Step2Error(ValueError):
    """Step-2 items that cannot be scored: ``item`` is the item name (``""`` for the whole
    input), ``message`` a French sentence naming the item."""

    def __init__(self, item: str, message: str):
        super().__init__(message)
        self.item = item
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Step2Item:
    """One item of a step-2 tool. ``kind``: ``"int"`` (whole number), ``"number"`` (int or
    float) or ``"bool"``; ``allowed`` restricts an int item to some values (MNA-SF item D is
    0 or 2); ``required=False`` items may be null or absent."""

    name: str
    label: str
    min: float = 0
    max: float = 1
    kind: str = "int"
    allowed: tuple[int, ...] | None = None
    required: bool = True


@dataclass(frozen=True)
class ScoreResult:
    """Score of a step-2 tool: ``abnormal`` is True below the tool's cut-off (the domain
    needs an intervention), ``band`` the French label of the score band, ``notes`` French
    remarks that need the professional's attention (e.g. PHQ-9 item 9)."""

    score: int | float
    abnormal: bool
    band: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step2Tool:
    """A step-2 reference tool of one domain, with its scoring and cut-off.

    ``score(items)`` validates the items (unknown names, missing items, wrong types and
    out-of-range values raise ``Step2Error`` naming the item) and returns a ``ScoreResult``.
    """

    code: str
    label: str
    domain: str
    items: tuple[Step2Item, ...]
    score_min: float
    score_max: float
    cutoff: str
    source: str
    compute: Callable[[dict], ScoreResult] = field(repr=False, compare=False)

    def validate(self, items: Mapping) -> dict:
        if not isinstance(items, Mapping):
            raise Step2Error(
                "",
                f"{self.label} : valeur refusée ({_describe(items)}) ; attendu les items "
                f"{', '.join(item.name for item in self.items)}.",
            )
        names = [item.name for item in self.items]
        extra = [key for key in items if key not in names]
        if extra:
            raise Step2Error(
                str(extra[0]),
                f"{self.label} : item inconnu « {extra[0]} » refusé ; items "
                f"attendus : {', '.join(names)}.",
            )
        values = {}
        for item in self.items:
            value = items.get(item.name)
            where = f"{self.label} — {item.label} ({item.name})"
            expected = _step2_expected(item)
            if value is None:
                if item.required:
                    raise Step2Error(item.name, f"{where} : valeur manquante ; {expected}.")
                values[item.name] = None
                continue
            if item.kind == "bool":
                ok = isinstance(value, bool)
            elif item.kind == "int":
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = _is_number(value) and math.isfinite(value)
            if not ok:
                raise Step2Error(
                    item.name, f"{where} : valeur refusée ({_describe(value)}) ; {expected}."
                )
            if item.kind != "bool":
                in_range = item.min <= value <= item.max
                if item.allowed is not None:
                    in_range = value in item.allowed
                if not in_range:
                    raise Step2Error(
                        item.name, f"{where} : valeur hors limites ({value}) ; {expected}."
                    )
            values[item.name] = value
        return values

    def score(self, items: Mapping) -> ScoreResult:
        return self.compute(self.validate(items))


def _fmt(value) -> str:
    """French decimal writing of a bound (0.5 → « 0,5 »)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _step2_expected(item: Step2Item) -> str:
    if item.kind == "bool":
        return "attendu oui (true) ou non (false)"
    if item.allowed is not None:
        return "attendu " + " ou ".join(str(v) for v in item.allowed)
    what = "un nombre entier" if item.kind == "int" else "un nombre"
    return f"attendu {what} de {_fmt(item.min)} à {_fmt(item.max)}"


def _in_band(score, bands) -> str:
    """The label of the first ``(lowest, label)`` band whose lowest bound is <= score, bands
    listed from the highest."""
    for lowest, label in bands:
        if score >= lowest:
            return label
    raise ValueError(f"Score hors des bandes : {score!r}")


# Cognition — MoCA [NASREDDINE]: 30 points in seven sections; one point is added when the
# person had 12 years of education or fewer (total capped at 30); 26 or more is normal, so
# the score is abnormal below 26.
MOCA_NORMAL_FROM = 26
MOCA_SECTIONS = (
    ("visuospatial_executive", "Visuospatial / exécutif", 5),
    ("naming", "Dénomination", 3),
    ("attention", "Attention", 6),
    ("language", "Langage", 3),
    ("abstraction", "Abstraction", 2),
    ("delayed_recall", "Rappel différé", 5),
    ("orientation", "Orientation", 6),
)


def _moca(values: dict) -> ScoreResult:
    raw = sum(values[name] for name, _, _ in MOCA_SECTIONS)
    score = min(30, raw + (1 if values["education_12_years_or_less"] else 0))
    if score >= MOCA_NORMAL_FROM:
        return ScoreResult(score, False, "Normal (26 ou plus)")
    return ScoreResult(score, True, "Sous le seuil (moins de 26) : trouble cognitif possible")


# Cognition — GPCOG [BRODATY]: patient part 0-9 (time orientation 1, clock numbers 1, clock
# hands 1, recent news event 1, recall of a name and address 5 elements). 9: no significant
# impairment; 0-4: impairment indicated; 5-8: more information needed, ask the informant
# part (6 questions, one point per « no decline » answer, 0-6): 0-3 impairment indicated,
# 4-6 no significant impairment.
GPCOG_PATIENT_NORMAL = 9
GPCOG_PATIENT_IMPAIRED_UP_TO = 4
GPCOG_INFORMANT_IMPAIRED_UP_TO = 3


def _gpcog(values: dict) -> ScoreResult:
    patient = sum(values[name] for name in GPCOG_PATIENT_ITEMS)
    informant = values["informant_score"]
    if patient == GPCOG_PATIENT_NORMAL:
        return ScoreResult(patient, False, "Pas de trouble cognitif significatif (9/9)")
    if patient <= GPCOG_PATIENT_IMPAIRED_UP_TO:
        return ScoreResult(patient, True, "Trouble cognitif probable (patient 0 à 4)")
    if informant is None:
        raise Step2Error(
            "informant_score",
            f"GPCOG — score de l'entretien avec un proche (informant_score) : valeur manquante ; "
            f"avec un score patient de {patient} (5 à 8), la partie « proche » est nécessaire : "
            "attendu un nombre entier de 0 à 6.",
        )
    if informant <= GPCOG_INFORMANT_IMPAIRED_UP_TO:
        return ScoreResult(
            patient, True, f"Trouble cognitif probable (patient {patient}, proche {informant})"
        )
    return ScoreResult(
        patient,
        False,
        f"Pas de trouble cognitif significatif (patient {patient}, proche {informant})",
    )


GPCOG_PATIENT_ITEMS = (
    "time_orientation",
    "clock_numbers",
    "clock_hands",
    "news_event",
    "recall",
)

# Mobility — SPPB [GURALNIK]: balance, gait speed and chair stands, each scored 0-4, total
# 0-12. Score bands 0-3 / 4-6 / 7-9 / 10-12 as in [GURALNIK]. Abnormal at 9 or less: the
# cut-off given for ICOPE step 2 in the brief of this module (10-12 = no limitation); the
# handbook's own wording could not be read ([ACCESSMED] only says that a normal or mildly
# limited SPPB leads to a multimodal exercise programme). A score below 10 is also the
# commonly used threshold of poorer prognosis in the SPPB literature.
SPPB_NORMAL_FROM = 10
SPPB_BANDS = (
    (10, "Pas de limitation (10 à 12)"),
    (7, "Limitation légère (7 à 9)"),
    (4, "Limitation modérée (4 à 6)"),
    (0, "Limitation sévère (0 à 3)"),
)


def _sppb(values: dict) -> ScoreResult:
    score = values["balance"] + values["gait_speed"] + values["chair_stand"]
    return ScoreResult(score, score < SPPB_NORMAL_FROM, _in_band(score, SPPB_BANDS))


# Nutrition — MNA-SF [KAISER]: items A-F, total 0-14; 12-14 normal nutritional status,
# 8-11 at risk of malnutrition, 0-7 malnourished. Abnormal at 11 or less (at risk or worse).
# Item D (psychological stress or acute disease) scores 0 (yes) or 2 (no); item F is the
# BMI (0-3) or, when it cannot be measured, the calf circumference (0 or 3).
MNA_SF_NORMAL_FROM = 12
MNA_SF_BANDS = (
    (12, "État nutritionnel normal (12 à 14)"),
    (8, "Risque de dénutrition (8 à 11)"),
    (0, "Dénutrition (0 à 7)"),
)


def _mna_sf(values: dict) -> ScoreResult:
    score = sum(values.values())
    return ScoreResult(score, score < MNA_SF_NORMAL_FROM, _in_band(score, MNA_SF_BANDS))


# Vision — distance acuity, Snellen-type chart [ICD-11-VI], presenting acuity in the better
# eye, written as a decimal (French charts: tenths, 5/10 = 0.5). 6/12 = 0.5, 6/18 = 0.3
# (French « 3/10 »), 6/60 = 0.1, 3/60 = 0.05. Choice: abnormal below 0.3 (worse than 6/18,
# moderate vision impairment or worse: low vision, the level that needs an eye-care
# referral); mild impairment (0.3 to < 0.5) is reported in the band but is not abnormal.
VISION_ABNORMAL_BELOW = 0.3
VISION_BANDS = (
    (0.5, "Pas de déficience visuelle (5/10 ou plus, 6/12)"),
    (0.3, "Déficience visuelle légère (3/10 à moins de 5/10)"),
    (0.1, "Déficience visuelle modérée (1/10 à moins de 3/10)"),
    (0.05, "Déficience visuelle sévère (1/20 à moins de 1/10)"),
    (0.0, "Cécité (moins de 1/20)"),
)


def _acuity(values: dict) -> ScoreResult:
    score = max(values["right_eye"], values["left_eye"])
    return ScoreResult(score, score < VISION_ABNORMAL_BELOW, _in_band(score, VISION_BANDS))


# Hearing — pure-tone audiometry [WRH-2021]: pure-tone average (PTA) of 0.5, 1, 2 and 4 kHz
# in the better ear. Abnormal from 35 dB HL (moderate hearing loss or worse, the grade from
# which [WRH-2021] describes difficulty hearing conversational speech). Note: the step-1
# screening audiometry of [ICOPE-2019] passes at 35 dB or less, so a PTA of exactly
# 35 dB passes step 1 but is graded « moderate » at step 2; the grades of [WRH-2021] win.
HEARING_ABNORMAL_FROM_DB = 35.0
HEARING_BANDS = (
    (95, "Perte auditive complète (95 dB ou plus)"),
    (80, "Perte auditive profonde (80 à moins de 95 dB)"),
    (65, "Perte auditive sévère (65 à moins de 80 dB)"),
    (50, "Perte auditive moyennement sévère (50 à moins de 65 dB)"),
    (35, "Perte auditive modérée (35 à moins de 50 dB)"),
    (20, "Perte auditive légère (20 à moins de 35 dB)"),
    (-math.inf, "Audition normale (moins de 20 dB)"),
)
AUDIOMETRY_FREQUENCIES_HZ = (500, 1000, 2000, 4000)


def pure_tone_average(thresholds_db: Mapping[int, float]) -> float:
    """Mean of the thresholds (dB HL) at 500, 1000, 2000 and 4000 Hz [WRH-2021].

    >>> pure_tone_average({500: 20, 1000: 30, 2000: 40, 4000: 50})
    35.0
    """
    missing = [hz for hz in AUDIOMETRY_FREQUENCIES_HZ if hz not in thresholds_db]
    if missing:
        raise Step2Error(
            str(missing[0]),
            f"Audiométrie : seuil à {missing[0]} Hz manquant ; attendu les seuils à "
            "500, 1000, 2000 et 4000 Hz.",
        )
    return sum(float(thresholds_db[hz]) for hz in AUDIOMETRY_FREQUENCIES_HZ) / 4


def _audiometry(values: dict) -> ScoreResult:
    score = float(min(values["right_ear_pta_db"], values["left_ear_pta_db"]))
    return ScoreResult(score, score >= HEARING_ABNORMAL_FROM_DB, _in_band(score, HEARING_BANDS))


# Mood — PHQ-9 [KROENKE]: nine items scored 0-3 (total 0-27); 5, 10, 15 and 20 are the
# thresholds of mild, moderate, moderately severe and severe depression; 10 or more had a
# sensitivity and specificity of 88 % for major depression, hence abnormal from 10.
PHQ9_ABNORMAL_FROM = 10
PHQ9_BANDS = (
    (20, "Dépression sévère (20 à 27)"),
    (15, "Dépression modérément sévère (15 à 19)"),
    (10, "Dépression modérée (10 à 14)"),
    (5, "Dépression légère (5 à 9)"),
    (0, "Symptômes minimes (0 à 4)"),
)
PHQ9_ITEMS = (
    ("q1", "Peu d'intérêt ou de plaisir à faire les choses"),
    ("q2", "Tristesse, déprime ou désespoir"),
    ("q3", "Troubles du sommeil"),
    ("q4", "Fatigue ou manque d'énergie"),
    ("q5", "Peu d'appétit ou manger trop"),
    ("q6", "Mauvaise image de soi, sentiment d'échec"),
    ("q7", "Difficultés de concentration"),
    ("q8", "Lenteur ou agitation"),
    ("q9", "Pensées de mort ou de se faire du mal"),
)


def _phq9(values: dict) -> ScoreResult:
    score = sum(values.values())
    notes = ()
    if values["q9"] > 0:
        notes = (
            "Item 9 positif : pensées de mort ou d'auto-agression, évaluer le risque "
            "suicidaire sans attendre.",
        )
    return ScoreResult(score, score >= PHQ9_ABNORMAL_FROM, _in_band(score, PHQ9_BANDS), notes)


MOCA = Step2Tool(
    code="moca",
    label="MoCA",
    domain="cognition",
    items=tuple(Step2Item(name, label, 0, top) for name, label, top in MOCA_SECTIONS)
    + (Step2Item("education_12_years_or_less", "12 ans de scolarité ou moins", kind="bool"),),
    score_min=0,
    score_max=30,
    cutoff="Anormal sous 26/30 (+1 point si 12 ans de scolarité ou moins)",
    source="Nasreddine ZS et al., J Am Geriatr Soc 2005;53(4):695-699",
    compute=_moca,
)
GPCOG = Step2Tool(
    code="gpcog",
    label="GPCOG",
    domain="cognition",
    items=(
        Step2Item("time_orientation", "Orientation dans le temps", 0, 1),
        Step2Item("clock_numbers", "Horloge : chiffres bien placés", 0, 1),
        Step2Item("clock_hands", "Horloge : aiguilles bien placées", 0, 1),
        Step2Item("news_event", "Événement récent de l'actualité", 0, 1),
        Step2Item("recall", "Rappel du nom et de l'adresse (5 éléments)", 0, 5),
        Step2Item("informant_score", "Entretien avec un proche (0 à 6)", 0, 6, required=False),
    ),
    score_min=0,
    score_max=9,
    cutoff="Patient 9 : normal ; 0 à 4 : trouble ; 5 à 8 : entretien avec un proche "
    "(0 à 3 : trouble)",
    source="Brodaty H et al., J Am Geriatr Soc 2002;50(3):530-534",
    compute=_gpcog,
)
SPPB = Step2Tool(
    code="sppb",
    label="SPPB",
    domain="mobility",
    items=(
        Step2Item("balance", "Équilibre", 0, 4),
        Step2Item("gait_speed", "Vitesse de marche", 0, 4),
        Step2Item("chair_stand", "Levers de chaise", 0, 4),
    ),
    score_min=0,
    score_max=12,
    cutoff="Limitation à 9/12 ou moins",
    source="Guralnik JM et al., J Gerontol 1994;49(2):M85-M94 ; OMS, ICOPE 2019",
    compute=_sppb,
)
MNA_SF = Step2Tool(
    code="mna_sf",
    label="MNA-SF",
    domain="nutrition",
    items=(
        Step2Item("food_intake", "A. Baisse des apports alimentaires", 0, 2),
        Step2Item("weight_loss", "B. Perte de poids récente", 0, 3),
        Step2Item("mobility", "C. Motricité", 0, 2),
        Step2Item(
            "stress_or_acute_disease",
            "D. Stress psychologique ou maladie aiguë",
            0,
            2,
            allowed=(0, 2),
        ),
        Step2Item("neuropsychological", "E. Problèmes neuropsychologiques", 0, 2),
        Step2Item("bmi_or_calf", "F. IMC (0 à 3) ou circonférence du mollet (0 ou 3)", 0, 3),
    ),
    score_min=0,
    score_max=14,
    cutoff="12 à 14 normal ; 8 à 11 risque de dénutrition ; 0 à 7 dénutrition",
    source="Kaiser MJ et al., J Nutr Health Aging 2009;13(9):782-788 ; "
    "Rubenstein LZ et al., J Gerontol 2001",
    compute=_mna_sf,
)
SNELLEN = Step2Tool(
    code="snellen",
    label="Acuité visuelle de loin",
    domain="vision",
    items=(
        Step2Item("right_eye", "Œil droit (acuité décimale)", 0.0, 2.0, kind="number"),
        Step2Item("left_eye", "Œil gauche (acuité décimale)", 0.0, 2.0, kind="number"),
    ),
    score_min=0.0,
    score_max=2.0,
    cutoff="Anormal sous 3/10 (6/18) au meilleur œil",
    source="OMS, CIM-11 9D90 (déficience visuelle) ; OMS, ICOPE 2019",
    compute=_acuity,
)
AUDIOMETRY = Step2Tool(
    code="audiometry",
    label="Audiométrie tonale",
    domain="hearing",
    items=(
        Step2Item(
            "right_ear_pta_db", "Oreille droite : moyenne 0,5-1-2-4 kHz (dB HL)", -10, 120, "number"
        ),
        Step2Item(
            "left_ear_pta_db", "Oreille gauche : moyenne 0,5-1-2-4 kHz (dB HL)", -10, 120, "number"
        ),
    ),
    score_min=-10.0,
    score_max=120.0,
    cutoff="Anormal à 35 dB HL ou plus à la meilleure oreille",
    source="OMS, Rapport mondial sur l'audition 2021, tableau 1.3",
    compute=_audiometry,
)
PHQ9 = Step2Tool(
    code="phq9",
    label="PHQ-9",
    domain="mood",
    items=tuple(Step2Item(name, label, 0, 3) for name, label in PHQ9_ITEMS),
    score_min=0,
    score_max=27,
    cutoff="Anormal à 10/27 ou plus (seuils 5, 10, 15, 20)",
    source="Kroenke K et al., J Gen Intern Med 2001;16(9):606-613",
    compute=_phq9,
)

#: The step-2 tools of each domain, the first being the default ([JARLIFE-25]).
STEP2_TOOLS: dict[str, tuple[Step2Tool, ...]] = {
    "cognition": (MOCA, GPCOG),
    "mobility": (SPPB,),
    "nutrition": (MNA_SF,),
    "vision": (SNELLEN,),
    "hearing": (AUDIOMETRY,),
    "mood": (PHQ9,),
}
TOOLS_BY_CODE = {tool.code: tool for tools in STEP2_TOOLS.values() for tool in tools}


def step2_tool(code: str) -> Step2Tool:
    """The tool of that code, or a ``Step2Error`` listing the known codes."""
    try:
        return TOOLS_BY_CODE[code]
    except (KeyError, TypeError):
        raise Step2Error(
            "tool",
            f"Outil d'évaluation inconnu « {code} » ; outils possibles : "
            f"{', '.join(TOOLS_BY_CODE)}.",
        ) from None


# --- Scheduling -----------------------------------------------------------------------------

#: Step 1 is repeated every 6 months [REPER-14] (step 4 of ICOPE: monitoring of intrinsic
#: capacity); configurable per call.
RESCREEN_MONTHS_DEFAULT = 6
#: Choice: a positive step 1 opens a step-2 assessment due within 30 days. [ICOPE-2019]
#: fixes no delay; 30 days keeps the assessment close to the screening that motivated it
#: and is the horizon the queues use for « overdue ». Configurable per call.
STEP2_DUE_DAYS_DEFAULT = 30
#: Reminders are sent from 14 days before the due date (choice, configurable).
REMINDER_LEAD_DAYS_DEFAULT = 14


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month.

    >>> add_months(date(2023, 8, 31), 6), add_months(date(2023, 8, 31), 6 + 12)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise ValueError(f"Nombre de mois invalide : {months!r} (nombre entier attendu).")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_screening_due(last_screened_on: date, months: int = RESCREEN_MONTHS_DEFAULT) -> date:
    """Date of the next step-1 screening: ``months`` (>= 1) after the last one, clamped to
    the end of the month (31 August + 6 months = 28 or 29 February)."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(
            f"Intervalle de repérage invalide : {months!r} (nombre entier de mois, 1 ou plus)."
        )
    return add_months(last_screened_on, months)


def step2_due(screened_on: date, days: int = STEP2_DUE_DAYS_DEFAULT) -> date:
    """Due date of the step-2 assessments opened by a screening of ``screened_on``."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(
            f"Délai d'évaluation invalide : {days!r} (nombre entier de jours, 0 ou plus)."
        )
    return screened_on + timedelta(days=days)


def reminder_due(due_on: date, today: date, lead_days: int = REMINDER_LEAD_DAYS_DEFAULT) -> bool:
    """True when a reminder is due: from ``lead_days`` days before ``due_on`` onwards,
    overdue included (a late task keeps being reminded until it is done)."""
    if isinstance(lead_days, bool) or not isinstance(lead_days, int) or lead_days < 0:
        raise ValueError(
            f"Délai de rappel invalide : {lead_days!r} (nombre entier de jours, 0 ou plus)."
        )
    return today >= due_on - timedelta(days=lead_days)


def days_overdue(due_on: date, today: date) -> int:
    """Days since ``due_on`` (0 on the due date, negative before it)."""
    return (today - due_on).days


def priority_key(positive_count: int, age: int, days_overdue: int) -> tuple[int, int, int]:
    """Sort key of a work-queue line, ascending sort = most urgent first.

    Order: more positive domains first (the ICOPE alert load of the person), then older
    first, then longer overdue first (a negative ``days_overdue``, not yet due, comes after
    every overdue line of the same count and age). Use ``sorted(rows, key=lambda r:
    priority_key(...))``; ties are left to a stable secondary key of the caller (e.g. id).

    >>> rows = [(1, 80, 5), (3, 70, 0), (1, 80, 20), (1, 90, -3)]
    >>> sorted(rows, key=lambda r: priority_key(*r))
    [(3, 70, 0), (1, 90, -3), (1, 80, 20), (1, 80, 5)]
    """
    for name, value in (("positive_count", positive_count), ("age", age)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} invalide : {value!r} (nombre entier positif attendu).")
    if isinstance(days_overdue, bool) or not isinstance(days_overdue, int):
        raise ValueError(f"days_overdue invalide : {days_overdue!r} (nombre entier attendu).")
    return (-positive_count, -age, -days_overdue)
