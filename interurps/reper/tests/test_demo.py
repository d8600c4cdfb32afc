import pytest

from interurps.accounts.models import RoleAssignment
from interurps.demo.loader import demo_load
from interurps.reper import selectors
from interurps.reper.demo import PROGRAMME_CPTS
from interurps.reper.models import (
    Assessment,
    CarePlan,
    FollowUp,
    Person,
    ProgrammeCpts,
    Screening,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        m.objects.count()
        for m in (ProgrammeCpts, Person, FollowUp, Screening, Assessment, CarePlan)
    ]


def test_demo_is_idempotent_and_shows_a_backlog(demo):
    first = snapshot()  # the session's demo, loaded once
    demo_load(region_code="52")
    assert snapshot() == first
    assert sorted(p.cpts.name for p in ProgrammeCpts.objects.all()) == sorted(PROGRAMME_CPTS)
    assert 350 <= Person.objects.count() <= 400
    screenings = Screening.objects.count()
    positive = Screening.objects.filter(positive_count__gt=0).count()
    assert positive / screenings > 0.8  # most step-1 screenings raise an alert
    done = Assessment.objects.filter(status="done").count()
    assert 0 < done < Assessment.objects.count() / 2  # a minority of step 2 done
    assert Assessment.objects.filter(status="to_do").exists()
    assert CarePlan.objects.exists()
    assert not Person.objects.filter(last_name="").exists()
    assert Screening.objects.filter(screened_on__year__in=(2022, 2023)).count() == screenings

    kine = RoleAssignment.objects.get(user__email="kine@demo.interurps.fr").professional
    followed = FollowUp.objects.filter(professional=kine, until__isnull=True).count()
    assert 12 <= followed <= 20
    assert all(
        p.cpts.name == "CPTS du Grand Saumurois"
        for p in Person.objects.filter(follow_ups__professional=kine)
    )
    assert selectors.reminders_for_professional(kine, __import__("datetime").date(2026, 1, 1)).count
