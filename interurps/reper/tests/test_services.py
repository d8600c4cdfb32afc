from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interurps.reper import selectors, services
from interurps.reper.models import Assessment, CarePlan, Person, Screening

from .conftest import NORMAL, answers

pytestmark = pytest.mark.django_db


def test_person_is_created_with_a_pseudonym_and_followed_by_its_professional(reper, make_person):
    person = make_person()
    assert person.pseudonym.startswith("R-")
    assert [f.professional for f in selectors.followers(person)] == [reper.kine]
    assert Person.objects.get(pk=person.pk).last_name == "Dupontel"


def test_person_must_be_60_in_a_commune_of_a_programme_cpts(reper, make_person):
    with pytest.raises(ValidationError) as error:
        make_person(birth_year=1970)
    assert "60 ans" in error.value.message_dict["birth_year"][0]
    from interurps.geography.models import Commune

    with pytest.raises(ValidationError) as error:
        make_person(commune=Commune.objects.get(code="49007"))
    assert "n'est pas dans le territoire" in error.value.message_dict["commune"][0]
    services.programme_cpts_remove  # noqa: B018
    from interurps.reper.models import ProgrammeCpts

    ProgrammeCpts.objects.all().delete()
    with pytest.raises(ValidationError, match="programme REPER"):
        make_person()


def test_screening_opens_one_assessment_per_positive_domain(reper, make_person):
    person = make_person()
    services.follower_add(person=person, professional=reper.nurse)
    screened_on = date(2023, 3, 1)
    screening = services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=screened_on,
        answers=answers(
            cognition__words_recalled=2,
            mobility__chair_rise_seconds=14.1,
            mood__little_interest=True,
        ),
        assign_to=reper.nurse,
    )
    assert screening.positive_domains == ["cognition", "mobility", "mood"]
    assert screening.positive_count == 3
    assert (screening.cognition_positive, screening.vision_positive) == (True, False)
    opened = list(screening.assessments.order_by("domain"))
    assert [a.domain for a in opened] == ["cognition", "mobility", "mood"]
    assert {a.due_on for a in opened} == {screened_on + timedelta(days=30)}
    assert {a.assigned_to for a in opened} == {reper.nurse}
    assert {a.status for a in opened} == {Assessment.Status.TO_DO}

    # A second positive screening keeps the mobility assessment still to do.
    again = services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 4, 1),
        answers=answers(mobility__chair_rises_completed=4, mobility__chair_rise_seconds=None),
    )
    assert again.positive_domains == ["mobility"]
    assert again.assessments.count() == 0
    assert person.assessments.filter(domain="mobility").count() == 1


def test_negative_screening_opens_nothing(reper, make_person):
    person = make_person()
    screening = services.screening_record(
        person=person, professional=reper.kine, screened_on=date(2023, 3, 1), answers=NORMAL
    )
    assert screening.positive_count == 0
    assert Assessment.objects.count() == 0


def test_invalid_answers_write_nothing_and_name_the_item(reper, make_person):
    person = make_person()
    with pytest.raises(ValidationError) as error:
        services.screening_record(
            person=person,
            professional=reper.kine,
            screened_on=date(2023, 3, 1),
            answers=answers(cognition__words_recalled=4),
        )
    assert "words_recalled" in error.value.message_dict
    assert Screening.objects.count() == 0


def test_assessment_is_scored_by_the_rules_module(reper, make_person):
    from interurps.analytics import icope

    person = make_person()
    screening = services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(mood__feeling_down=True),
    )
    assessment = screening.assessments.get()
    tool = icope.STEP2_TOOLS["mood"][0]
    items = {item.name: 2 for item in tool.items}
    expected = tool.score(items)
    services.assessment_record(
        assessment=assessment, tool_code=tool.code, items=items, done_on=date(2023, 3, 20)
    )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DONE
    assert float(assessment.score) == pytest.approx(float(expected.score))
    assert assessment.abnormal == bool(expected.abnormal)
    assert assessment.band == str(expected.band)
    with pytest.raises(ValidationError):
        services.assessment_record(
            assessment=assessment, tool_code="inconnu", items=items, done_on=date(2023, 3, 20)
        )
    first = tool.items[0].name
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            assessment=assessment,
            tool_code=tool.code,
            items={**items, first: 7},
            done_on=date(2023, 3, 20),
        )
    assert first in error.value.message_dict


def test_cancel_needs_a_reason(reper, make_person):
    person = make_person()
    screening = services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(vision__eye_problems=True),
    )
    assessment = screening.assessments.get()
    with pytest.raises(ValidationError):
        services.assessment_cancel(assessment=assessment, reason="  ")
    services.assessment_cancel(assessment=assessment, reason="Déjà suivie par un ophtalmologue")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CANCELLED


