"""The builder's pure helpers: each returns a new definition, which stays valid."""

import copy

import pytest

from interurps.analytics import survey_builder as builder
from interurps.analytics.surveys import DefinitionError, validate_definition
from interurps.surveys.tests.conftest import DEFINITION


def keys(definition):
    return [[q["key"] for q in s["questions"]] for s in definition["sections"]]


def test_slug_key_strips_accents_starts_with_a_letter_and_avoids_taken_keys():
    assert builder.slug_key("Êtes-vous d'accord ?") == "etes_vous_d_accord"
    assert builder.slug_key("Êtes-vous d'accord ?", taken={"etes_vous_d_accord"}) == (
        "etes_vous_d_accord_2"
    )
    assert builder.slug_key("2 fois") == "question_2_fois"
    assert builder.slug_key("???") == "question"
    long = builder.slug_key("x" * 60, taken={"x" * 40})
    assert len(long) <= 40 and long.endswith("_2")


def test_parse_choices_value_label_or_label_alone():
    assert builder.parse_choices("oui|Oui, souvent\n\n Non jamais \nNon jamais") == [
        {"value": "oui", "label": "Oui, souvent"},
        {"value": "non_jamais", "label": "Non jamais"},
        {"value": "non_jamais_2", "label": "Non jamais"},
    ]
    assert builder.choices_text(builder.parse_choices("a|A\nb|B")) == "a|A\nb|B"


def test_add_section_with_its_first_question_and_the_argument_unchanged():
    before = copy.deepcopy(DEFINITION)
    after = builder.add_section(
        DEFINITION,
        title="Vos attentes",
        first_question={"type": "short_text", "label": "Une attente ?"},
    )
    assert DEFINITION == before
    assert after["sections"][1]["key"] == "vos_attentes"
    assert keys(after)[1] == ["une_attente"]
    validate_definition(after)


def test_add_question_generates_its_key_and_checks_its_condition_names_an_earlier_one():
    after = builder.add_question(
        DEFINITION,
        "s1",
        {
            "key": "",
            "type": "single",
            "label": "Votre profession",
            "choices": builder.parse_choices("Oui\nNon"),
            "condition": {"question": "snp", "operator": "equals", "value": "oui"},
        },
    )
    assert keys(after)[0][-1] == "votre_profession"
    validate_definition(after)
    first = builder.add_section(
        DEFINITION, title="Avant", first_question={"type": "date", "label": "Quand ?"}
    )
    first = builder.move_section(first, "avant", -1)
    with pytest.raises(builder.BuilderError, match="posée avant"):
        builder.add_question(
            first,
            "avant",
            {
                "type": "short_text",
                "label": "Pourquoi ?",
                "condition": {"question": "snp", "operator": "equals", "value": "oui"},
            },
        )


def test_update_question_keeps_its_key_and_drops_what_its_new_type_does_not_use():
    after = builder.update_question(
        DEFINITION, "snp", {"type": "short_text", "label": "Demandes ?", "key": "autre"}
    )
    question = after["sections"][0]["questions"][2]
    assert question["key"] == "snp" and question["type"] == "short_text"
    assert "choices" not in question
    # « volume » equals « oui » on a text: still valid
    validate_definition(after)
    with pytest.raises(builder.BuilderError):
        builder.update_question(
            DEFINITION,
            "snp",
            {"condition": {"question": "note", "operator": "equals", "value": 3}},
        )


def test_move_within_a_section_and_across_sections():
    two = builder.add_section(
        DEFINITION, title="Fin", first_question={"type": "date", "label": "Date"}
    )
    moved = builder.move_question(two, "profession", 1)
    assert keys(moved)[0][:2] == ["commune", "profession"]
    across = builder.move_question(two, "date", -1)
    assert keys(across) == [keys(two)[0] + ["date"], []]
    with pytest.raises(DefinitionError, match="au moins une question"):
        validate_definition(across)
    with pytest.raises(builder.BuilderError):
        builder.move_question(two, "profession", -1)
    assert [s["key"] for s in builder.move_section(two, "fin", -1)["sections"]] == ["fin", "s1"]
    with pytest.raises(builder.BuilderError):
        builder.move_section(two, "fin", 1)


def test_delete_and_unknown_items():
    assert keys(builder.delete_question(DEFINITION, "remarques"))[0][-1] == "note"
    with pytest.raises(DefinitionError, match="snp"):
        validate_definition(builder.delete_question(DEFINITION, "snp"))  # « volume » needs it
    two = builder.add_section(
        DEFINITION, title="Fin", first_question={"type": "date", "label": "D"}
    )
    assert [s["key"] for s in builder.delete_section(two, "s1")["sections"]] == ["fin"]
    with pytest.raises(builder.BuilderError, match="n'existe pas"):
        builder.delete_question(DEFINITION, "inconnue")
    with pytest.raises(builder.BuilderError, match="n'existe pas"):
        builder.update_section(DEFINITION, "inconnue", title="x")


def test_make_condition_and_earlier_questions():
    qmap = {q["key"]: q for s in DEFINITION["sections"] for q in s["questions"]}
    assert builder.make_condition(qmap["snp"], "equals", " oui ") == {
        "question": "snp",
        "operator": "equals",
        "value": "oui",
    }
    assert builder.make_condition(qmap["note"], "in", "4\n5;2,5")["value"] == [4, 5, 2.5]
    assert builder.make_condition(None, "equals", "") is None
    with pytest.raises(builder.BuilderError, match="nombre"):
        builder.make_condition(qmap["note"], "equals", "beaucoup")
    with pytest.raises(builder.BuilderError, match="une seule valeur"):
        builder.make_condition(qmap["snp"], "equals", "oui\nnon")
    with pytest.raises(builder.BuilderError, match="valeurs"):
        builder.make_condition(qmap["snp"], "in", "  ")
    assert [q["key"] for q in builder.earlier_questions(DEFINITION, before="volume")] == [
        "profession",
        "commune",
        "snp",
    ]
    assert len(builder.earlier_questions(DEFINITION, section="s1")) == 6
    assert builder.simple_condition([{"question": "snp"}]) is None
    assert (
        builder.describe_condition({"question": "snp", "operator": "in", "value": ["oui", "non"]})
        == "« snp » fait partie de « oui », « non »"
    )
