"""Behaviour of the WHO ICOPE rules (pure Python, no database)."""

import copy
import doctest
import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interurps.analytics import icope
from interurps.analytics.icope import (
    DOMAINS,
    STEP2_TOOLS,
    ScreeningError,
    Step2Error,
    next_screening_due,
    positive_domains,
    priority_key,
    reminder_due,
    screening_flags,
    step2_due,
    validate_answers,
)

NEGATIVE = {
    "cognition": {"orientation_time": True, "orientation_place": True, "words_recalled": 3},
    "mobility": {"chair_rises_completed": 5, "chair_rise_seconds": 11.2},
    "nutrition": {"weight_loss_over_3kg_3_months": False, "appetite_loss": False},
    "vision": {"eye_problems": False},
    "hearing": {"whisper_test_passed": True},
    "mood": {"feeling_down": False, "little_interest": False},
}


def answers(**changes):
    """The all-negative answers with some domains' items changed: answers(mobility={...})."""
    result = copy.deepcopy(NEGATIVE)
    for domain, items in changes.items():
        result[domain].update(items)
    return result


def refused(value):
    with pytest.raises(ScreeningError) as info:
        positive_domains(value)
    return info.value


# --- Step 1: each WHO criterion at and around its threshold ----------------------------------


def test_docstring_examples():
    assert doctest.testmod(icope).failed == 0


def test_all_negative():
    assert positive_domains(NEGATIVE) == []
    assert validate_answers(NEGATIVE) == NEGATIVE


@pytest.mark.parametrize(("words", "positive"), [(3, False), (2, True), (1, True), (0, True)])
def test_cognition_three_words_recalled_is_negative(words, positive):
    assert positive_domains(answers(cognition={"words_recalled": words})) == (
        ["cognition"] if positive else []
    )


@pytest.mark.parametrize("item", ["orientation_time", "orientation_place"])
def test_cognition_either_wrong_orientation_is_positive(item):
    assert positive_domains(answers(cognition={item: False})) == ["cognition"]


@pytest.mark.parametrize(
    ("seconds", "positive"),
    [
        (5.0, False),
        (13.99, False),
        (14, False),
        (14.0, False),
        (14.000001, True),
        (14.01, True),
        (20.5, True),
    ],
)
def test_mobility_five_rises_within_14_seconds_is_negative(seconds, positive):
    given_answers = answers(mobility={"chair_rises_completed": 5, "chair_rise_seconds": seconds})
    assert positive_domains(given_answers) == (["mobility"] if positive else [])


@pytest.mark.parametrize("rises", [0, 1, 4])
def test_mobility_fewer_than_five_rises_is_positive_with_or_without_seconds(rises):
    for mobility in (
        {"chair_rises_completed": rises, "chair_rise_seconds": None},
        {"chair_rises_completed": rises},
        {"chair_rises_completed": rises, "chair_rise_seconds": 9.5},
    ):
        given_answers = answers()
        given_answers["mobility"] = mobility
        assert positive_domains(given_answers) == ["mobility"]


def test_mobility_absent_seconds_are_normalised_to_null():
    given_answers = answers()
    given_answers["mobility"] = {"chair_rises_completed": 3}
    assert validate_answers(given_answers)["mobility"] == {
        "chair_rises_completed": 3,
        "chair_rise_seconds": None,
    }
    given_answers["mobility"] = {"chair_rises_completed": 5, "chair_rise_seconds": 12}
    assert validate_answers(given_answers)["mobility"]["chair_rise_seconds"] == 12.0


