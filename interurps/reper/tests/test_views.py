from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.reper import services
from interurps.reper.models import Assessment, PersonRead, Screening
from tests.factories import user_with_role

from .conftest import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(reper, make_person):
    person = make_person()
    services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(mobility__chair_rise_seconds=15.0),
    )
    return person


def urls(person):
    assessment = person.assessments.get()
    return [
        reverse("reper:person_detail", args=[person.pk]),
        reverse("reper:screening_create", args=[person.pk]),
        reverse("reper:screening_detail", args=[person.screenings.get().pk]),
        reverse("reper:assessment_record", args=[assessment.pk]),
        reverse("reper:person_followers", args=[person.pk]),
        reverse("reper:plan_create", args=[person.pk]),
    ]


def test_follower_and_coordinator_read_the_record_with_its_identity(client, reper, person):
    for user in (reper.kine_user, reper.coordinator):
        client.force_login(user)
        for url in urls(person):
            assert client.get(url).status_code == 200, url
        page = client.get(reverse("reper:person_detail", args=[person.pk])).content.decode()
        assert "Dupontel" in page and "Dr Martinaud" in page


@pytest.mark.parametrize(
    "role",
    [
        Role.FEDERATION_ADMIN,
        Role.FEDERATION_STAFF,
        Role.UNION_MEMBER,
        Role.PARTNER,
        Role.SAS_REGULATOR,
    ],
)
def test_other_roles_never_read_a_person(client, person, role):
    client.force_login(user_with_role(role))
    for url in urls(person):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("reper:person_list", args=["52"])).status_code == 403


def test_a_professional_never_sees_another_professionals_people(client, reper, person):
    client.force_login(reper.other_user)
    for url in urls(person):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("reper:person_list", args=["52"])).content.decode()
    assert person.pseudonym not in listing
    # Once they follow the person, they see them.
    services.follower_add(person=person, professional=reper.other)
    assert client.get(reverse("reper:person_detail", args=[person.pk])).status_code == 200


def test_a_coordinator_of_another_cpts_sees_nothing(client, reper, person):
    from interurps.accounts.services import role_assign
    from interurps.cpts import services as cpts_services
    from tests.factories import UserFactory

    other_cpts = cpts_services.cpts_create(
        region=reper.cpts.region,
        name="Autre CPTS",
        main_department=reper.cpts.main_department,
        by=reper.staff,
        started_on=date(2020, 1, 1),
    )
    user = UserFactory()
    role_assign(user=user, role=Role.CPTS_COORDINATOR, region=reper.cpts.region, cpts=other_cpts)
    client.force_login(user)
    assert client.get(reverse("reper:person_detail", args=[person.pk])).status_code == 404


def test_superuser_reads_without_the_identity(client, django_user_model, person):
    client.force_login(django_user_model.objects.create_superuser(email="root@exemple.fr"))
    page = client.get(reverse("reper:person_detail", args=[person.pk])).content.decode()
    assert person.pseudonym in page and "Dupontel" not in page


def test_each_view_of_the_record_is_logged_and_shown(client, reper, person):
    client.force_login(reper.kine_user)
    url = reverse("reper:person_detail", args=[person.pk])
    before = PersonRead.objects.filter(person=person).count()
    client.get(url)
    assert PersonRead.objects.filter(person=person).count() == before + 1
    read = PersonRead.objects.filter(person=person).latest("pk")
    assert read.user == reper.kine_user and read.what.startswith("fiche")
    client.force_login(reper.coordinator)
    page = client.get(url).content.decode()
    assert "Consultations de la fiche" in page
    assert str(reper.kine_user) in page and str(reper.coordinator) in page
    # A refused visitor leaves no read.
    client.force_login(reper.other_user)
    count = PersonRead.objects.count()
    client.get(url)
    assert PersonRead.objects.count() == count