def test_withdrawal_stops_follow_up(reper, make_person):
    person = make_person()
    services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(vision__eye_problems=True, hearing__whisper_test_passed=False),
    )
    plan = services.plan_create(
        person=person, created_by=reper.kine, created_on=date(2023, 4, 1), goals="Voir mieux."
    )
    services.consent_withdraw(person=person, on=date(2023, 5, 1))
    person.refresh_from_db()
    assert person.consent_withdrawn_on == date(2023, 5, 1)
    assert set(person.assessments.values_list("status", flat=True)) == {"cancelled"}
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.CLOSED and plan.closed_on == date(2023, 5, 1)
    assert person.last_name == "Dupontel"  # not erased unless asked
    with pytest.raises(ValidationError, match="consentement"):
        services.screening_record(
            person=person, professional=reper.kine, screened_on=date(2023, 6, 1), answers=NORMAL
        )
    today = timezone.localdate()
    assert selectors.reminders_for_professional(reper.kine, today).count == 0


def test_erasure_keeps_pseudonymous_data_only_when_evaluation_was_allowed(reper, make_person):
    kept = make_person()
    dropped = make_person(consent_scope="follow_up")
    for person in (kept, dropped):
        services.screening_record(
            person=person,
            professional=reper.kine,
            screened_on=date(2023, 3, 1),
            answers=answers(vision__eye_problems=True),
        )
        services.consent_withdraw(person=person, on=date(2023, 5, 1), erase_identity=True)
        person.refresh_from_db()
        assert person.identity_erased_on == date(2023, 5, 1)
        assert not any(
            (person.last_name, person.first_name, person.phone, person.treating_physician)
        )
        assert person.birth_date is None
    assert kept.screenings.count() == 1 and kept.assessments.count() == 1
    assert dropped.screenings.count() == 0 and dropped.assessments.count() == 0
    assert Person.objects.filter(pk=dropped.pk).exists()


def test_erasure_needs_a_withdrawn_consent(make_person):
    with pytest.raises(ValidationError):
        services.identity_erase(person=make_person())


def test_last_follower_stays(reper, make_person):
    person = make_person()
    only = person.follow_ups.get()
    with pytest.raises(ValidationError, match="au moins un"):
        services.follower_remove(follow_up=only)
    services.follower_add(person=person, professional=reper.other)
    services.follower_remove(follow_up=only)
    assert [f.professional for f in selectors.followers(person)] == [reper.other]


def test_follower_must_practise_in_the_cpts(reper, make_person):
    from .conftest import make_professional

    far = make_professional("10000000009", "infirmiers", "Loin", "44109")
    with pytest.raises(ValidationError, match="n'exerce pas"):
        services.follower_add(person=make_person(), professional=far)


def test_rescreening_due_after_six_months_and_reminders(reper, make_person, settings):
    person = make_person()
    services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(nutrition__appetite_loss=True),
    )
    assert selectors.person_next_due(person) == date(2023, 9, 1)
    early = selectors.reminders_for_professional(reper.kine, date(2023, 3, 20))
    assert early.count == 0
    late = selectors.reminders_for_professional(reper.kine, date(2023, 9, 1))
    assert [p for p, _ in late.due_screenings] == [person]
    assert [a.domain for a in late.overdue_assessments] == ["nutrition"]
    settings.REPER_RESCREEN_MONTHS = 12
    assert selectors.person_next_due(person) == date(2024, 3, 1)


def test_plan_lifecycle(reper, make_person):
    person = make_person()
    with pytest.raises(ValidationError):
        services.plan_create(
            person=person,
            created_by=reper.kine,
            created_on=date(2023, 4, 1),
            goals="Marcher",
            referred_to_physician=True,
        )
    plan = services.plan_create(
        person=person,
        created_by=reper.kine,
        created_on=date(2023, 4, 1),
        goals="Marcher sans aide",
        referred_to_physician=True,
        referral_note="Bilan des chutes",
    )
    with pytest.raises(ValidationError, match="déjà en cours"):
        services.plan_create(
            person=person, created_by=reper.kine, created_on=date(2023, 4, 2), goals="Autre"
        )
    action = services.plan_action_add(
        plan=plan, description="Rééducation", responsible=reper.kine, due_on=date(2023, 6, 1)
    )
    services.plan_action_add(plan=plan, description="Bilan", responsible_label="Médecin traitant")
    services.plan_action_done(action=action, on=date(2023, 5, 1))
    services.plan_review(plan=plan, on=date(2023, 5, 2), note="Progrès")
    services.plan_close(plan=plan, on=date(2023, 7, 1))
    plan.refresh_from_db()
    assert (plan.status, plan.last_reviewed_on, plan.closed_on) == (
        "closed",
        date(2023, 5, 2),
        date(2023, 7, 1),
    )
    with pytest.raises(ValidationError, match="clos"):
        services.plan_action_add(plan=plan, description="Trop tard", responsible=reper.kine)


def test_trajectory_lists_each_screening_per_domain(reper, make_person):
    person = make_person()
    for day, changes in (
        (date(2023, 1, 10), {"mobility__chair_rise_seconds": 16.0}),
        (date(2023, 7, 10), {}),
    ):
        services.screening_record(
            person=person, professional=reper.kine, screened_on=day, answers=answers(**changes)
        )
    trajectory = selectors.trajectory(person)
    assert trajectory.dates == [date(2023, 1, 10), date(2023, 7, 10)]
    mobility = next(row for row in trajectory.rows if row.domain == "mobility")
    assert mobility.results == [True, False]
    assert trajectory.positive_counts == [1, 0]
