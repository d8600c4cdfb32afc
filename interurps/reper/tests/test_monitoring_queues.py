"""Work queues: contents and order on a hand-made dataset, scopes, the coordinator's
backlog at a glance, assignment of work, access and query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.reper.models import Assessment, FollowUp
from interurps.reper.monitoring import scopes, selectors, services
from interurps.reper.tests import monitoring_data as data
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
A, R, P = selectors.ASSESSMENT, selectors.RESCREENING, selectors.PLAN


def rows(items):
    return [(i.pseudonym, i.kind, i.domains if i.kind == A else ()) for i in items]


@pytest.fixture
def world():
    return data.build_queues(TODAY)


def test_a_professionals_queue_in_priority_order(world):
    """Most positive domains first, then the oldest person, then the longest overdue.
    Bob's nutrition assessment is entrusted to his physician: not the nurse's work.
    Erin withdrew her consent; Gina has nothing waiting; Dave is not followed by P1."""
    items = selectors.queue(
        scopes.people_followed_by(world.p1), today=TODAY, own_professionals={world.p1.pk}
    )
    assert rows(items) == [
        ("R-ALICE", R, ()),  # 3 positive, 86 years, 75 days
        ("R-ALICE", A, ("cognition",)),  # 3 positive, 86 years, 45 days
        ("R-BOB", R, ()),  # 3 positive, 71 years
        ("R-CAROL", P, ()),  # 1 positive, 76 years, 44 days
        ("R-CAROL", R, ()),  # 1 positive, 76 years, 14 days
    ]
    alice_assessment = items[1]
    assert (alice_assessment.positive_count, alice_assessment.age) == (3, 86)
    assert alice_assessment.days_overdue == 45
    assert alice_assessment.due_on == TODAY - dt.timedelta(days=45)
    assert alice_assessment.professional_name == selectors.NOBODY
    plan = items[3]
    assert plan.days_overdue == 134 - 90
    assert plan.professional_id == world.p1.pk


def test_a_coordinators_backlog_holds_the_whole_cpts(world):
    items = selectors.queue(scopes.people_of_cpts(world.cpts_a), today=TODAY)
    assert rows(items) == [
        ("R-ALICE", R, ()),
        ("R-ALICE", A, ("cognition",)),
        ("R-BOB", R, ()),  # 26 days
        ("R-BOB", A, ("nutrition",)),  # 14 days
        ("R-DAVE", A, ("hearing",)),  # 2 positive, 81 years, 134 days
        ("R-DAVE", R, ()),  # 106 days
        ("R-CAROL", P, ()),
        ("R-CAROL", R, ()),
    ]
    glance = selectors.backlog(items)
    assert glance.total == 8
    assert [(k, n) for k, _, n in glance.by_kind] == [(A, 3), (R, 4), (P, 1)]
    # A re-screening counts in each domain positive at the last screening.
    assert dict((d, n) for d, _, n in glance.by_domain) == {
        "cognition": 2,  # Alice's assessment and re-screening
        "mobility": 1,
        "nutrition": 2,
        "vision": 2,
        "hearing": 3,
        "mood": 2,  # Alice's and Dave's re-screenings
    }
    by_professional = {name: n for _, name, n in glance.by_professional}
    assert by_professional == {
        str(world.p1): 3,  # Alice's and Carol's re-screenings, Carol's plan
        str(world.p2): 3,  # Bob's re-screening and assessment, Dave's re-screening
        selectors.NOBODY: 2,  # Alice's and Dave's assessments
    }
    assert [(i.pseudonym, i.kind) for i in glance.oldest[:2]] == [("R-DAVE", A), ("R-DAVE", R)]


def test_filters_per_kind_domain_and_professional(world):
    items = selectors.queue(scopes.people_of_cpts(world.cpts_a), today=TODAY)
    assert [i.pseudonym for i in selectors.filter_items(items, kind=A)] == [
        "R-ALICE",
        "R-BOB",
        "R-DAVE",
    ]
    assert rows(selectors.filter_items(items, domain="hearing")) == [
        ("R-BOB", R, ()),
        ("R-DAVE", A, ("hearing",)),
        ("R-DAVE", R, ()),
    ]
    assert rows(selectors.filter_items(items, professional="none")) == [
        ("R-ALICE", A, ("cognition",)),
        ("R-DAVE", A, ("hearing",)),
    ]
    assert {i.pseudonym for i in selectors.filter_items(items, professional=world.p2.pk)} == {
        "R-BOB",
        "R-DAVE",
    }


def test_a_professional_never_sees_another_professionals_people(world):
    seen = {
        p: {i.pseudonym for i in selectors.queue(scopes.people_followed_by(p), today=TODAY)}
        for p in (world.p1, world.p2, world.p3)
    }
    assert seen[world.p1] == {"R-ALICE", "R-BOB", "R-CAROL"}
    assert seen[world.p2] == {"R-BOB", "R-DAVE"}
    assert seen[world.p3] == {"R-FRANK"}


def test_a_closed_follow_up_closes_the_scope(world):
    FollowUp.objects.filter(person=world.people["carol"]).update(until=TODAY)
    items = selectors.queue(scopes.people_followed_by(world.p1), today=TODAY)
    assert "R-CAROL" not in {i.pseudonym for i in items}


def test_rescreening_interval_is_a_setting(world, settings):
    settings.REPER_RESCREEN_MONTHS = 12
    items = selectors.queue(scopes.people_of_cpts(world.cpts_a), today=TODAY)
    assert not [i for i in items if i.kind == R]


def test_plan_review_delay_is_a_setting(world, settings):
    settings.REPER_PLAN_REVIEW_DAYS = 200
    items = selectors.queue(scopes.people_of_cpts(world.cpts_a), today=TODAY)
    assert not [i for i in items if i.kind == P]


@pytest.mark.parametrize(
    ("months", "review_days", "day"),
    [(6, 90, TODAY), (12, 90, TODAY), (6, 200, TODAY), (6, 90, TODAY + dt.timedelta(days=40))],
)
def test_the_coordinators_counts_are_the_backlogs(world, settings, months, review_days, day):
    """The home counts the backlog without building it: the same numbers, whatever the
    settings and the day."""
    settings.REPER_RESCREEN_MONTHS = months
    settings.REPER_PLAN_REVIEW_DAYS = review_days
    items = selectors.queue(scopes.people_of_cpts(world.cpts_a), today=day)
    kinds = [i.kind for i in items]
    expected = {"total": len(items), A: kinds.count(A), R: kinds.count(R), P: kinds.count(P)}
    assert selectors.cpts_waiting_counts(world.cpts_a, day) == expected


def test_rescreening_due_exactly_at_six_months():
    day = dt.date(2025, 12, 15)
    world = data.build_queues(TODAY)
    person = data.make_person("R-EXACT", world.cpts_a, age=70, today=TODAY)
    data.screen(person, world.p1, day)
    due = lambda today: [  # noqa: E731
        i
        for i in selectors.queue(scopes.people_of_cpts(world.cpts_a), today=today)
        if i.pseudonym == "R-EXACT"
    ]
    assert due(dt.date(2026, 6, 14)) == []
    (item,) = due(dt.date(2026, 6, 15))
    assert (item.due_on, item.days_overdue) == (dt.date(2026, 6, 15), 0)


# --- pages --------------------------------------------------------------------------------


@pytest.fixture
def live():
    from django.utils import timezone

    return data.build_queues(timezone.localdate())


def page(client, user, url, **kw):
    client.force_login(user)
    return client.get(url, kw)


def test_my_queue_page_shows_pseudonyms_never_identities(client, live):
    user = data.professional_user(live.p1)
    response = page(client, user, reverse("reper:my_queue", args=["52"]))
    assert response.status_code == 200
    text = response.text
    for pseudonym in ("R-ALICE", "R-BOB", "R-CAROL"):
        assert pseudonym in text
    for other in ("R-DAVE", "R-FRANK", "R-ERIN", "R-GINA"):
        assert other not in text
    assert "Nom-R-ALICE" not in text and "Prénom-R-ALICE" not in text
    assert response.context["summary"].total == 5


def test_my_queue_is_refused_without_a_scope_and_in_another_region(client, live):
    user = data.professional_user(live.p1)
    assert page(client, user, reverse("reper:my_queue", args=["11"])).status_code == 403
    for role in (Role.HEALTH_PROFESSIONAL, Role.FEDERATION_STAFF, Role.PARTNER, Role.SAS_REGULATOR):
        # a professional's role without a registry record has nobody to follow
        other = user_with_role(role)
        assert page(client, other, reverse("reper:my_queue", args=["52"])).status_code == 403


def test_coordinator_backlog_page(client, live):
    user = data.coordinator_user(live.cpts_a)
    url = reverse("reper:cpts_backlog", args=[live.cpts_a.pk])
    response = page(client, user, url)
    assert response.status_code == 200
    assert response.context["summary"].total == 8
    assert "R-FRANK" not in response.text
    filtered = page(client, user, url, type=A, domaine="hearing")
    assert [i.pseudonym for i in filtered.context["page"].object_list] == ["R-DAVE"]
    # The coordinator's own queue is their CPTS's.
    mine = page(client, user, reverse("reper:my_queue", args=["52"]))
    assert mine.context["summary"].total == 8


def test_backlog_is_the_coordinators_only(client, live):
    url = reverse("reper:cpts_backlog", args=[live.cpts_a.pk])
    refused = [
        data.professional_user(live.p1),  # follows people of the CPTS, dispatches nothing
        data.coordinator_user(live.cpts_b),
        user_with_role(Role.FEDERATION_ADMIN),
        user_with_role(Role.PARTNER),
        user_with_role(Role.SAS_REGULATOR),
    ]
    for user in refused:
        assert page(client, user, url).status_code == 403


def test_the_coordinator_home_counts_the_backlog(client, live):
    user = data.coordinator_user(live.cpts_a)
    client.force_login(user)
    response = client.get(reverse("home:home"))
    assert response.context["reper_waiting"] == {"total": 8, A: 3, R: 4, P: 1}
    assert "8\u00a0éléments en attente" in response.text


# --- assignment ---------------------------------------------------------------------------


def test_coordinator_entrusts_an_assessment_to_a_professional_of_the_cpts(client, live):
    coordinator = data.coordinator_user(live.cpts_a)
    client.force_login(coordinator)
    assessment = live.records["alice_cognition"]
    url = reverse("reper:assessment_assign", args=[assessment.pk])
    back = reverse("reper:cpts_backlog", args=[live.cpts_a.pk]) + "?type=evaluation"
    response = client.post(url, {"professional": live.p2.pk, "next": back})
    assert response.status_code == 302 and response.url == back
    assessment.refresh_from_db()
    assert assessment.assigned_to == live.p2
    # P2 now follows Alice, so may open her record and sees the work in their queue.
    assert FollowUp.objects.filter(
        person=live.people["alice"], professional=live.p2, until__isnull=True
    ).exists()
    p2_queue = selectors.queue(scopes.people_followed_by(live.p2), own_professionals={live.p2.pk})
    assert ("R-ALICE", A) in {(i.pseudonym, i.kind) for i in p2_queue}
    # ...and it leaves the nurse's own queue.
    p1_queue = selectors.queue(scopes.people_followed_by(live.p1), own_professionals={live.p1.pk})
    assert ("R-ALICE", A) not in {(i.pseudonym, i.kind) for i in p1_queue}
    # Back to nobody.
    client.post(url, {"professional": ""})
    assessment.refresh_from_db()
    assert assessment.assigned_to is None


def test_assignment_stays_within_the_cpts(client, live):
    coordinator = data.coordinator_user(live.cpts_a)
    client.force_login(coordinator)
    assessment = live.records["alice_cognition"]
    response = client.post(
        reverse("reper:assessment_assign", args=[assessment.pk]),
        {"professional": live.p3.pk},  # practises in CPTS B, follows nobody of A
        follow=True,
    )
    assert response.status_code == 200
    assert "pas de la CPTS" in response.text
    assessment.refresh_from_db()
    assert assessment.assigned_to is None
    assert not FollowUp.objects.filter(professional=live.p3, person=live.people["alice"]).exists()
    # An external "next" is ignored.
    response = client.post(
        reverse("reper:assessment_assign", args=[assessment.pk]),
        {"professional": live.p1.pk, "next": "https://ailleurs.example/"},
    )
    assert response.url == reverse("reper:cpts_backlog", args=[live.cpts_a.pk])


def test_only_the_cpts_coordinator_assigns(client, live):
    assessment = live.records["alice_cognition"]
    url = reverse("reper:assessment_assign", args=[assessment.pk])
    for user in (
        data.professional_user(live.p1),  # follows Alice: still cannot dispatch work
        data.coordinator_user(live.cpts_b),
        user_with_role(Role.FEDERATION_ADMIN),
        user_with_role(Role.PARTNER),
    ):
        client.force_login(user)
        assert client.post(url, {"professional": live.p1.pk}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.assigned_to is None
    client.force_login(data.coordinator_user(live.cpts_a))
    assert client.get(url).status_code == 405


def test_a_done_assessment_cannot_be_assigned(live):
    assessment = live.records["alice_cognition"]
    Assessment.objects.filter(pk=assessment.pk).update(status="done")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assessment_assign(assessment=assessment, professional=live.p1)


# --- query counts --------------------------------------------------------------------------


def _more_people(world, count, today):
    for n in range(count):
        person = data.make_person(
            f"R-X{n:04d}", world.cpts_a, age=60 + n % 30, today=today, followed_by=[world.p1]
        )
        s = data.screen(person, world.p1, today - dt.timedelta(days=200 + n), ("mobility",))
        data.assess(s, "mobility", due_on=today - dt.timedelta(days=n + 1))


@pytest.mark.parametrize("extra", [0, 40])
def test_queue_pages_run_a_bounded_number_of_queries(
    client, live, extra, django_assert_max_num_queries
):
    from django.utils import timezone

    _more_people(live, extra, timezone.localdate())
    coordinator = data.coordinator_user(live.cpts_a)
    nurse = data.professional_user(live.p1)
    client.force_login(coordinator)
    url = reverse("reper:cpts_backlog", args=[live.cpts_a.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.context["summary"].total == 8 + 2 * extra
    client.force_login(nurse)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reper:my_queue", args=["52"]))
    assert response.context["summary"].total == 5 + 2 * extra