@pytest.mark.parametrize(
    ("weight_loss", "appetite_loss", "positive"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_nutrition_weight_loss_over_3kg_or_appetite_loss(weight_loss, appetite_loss, positive):
    # The 3 kg boundary is the form's question (« more than 3 kg in 3 months? »): exactly 3 kg
    # is answered false, 3.1 kg true.
    given_answers = answers(
        nutrition={"weight_loss_over_3kg_3_months": weight_loss, "appetite_loss": appetite_loss}
    )
    assert positive_domains(given_answers) == (["nutrition"] if positive else [])


def test_vision_any_eye_problem_is_positive():
    assert positive_domains(answers(vision={"eye_problems": True})) == ["vision"]


@pytest.mark.parametrize(
    ("hearing", "positive"),
    [
        ({"whisper_test_passed": True}, False),
        ({"whisper_test_passed": False}, True),
        ({"whisper_test_passed": None, "audiometry_passed": True}, False),
        ({"whisper_test_passed": None, "audiometry_passed": False}, True),
        ({"digits_in_noise_passed": True}, False),
        ({"digits_in_noise_passed": False}, True),
        ({"whisper_test_passed": True, "audiometry_passed": False}, True),
        ({"whisper_test_passed": False, "digits_in_noise_passed": True}, True),
    ],
)
def test_hearing_any_failed_test_is_positive(hearing, positive):
    given_answers = answers()
    given_answers["hearing"] = hearing
    assert positive_domains(given_answers) == (["hearing"] if positive else [])


def test_hearing_normalised_shape():
    given_answers = answers()
    given_answers["hearing"] = {"audiometry_passed": True, "digits_in_noise_passed": None}
    assert validate_answers(given_answers)["hearing"] == {
        "whisper_test_passed": None,
        "audiometry_passed": True,
    }


@pytest.mark.parametrize("item", ["feeling_down", "little_interest"])
def test_mood_either_answer_is_positive(item):
    assert positive_domains(answers(mood={item: True})) == ["mood"]


def test_all_positive_in_domain_order_and_flags():
    all_positive = {
        "mood": {"feeling_down": True, "little_interest": True},
        "hearing": {"whisper_test_passed": False},
        "vision": {"eye_problems": True},
        "nutrition": {"weight_loss_over_3kg_3_months": True, "appetite_loss": True},
        "mobility": {"chair_rises_completed": 2},
        "cognition": {"orientation_time": False, "orientation_place": False, "words_recalled": 0},
    }
    assert positive_domains(all_positive) == list(DOMAINS)
    flags = screening_flags(answers(vision={"eye_problems": True}, mood={"feeling_down": True}))
    assert flags == {
        "cognition_positive": False,
        "mobility_positive": False,
        "nutrition_positive": False,
        "vision_positive": True,
        "hearing_positive": False,
        "mood_positive": True,
        "positive_count": 2,
    }


# --- Step 1: every error path names the item -------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "item", "words"),
    [
        ({"cognition": {"words_recalled": 4}}, "cognition.words_recalled", ["4", "0 à 3"]),
        ({"cognition": {"words_recalled": -1}}, "cognition.words_recalled", ["-1", "0 à 3"]),
        ({"cognition": {"words_recalled": True}}, "cognition.words_recalled", ["true", "entier"]),
        ({"cognition": {"words_recalled": "3"}}, "cognition.words_recalled", ["« 3 »"]),
        ({"cognition": {"words_recalled": 3.0}}, "cognition.words_recalled", ["3.0", "entier"]),
        ({"cognition": {"orientation_time": 1}}, "cognition.orientation_time", ["true ou false"]),
        ({"cognition": {"orientation_place": "oui"}}, "cognition.orientation_place", ["oui"]),
        ({"mobility": {"chair_rises_completed": 6}}, "mobility.chair_rises_completed", ["6"]),
        (
            {"mobility": {"chair_rises_completed": 5.0}},
            "mobility.chair_rises_completed",
            ["entier"],
        ),
        ({"mobility": {"chair_rise_seconds": -2.5}}, "mobility.chair_rise_seconds", ["-2.5"]),
        ({"mobility": {"chair_rise_seconds": 0}}, "mobility.chair_rise_seconds", ["positif"]),
        (
            {"mobility": {"chair_rise_seconds": math.inf}},
            "mobility.chair_rise_seconds",
            ["inf"],
        ),
        (
            {"mobility": {"chair_rise_seconds": math.nan}},
            "mobility.chair_rise_seconds",
            ["nan"],
        ),
        (
            {"mobility": {"chair_rise_seconds": "11,2"}},
            "mobility.chair_rise_seconds",
            ["« 11,2 »", "secondes"],
        ),
        ({"mobility": {"chair_rise_seconds": True}}, "mobility.chair_rise_seconds", ["true"]),
        (
            {"mobility": {"chair_rise_seconds": None}},
            "mobility.chair_rise_seconds",
            ["manquante", "5 levers"],
        ),
        (
            {"nutrition": {"appetite_loss": None}},
            "nutrition.appetite_loss",
            ["manquante", "true ou false"],
        ),
        ({"vision": {"eye_problems": 0}}, "vision.eye_problems", ["(0)"]),
        (
            {"hearing": {"whisper_test_passed": None}},
            "hearing.whisper_test_passed",
            ["manquante", "audiometry_passed"],
        ),
        ({"hearing": {"audiometry_passed": "non"}}, "hearing.audiometry_passed", ["non"]),
        ({"mood": {"little_interest": []}}, "mood.little_interest", ["une liste"]),
        ({"mood": {"feeling_down": {}}}, "mood.feeling_down", ["un objet"]),
    ],
)
def test_wrong_items_are_refused_with_a_french_message_naming_them(changes, item, words):
    error = refused(answers(**changes))
    assert error.item == item
    assert item in error.message
    assert str(error) == error.message
    assert isinstance(error, ValueError)
    for word in words:
        assert word in error.message


def test_missing_item_and_domain():
    given_answers = answers()
    del given_answers["cognition"]["words_recalled"]
    error = refused(given_answers)
    assert error.item == "cognition.words_recalled"
    assert error.message == (
        "Cognition — nombre de mots rappelés, sur 3 (cognition.words_recalled) : réponse "
        "manquante ; attendu un nombre entier de 0 à 3."
    )
    given_answers = answers()
    del given_answers["mood"]
    error = refused(given_answers)
    assert (error.item, error.message) == (
        "mood",
        "Humeur (mood) : domaine manquant ; attendu un objet de réponses.",
    )
    given_answers = answers()
    given_answers["mobility"] = {}
    assert refused(given_answers).item == "mobility.chair_rises_completed"


def test_unknown_keys_are_refused():
    error = refused(answers(cognition={"words_recaled": 3}))
    assert error.item == "cognition.words_recaled"
    assert "élément inconnu « words_recaled »" in error.message
    assert "words_recalled" in error.message
    given_answers = answers()
    given_answers["sleep"] = {}
    error = refused(given_answers)
    assert error.item == "sleep"
    assert "Domaine inconnu « sleep »" in error.message


@pytest.mark.parametrize("document", [[], "x", 3, None])
def test_a_document_that_is_not_an_object_is_refused(document):
    error = refused(document)
    assert error.item == ""
    assert "attendu un objet avec les six domaines" in error.message


def test_a_domain_that_is_not_an_object_is_refused():
    given_answers = answers()
    given_answers["vision"] = True
    error = refused(given_answers)
    assert error.item == "vision"
    assert "Vision (vision) : valeur refusée (true)" in error.message


def test_validation_does_not_modify_the_input():
    given_answers = answers()
    given_answers["hearing"] = {"whisper_test_passed": True, "audiometry_passed": None}
    before = copy.deepcopy(given_answers)
    validate_answers(given_answers)
    assert given_answers == before


# --- Step 1: properties ---------------------------------------------------------------------

booleans = st.booleans()
domain_answers = {
    "cognition": st.fixed_dictionaries(
        {
            "orientation_time": booleans,
            "orientation_place": booleans,
            "words_recalled": st.integers(0, 3),
        }
    ),
    "mobility": st.one_of(
        st.fixed_dictionaries(
            {
                "chair_rises_completed": st.just(5),
                "chair_rise_seconds": st.one_of(
                    st.floats(0.1, 60, allow_nan=False), st.sampled_from([14, 14.0, 14.01])
                ),
            }
        ),
        st.fixed_dictionaries(
            {"chair_rises_completed": st.integers(0, 4)},
            optional={"chair_rise_seconds": st.one_of(st.none(), st.floats(0.1, 60))},
        ),
    ),
    "nutrition": st.fixed_dictionaries(
        {"weight_loss_over_3kg_3_months": booleans, "appetite_loss": booleans}
    ),
    "vision": st.fixed_dictionaries({"eye_problems": booleans}),
    "hearing": st.fixed_dictionaries(
        {},
        optional={name: st.one_of(st.none(), booleans) for name in icope.HEARING_TESTS},
    ).filter(lambda hearing: any(value is not None for value in hearing.values())),
    "mood": st.fixed_dictionaries({"feeling_down": booleans, "little_interest": booleans}),
}
valid_answers = st.fixed_dictionaries(domain_answers)


def oracle(given_answers):
    """A naive restatement of the WHO criteria of issue 14."""
    c, m, n = given_answers["cognition"], given_answers["mobility"], given_answers["nutrition"]
    h, mo = given_answers["hearing"], given_answers["mood"]
    decided = {
        "cognition": not (c["orientation_time"] and c["orientation_place"])
        or c["words_recalled"] < 3,
        "mobility": not (m["chair_rises_completed"] == 5 and m.get("chair_rise_seconds") <= 14),
        "nutrition": n["weight_loss_over_3kg_3_months"] or n["appetite_loss"],
        "vision": given_answers["vision"]["eye_problems"],
        "hearing": False in h.values(),
        "mood": mo["feeling_down"] or mo["little_interest"],
    }
    return [domain for domain in DOMAINS if decided[domain]]


@given(valid_answers)
def test_positive_domains_are_ordered_and_agree_with_a_naive_oracle(given_answers):
    positive = positive_domains(given_answers)
    assert set(positive) <= set(DOMAINS)
    assert positive == [domain for domain in DOMAINS if domain in positive]
    assert positive == oracle(given_answers)
    assert screening_flags(given_answers)["positive_count"] == len(positive)


@given(valid_answers)
def test_validation_is_idempotent(given_answers):
    normalised = validate_answers(given_answers)
    assert validate_answers(normalised) == normalised
    assert positive_domains(normalised) == positive_domains(given_answers)


@given(valid_answers, st.sampled_from(DOMAINS), st.data())
def test_changing_one_domain_only_affects_that_domain(given_answers, domain, data):
    changed = dict(given_answers, **{domain: data.draw(domain_answers[domain])})
    before, after = set(positive_domains(given_answers)), set(positive_domains(changed))
    assert before - {domain} == after - {domain}


@given(valid_answers, st.sampled_from(list(icope.ITEMS_BY_PATH)), st.text(max_size=5))
def test_text_is_refused_everywhere(given_answers, path, text):
    domain, name = path.split(".")
    given_answers[domain][name] = text
    with pytest.raises(ScreeningError) as info:
        validate_answers(given_answers)
    assert info.value.item == path


# --- Step 2 tools ---------------------------------------------------------------------------


def test_every_domain_has_tools_with_french_labels_and_sources():
    assert tuple(STEP2_TOOLS) == DOMAINS
    for domain, tools in STEP2_TOOLS.items():
        assert tools
        for tool in tools:
            assert tool.domain == domain
            assert tool.source and tool.label and tool.cutoff
            assert icope.step2_tool(tool.code) is tool
            assert len(tool.code) <= 20  # Assessment.tool
    assert [tool.code for tool in STEP2_TOOLS["cognition"]] == ["moca", "gpcog"]
    with pytest.raises(Step2Error, match="Outil d'évaluation inconnu « mmse »"):
        icope.step2_tool("mmse")


MOCA_FULL = {
    "visuospatial_executive": 5,
    "naming": 3,
    "attention": 6,
    "language": 3,
    "abstraction": 2,
    "delayed_recall": 5,
    "orientation": 6,
    "education_12_years_or_less": False,
}


@pytest.mark.parametrize(
    ("delayed_recall", "education", "score", "abnormal"),
    [
        (5, False, 30, False),
        (5, True, 30, False),  # capped at 30
        (1, False, 26, False),
        (0, False, 25, True),
        (0, True, 26, False),  # +1 point for 12 years of education or fewer
    ],
)
def test_moca_cut_off_26_with_education_point(delayed_recall, education, score, abnormal):
    items = dict(MOCA_FULL, delayed_recall=delayed_recall, education_12_years_or_less=education)
    result = icope.MOCA.score(items)
    assert (result.score, result.abnormal) == (score, abnormal)


def test_moca_out_of_range_section():
    with pytest.raises(Step2Error) as info:
        icope.MOCA.score(dict(MOCA_FULL, attention=7))
    assert info.value.item == "attention"
    assert info.value.message == (
        "MoCA — Attention (attention) : valeur hors limites (7) ; attendu un nombre entier "
        "de 0 à 6."
    )
    with pytest.raises(Step2Error, match="education_12_years_or_less.*oui \\(true\\)"):
        icope.MOCA.score(dict(MOCA_FULL, education_12_years_or_less=1))


def gpcog(patient, informant=None):
    items = {"time_orientation": 0, "clock_numbers": 0, "clock_hands": 0, "news_event": 0}
    for name in items:
        if patient > 5:
            items[name] = 1
            patient -= 1
    items["recall"] = patient
    items["informant_score"] = informant
    return icope.GPCOG.score(items)


@pytest.mark.parametrize(
    ("patient", "informant", "abnormal"),
    [
        (9, None, False),
        (4, None, True),
        (0, None, True),
        (8, 4, False),
        (5, 6, False),
        (5, 3, True),
        (8, 0, True),
    ],
)
def test_gpcog_two_stage_scoring(patient, informant, abnormal):
    result = gpcog(patient, informant)
    assert (result.score, result.abnormal) == (patient, abnormal)


def test_gpcog_needs_the_informant_between_5_and_8():
    with pytest.raises(Step2Error) as info:
        gpcog(7)
    assert info.value.item == "informant_score"
    assert "score patient de 7 (5 à 8)" in info.value.message
    with pytest.raises(Step2Error, match="informant_score.*0 à 6"):
        gpcog(7, 7)


@pytest.mark.parametrize(
    ("subscores", "score", "abnormal", "band"),
    [
        ((4, 4, 4), 12, False, "Pas de limitation (10 à 12)"),
        ((4, 4, 2), 10, False, "Pas de limitation (10 à 12)"),
        ((4, 4, 1), 9, True, "Limitation légère (7 à 9)"),
        ((3, 2, 2), 7, True, "Limitation légère (7 à 9)"),
        ((2, 2, 2), 6, True, "Limitation modérée (4 à 6)"),
        ((1, 1, 1), 3, True, "Limitation sévère (0 à 3)"),
        ((0, 0, 0), 0, True, "Limitation sévère (0 à 3)"),
    ],
)
def test_sppb_limited_at_9_or_less(subscores, score, abnormal, band):
    items = dict(zip(("balance", "gait_speed", "chair_stand"), subscores, strict=True))
    assert icope.SPPB.score(items) == icope.ScoreResult(score, abnormal, band)


def test_sppb_subscore_out_of_range():
    with pytest.raises(Step2Error, match=r"SPPB — Vitesse de marche \(gait_speed\).*\(5\)"):
        icope.SPPB.score({"balance": 4, "gait_speed": 5, "chair_stand": 4})


def mna(total):
    items = {
        "food_intake": 2,
        "weight_loss": 3,
        "mobility": 2,
        "stress_or_acute_disease": 2,
        "neuropsychological": 2,
        "bmi_or_calf": 3,
    }
    missing = 14 - total
    for name in ("bmi_or_calf", "weight_loss", "food_intake", "mobility", "neuropsychological"):
        removed = min(missing, items[name])
        items[name] -= removed
        missing -= removed
    if missing:
        items["stress_or_acute_disease"] = 0
    return icope.MNA_SF.score(items)


@pytest.mark.parametrize(
    ("total", "abnormal", "band"),
    [
        (14, False, "État nutritionnel normal (12 à 14)"),
        (12, False, "État nutritionnel normal (12 à 14)"),
        (11, True, "Risque de dénutrition (8 à 11)"),
        (8, True, "Risque de dénutrition (8 à 11)"),
        (7, True, "Dénutrition (0 à 7)"),
        (0, True, "Dénutrition (0 à 7)"),
    ],
)
def test_mna_sf_bands(total, abnormal, band):
    result = mna(total)
    assert (result.score, result.abnormal, result.band) == (total, abnormal, band)


def test_mna_sf_item_d_is_0_or_2():
    items = {
        "food_intake": 2,
        "weight_loss": 3,
        "mobility": 2,
        "stress_or_acute_disease": 1,
        "neuropsychological": 2,
        "bmi_or_calf": 3,
    }
    with pytest.raises(Step2Error) as info:
        icope.MNA_SF.score(items)
    assert info.value.item == "stress_or_acute_disease"
    assert "attendu 0 ou 2" in info.value.message


@pytest.mark.parametrize(
    ("right", "left", "score", "abnormal", "band_start"),
    [
        (1.0, 0.1, 1.0, False, "Pas de déficience"),
        (0.5, 0.2, 0.5, False, "Pas de déficience"),
        (0.4, 0.3, 0.4, False, "Déficience visuelle légère"),
        (0.3, 0.0, 0.3, False, "Déficience visuelle légère"),
        (0.29, 0.2, 0.29, True, "Déficience visuelle modérée"),
        (0.1, 0.05, 0.1, True, "Déficience visuelle modérée"),
        (0.05, 0.0, 0.05, True, "Déficience visuelle sévère"),
        (0.02, 0, 0.02, True, "Cécité"),
    ],
)
def test_acuity_better_eye_below_3_tenths_is_abnormal(right, left, score, abnormal, band_start):
    for r, l_ in ((right, left), (left, right)):
        result = icope.SNELLEN.score({"right_eye": r, "left_eye": l_})
        assert (result.score, result.abnormal) == (score, abnormal)
        assert result.band.startswith(band_start)


def test_acuity_refuses_impossible_values():
    with pytest.raises(Step2Error, match=r"\(left_eye\) : valeur hors limites \(-0.1\)"):
        icope.SNELLEN.score({"right_eye": 1.0, "left_eye": -0.1})
    with pytest.raises(Step2Error, match=r"right_eye.*« 5/10 »"):
        icope.SNELLEN.score({"right_eye": "5/10", "left_eye": 1.0})
    with pytest.raises(Step2Error, match="right_eye"):
        icope.SNELLEN.score({"right_eye": math.nan, "left_eye": 1.0})


@pytest.mark.parametrize(
    ("right", "left", "abnormal", "band_start"),
    [
        (10, 60, False, "Audition normale"),
        (19.9, 40, False, "Audition normale"),
        (20, 40, False, "Perte auditive légère"),
        (34.9, 50, False, "Perte auditive légère"),
        (35, 50, True, "Perte auditive modérée"),
        (50, 70, True, "Perte auditive moyennement sévère"),
        (65, 70, True, "Perte auditive sévère"),
        (80, 90, True, "Perte auditive profonde"),
        (95, 100, True, "Perte auditive complète"),
    ],
)
def test_audiometry_better_ear_from_35_db_is_abnormal(right, left, abnormal, band_start):
    for r, l_ in ((right, left), (left, right)):
        result = icope.AUDIOMETRY.score({"right_ear_pta_db": r, "left_ear_pta_db": l_})
        assert result.score == float(min(right, left))
        assert result.abnormal is abnormal
        assert result.band.startswith(band_start)


def test_pure_tone_average():
    assert icope.pure_tone_average({500: 30, 1000: 35, 2000: 40, 4000: 35}) == 35.0
    with pytest.raises(Step2Error, match="4000 Hz manquant"):
        icope.pure_tone_average({500: 30, 1000: 35, 2000: 40})


def phq9(*values):
    return icope.PHQ9.score({f"q{i}": value for i, value in enumerate(values, start=1)})


@pytest.mark.parametrize(
    ("total", "abnormal", "band_start"),
    [
        (0, False, "Symptômes minimes"),
        (4, False, "Symptômes minimes"),
        (5, False, "Dépression légère"),
        (9, False, "Dépression légère"),
        (10, True, "Dépression modérée"),
        (14, True, "Dépression modérée"),
        (15, True, "Dépression modérément sévère"),
        (19, True, "Dépression modérément sévère"),
        (20, True, "Dépression sévère"),
        (27, True, "Dépression sévère"),
    ],
)
def test_phq9_bands_5_10_15_20(total, abnormal, band_start):
    values = [min(3, max(0, total - 3 * i)) for i in range(9)]
    result = phq9(*values)
    assert (result.score, result.abnormal) == (total, abnormal)
    assert result.band.startswith(band_start)
    assert bool(result.notes) is (values[8] > 0)  # q9 is 0 below a total of 25


def test_phq9_item_9_raises_a_note_and_items_are_checked():
    assert "risque suicidaire" in phq9(0, 0, 0, 0, 0, 0, 0, 0, 1).notes[0]
    with pytest.raises(Step2Error) as info:
        phq9(0, 0, 4, 0, 0, 0, 0, 0, 0)
    assert info.value.item == "q3"
    assert info.value.message == (
        "PHQ-9 — Troubles du sommeil (q3) : valeur hors limites (4) ; attendu un nombre entier "
        "de 0 à 3."
    )


@pytest.mark.parametrize("tool", list(icope.TOOLS_BY_CODE.values()), ids=lambda t: t.code)
def test_step2_missing_unknown_and_wrong_type_items(tool):
    first = tool.items[0]
    with pytest.raises(Step2Error) as info:
        tool.score({})
    assert info.value.item == first.name
    assert "valeur manquante" in info.value.message
    assert first.name in info.value.message
    with pytest.raises(Step2Error, match="item inconnu « extra » refusé"):
        tool.score({"extra": 1})
    with pytest.raises(Step2Error, match=f"\\({first.name}\\) : valeur refusée \\(true\\)"):
        tool.score({first.name: True})
    with pytest.raises(Step2Error, match="valeur refusée \\(une liste\\)"):
        tool.score([])


@given(st.data())
def test_step2_scores_stay_within_bounds(data):
    tool = data.draw(st.sampled_from(list(icope.TOOLS_BY_CODE.values())))
    items = {}
    for item in tool.items:
        if item.kind == "bool":
            items[item.name] = data.draw(st.booleans())
        elif item.allowed:
            items[item.name] = data.draw(st.sampled_from(item.allowed))
        elif item.kind == "int":
            items[item.name] = data.draw(st.integers(int(item.min), int(item.max)))
        else:
            items[item.name] = data.draw(st.floats(item.min, item.max))
    if tool is icope.GPCOG:
        items["informant_score"] = data.draw(st.integers(0, 6))
    result = tool.score(items)
    assert tool.score_min <= result.score <= tool.score_max
    assert isinstance(result.abnormal, bool)
    assert result.band


# --- Scheduling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "months", "due"),
    [
        (date(2023, 1, 15), 6, date(2023, 7, 15)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2023, 3, 31), 6, date(2023, 9, 30)),
        (date(2023, 7, 31), 6, date(2024, 1, 31)),
        (date(2023, 12, 31), 12, date(2024, 12, 31)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_next_screening_due_clamps_to_the_end_of_the_month(last, months, due):
    assert next_screening_due(last, months) == due


def test_next_screening_due_defaults_and_refusals():
    assert icope.RESCREEN_MONTHS_DEFAULT == 6
    assert next_screening_due(date(2023, 5, 10)) == date(2023, 11, 10)
    for months in (0, -6, 6.0, True, "6"):
        with pytest.raises(ValueError, match="Intervalle de repérage invalide"):
            next_screening_due(date(2023, 5, 10), months)


def test_step2_due():
    assert icope.STEP2_DUE_DAYS_DEFAULT == 30
    assert step2_due(date(2023, 1, 31)) == date(2023, 3, 2)
    assert step2_due(date(2023, 12, 15), days=21) == date(2024, 1, 5)
    assert step2_due(date(2023, 12, 15), days=0) == date(2023, 12, 15)
    with pytest.raises(ValueError, match="Délai d'évaluation invalide"):
        step2_due(date(2023, 12, 15), days=-1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2023, 6, 16), False),  # 15 days before
        (date(2023, 6, 17), True),  # 14 days before
        (date(2023, 7, 1), True),  # due day
        (date(2023, 9, 1), True),  # overdue: still reminded
    ],
)
def test_reminder_due_from_14_days_before(today, expected):
    assert reminder_due(date(2023, 7, 1), today) is expected


