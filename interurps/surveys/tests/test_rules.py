"""The questionnaire's rules, without a database: validation, conditions, answers, figures."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interurps.analytics import surveys as rules
from interurps.surveys import catalogue


def _definition(*questions, section_condition=None):
    section = {"key": "s1", "title": "S", "questions": list(questions)}
    if section_condition:
        section["condition"] = section_condition
    return {"sections": [section]}


YES_NO = [{"value": "oui", "label": "Oui"}, {"value": "non", "label": "Non"}]


def q(key, kind="single", **extra):
    base = {"key": key, "type": kind, "label": key.upper()}
    if kind in ("single", "multiple") and "choices" not in extra:
        base["choices"] = YES_NO
    return {**base, **extra}


def errors_of(definition) -> list[str]:
    with pytest.raises(rules.DefinitionError) as caught:
        rules.validate_definition(definition)
    return caught.value.errors


@pytest.mark.parametrize("key", sorted(catalogue.TEMPLATES))
def test_shipped_templates_are_valid(key):
    assert rules.validate_definition(copy.deepcopy(catalogue.TEMPLATES[key][1]))


def test_duplicate_question_keys_are_refused_by_name():
    errors = errors_of(_definition(q("a"), q("a", "short_text")))
    assert errors == ["La clé de question « a » est utilisée 2 fois."]


def test_duplicate_choice_values_and_bad_keys_are_refused():
    errors = errors_of(
        _definition(
            q("a", choices=[{"value": "x", "label": "X"}, {"value": "x", "label": "Y"}]),
            q("Bad Key", "short_text"),
        )
    )
    assert "Section 1, question « a » : la valeur de choix « x » apparaît 2 fois." in errors
    assert any("question « Bad Key » : clé invalide" in e for e in errors)


def test_condition_on_a_missing_question_is_refused():
    errors = errors_of(
        _definition(q("a"), q("b", condition={"question": "zz", "operator": "equals"}))
    )
    assert errors == [
        "Section 1, question « b », condition : la condition porte sur la question « zz », "
        "qui n'existe pas."
    ]


def test_condition_on_an_unknown_choice_or_wrong_operator_is_refused():
    errors = errors_of(
        _definition(
            q("a"),
            q("b", "short_text", condition={"question": "a", "value": "peut-être"}),
            q("c", "short_text", condition={"question": "a", "operator": "gt", "value": 2}),
        )
    )
    assert any("« peut-être » n'est pas un choix de la question « a »" in e for e in errors)
    assert any("« gt » ne s'applique qu'à une échelle ou un nombre" in e for e in errors)


def test_condition_cycles_are_refused_with_the_path():
    errors = errors_of(
        _definition(
            q("a", condition={"question": "b", "value": "oui"}),
            q("b", condition={"question": "a", "value": "oui"}),
        )
    )
    assert len(errors) == 1
    assert errors[0].startswith("Conditions circulaires : « a » → « b » → « a »")


def test_a_section_conditioned_on_its_own_question_is_a_cycle():
    errors = errors_of(_definition(q("a"), section_condition={"question": "a", "value": "oui"}))
    assert "section « s1 »" in errors[0] and errors[0].startswith("Conditions circulaires")


def test_self_condition_is_a_cycle():
    errors = errors_of(_definition(q("a", condition={"question": "a", "operator": "answered"})))
    assert errors[0].startswith("Conditions circulaires : « a » → « a »")


def test_forward_references_without_a_cycle_are_accepted():
    definition = _definition(
        q("a", "short_text", condition={"question": "b", "value": "oui"}), q("b")
    )
    assert rules.validate_definition(definition)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=20,
    )
)
@settings(max_examples=60, deadline=None)
def test_any_json_is_either_valid_or_refused_with_messages(data):
    try:
        rules.validate_definition({"sections": data} if not isinstance(data, dict) else data)
    except rules.DefinitionError as error:
        assert error.errors and all(isinstance(e, str) and e for e in error.errors)


# --- conditions and answers ---------------------------------------------------------------

CONDITIONAL = _definition(
    q("snp", required=True),
    q(
        "volume",
        "number",
        min=0,
        max=100,
        required=True,
        condition={"question": "snp", "value": "oui"},
    ),
    q("why", "long_text", condition={"question": "volume", "operator": "gte", "value": 50}),
)


def test_hidden_questions_are_not_required_and_their_answers_dropped():
    checked = rules.check_answers(
        CONDITIONAL, {"snp": "non", "volume": "12", "why": "trop"}, final=True
    )
    assert checked.errors == {}
    assert checked.answers == {"snp": "non"}


def test_chained_conditions_follow_the_answers():
    checked = rules.check_answers(
        CONDITIONAL, {"snp": "oui", "volume": "60", "why": "trop"}, final=True
    )
    assert checked.answers == {"snp": "oui", "volume": 60, "why": "trop"}
    checked = rules.check_answers(CONDITIONAL, {"snp": "oui"}, final=True)
    assert checked.errors == {"volume": "Cette question est obligatoire."}


def test_answers_are_checked_in_french():
    checked = rules.check_answers(CONDITIONAL, {"snp": "peut-être", "volume": "abc"}, final=False)
    assert checked.errors == {
        "snp": "Choix inconnu : choisissez parmi les réponses proposées.",
    }  # volume is hidden: its error is not shown
    checked = rules.check_answers(CONDITIONAL, {"snp": "oui", "volume": "12,5"}, final=False)
    assert checked.errors == {"volume": "Indiquez un nombre entier."}
    checked = rules.check_answers(CONDITIONAL, {"snp": "oui", "volume": "250"}, final=False)
    assert checked.errors == {"volume": "Indiquez un nombre de 0 à 100."}


def test_a_partial_save_keeps_valid_answers_and_skips_required():
    checked = rules.check_answers(CONDITIONAL, {"snp": "oui"}, final=False)
    assert checked.answers == {"snp": "oui"} and checked.errors == {}


# --- figures ----------------------------------------------------------------------------


def test_summary_of_a_multiple_choice_counts_respondents():
    question = q(
        "m",
        "multiple",
        choices=[
            {"value": "a", "label": "A"},
            {"value": "b", "label": "B"},
            {"value": "c", "label": "C"},
        ],
    )
    summary = rules.summarise(question, [["a", "b"], ["a"], ["c"], ["a", "c"]])
    assert summary.answered == 4
    assert [(r.label, r.count, r.percent) for r in summary.rows] == [
        ("A", 3, 75.0),
        ("B", 1, 25.0),
        ("C", 2, 50.0),
    ]


def test_summary_of_a_scale():
    summary = rules.summarise(q("s", "scale", min=1, max=5), [5, 4, 4, 2])
    assert (summary.mean, summary.median, summary.minimum, summary.maximum) == (3.75, 4.0, 2, 5)
    assert [r.count for r in summary.rows] == [0, 1, 0, 2, 1]


def test_crosstab_by_hand():
    a = q("a")
    b = q("b", "multiple", choices=[{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}])
    table = rules.crosstab(
        a,
        b,
        [
            {"a": "oui", "b": ["x", "y"]},
            {"a": "oui", "b": ["x"]},
            {"a": "non", "b": ["y"]},
            {"a": "non"},
        ],
    )
    assert table.counts == [[2, 1], [0, 1]]
    assert table.row_totals == [2, 1] and table.column_totals == [2, 2] and table.total == 3
    assert table.row_percent(0, 1) == 50.0
