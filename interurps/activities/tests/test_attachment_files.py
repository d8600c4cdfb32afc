"""Attachment files leave the storage only when the deletion of their meeting commits."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.activities import services
from interurps.activities.models import Meeting, MeetingAttachment, MeetingKind, Project
from interurps.organizations.models import Federation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment():
    federation = Federation.objects.get(region_id="52")
    services.meeting_kinds_ensure(federation=federation)
    staff = user_with_role(Role.FEDERATION_STAFF)
    meeting = services.meeting_create(
        federation=federation,
        by=staff,
        title="Réunion",
        starts_at=datetime(2021, 3, 1, 10, tzinfo=timezone.get_current_timezone()),
        kind=MeetingKind.objects.filter(federation=federation).first(),
        project=Project.SAS,
    )
    return services.attachment_add(
        meeting=meeting,
        uploaded_file=SimpleUploadedFile("compte-rendu.txt", b"Bonjour"),
        by=staff,
    )


def test_a_rolled_back_deletion_keeps_the_file(attachment):
    storage, name = attachment.file.storage, attachment.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        services.meeting_delete(meeting=attachment.meeting)
        raise RuntimeError("échec après la suppression")
    assert Meeting.objects.filter(pk=attachment.meeting_id).exists()
    assert MeetingAttachment.objects.filter(pk=attachment.pk).exists()
    assert storage.exists(name)
    with storage.open(name) as handle:
        assert handle.read() == b"Bonjour"


def test_a_committed_deletion_removes_the_file(attachment, django_capture_on_commit_callbacks):
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_delete(meeting=attachment.meeting)
        assert storage.exists(name)  # still there until the commit
    assert not MeetingAttachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