def test_reminder_lead_days():
    assert reminder_due(date(2023, 7, 1), date(2023, 6, 30), lead_days=0) is False
    assert reminder_due(date(2023, 7, 1), date(2023, 7, 1), lead_days=0) is True
    with pytest.raises(ValueError, match="Délai de rappel invalide"):
        reminder_due(date(2023, 7, 1), date(2023, 7, 1), lead_days=-1)
    assert icope.days_overdue(date(2023, 7, 1), date(2023, 7, 11)) == 10


def test_priority_key_orders_by_count_then_age_then_delay():
    rows = [
        ("b", 1, 80, 5),
        ("a", 3, 62, -10),
        ("c", 1, 80, 20),
        ("d", 1, 91, -3),
        ("e", 2, 70, 0),
        ("f", 0, 99, 400),
    ]
    ordered = sorted(rows, key=lambda row: priority_key(*row[1:]))
    assert [row[0] for row in ordered] == ["a", "e", "d", "c", "b", "f"]
    with pytest.raises(ValueError, match="positive_count invalide"):
        priority_key(-1, 70, 0)
    with pytest.raises(ValueError, match="days_overdue invalide"):
        priority_key(1, 70, 1.5)


@given(
    st.tuples(st.integers(0, 6), st.integers(60, 110), st.integers(-400, 400)),
    st.tuples(st.integers(0, 6), st.integers(60, 110), st.integers(-400, 400)),
)
def test_priority_key_is_lexicographic(first, second):
    if first[0] != second[0]:
        expected = first[0] > second[0]
    elif first[1] != second[1]:
        expected = first[1] > second[1]
    else:
        expected = first[2] > second[2]
    assert (priority_key(*first) < priority_key(*second)) is expected