def test_screening_form_takes_a_decimal_comma_and_opens_assessments(client, reper, make_person):
    person = make_person()
    client.force_login(reper.kine_user)
    url = reverse("reper:screening_create", args=[person.pk])
    form = {
        "words_recalled": "2",
        "chair_rises_completed": "5",
        "chair_rise_seconds": "11,2",
        "appetite_loss": "on",
        "screened_on": "2023-03-01",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    screening = Screening.objects.get(person=person)
    assert screening.answers["mobility"]["chair_rise_seconds"] == 11.2
    assert screening.positive_domains == ["cognition", "nutrition"]
    page = client.get(response["Location"]).content.decode()
    assert "2 domaines positifs" in page
    assert Assessment.objects.filter(person=person, status="to_do").count() == 2


def test_screening_errors_are_shown_next_to_their_field(client, reper, make_person):
    person = make_person()
    client.force_login(reper.kine_user)
    url = reverse("reper:screening_create", args=[person.pk])
    response = client.post(
        url,
        {
            "words_recalled": "4",
            "chair_rises_completed": "5",
            "chair_rise_seconds": "onze",
            "screened_on": "2023-03-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "words_recalled" in errors
    assert "virgule" in errors["chair_rise_seconds"][0]
    assert Screening.objects.count() == 0


def test_person_list_and_create(client, reper):
    client.force_login(reper.kine_user)
    listing = client.get(reverse("reper:person_list", args=["52"]))
    assert listing.status_code == 200
    assert reverse("reper:person_create", args=[reper.cpts.pk]) in listing.content.decode()
    response = client.post(
        reverse("reper:person_create", args=[reper.cpts.pk]),
        {
            "last_name": "Lebreton",
            "first_name": "Marcel",
            "birth_year": "1950",
            "sex": "M",
            "commune": reper.commune.pk,
            "consent_on": "2023-01-05",
            "consent_scope": "follow_up",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    listing = client.get(reverse("reper:person_list", args=["52"])).content.decode()
    assert "Lebreton" in listing


def test_consent_withdrawal_page(client, reper, person):
    client.force_login(reper.kine_user)
    url = reverse("reper:consent_withdraw", args=[person.pk])
    assert client.post(url, {"on": "2023-05-01"}).status_code == 200  # not confirmed
    response = client.post(url, {"on": "2023-05-01", "confirm": "on", "erase_identity": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.identity_erased_on and not person.last_name
    assert set(person.assessments.values_list("status", flat=True)) == {"cancelled"}


def test_step2_page_scores_with_the_rules_module(client, reper, make_person):
    from interurps.analytics import icope

    person = make_person()
    screening = services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(vision__eye_problems=True),
    )
    assessment = screening.assessments.get()
    client.force_login(reper.kine_user)
    url = reverse("reper:assessment_record", args=[assessment.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "tool": "snellen",
            "snellen__right_eye": "3",
            "snellen__left_eye": "0,4",
            "done_on": "2023-03-20",
        },
    )
    assert bad.status_code == 200 and "snellen__right_eye" in bad.context["form"].errors
    response = client.post(
        url,
        {
            "tool": "snellen",
            "snellen__right_eye": "0,2",
            "snellen__left_eye": "0,25",
            "done_on": "2023-03-20",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    expected = icope.STEP2_TOOLS["vision"][0].score({"right_eye": 0.2, "left_eye": 0.25})
    assert assessment.status == "done" and assessment.abnormal == expected.abnormal
    assert assessment.band == expected.band
    assert assessment.details == {"right_eye": 0.2, "left_eye": 0.25}


def test_coordinator_includes_a_person_and_names_the_follower(client, reper):
    client.force_login(reper.coordinator)
    url = reverse("reper:person_create", args=[reper.cpts.pk])
    page = client.get(url)
    assert page.status_code == 200 and "follower" in page.context["form"].fields
    data = {
        "last_name": "Tessier",
        "birth_year": "1944",
        "sex": "F",
        "commune": reper.commune.pk,
        "consent_on": "2023-02-01",
        "consent_scope": "follow_up_evaluation",
    }
    missing = client.post(url, data)
    assert "follower" in missing.context["form"].errors
    assert client.post(url, {**data, "follower": reper.nurse.pk}).status_code == 302
    from interurps.reper.models import Person

    person = Person.objects.get()
    assert [f.professional for f in person.follow_ups.all()] == [reper.nurse]


def test_a_cpts_outside_the_programme_takes_nobody(client, reper):
    from interurps.reper.models import ProgrammeCpts

    ProgrammeCpts.objects.all().delete()
    client.force_login(reper.coordinator)
    assert client.get(reverse("reper:person_create", args=[reper.cpts.pk])).status_code == 404


def test_role_homes_show_reper(client, reper, person):
    client.force_login(reper.kine_user)
    home = client.get("/").content.decode()
    assert "REPER – mes patients" in home
    assert person.pseudonym in home  # due re-screening and overdue assessment (2023)
    assert "Dupontel" not in home
    client.force_login(reper.coordinator)
    home = client.get("/").content.decode()
    assert "REPER – patients de la CPTS" in home and "Repérages à refaire" in home
    client.force_login(reper.staff)
    home = client.get("/").content.decode()
    # the federation's staff read aggregates only: no one's people, no work queue
    assert "REPER – indicateurs" in home
    assert "REPER – mes patients" not in home and "REPER – patients" not in home
    assert "REPER – file de travail" not in home
