from datetime import date

import pytest

from interurps.cpts import rules
from interurps.cpts.rules import Stage

TODAY = date(2026, 11, 22)


def history_until(stage, start=date(2020, 1, 1)):
    path = rules.PATH[: rules.PATH.index(stage) + 1]
    return [(s.value, start) for s in path]


def test_the_path_moves_one_stage_at_a_time():
    history = []
    for stage in rules.PATH:
        rules.check_transition(history, stage, date(2021, 1, 1), TODAY)
        history.append((stage.value, date(2021, 1, 1)))
    assert rules.allowed_next_stages([s for s, _ in history]) == [Stage.SUSPENDED, Stage.DISSOLVED]


def test_no_aci_signature_before_the_health_project_is_validated():
    history = history_until(Stage.PROJECT_SUBMITTED)
    with pytest.raises(rules.TransitionError) as error:
        rules.check_transition(history, Stage.ACI_SIGNED, date(2021, 1, 1), TODAY)
    message = str(error.value)
    assert "Impossible de passer de « Projet de santé déposé » à « Contrat ACI signé »" in message
    assert "après la validation du projet de santé par l'ARS" in message
    assert "« Projet de santé validé »" in message


def test_going_back_is_refused():
    history = history_until(Stage.ASSOCIATION_CREATED)
    with pytest.raises(rules.TransitionError, match="Étapes possibles"):
        rules.check_transition(history, Stage.EMERGENCE, date(2021, 1, 1), TODAY)


def test_dates_cannot_be_in_the_future_or_before_the_current_stage():
    history = history_until(Stage.LETTER_SUBMITTED, start=date(2021, 5, 1))
    with pytest.raises(rules.TransitionError, match="futur"):
        rules.check_transition(history, Stage.LETTER_VALIDATED, date(2027, 1, 1), TODAY)
    with pytest.raises(rules.TransitionError, match="précède celle de l'étape en cours"):
        rules.check_transition(history, Stage.LETTER_VALIDATED, date(2021, 4, 30), TODAY)


def test_suspension_resumes_at_the_stage_it_interrupted():
    history = [*history_until(Stage.PROJECT_SUBMITTED), (Stage.SUSPENDED.value, date(2021, 1, 1))]
    stages = [s for s, _ in history]
    assert rules.allowed_next_stages(stages) == [Stage.PROJECT_SUBMITTED, Stage.DISSOLVED]
    with pytest.raises(rules.TransitionError):
        rules.check_transition(history, Stage.PROJECT_VALIDATED, date(2021, 2, 1), TODAY)
    rules.check_transition(history, Stage.PROJECT_SUBMITTED, date(2021, 2, 1), TODAY)


def test_a_dissolved_cpts_is_final():
    history = [*history_until(Stage.EMERGENCE), (Stage.DISSOLVED.value, date(2021, 1, 1))]
    with pytest.raises(rules.TransitionError, match="dissoute"):
        rules.check_transition(history, Stage.EMERGENCE, date(2021, 2, 1), TODAY)


def test_the_first_stage_is_emergence():
    assert rules.allowed_next_stages([]) == [Stage.EMERGENCE]
    with pytest.raises(rules.TransitionError, match="Étape inconnue"):
        rules.check_transition([], "fusionnee", date(2021, 1, 1), TODAY)


def test_date_correction_keeps_the_history_in_order():
    dates = [date(2021, 1, 1), date(2021, 3, 1), date(2021, 6, 1)]
    rules.check_date_correction(dates, 1, date(2021, 2, 1), TODAY)
    with pytest.raises(rules.TransitionError, match="étape précédente"):
        rules.check_date_correction(dates, 1, date(2020, 12, 31), TODAY)
    with pytest.raises(rules.TransitionError, match="étape suivante"):
        rules.check_date_correction(dates, 1, date(2021, 6, 2), TODAY)
    with pytest.raises(rules.TransitionError, match="futur"):
        rules.check_date_correction(dates, 2, date(2027, 1, 1), TODAY)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2021, 3, 12), 6, date(2021, 9, 12)),
        (date(2021, 8, 31), 6, date(2022, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2021, 7, 5), 18, date(2023, 1, 5)),
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_mission_deadlines_follow_the_aci_calendar():
    signed = date(2021, 3, 12)
    access = rules.mission_deadlines("acces_soins_non_programmes", signed, None, False, TODAY)
    assert (access.start_by, access.full_by) == (date(2021, 9, 12), date(2022, 9, 12))
    pathways = rules.mission_deadlines("parcours", signed, None, False, TODAY)
    assert (pathways.start_by, pathways.full_by) == (date(2022, 3, 12), date(2023, 3, 12))
    crises = rules.mission_deadlines("crises_sanitaires", signed, None, False, TODAY)
    assert crises.full_by == date(2022, 9, 12)


def test_late_missions_are_flagged():
    signed = date(2021, 3, 12)
    not_started = rules.mission_deadlines("prevention", signed, None, False, date(2022, 3, 13))
    assert not_started.late_to_start and not not_started.late_to_deploy
    on_time = rules.mission_deadlines(
        "prevention", signed, date(2022, 1, 1), False, date(2022, 3, 13)
    )
    assert not on_time.late
    not_deployed = rules.mission_deadlines(
        "prevention", signed, date(2022, 1, 1), False, date(2023, 3, 13)
    )
    assert not_deployed.late_to_deploy
    deployed = rules.mission_deadlines(
        "prevention", signed, date(2022, 1, 1), True, date(2023, 3, 13)
    )
    assert not deployed.late


def test_optional_missions_and_unsigned_cpts_have_no_deadline():
    assert not rules.mission_deadlines(
        "qualite_pertinence", date(2021, 1, 1), None, False, TODAY
    ).late
    assert rules.mission_deadlines("prevention", None, None, False, TODAY).start_by is None
