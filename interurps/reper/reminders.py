"""The reminders e-mailed to health professionals: their due re-screenings and overdue
step-2 assessments, with pseudonyms only (never a name or any identity in an e-mail)."""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from interurps.accounts.models import Role, RoleAssignment
from interurps.reper import selectors

logger = logging.getLogger(__name__)


@dataclass
class Digest:
    email: str
    professional: object
    reminders: selectors.Reminders
    body: str


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def digests(today: date) -> list[Digest]:
    """One digest per account of a health professional who has something waiting."""
    assignments = (
        RoleAssignment.objects.filter(
            role=Role.HEALTH_PROFESSIONAL, professional__isnull=False, user__is_active=True
        )
        .select_related("user", "professional", "region")
        .order_by("professional_id", "user__email")
    )
    result, seen, cache = [], set(), {}
    for assignment in assignments:
        key = (assignment.professional_id, assignment.user.email)
        if key in seen:
            continue
        seen.add(key)
        reminders = cache.get(assignment.professional_id)
        if reminders is None:
            reminders = selectors.reminders_for_professional(assignment.professional, today)
            cache[assignment.professional_id] = reminders
        if not reminders.count:
            continue
        body = render_to_string(
            "reper/email/reminders.txt",
            {
                "today": today,
                "screenings": [
                    (
                        person.pseudonym,
                        due,
                        _absolute(reverse("reper:person_detail", args=[person.pk])),
                    )
                    for person, due in reminders.due_screenings
                ],
                "assessments": [
                    (
                        a.person.pseudonym,
                        a.get_domain_display(),
                        a.due_on,
                        _absolute(reverse("reper:assessment_record", args=[a.pk])),
                    )
                    for a in reminders.overdue_assessments
                ],
                "list_url": _absolute(reverse("reper:person_list", args=[assignment.region_id])),
            },
        )
        result.append(Digest(assignment.user.email, assignment.professional, reminders, body))
    return result


def send_digests(found: list[Digest]) -> int:
    connection = get_connection()
    messages = [
        EmailMessage(
            subject=f"REPER : {len(d.reminders.due_screenings)} repérage(s) à refaire, "
            f"{len(d.reminders.overdue_assessments)} évaluation(s) en retard",
            body=d.body,
            to=[d.email],
            connection=connection,
        )
        for d in found
    ]
    sent = connection.send_messages(messages) or 0
    logger.info("reper reminders sent emails=%d", sent)
    return sent
