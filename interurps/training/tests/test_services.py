from datetime import date

import pytest
from django.core.exceptions import ValidationError

from interurps.training import services
from interurps.training.models import Attendance, Session, TrainerStep

from .conftest import PRESENT, paris

pytestmark = pytest.mark.django_db


def test_a_learner_cpts_must_be_in_the_federation_region(cohort, make_cpts):
    elsewhere = make_cpts("CPTS Paris 15", region_code="11", department_code="75")
    with pytest.raises(ValidationError) as error:
        services.learner_create(cohort=cohort, full_name="Hors région", cpts=elsewhere)
    assert "cpts" in error.value.message_dict
    assert "région" in error.value.message_dict["cpts"][0]
    assert not cohort.learners.exists()


def test_a_learner_may_be_enrolled_before_their_cpts_is_known(cohort):
    learner = services.learner_create(cohort=cohort, full_name="Sans CPTS")
    assert learner.cpts is None


def test_a_session_module_must_belong_to_the_cohort_programme(federation, cohort):
    other = services.programme_create(federation=federation, name="Autre programme")
    foreign_module = services.module_create(programme=other, title="Module d'ailleurs")
    with pytest.raises(ValidationError) as error:
        services.session_create(
            cohort=cohort,
            module=foreign_module,
            starts_at=paris(2021, 6, 2, 9),
            ends_at=paris(2021, 6, 2, 17),
        )
    assert error.value.message_dict["module"] == [
        "Le module doit appartenir au programme de la cohorte."
    ]
    assert not Session.objects.filter(cohort=cohort).exists()


@pytest.mark.parametrize("end_hour", [9, 8])
def test_a_session_ends_after_it_starts(cohort, modules, end_hour):
    with pytest.raises(ValidationError) as error:
        services.session_create(
            cohort=cohort,
            module=modules[0],
            starts_at=paris(2021, 6, 2, 9),
            ends_at=paris(2021, 6, 2, end_hour),
        )
    assert "ends_at" in error.value.message_dict


def test_session_trainers_must_be_the_federation_s(cohort, modules):
    from interurps.organizations.models import Federation

    stranger = services.relay_trainer_create(
        federation=Federation.objects.get(region_id="11"), full_name="Ailleurs"
    )
    with pytest.raises(ValidationError):
        services.session_create(
            cohort=cohort,
            module=modules[0],
            starts_at=paris(2021, 6, 2, 9),
            ends_at=paris(2021, 6, 2, 17),
            trainers=[stranger],
        )
    assert not Session.objects.filter(cohort=cohort).exists()


def test_attendance_only_for_learners_of_the_session_cohort(programme, cohort, learner, sessions):
    other_cohort = services.cohort_create(
        programme=programme, name="Promotion 2022", start_date=date(2022, 1, 1)
    )
    outsider = services.learner_create(cohort=other_cohort, full_name="Autre promotion")
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            session=sessions[0], statuses={learner: PRESENT, outsider: PRESENT}
        )
    assert "Autre promotion" in error.value.messages[0]
    # Nothing is written when one entry fails.
    assert not Attendance.objects.filter(session=sessions[0]).exists()


def test_attendance_updates_and_clears(learner, sessions):
    services.attendance_record(session=sessions[0], statuses={learner: PRESENT})
    services.attendance_record(session=sessions[0], statuses={learner: "excuse"})
    assert sessions[0].attendances.get().status == Attendance.Status.EXCUSED
    services.attendance_record(session=sessions[0], statuses={learner: None})
    assert not sessions[0].attendances.exists()


def test_module_order_follows_the_last_module(programme):
    module = services.module_create(programme=programme, title="Module 2022")
    assert module.order == 4


def test_trainer_steps_check_their_dates(federation):
    trainer = services.relay_trainer_create(federation=federation, full_name="Jeanne Boutier")
    with pytest.raises(ValidationError) as error:
        services.trainer_step_create(
            trainer=trainer,
            kind=TrainerStep.Kind.RELAY_TRAINING,
            title="Formation",
            starts_on=date(2021, 9, 17),
            ends_on=date(2021, 9, 16),
        )
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.trainer_step_create(
            trainer=trainer,
            kind=TrainerStep.Kind.WEBINAR,
            title="Webinaire futur",
            starts_on=date(2999, 1, 1),
            status=TrainerStep.Status.DONE,
        )
    assert "status" in error.value.message_dict
