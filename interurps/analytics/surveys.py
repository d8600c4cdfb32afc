"""Questionnaires as data: validation of a definition, visibility of questions under their
conditions, checking of answers, and the figures of the analysis. No Django import.

A definition is a JSON object::

    {"sections": [
        {"key": "pratique", "title": "Votre pratique", "description": "",
         "condition": null,
         "questions": [
            {"key": "snp", "type": "single", "label": "Recevez-vous des demandes de SNP ?",
             "required": true, "help": "",
             "choices": [{"value": "oui", "label": "Oui"}, {"value": "non", "label": "Non"}]},
            {"key": "volume", "type": "number", "label": "Combien par semaine ?",
             "min": 0, "max": 500,
             "condition": {"question": "snp", "operator": "equals", "value": "oui"}}
         ]}
    ]}

Question types: ``single`` and ``multiple`` (choices), ``scale`` (integers from ``min`` to
``max``, with optional ``min_label`` / ``max_label``), ``number`` (optional ``min``,
``max``, ``decimals``), ``short_text``, ``long_text``, ``date`` (ISO), ``commune`` (an
INSEE code) and ``profession`` (a profession code). A condition — on a question or a
section — names an earlier or later question and an operator: ``equals``,
``not_equals``, ``in`` (a list of values), ``contains`` (a multiple choice includes the
value), ``answered``, ``not_answered``, ``gt``, ``gte``, ``lt``, ``lte`` (numbers and
scales); a list of conditions must all hold. A question hidden by its condition or its
section's has no answer, and a condition on an unanswered question holds only for
``not_answered``. Conditions may not loop (a question that depends, through conditions
and sections, on itself).

The same rules run in the browser (``static/js/surveys.js``): keep them in step.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

CHOICE_TYPES = ("single", "multiple")
TYPES = {
    "single": "Choix unique",
    "multiple": "Choix multiples",
    "scale": "Échelle",
    "number": "Nombre",
    "short_text": "Texte court",
    "long_text": "Texte long",
    "date": "Date",
    "commune": "Commune",
    "profession": "Profession",
}
OPERATORS = {
    "equals": "est égal à",
    "not_equals": "est différent de",
    "in": "fait partie de",
    "contains": "contient",
    "answered": "a une réponse",
    "not_answered": "n'a pas de réponse",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
}
NUMERIC_OPERATORS = {"gt", "gte", "lt", "lte"}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
MAX_QUESTIONS = 200
MAX_CHOICES = 50
MAX_SCALE_POINTS = 11


class DefinitionError(ValueError):
    """A definition that cannot be used: `errors` lists every problem, in French."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- reading a definition ---------------------------------------------------------------


def questions(definition: Mapping) -> list[dict]:
    """Every question, in order, each with the key of its section (``_section``)."""
    found = []
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            found.append({**question, "_section": section.get("key")})
    return found


def question_map(definition: Mapping) -> dict[str, dict]:
    return {q["key"]: q for q in questions(definition)}


def choice_labels(question: Mapping) -> dict[str, str]:
    return {c["value"]: c["label"] for c in question.get("choices", [])}


def _conditions(item: Mapping) -> list[dict]:
    condition = item.get("condition")
    if not condition:
        return []
    return list(condition) if isinstance(condition, list) else [condition]


# --- validation -------------------------------------------------------------------------


