from datetime import timedelta

from django.utils import timezone

from interurps.analytics import surveys as rules
from interurps.events import services as event_services
from interurps.surveys.demo import surveys_demo_load
from interurps.surveys.models import Response, Survey


def test_demo_surveys_are_answered_shared_and_idempotent(federation, staff):
    start = timezone.now() - timedelta(days=30)
    seminar = event_services.event_create(
        federation=federation,
        kind="seminaire",
        title="Séminaire",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
    )
    snp, satisfaction = surveys_demo_load(federation=federation, staff_user=staff, event=seminar)
    assert snp.status == satisfaction.status == Survey.Status.PUBLISHED
    assert snp.responses.filter(submitted_at__isnull=False).count() == 100
    assert satisfaction.event == seminar and satisfaction.responses.count() == 40
    assert snp.shared_with_union_members and snp.shared_with_partners.get().kind == "ars"
    # Every stored answer is one the questionnaire accepts, and hidden questions are empty.
    definition = snp.current_version().definition
    for response in snp.responses.all():
        _, shown = rules.visible_keys(definition, response.answers)
        assert set(response.answers) <= shown
    assert surveys_demo_load(federation=federation, staff_user=staff, event=seminar) == [
        snp,
        satisfaction,
    ]
    assert Response.objects.count() == 140
