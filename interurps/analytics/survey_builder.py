"""Editing a questionnaire's definition item by item, for the form-based builder: add,
change, delete and move sections and questions. No Django import.

Every function takes a definition (see `analytics.surveys`) and returns a NEW one (the
argument is never changed); the result is validated by the caller with
`validate_definition`, so these helpers only check what validation cannot see (an
unknown section or question, a condition on a question that does not come earlier).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping

from .surveys import CHOICE_TYPES, OPERATORS, questions

KEY_MAX = 40
BUILDER_OPERATORS = {"equals": "est égal à", "in": "fait partie de"}


class BuilderError(ValueError):
    """A change the builder refuses, with a French message."""


def slug_key(text: str, *, taken=(), fallback: str = "question") -> str:
    """A key (lowercase letters without accents, digits, _; starting with a letter) made
    from `text`, not among `taken`.

    >>> slug_key("Êtes-vous d'accord ?", taken={"etes_vous_d_accord"})
    'etes_vous_d_accord_2'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not key or not key[0].isalpha():
        key = f"{fallback}_{key}" if key else fallback
    key = key[:KEY_MAX].rstrip("_")
    taken = set(taken)
    if key not in taken:
        return key
    number = 2
    while True:
        suffix = f"_{number}"
        candidate = key[: KEY_MAX - len(suffix)].rstrip("_") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def parse_choices(text: str) -> list[dict]:
    """Choices typed one per line, ``valeur|Libellé`` or just ``Libellé`` (the value is
    then made from the label); blank lines ignored."""
    choices, values = [], set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            value, label = (part.strip() for part in line.split("|", 1))
        else:
            value, label = "", line
        if not value:
            value = slug_key(label, taken=values, fallback="choix")
        values.add(value)
        choices.append({"value": value, "label": label})
    return choices


def choices_text(choices) -> str:
    return "\n".join(f"{c['value']}|{c['label']}" for c in choices or [])


def _copy(definition: Mapping) -> dict:
    return copy.deepcopy(dict(definition))


def section_index(definition: Mapping, key: str) -> int:
    for index, section in enumerate(definition["sections"]):
        if section.get("key") == key:
            return index
    raise BuilderError(f"La section « {key} » n'existe pas (ou plus).")


def find_question(definition: Mapping, key: str) -> tuple[int, int]:
    """(section index, question index) of the question `key`."""
    for s_index, section in enumerate(definition["sections"]):
        for q_index, question in enumerate(section.get("questions", [])):
            if question.get("key") == key:
                return s_index, q_index
    raise BuilderError(f"La question « {key} » n'existe pas (ou plus).")


def section_keys(definition: Mapping) -> set[str]:
    return {s.get("key") for s in definition["sections"]}


def question_keys(definition: Mapping) -> set[str]:
    return {q.get("key") for q in questions(definition)}


def _move(items: list, index: int, delta: int) -> None:
    target = index + delta
    if delta not in (-1, 1) or not 0 <= target < len(items):
        raise BuilderError("Impossible de déplacer plus loin dans ce sens.")
    items[index], items[target] = items[target], items[index]


# --- sections ---------------------------------------------------------------------------


def add_section(
    definition: Mapping, *, title: str, description: str = "", first_question: Mapping
) -> dict:
    """The definition with a new last section holding `first_question` (a section is
    never empty)."""
    result = _copy(definition)
    key = slug_key(title, taken=section_keys(result), fallback="section")
    section = {"key": key, "title": title.strip(), "description": description.strip()}
    section["questions"] = []
    result["sections"].append(section)
    return add_question(result, key, first_question)


def update_section(definition: Mapping, key: str, *, title: str, description: str = "") -> dict:
    result = _copy(definition)
    section = result["sections"][section_index(result, key)]
    section["title"] = title.strip()
    section["description"] = description.strip()
    return result


def delete_section(definition: Mapping, key: str) -> dict:
    result = _copy(definition)
    del result["sections"][section_index(result, key)]
    return result


def move_section(definition: Mapping, key: str, delta: int) -> dict:
    result = _copy(definition)
    _move(result["sections"], section_index(result, key), delta)
    return result


# --- questions --------------------------------------------------------------------------


def earlier_questions(
    definition: Mapping, *, before: str | None = None, section: str | None = None
) -> list[dict]:
    """The questions a condition may name: those before question `before`, or, for a
    question added at the end of section `section`, those up to that section's end."""
    found = []
    for s in definition["sections"]:
        for question in s.get("questions", []):
            if question.get("key") == before:
                return found
            found.append(question)
        if section is not None and s.get("key") == section:
            return found
    return found


def _check_condition_target(condition, allowed: list[dict]) -> None:
    if not condition or not isinstance(condition, dict):
        return
    if condition.get("question") not in {q["key"] for q in allowed}:
        raise BuilderError(
            f"La condition porte sur « {condition.get('question')} » : elle doit porter sur "
            "une question posée avant celle-ci."
        )