def _where_question(section_index: int, question_index: int, key) -> str:
    name = f"« {key} »" if isinstance(key, str) and key else f"n° {question_index + 1}"
    return f"Section {section_index + 1}, question {name}"


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _check_question(question, where: str, errors: list[str]) -> None:
    kind = question.get("type")
    if kind not in TYPES:
        errors.append(f"{where} : type « {kind} » inconnu (types possibles : {', '.join(TYPES)}).")
        return
    label = question.get("label")
    if not isinstance(label, str) or not label.strip():
        errors.append(f"{where} : l'intitulé de la question est vide.")
    if "required" in question and not isinstance(question["required"], bool):
        errors.append(f"{where} : « required » vaut true ou false.")
    if kind in CHOICE_TYPES:
        choices = question.get("choices")
        if not isinstance(choices, list) or not choices:
            errors.append(f"{where} : une question à choix a besoin d'au moins un choix.")
            return
        if len(choices) > MAX_CHOICES:
            errors.append(f"{where} : {len(choices)} choix, {MAX_CHOICES} au plus.")
        values = []
        for index, choice in enumerate(choices):
            if not (
                isinstance(choice, dict)
                and isinstance(choice.get("value"), str)
                and choice["value"].strip()
                and isinstance(choice.get("label"), str)
                and choice["label"].strip()
            ):
                errors.append(
                    f"{where}, choix n° {index + 1} : il faut une valeur (« value ») et un "
                    "libellé (« label ») non vides."
                )
                continue
            values.append(choice["value"])
        for value, count in Counter(values).items():
            if count > 1:
                errors.append(f"{where} : la valeur de choix « {value} » apparaît {count} fois.")
    elif kind == "scale":
        low, high = question.get("min", 1), question.get("max", 5)
        if not (isinstance(low, int) and isinstance(high, int)) or isinstance(low, bool):
            errors.append(f"{where} : les bornes d'une échelle sont des nombres entiers.")
        elif not low < high or high - low + 1 > MAX_SCALE_POINTS:
            errors.append(
                f"{where} : l'échelle va de {low} à {high} ; il faut min < max et "
                f"{MAX_SCALE_POINTS} points au plus."
            )
    elif kind == "number":
        low, high = question.get("min"), question.get("max")
        for name, bound in (("min", low), ("max", high)):
            if bound is not None and _number(bound) is None:
                errors.append(f"{where} : « {name} » doit être un nombre.")
        if _number(low) is not None and _number(high) is not None and low > high:
            errors.append(f"{where} : le minimum ({low}) dépasse le maximum ({high}).")
        decimals = question.get("decimals", 0)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
            errors.append(f"{where} : « decimals » est un entier de 0 à 4.")


def _check_condition(condition, where: str, qmap: dict, errors: list[str]) -> None:
    if not isinstance(condition, dict):
        errors.append(f"{where} : une condition est un objet {{question, operator, value}}.")
        return
    target_key = condition.get("question")
    operator = condition.get("operator", "equals")
    if operator not in OPERATORS:
        errors.append(
            f"{where} : opérateur de condition « {operator} » inconnu "
            f"(possibles : {', '.join(OPERATORS)})."
        )
        return
    target = qmap.get(target_key) if isinstance(target_key, str) else None
    if target is None:
        errors.append(
            f"{where} : la condition porte sur la question « {target_key} », qui n'existe pas."
        )
        return
    kind = target.get("type")
    value = condition.get("value")
    if operator in ("answered", "not_answered"):
        return
    if operator in NUMERIC_OPERATORS:
        if kind not in ("scale", "number"):
            errors.append(
                f"{where} : l'opérateur « {operator} » ne s'applique qu'à une échelle ou un "
                f"nombre, pas à « {target_key} » ({TYPES.get(kind, kind)})."
            )
        elif _number(value) is None:
            errors.append(f"{where} : la condition compare « {target_key} » à un nombre.")
        return
    if operator == "contains" and kind != "multiple":
        errors.append(f"{where} : « contains » ne s'applique qu'à une question à choix multiples.")
        return
    values = value if operator == "in" else [value]
    if operator == "in" and not (isinstance(value, list) and value):
        errors.append(f"{where} : « in » attend une liste de valeurs.")
        return
    if kind in CHOICE_TYPES:
        known = choice_labels(target)
        for item in values:
            if item not in known:
                errors.append(
                    f"{where} : « {item} » n'est pas un choix de la question « {target_key} » "
                    f"(choix : {', '.join(known)})."
                )
    elif kind in ("scale", "number"):
        for item in values:
            if _number(item) is None:
                errors.append(f"{where} : la condition compare « {target_key} » à un nombre.")
    elif not all(isinstance(item, str) for item in values):
        errors.append(f"{where} : la valeur de la condition doit être un texte.")


