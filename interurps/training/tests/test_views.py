import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.training import services
from interurps.training.models import Attendance, RelayTrainer, Session, TrainerStep
from tests.factories import RoleAssignmentFactory, user_with_role

from .conftest import PRESENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(federation):
    trainer = services.relay_trainer_create(federation=federation, full_name="Anne-Laure Le Ny")
    services.trainer_step_create(
        trainer=trainer, kind=TrainerStep.Kind.WEBINAR, title="Webinaire module pédagogique"
    )
    return trainer


@pytest.fixture
def attended(learner, other_learner, sessions):
    services.attendance_record(
        session=sessions[0], statuses={learner: PRESENT, other_learner: "excuse"}
    )
    return sessions


def read_urls(programme, cohort, learner):
    return [
        reverse("training:federation", args=["52"]),
        reverse("training:programme_detail", args=[programme.pk]),
        reverse("training:cohort_detail", args=[cohort.pk]),
        reverse("training:learner_detail", args=[learner.pk]),
        reverse("training:trainers", args=["52"]),
    ]


def write_urls(programme, modules, cohort, learner, sessions, trainer):
    return [
        reverse("training:programme_create", args=["52"]),
        reverse("training:programme_edit", args=[programme.pk]),
        reverse("training:module_create", args=[programme.pk]),
        reverse("training:module_edit", args=[modules[0].pk]),
        reverse("training:cohort_create", args=[programme.pk]),
        reverse("training:cohort_edit", args=[cohort.pk]),
        reverse("training:learner_create", args=[cohort.pk]),
        reverse("training:learner_edit", args=[learner.pk]),
        reverse("training:session_create", args=[cohort.pk]),
        reverse("training:session_edit", args=[sessions[0].pk]),
        reverse("training:session_attendance", args=[sessions[0].pk]),
        reverse("training:trainer_create", args=["52"]),
        reverse("training:trainer_edit", args=[trainer.pk]),
        reverse("training:step_create", args=[trainer.pk]),
        reverse("training:step_edit", args=[trainer.steps.get().pk]),
    ]


@pytest.fixture
def urls(programme, modules, cohort, learner, other_learner, attended, trainer):
    return {
        "read": read_urls(programme, cohort, learner),
        "write": write_urls(programme, modules, cohort, learner, attended, trainer),
    }


@pytest.mark.parametrize("role", [Role.PARTNER, Role.UNION_MEMBER, Role.HEALTH_PROFESSIONAL])
def test_read_only_roles_read_but_do_not_write(client, urls, role):
    client.force_login(user_with_role(role))
    for url in urls["read"]:
        # Learners' records (names, e-mails, attendance) are not for health professionals.
        expected = 403 if role == Role.HEALTH_PROFESSIONAL and "apprenants" in url else 200
        assert client.get(url).status_code == expected, url
    for url in urls["write"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_partner_sees_every_learner_and_completion(client, urls, learner, other_learner):
    client.force_login(user_with_role(Role.PARTNER))
    page = client.get(urls["read"][2]).text
    assert learner.full_name in page and other_learner.full_name in page
    assert "CPTS Pays de Retz" in page
    assert "33\u202f%" in page  # one module of three
    assert "Saisir les présences" not in page


def test_other_region_gets_403(client, urls):
    for role in (Role.FEDERATION_ADMIN, Role.PARTNER):
        client.force_login(user_with_role(role, region_code="11"))
        for url in urls["read"] + urls["write"]:
            assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, urls):
    response = client.get(urls["read"][2])
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_coordinator_sees_own_record_only(client, urls, cohort, learner, other_learner):
    coordinator = RoleAssignmentFactory(role=Role.CPTS_COORDINATOR, cpts=learner.cpts).user
    client.force_login(coordinator)
    assert client.get(learner.get_absolute_url()).status_code == 200
    assert client.get(other_learner.get_absolute_url()).status_code == 403
    page = client.get(cohort.get_absolute_url()).text
    assert learner.full_name in page
    assert other_learner.full_name not in page
    for url in urls["write"]:
        assert client.get(url).status_code == 403, url


def test_learner_with_an_account_sees_their_record(client, urls, learner, other_learner):
    account = RoleAssignmentFactory(role=Role.CPTS_COORDINATOR).user
    services.learner_update(learner=other_learner, data={"user": account})
    client.force_login(account)
    assert client.get(other_learner.get_absolute_url()).status_code == 200
    assert client.get(learner.get_absolute_url()).status_code == 403


@pytest.mark.parametrize("role", [Role.FEDERATION_STAFF, Role.FEDERATION_ADMIN])
def test_staff_write(client, urls, role):
    client.force_login(user_with_role(role))
    for url in urls["read"] + urls["write"]:
        assert client.get(url).status_code == 200, url


def test_staff_schedule_a_session_and_record_attendance(
    client, cohort, modules, learner, other_learner
):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    trainer = services.relay_trainer_create(federation=cohort.programme.federation, full_name="X")
    response = client.post(
        reverse("training:session_create", args=[cohort.pk]),
        {
            "module": modules[1].pk,
            "title": "Jour 1",
            "starts_at": "2021-08-31T09:00",
            "ends_at": "2021-08-31T17:00",
            "place": "Angers",
            "trainers": [trainer.pk],
        },
    )
    session = Session.objects.get(cohort=cohort, place="Angers")
    assert response.status_code == 302
    assert response.url == f"/cohortes/{cohort.pk}/#seance-{session.pk}"
    assert list(session.trainers.all()) == [trainer]

    # The end before the start: the form shows the service's error.
    response = client.post(
        reverse("training:session_edit", args=[session.pk]),
        {"module": modules[1].pk, "starts_at": "2021-08-31T09:00", "ends_at": "2021-08-31T08:00"},
    )
    assert response.status_code == 200
    assert "postérieure à son début" in response.text

    url = reverse("training:session_attendance", args=[session.pk])
    data = {f"status_{learner.pk}": "present", f"status_{other_learner.pk}": "absent"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Les présences ont été enregistrées" in response.text
    assert "<html" not in response.text  # the fragment only
    assert session.attendances.get(learner=learner).status == Attendance.Status.PRESENT

    data[f"status_{other_learner.pk}"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert not session.attendances.filter(learner=other_learner).exists()


def test_staff_create_a_programme_and_a_relay_trainer(client, federation):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("training:programme_create", args=["52"]),
        {"name": "Formation des dirigeants de CPTS", "operator": "EHESP"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("training:trainer_create", args=["52"]),
        {"full_name": "Jeanne Boutier", "status": RelayTrainer.Status.IN_TRAINING},
    )
    assert response.status_code == 302
    trainer = RelayTrainer.objects.get(federation=federation, full_name="Jeanne Boutier")
    response = client.post(
        reverse("training:step_create", args=[trainer.pk]),
        {
            "kind": TrainerStep.Kind.VISIO_BREAK,
            "title": "Pause visio",
            "starts_on": "2021-10-06",
            "status": TrainerStep.Status.DONE,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("training:trainers", args=["52"])).text
    assert "Pause visio" in page and "06/10/2021" in page


def test_cohort_page_query_count_does_not_grow_with_learners(
    client, django_assert_max_num_queries, cohort, attended, make_cpts
):
    client.force_login(user_with_role(Role.PARTNER))
    url = cohort.get_absolute_url()
    client.get(url)
    for i in range(5):
        services.learner_create(
            cohort=cohort, full_name=f"Apprenant {i}", cpts=make_cpts(f"CPTS test {i}")
        )
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
