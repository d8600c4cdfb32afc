"""Sending survey invitations and reminders by e-mail, without blocking a page.

`send_invitations` does the work, one message per person, each claimed by a conditional
UPDATE before it is sent: an invitation is never sent twice (two runs at once, or a run
repeated, skip what another already claimed); a reminder goes only to people invited who
have not sent their answers, at most once per `REMINDER_INTERVAL`. Addresses that
unsubscribed are skipped. It reports its progress to a callback.

From a page, `send_request_start` records a `SendRequest` and, once the transaction is
committed, queues `run_send_request(pk)` on the application's task queue (django-tasks:
`interurps.surveys.tasks`, run by the background jobs' workers, `manage.py jobs_worker`).
The management command `survey_send_invitations` runs the requests still waiting (a queue
emptied by hand, no worker running) or sends for one survey.
"""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interurps.surveys.models import Invitation, SendRequest, Survey, Unsubscribe

logger = logging.getLogger(__name__)
REMINDER_INTERVAL = timedelta(days=2)

Progress = Callable[[int, int], None]


@dataclass
class SendCounts:
    sent: int = 0
    already_sent: int = 0  # invitations sent before (or claimed by another run)
    no_email: int = 0
    unsubscribed: int = 0
    answered: int = 0  # reminders not sent: the person already answered
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _message(invitation: Invitation, *, reminder: bool) -> EmailMessage:
    survey = invitation.survey
    context = {
        "invitation": invitation,
        "survey": survey,
        "federation": survey.federation,
        "reminder": reminder,
        "answer_url": _absolute(invitation.get_answer_url()),
        "unsubscribe_url": _absolute(reverse("surveys:unsubscribe", args=[invitation.token])),
        "closes_at": timezone.localtime(survey.closes_at) if survey.closes_at else None,
    }
    subject = ("Relance : " if reminder else "") + f"enquête « {survey.title} »"
    message = EmailMessage(
        subject=subject,
        body=render_to_string("surveys/email/invitation.txt", context),
        to=[invitation.email],
        reply_to=[survey.federation.email] if survey.federation.email else None,
    )
    message.extra_headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    return message


def send_invitations(
    survey: Survey,
    *,
    reminders: bool = False,
    progress: Progress | None = None,
    now=None,
) -> SendCounts:
    """Send the survey's invitations (or, with `reminders`, remind those who have not
    answered); returns what was sent and skipped. Idempotent per token: an invitation is
    claimed (`sent_at`, or the reminder count) by a conditional UPDATE before its message
    goes, and released if sending fails: invitations already sent are never sent again (a
    reminder is the way to write to someone a second time)."""
    now = now or timezone.now()
    counts = SendCounts()
    unsubscribed = {
        e.lower()
        for e in Unsubscribe.objects.filter(federation=survey.federation).values_list(
            "email", flat=True
        )
    }
    invitations = survey.invitations.select_related("survey", "survey__federation", "response")
    if reminders:
        invitations = invitations.filter(sent_at__isnull=False)
    ids = list(invitations.order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    if progress:
        progress(0, total)
    with get_connection() as mail:
        for done, pk in enumerate(ids, start=1):
            invitation = invitations.get(pk=pk)
            outcome = _send_one(
                invitation, reminders=reminders, now=now, unsubscribed=unsubscribed, mail=mail
            )
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            if progress:
                progress(done, total)
    return counts


def _send_one(invitation, *, reminders, now, unsubscribed, mail) -> str:
    if not invitation.email:
        return "no_email"
    if invitation.unsubscribed_at or invitation.email.lower() in unsubscribed:
        return "unsubscribed"
    rows = Invitation.objects.filter(pk=invitation.pk)
    if reminders:
        if hasattr(invitation, "response") and invitation.response.submitted_at:
            return "answered"
        claimed = rows.filter(
            Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL),
            reminder_count=invitation.reminder_count,
        ).update(reminder_count=F("reminder_count") + 1, last_reminded_at=now)
        if not claimed:
            return "already_sent"
    elif not rows.filter(sent_at__isnull=True).update(sent_at=now):
        return "already_sent"
    try:
        mail.send_messages([_message(invitation, reminder=reminders)])
    except Exception:  # any transport error: release the claim, count it, go on
        logger.exception("survey e-mail failed invitation=%d", invitation.pk)
        if reminders:
            rows.update(
                reminder_count=invitation.reminder_count,
                last_reminded_at=invitation.last_reminded_at,
            )
        else:
            rows.update(sent_at=None)
        return "failed"
    return "sent"


# --- requests from the page -------------------------------------------------------------


def send_request_start(*, survey: Survey, kind: str, by=None) -> SendRequest:
    """Record a sending asked from the survey's page and start it in the background once
    the transaction is committed (see the module docstring)."""
    if kind not in SendRequest.Kind.values:
        raise ValueError(kind)
    request = SendRequest.objects.create(survey=survey, kind=kind, requested_by=by)
    transaction.on_commit(lambda: _enqueue(request.pk))
    return request


def _enqueue(pk: int) -> None:
    from interurps.surveys import tasks  # the task module imports this one

    tasks.run_send_request.enqueue(pk)


def run_send_request(pk: int) -> SendCounts | None:
    """Run one waiting send request (the entry point for a job framework): claims it,
    sends with progress recorded on it, records the counts. None when another run has
    already taken it."""
    now = timezone.now()
    if not SendRequest.objects.filter(pk=pk, started_at__isnull=True).update(started_at=now):
        return None
    request = SendRequest.objects.select_related("survey", "survey__federation").get(pk=pk)

    def progress(done: int, total: int) -> None:
        if done == 0 or done == total or done % 20 == 0:
            SendRequest.objects.filter(pk=pk).update(done=done, total=total)

    counts = send_invitations(
        request.survey,
        reminders=request.kind == SendRequest.Kind.REMINDERS,
        progress=progress,
    )
    SendRequest.objects.filter(pk=pk).update(finished_at=timezone.now(), counts=counts.as_dict())
    return counts


def pending_requests() -> list[int]:
    return list(
        SendRequest.objects.filter(started_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