def _dependencies(definition: Mapping) -> dict[str, set[str]]:
    """Node → nodes it depends on; nodes are ``q:<key>`` and ``s:<key>``."""
    graph: dict[str, set[str]] = {}
    for section in definition["sections"]:
        snode = f"s:{section['key']}"
        graph[snode] = {f"q:{c['question']}" for c in _conditions(section)}
        for question in section["questions"]:
            graph[f"q:{question['key']}"] = {snode} | {
                f"q:{c['question']}" for c in _conditions(question)
            }
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a list of nodes (first repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and nxt in graph:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _node_label(node: str) -> str:
    kind, key = node.split(":", 1)
    return f"section « {key} »" if kind == "s" else f"« {key} »"


def validate_definition(definition) -> dict:
    """The definition, checked; `DefinitionError` listing every problem in French.

    >>> validate_definition({"sections": []})
    Traceback (most recent call last):
    ...
    analytics.surveys.DefinitionError: Le questionnaire doit avoir au moins une section.
    """
    if not isinstance(definition, dict):
        raise DefinitionError(["Le questionnaire doit être un objet JSON ({…})."])
    sections = definition.get("sections")
    if not isinstance(sections, list) or not sections:
        raise DefinitionError(["Le questionnaire doit avoir au moins une section."])
    errors: list[str] = []
    section_keys: list[str] = []
    question_keys: list[str] = []
    total = 0
    for s_index, section in enumerate(sections):
        if not isinstance(section, dict):
            errors.append(f"Section {s_index + 1} : une section est un objet JSON.")
            continue
        key = section.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            errors.append(
                f"Section {s_index + 1} : clé « {key} » invalide (lettres minuscules sans "
                "accent, chiffres et _, commençant par une lettre, 40 caractères au plus)."
            )
        else:
            section_keys.append(key)
        if not isinstance(section.get("title", ""), str):
            errors.append(f"Section {s_index + 1} : le titre est un texte.")
        items = section.get("questions")
        if not isinstance(items, list) or not items:
            errors.append(f"Section {s_index + 1} : une section contient au moins une question.")
            continue
        for q_index, question in enumerate(items):
            total += 1
            if not isinstance(question, dict):
                errors.append(
                    f"Section {s_index + 1}, question n° {q_index + 1} : objet JSON attendu."
                )
                continue
            qkey = question.get("key")
            where = _where_question(s_index, q_index, qkey)
            if not isinstance(qkey, str) or not KEY_RE.match(qkey):
                errors.append(
                    f"{where} : clé invalide (lettres minuscules sans accent, chiffres et _, "
                    "commençant par une lettre, 40 caractères au plus)."
                )
            else:
                question_keys.append(qkey)
            _check_question(question, where, errors)
    if total > MAX_QUESTIONS:
        errors.append(f"{total} questions : {MAX_QUESTIONS} au plus.")
    for key, count in Counter(section_keys).items():
        if count > 1:
            errors.append(f"La clé de section « {key} » est utilisée {count} fois.")
    for key, count in Counter(question_keys).items():
        if count > 1:
            errors.append(f"La clé de question « {key} » est utilisée {count} fois.")
    if errors:
        raise DefinitionError(errors)
    qmap = question_map(definition)
    for s_index, section in enumerate(sections):
        for condition in _conditions(section):
            _check_condition(condition, f"Section « {section['key']} », condition", qmap, errors)
        for q_index, question in enumerate(section["questions"]):
            where = _where_question(s_index, q_index, question["key"]) + ", condition"
            for condition in _conditions(question):
                _check_condition(condition, where, qmap, errors)
    if errors:
        raise DefinitionError(errors)
    cycle = _cycle(_dependencies(definition))
    if cycle:
        path = " → ".join(_node_label(node) for node in cycle)
        raise DefinitionError(
            [
                "Conditions circulaires : " + path + ". Une question ne peut pas dépendre, "
                "par ses conditions ou celles de sa section, d'elle-même."
            ]
        )
    return definition


# --- visibility -------------------------------------------------------------------------


def _is_answered(value) -> bool:
    return value not in (None, "", [])


def _holds(condition: Mapping, value) -> bool:
    operator = condition.get("operator", "equals")
    if operator == "answered":
        return _is_answered(value)
    if operator == "not_answered":
        return not _is_answered(value)
    if not _is_answered(value):
        return False
    expected = condition.get("value")
    if operator in NUMERIC_OPERATORS:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        return {
            "gt": number > expected,
            "gte": number >= expected,
            "lt": number < expected,
            "lte": number <= expected,
        }[operator]
    if operator == "contains":
        return isinstance(value, list) and expected in value
    values = value if isinstance(value, list) else [value]

    def same(a, b) -> bool:
        if isinstance(b, int | float) and not isinstance(b, bool):
            try:
                return float(a) == float(b)
            except (TypeError, ValueError):
                return False
        return a == b

    if operator == "equals":
        return any(same(v, expected) for v in values)
    if operator == "not_equals":
        return not any(same(v, expected) for v in values)
    if operator == "in":
        return any(same(v, e) for v in values for e in expected)
    return False


def visible_keys(definition: Mapping, answers: Mapping) -> tuple[set[str], set[str]]:
    """(visible section keys, visible question keys) for these answers."""
    sections = {s["key"]: s for s in definition["sections"]}
    qmap = question_map(definition)
    memo: dict[str, bool] = {}

    def answer_of(key: str):
        return answers.get(key) if question_visible(key) else None

    def all_hold(item) -> bool:
        return all(_holds(c, answer_of(c["question"])) for c in _conditions(item))

    def section_visible(key: str) -> bool:
        node = f"s:{key}"
        if node not in memo:
            memo[node] = all_hold(sections[key])
        return memo[node]

    def question_visible(key: str) -> bool:
        node = f"q:{key}"
        if node not in memo:
            if key not in qmap:
                memo[node] = False
            else:
                question = qmap[key]
                memo[node] = section_visible(question["_section"]) and all_hold(question)
        return memo[node]

    shown_questions = {key for key in qmap if question_visible(key)}
    shown_sections = {key for key in sections if section_visible(key)}
    return shown_sections, shown_questions


# --- answers ----------------------------------------------------------------------------


@dataclass
class Checked:
    """Answers kept (only visible questions, typed) and errors by question key."""

    answers: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _parse_number(text: str) -> Decimal | None:
    compact = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    compact = compact.replace(",", ".")
    if not re.fullmatch(r"[+-]?\d{1,15}(\.\d{1,10})?", compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        return None


def _check_value(question: Mapping, raw, *, resolve_commune, professions) -> tuple[object, str]:
    """(typed value or None, French error or "")."""
    kind = question["type"]
    if kind == "multiple":
        items = [item for item in (raw or []) if item]
        unknown = [item for item in items if item not in choice_labels(question)]
        if unknown:
            return None, "Choix inconnu : choisissez parmi les réponses proposées."
        order = list(choice_labels(question))
        return sorted(set(items), key=order.index), ""
    text = raw[0] if isinstance(raw, list) and raw else raw
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        return None, ""
    if kind == "single":
        if text not in choice_labels(question):
            return None, "Choix inconnu : choisissez parmi les réponses proposées."
        return text, ""
    if kind == "scale":
        low, high = question.get("min", 1), question.get("max", 5)
        if not re.fullmatch(r"-?\d{1,3}", text) or not low <= int(text) <= high:
            return None, f"Choisissez une valeur de {low} à {high}."
        return int(text), ""
    if kind == "number":
        number = _parse_number(text)
        if number is None:
            return None, "Indiquez un nombre (par exemple 12 ou 12,5)."
        decimals = question.get("decimals", 0)
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals:
            return None, (
                "Indiquez un nombre entier."
                if decimals == 0
                else f"Indiquez un nombre avec {decimals} décimale(s) au plus."
            )
        low, high = question.get("min"), question.get("max")
        if (low is not None and number < Decimal(str(low))) or (
            high is not None and number > Decimal(str(high))
        ):
            bounds = (
                f"de {low} à {high}"
                if low is not None and high is not None
                else (f"au moins {low}" if low is not None else f"au plus {high}")
            )
            return None, f"Indiquez un nombre {bounds}."
        value = int(number) if decimals == 0 else float(number)
        return value, ""
    if kind in ("short_text", "long_text"):
        limit = SHORT_TEXT_MAX if kind == "short_text" else LONG_TEXT_MAX
        if len(text) > limit:
            return None, f"{len(text)} caractères : {limit} au plus."
        return text, ""
    if kind == "date":
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return None, "Date illisible : indiquez-la au format JJ/MM/AAAA."
        if not 1900 <= value.year <= 2100:
            return None, "La date doit être comprise entre 1900 et 2100."
        return value.isoformat(), ""
    if kind == "commune":
        code = resolve_commune(text) if resolve_commune else text
        if not code:
            return None, f"Commune « {text[:60]} » inconnue : indiquez son nom ou son code INSEE."
        return code, ""
    if kind == "profession":
        if text not in professions:
            return None, "Profession inconnue : choisissez dans la liste."
        return text, ""
    return None, "Type de question inconnu."  # pragma: no cover - validated definitions


def check_answers(
    definition: Mapping,
    raw: Mapping[str, object],
    *,
    final: bool,
    resolve_commune: Callable[[str], str | None] | None = None,
    professions: Iterable[str] = (),
) -> Checked:
    """Type every answer of `raw` (texts, or lists for multiple choices), keep those of
    visible questions, and (when `final`) require the visible required ones.

    A partial save (`final` False) keeps what is valid and reports the rest, so that a
    respondent never loses what they typed right.
    """
    professions = set(professions)
    checked = Checked()
    typed = {}
    for question in questions(definition):
        key = question["key"]
        value, error = _check_value(
            question, raw.get(key), resolve_commune=resolve_commune, professions=professions
        )
        if error:
            checked.errors[key] = error
        elif _is_answered(value):
            typed[key] = value
    # Visibility follows the typed answers (a hidden question's answer is dropped).
    _, shown = visible_keys(definition, typed)
    checked.answers = {key: value for key, value in typed.items() if key in shown}
    checked.errors = {key: error for key, error in checked.errors.items() if key in shown}
    if final:
        for question in questions(definition):
            key = question["key"]
            if (
                question.get("required")
                and key in shown
                and key not in checked.answers
                and key not in checked.errors
            ):
                checked.errors[key] = "Cette question est obligatoire."
    return checked


# --- analysis ---------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int
    percent: float  # of the respondents who answered the question


@dataclass
class Summary:
    key: str
    label: str
    kind: str
    answered: int  # respondents with an answer
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list[str] = field(default_factory=list)


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def summarise(
    question: Mapping, values: list, *, labels: Mapping[str, str] | None = None
) -> Summary:
    """Counts and percentages of one question's answers (`values`: one per respondent who
    answered, lists for multiple choices), means and distributions for numbers and scales,
    the texts for free text.

    Percentages are of the respondents who answered the question; for multiple choices
    they may add up to more than 100.

    >>> q = {"key": "a", "label": "A", "type": "single",
    ...      "choices": [{"value": "o", "label": "Oui"}, {"value": "n", "label": "Non"}]}
    >>> [(r.label, r.count, r.percent) for r in summarise(q, ["o", "o", "n"]).rows]
    [('Oui', 2, 66.7), ('Non', 1, 33.3)]
    """
    kind = question["type"]
    values = [v for v in values if _is_answered(v)]
    summary = Summary(question["key"], question.get("label", ""), kind, len(values))
    n = len(values)
    if kind in CHOICE_TYPES:
        counter = Counter()
        for value in values:
            counter.update(value if isinstance(value, list) else [value])
        summary.rows = [
            Row(label, counter[value], _percent(counter[value], n))
            for value, label in choice_labels(question).items()
        ]
    elif kind in ("scale", "number"):
        numbers = [float(v) for v in values]
        if numbers:
            summary.mean = round(statistics.fmean(numbers), 2)
            summary.median = round(statistics.median(numbers), 2)
            summary.minimum, summary.maximum = min(numbers), max(numbers)
        if kind == "scale":
            low, high = question.get("min", 1), question.get("max", 5)
            counter = Counter(int(v) for v in numbers)
            summary.rows = [
                Row(str(point), counter[point], _percent(counter[point], n))
                for point in range(low, high + 1)
            ]
        else:
            summary.rows = [
                Row(label, count, _percent(count, n)) for label, count in _bins(numbers)
            ]
    elif kind in ("short_text", "long_text"):
        summary.texts = [str(v) for v in values]
    else:  # date, commune, profession: the values met, most frequent first
        counter = Counter(str(v) for v in values)
        names = labels or {}
        summary.rows = [
            Row(names.get(value, value), count, _percent(count, n))
            for value, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        ]
    return summary


def _format_bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".replace(".", ",")


def _bins(numbers: list[float], count: int = 5) -> list[tuple[str, int]]:
    """A distribution of numbers: each distinct value when there are few, else `count`
    equal-width classes, labelled « de a à b »."""
    if not numbers:
        return []
    distinct = sorted(set(numbers))
    if len(distinct) <= 8:
        counter = Counter(numbers)
        return [(_format_bound(v), counter[v]) for v in distinct]
    low, high = distinct[0], distinct[-1]
    width = (high - low) / count
    counts = [0] * count
    for number in numbers:
        index = min(int((number - low) / width), count - 1)
        counts[index] += 1
    return [
        (
            f"de {_format_bound(low + i * width)} à {_format_bound(low + (i + 1) * width)}",
            counts[i],
        )
        for i in range(count)
    ]


def category_labels(question: Mapping, labels: Mapping[str, str] | None = None) -> dict:
    """The categories a question can be crossed on: choices, scale points, or the values
    named by `labels` (professions, communes)."""
    kind = question["type"]
    if kind in CHOICE_TYPES:
        return choice_labels(question)
    if kind == "scale":
        return {p: str(p) for p in range(question.get("min", 1), question.get("max", 5) + 1)}
    return dict(labels or {})


CROSSABLE_TYPES = ("single", "multiple", "scale", "profession")


@dataclass
class CrossTable:
    row_labels: list[str]
    column_labels: list[str]
    counts: list[list[int]]  # rows × columns
    row_totals: list[int]
    column_totals: list[int]
    total: int  # respondents who answered both

    def row_percent(self, i: int, j: int) -> float:
        return _percent(self.counts[i][j], self.row_totals[i])

    @property
    def lines(self) -> list[tuple[str, list[tuple[int, float]], int]]:
        """(row label, [(count, % of the row)…], row total) for each row."""
        return [
            (
                label,
                [(n, self.row_percent(i, j)) for j, n in enumerate(self.counts[i])],
                self.row_totals[i],
            )
            for i, label in enumerate(self.row_labels)
        ]


def crosstab(
    row_question: Mapping,
    column_question: Mapping,
    answer_sets: Iterable[Mapping],
    *,
    row_labels: Mapping | None = None,
    column_labels: Mapping | None = None,
) -> CrossTable:
    """Respondents counted by the answer to one question (rows) and to another (columns).

    A multiple-choice answer counts once in each chosen category; row totals count
    respondents (so a row's cells may add up to more than its total).
    """
    rows = category_labels(row_question, row_labels)
    columns = category_labels(column_question, column_labels)
    row_keys, column_keys = list(rows), list(columns)
    counts = [[0] * len(column_keys) for _ in row_keys]
    row_totals = [0] * len(row_keys)
    column_totals = [0] * len(column_keys)
    total = 0

    def as_list(value) -> list:
        return value if isinstance(value, list) else [value]

    for answers in answer_sets:
        a, b = answers.get(row_question["key"]), answers.get(column_question["key"])
        if not (_is_answered(a) and _is_answered(b)):
            continue
        a_items = [v for v in as_list(a) if v in rows]
        b_items = [v for v in as_list(b) if v in columns]
        if not (a_items and b_items):
            continue
        total += 1
        for va in a_items:
            i = row_keys.index(va)
            row_totals[i] += 1
            for vb in b_items:
                counts[i][column_keys.index(vb)] += 1
        for vb in b_items:
            column_totals[column_keys.index(vb)] += 1
    return CrossTable(
        [str(rows[k]) for k in row_keys],
        [str(columns[k]) for k in column_keys],
        counts,
        row_totals,
        column_totals,
        total,
    )


def response_rate(invited: int, answered: int) -> float:
    """Share (%) of the people invited who sent their answers.

    >>> response_rate(8, 3)
    37.5
    """
    return _percent(answered, invited)


def bar_chart(rows: list[Row], *, label_width: int = 240, bar_width: int = 360) -> dict:
    """Geometry of a horizontal bar chart of percentages, drawn as SVG by a template."""
    row_height = 26
    bars = []
    for index, row in enumerate(rows):
        width = round(bar_width * row.percent / 100, 1)
        bars.append(
            {
                "label": row.label,
                "count": row.count,
                "percent": row.percent,
                "y": index * row_height + 4,
                "width": width,
                "text_y": index * row_height + 17,
                "value_x": label_width + width + 6,
            }
        )
    return {
        "bars": bars,
        "height": max(row_height * len(bars), row_height),
        "label_width": label_width,
        "label_x": label_width - 8,
        "width": label_width + bar_width + 110,
    }
