from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.training import selectors
from interurps.training.demo import COHORT_SIZE, training_demo_load
from interurps.training.models import (
    Attendance,
    Learner,
    Module,
    Programme,
    RelayTrainer,
    Session,
    TrainerStep,
)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def snapshot(federation):
    return [
        Programme.objects.filter(federation=federation).count(),
        Module.objects.filter(programme__federation=federation).count(),
        Learner.objects.filter(cohort__programme__federation=federation).count(),
        Session.objects.filter(cohort__programme__federation=federation).count(),
        Attendance.objects.filter(session__cohort__programme__federation=federation).count(),
        RelayTrainer.objects.filter(federation=federation).count(),
        TrainerStep.objects.filter(trainer__federation=federation).count(),
    ]


def test_demo_is_idempotent_and_follows_the_report(client, federation, make_cpts):
    retz = make_cpts("CPTS Pays de Retz")
    cohort = training_demo_load(federation=federation)
    first = snapshot(federation)
    training_demo_load(federation=federation)
    assert snapshot(federation) == first

    assert cohort.learners.count() == COHORT_SIZE == 12
    # Only the CPTS that exist are linked.
    assert list(cohort.learners.exclude(cpts=None).values_list("cpts", flat=True)) == [retz.pk]
    modules = list(cohort.programme.modules.values_list("title", flat=True))
    assert modules == ["Gestion de la structure", "Prise de fonction", "Projet de santé"]
    days = sorted({s.starts_on for s in cohort.sessions.all()})
    assert days == [
        date(2021, 4, 23),
        date(2021, 6, 2),
        date(2021, 6, 3),
        date(2021, 8, 31),
        date(2021, 9, 1),
        date(2021, 11, 8),
        date(2021, 11, 9),
    ]
    assert selectors.sessions_count(federation, 2021) == 7
    assert selectors.learners_count(federation, 2021) == 12
    summary = selectors.cohort_completion(cohort)
    assert 0 < summary.completed < summary.learners

    trainers = {t.full_name: t for t in RelayTrainer.objects.filter(federation=federation)}
    assert set(trainers) == {"Anne-Laure Le Ny", "Dr Jean-François Moreul", "Jeanne Boutier"}
    le_ny_days = set(trainers["Anne-Laure Le Ny"].steps.values_list("starts_on", flat=True))
    assert {date(2021, 4, 1), date(2021, 9, 16), date(2021, 11, 25), date(2021, 12, 16)} <= (
        le_ny_days
    )

    client.force_login(user_with_role(Role.PARTNER))
    assert client.get(cohort.get_absolute_url()).status_code == 200
    page = client.get(reverse("training:trainers", args=["52"])).text
    assert "Webinaire module pédagogique EHESP" in page
