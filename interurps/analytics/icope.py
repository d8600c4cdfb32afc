"""TEMPORARY stub of the ICOPE rules module, for the reper-records branch only.

The real module (branch reper-rules) replaces this file at merge: only the API used by
interurps/reper is implemented here, with the WHO ICOPE handbook criteria (WHO, Integrated
care for older people (ICOPE): guidance for person-centred assessment and pathways in
primary care, 2019) but none of the checks and citations of the real module.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

DOMAINS = ("cognition", "mobility", "nutrition", "vision", "hearing", "mood")

_ITEMS = {
    "cognition": {"orientation_time": bool, "orientation_place": bool, "words_recalled": int},
    "mobility": {"chair_rises_completed": int, "chair_rise_seconds": float},
    "nutrition": {"weight_loss_over_3kg_3_months": bool, "appetite_loss": bool},
    "vision": {"eye_problems": bool},
    "hearing": {"whisper_test_passed": bool},
    "mood": {"feeling_down": bool, "little_interest": bool},
}


class ScreeningError(ValueError):
    def __init__(self, item: str, message: str):
        super().__init__(message)
        self.item = item
        self.message = message


def validate_answers(answers) -> dict:
    if not isinstance(answers, dict):
        raise ScreeningError("", "Les réponses doivent être un objet JSON.")
    for domain, items in _ITEMS.items():
        given = answers.get(domain)
        if not isinstance(given, dict):
            raise ScreeningError(domain, f"Le domaine « {domain} » manque.")
        for item, kind in items.items():
            name = f"{domain}.{item}"
            value = given.get(item)
            if item == "chair_rise_seconds" and value is None:
                if given.get("chair_rises_completed") == 5:
                    raise ScreeningError(name, "Le temps des 5 levers manque.")
                continue
            if value is None:
                raise ScreeningError(name, f"La réponse « {item} » manque.")
            if kind is bool and not isinstance(value, bool):
                raise ScreeningError(name, f"« {item} » doit valoir vrai ou faux.")
            if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise ScreeningError(name, f"« {item} » doit être un nombre entier.")
            if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ScreeningError(name, f"« {item} » doit être un nombre.")
    cognition, mobility = answers["cognition"], answers["mobility"]
    if not 0 <= cognition["words_recalled"] <= 3:
        raise ScreeningError("cognition.words_recalled", "Le nombre de mots va de 0 à 3.")
    if not 0 <= mobility["chair_rises_completed"] <= 5:
        raise ScreeningError("mobility.chair_rises_completed", "Le nombre de levers va de 0 à 5.")
    seconds = mobility.get("chair_rise_seconds")
    if seconds is not None and seconds < 0:
        raise ScreeningError("mobility.chair_rise_seconds", "Le temps ne peut être négatif.")
    return answers


def positive_domains(answers) -> list[str]:
    validate_answers(answers)
    c, m, n = answers["cognition"], answers["mobility"], answers["nutrition"]
    seconds = m.get("chair_rise_seconds")
    positive = {
        "cognition": not (c["orientation_time"] and c["orientation_place"])
        or c["words_recalled"] < 3,
        "mobility": not (m["chair_rises_completed"] == 5 and seconds is not None and seconds <= 14),
        "nutrition": n["weight_loss_over_3kg_3_months"] or n["appetite_loss"],
        "vision": answers["vision"]["eye_problems"],
        "hearing": not answers["hearing"]["whisper_test_passed"],
        "mood": answers["mood"]["feeling_down"] or answers["mood"]["little_interest"],
    }
    return [d for d in DOMAINS if positive[d]]


@dataclass(frozen=True)
class Step2Result:
    score: float
    abnormal: bool
    band: str


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    minimum: float
    maximum: float


@dataclass(frozen=True)
class Tool:
    code: str
    label: str
    items: tuple
    cutoff: float  # abnormal below (or at or above when `higher_is_worse`)
    higher_is_worse: bool = False

    def score(self, items: dict) -> Step2Result:
        total = 0.0
        for item in self.items:
            value = items.get(item.code)
            if value is None:
                raise ScreeningError(item.code, f"« {item.label} » manque.")
            if not item.minimum <= value <= item.maximum:
                raise ScreeningError(
                    item.code,
                    f"« {item.label} » va de {item.minimum:g} à {item.maximum:g}.",
                )
            total += value
        abnormal = total >= self.cutoff if self.higher_is_worse else total < self.cutoff
        return Step2Result(total, abnormal, "anormal" if abnormal else "normal")


def _one(code, label, maximum, cutoff, higher_is_worse=False):
    return Tool(code, label, (Item("total", "Score total", 0, maximum),), cutoff, higher_is_worse)


STEP2_TOOLS = {
    "cognition": (_one("moca", "MoCA", 30, 26), _one("gpcog", "GPCOG", 9, 9)),
    "mobility": (
        Tool(
            "sppb",
            "SPPB",
            (
                Item("balance", "Équilibre", 0, 4),
                Item("gait", "Vitesse de marche", 0, 4),
                Item("chair", "Levers de chaise", 0, 4),
            ),
            10,
        ),
    ),
    "nutrition": (_one("mna_sf", "MNA-SF", 14, 12),),
    "vision": (_one("snellen", "Acuité visuelle (échelle de Snellen)", 2, 0.5),),
    "hearing": (_one("audiometry", "Audiométrie tonale", 120, 20, True),),
    "mood": (_one("phq9", "PHQ-9", 27, 10, True),),
}


def next_screening_due(screened_on: date, months: int = 6) -> date:
    month = screened_on.month - 1 + months
    year, month = screened_on.year + month // 12, month % 12 + 1
    day = min(screened_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def step2_due(screened_on: date, days: int = 30) -> date:
    return screened_on + timedelta(days=days)