def _clean_question(question: Mapping) -> dict:
    cleaned = {k: v for k, v in question.items() if v not in (None, "") or k == "label"}
    if cleaned.get("type") not in CHOICE_TYPES:
        cleaned.pop("choices", None)
    if cleaned.get("type") not in ("scale", "number"):
        for name in ("min", "max", "min_label", "max_label", "decimals"):
            cleaned.pop(name, None)
    if not cleaned.get("condition"):
        cleaned.pop("condition", None)
    return cleaned


def add_question(definition: Mapping, section_key: str, question: Mapping) -> dict:
    """The definition with `question` at the end of section `section_key`; its key is made
    from its label when empty; its condition must name an earlier question."""
    result = _copy(definition)
    section = result["sections"][section_index(result, section_key)]
    question = dict(question)
    if not question.get("key"):
        question["key"] = slug_key(question.get("label") or "", taken=question_keys(result))
    _check_condition_target(
        question.get("condition"), earlier_questions(result, section=section_key)
    )
    section["questions"].append(_clean_question(question))
    return result


def update_question(definition: Mapping, key: str, changes: Mapping) -> dict:
    """The definition with question `key` changed by `changes` (its key stays)."""
    result = _copy(definition)
    s_index, q_index = find_question(result, key)
    items = result["sections"][s_index]["questions"]
    question = {**items[q_index], **changes, "key": key}
    if "condition" in changes and changes["condition"] != items[q_index].get("condition"):
        _check_condition_target(changes["condition"], earlier_questions(result, before=key))
    items[q_index] = _clean_question(question)
    return result


def delete_question(definition: Mapping, key: str) -> dict:
    result = _copy(definition)
    s_index, q_index = find_question(result, key)
    del result["sections"][s_index]["questions"][q_index]
    return result


def move_question(definition: Mapping, key: str, delta: int) -> dict:
    """Up (-1) or down (+1) within its section; from a section's first (last) place to
    the end (start) of the previous (next) section."""
    result = _copy(definition)
    s_index, q_index = find_question(result, key)
    sections = result["sections"]
    items = sections[s_index]["questions"]
    target = q_index + delta
    if delta in (-1, 1) and 0 <= target < len(items):
        _move(items, q_index, delta)
        return result
    neighbour = s_index + delta
    if delta not in (-1, 1) or not 0 <= neighbour < len(sections):
        raise BuilderError("Impossible de déplacer plus loin dans ce sens.")
    question = items.pop(q_index)
    if delta < 0:
        sections[neighbour]["questions"].append(question)
    else:
        sections[neighbour]["questions"].insert(0, question)
    return result


def simple_condition(condition) -> dict | None:
    """The condition as the builder edits it ({question, operator equals|in, value}), or
    None when it is something else (a list, another operator: kept as it is)."""
    if not condition:
        return {}
    if isinstance(condition, dict) and condition.get("operator", "equals") in BUILDER_OPERATORS:
        return condition
    return None


def make_condition(target: Mapping | None, operator: str, values_text: str) -> dict | None:
    """The condition « show if `target` equals / is in the values typed » (one value per
    line or separated by commas); numbers for scales and numbers."""
    if target is None:
        return None
    if operator not in BUILDER_OPERATORS:
        raise BuilderError(f"Opérateur de condition « {operator} » inconnu.")
    values = [v.strip() for v in re.split(r"[\n;]", values_text) if v.strip()]
    if not values:
        raise BuilderError(f"Indiquez la ou les valeurs de « {target['key']} » de la condition.")
    if target.get("type") in ("scale", "number"):
        numbers = []
        for value in values:
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                raise BuilderError(
                    f"La condition compare « {target['key']} » à un nombre, pas à « {value} »."
                ) from None
            numbers.append(int(number) if number.is_integer() else number)
        values = numbers
    if operator == "equals":
        if len(values) > 1:
            raise BuilderError(
                "« est égal à » attend une seule valeur ; prenez « fait partie de »."
            )
        return {"question": target["key"], "operator": "equals", "value": values[0]}
    return {"question": target["key"], "operator": "in", "value": values}


def describe_condition(condition) -> str:
    """The condition in French, e.g. « snp » est égal à « oui »."""
    parts = []
    for item in condition if isinstance(condition, list) else [condition] if condition else []:
        operator = item.get("operator", "equals")
        text = f"« {item.get('question')} » {OPERATORS.get(operator, operator)}"
        if operator not in ("answered", "not_answered"):
            value = item.get("value")
            values = value if isinstance(value, list) else [value]
            text += " " + ", ".join(f"« {v} »" for v in values)
        parts.append(text)
    return " et ".join(parts)
