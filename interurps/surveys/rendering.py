"""The respondent's form, built from a questionnaire's definition for its template."""

import json

from interurps.analytics import surveys as rules
from interurps.geography.models import Commune
from interurps.organizations.models import Profession

PREFIX = "q_"


def raw_answers(definition, data) -> dict:
    """The posted values of every question (lists for multiple choices)."""
    raw = {}
    for question in rules.questions(definition):
        name = PREFIX + question["key"]
        if question["type"] == "multiple":
            raw[question["key"]] = data.getlist(name)
        else:
            raw[question["key"]] = data.get(name, "")
    return raw


def _as_text(question, value) -> str | list:
    if value is None:
        return [] if question["type"] == "multiple" else ""
    if question["type"] == "multiple":
        return [str(v) for v in value]
    if question["type"] == "number" and isinstance(value, float):
        return f"{value}".replace(".", ",")
    return str(value)


def form_sections(definition, *, values=None, raw=None, errors=None) -> list[dict]:
    """Sections and questions ready for `surveys/_form_fields.html`: saved `values` (typed
    answers) or posted `raw` texts, and `errors` by question key."""
    values, errors = values or {}, errors or {}
    professions = None
    commune_names = {}
    if raw is None:
        codes = [
            values[q["key"]]
            for q in rules.questions(definition)
            if q["type"] == "commune" and values.get(q["key"])
        ]
        commune_names = dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))
    sections = []
    for section in definition["sections"]:
        items = []
        for question in section["questions"]:
            key = question["key"]
            kind = question["type"]
            if raw is not None:
                current = raw.get(key, [] if kind == "multiple" else "")
            else:
                current = _as_text(question, values.get(key))
                if kind == "commune" and current in commune_names:
                    current = f"{commune_names[current]} ({current})"
            item = {
                "key": key,
                "name": PREFIX + key,
                "id": f"id_{PREFIX}{key}",
                "type": kind,
                "label": question.get("label", ""),
                "help": question.get("help", ""),
                "required": bool(question.get("required")),
                "error": errors.get(key, ""),
                "value": current,
                "condition": json.dumps(question["condition"]) if question.get("condition") else "",
            }
            if kind in rules.CHOICE_TYPES:
                chosen = current if isinstance(current, list) else [current]
                item["choices"] = [
                    {"value": c["value"], "label": c["label"], "checked": c["value"] in chosen}
                    for c in question["choices"]
                ]
            elif kind == "scale":
                low, high = question.get("min", 1), question.get("max", 5)
                item["choices"] = [
                    {"value": str(p), "label": str(p), "checked": str(p) == current}
                    for p in range(low, high + 1)
                ]
                item["min_label"] = question.get("min_label", "")
                item["max_label"] = question.get("max_label", "")
            elif kind == "profession":
                if professions is None:
                    professions = list(Profession.objects.values_list("code", "label"))
                item["choices"] = [
                    {"value": code, "label": label, "checked": code == current}
                    for code, label in professions
                ]
            elif kind == "number":
                bounds = [question.get("min"), question.get("max")]
                if bounds[0] is not None and bounds[1] is not None:
                    item["bounds"] = f"de {bounds[0]} à {bounds[1]}"
            items.append(item)
        sections.append(
            {
                "key": section["key"],
                "title": section.get("title", ""),
                "description": section.get("description", ""),
                "condition": json.dumps(section["condition"]) if section.get("condition") else "",
                "questions": items,
            }
        )
    return sections
