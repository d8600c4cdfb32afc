"""The last use of a credential (an API token, a FHIR client), recorded at most once a
minute: a busy client does not turn every request into a write (a plain UPDATE, no audit
entry)."""

from datetime import timedelta

from django.utils import timezone

LAST_USED_RESOLUTION = timedelta(minutes=1)


def record_use(record) -> None:
    """Set `record.last_used_at` to now when it is unset or older than a minute."""
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        type(record).objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
