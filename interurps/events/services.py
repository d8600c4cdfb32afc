"""Writes for events, their programme, speakers and registrations.

Every write validates the record (`full_clean`) inside one transaction. Registrations
follow the event's capacity: beyond it they go on the waiting list, and a confirmed
registration that is cancelled gives its place to the first person waiting (first come,
first served), who is told by e-mail once the transaction is committed.

Services that depend on the current time take an optional `now`, so that the demo can
replay a past year and tests can pin the clock.
"""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interurps.events import selectors
from interurps.events.models import Event, ProgrammeItem, Registration, Speaker

EVENT_FIELDS = (
    "kind",
    "title",
    "topic",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "video_link",
    "audience",
    "capacity",
    "duration_hours",
    "registration_open",
    "survey_url",
)
PROGRAMME_ITEM_FIELDS = ("order", "kind", "title", "starts_at", "ends_at", "description")
SPEAKER_FIELDS = ("order", "full_name", "organisation", "role")
REGISTRATION_FIELDS = ("full_name", "email", "organisation", "profession", "user", "cpts")


def _save(record):
    record.full_clean()
    record.save()
    return record


def _update(record, data: dict, fields: tuple[str, ...]):
    for name in fields:
        if name in data:
            setattr(record, name, data[name])
    return _save(record)


def _locked(event: Event) -> Event:
    """The event row, locked until the end of the transaction (capacity is checked on it).

    On PostgreSQL the row lock makes concurrent registrations wait for each other. SQLite
    ignores it, but every transaction there is IMMEDIATE (settings): it holds the database's
    write lock from its start, so the capacity read and the write cannot interleave either.
    """
    return Event.objects.select_for_update().select_related("federation").get(pk=event.pk)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- events ----------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *, federation, kind: str, title: str, starts_at: datetime, ends_at: datetime, **fields
) -> Event:
    return _save(
        Event(
            federation=federation,
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            **fields,
        )
    )


@transaction.atomic
def event_update(*, event: Event, data: dict) -> Event:
    """Update the event. Capacity cannot drop below the confirmed registrations; when it
    rises, people on the waiting list take the new places in their order of arrival."""
    _locked(event)
    _update(event, data, EVENT_FIELDS)
    confirmed = selectors.confirmed_count(event)
    if event.capacity is not None and event.capacity < confirmed:
        raise ValidationError(
            {
                "capacity": f"{confirmed} personnes sont déjà inscrites : la capacité ne peut "
                "être inférieure. Annulez d'abord des inscriptions."
            }
        )
    _promote_waiting_list(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel a planned event. Registrants are not written to automatically: use the
    e-mail form to tell them."""
    event = _locked(event)
    if event.status != Event.Status.PLANNED:
        raise ValidationError("Seul un événement prévu peut être annulé.")
    event.status = Event.Status.CANCELLED
    event.registration_open = False
    return _save(event)


@transaction.atomic
def event_mark_held(*, event: Event, now: datetime | None = None) -> Event:
    event = _locked(event)
    if event.status != Event.Status.PLANNED:
        raise ValidationError("Seul un événement prévu peut être déclaré tenu.")
    if event.starts_at > (now or timezone.now()):
        raise ValidationError("Un événement ne peut être déclaré tenu avant d'avoir commencé.")
    event.status = Event.Status.HELD
    return _save(event)


# --- programme and speakers -----------------------------------------------------------


@transaction.atomic
def programme_item_create(
    *, event: Event, title: str, order: int | None = None, **fields
) -> ProgrammeItem:
    if order is None:
        last = event.programme.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    return _save(ProgrammeItem(event=event, title=title.strip(), order=order, **fields))


@transaction.atomic
def programme_item_update(*, item: ProgrammeItem, data: dict) -> ProgrammeItem:
    return _update(item, data, PROGRAMME_ITEM_FIELDS)


@transaction.atomic
def programme_item_delete(*, item: ProgrammeItem) -> None:
    item.delete()


@transaction.atomic
def speaker_create(
    *, programme_item: ProgrammeItem, full_name: str, order: int | None = None, **fields
) -> Speaker:
    if order is None:
        last = programme_item.speakers.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    return _save(
        Speaker(programme_item=programme_item, full_name=full_name.strip(), order=order, **fields)
    )


@transaction.atomic
def speaker_update(*, speaker: Speaker, data: dict) -> Speaker:
    return _update(speaker, data, SPEAKER_FIELDS)


@transaction.atomic
def speaker_delete(*, speaker: Speaker) -> None:
    speaker.delete()


# --- registrations --------------------------------------------------------------------


def _check_open(event: Event, *, public: bool, now: datetime) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("Cet événement est annulé : les inscriptions sont fermées.")
    if event.ends_at <= now or event.status == Event.Status.HELD:
        raise ValidationError("Cet événement est passé : il n'est plus possible de s'inscrire.")
    if public and event.starts_at <= now:
        raise ValidationError(
            "Cet événement a commencé : les inscriptions en ligne sont closes. "
            "Adressez-vous à l'équipe organisatrice."
        )
    if public and not event.registration_open:
        raise ValidationError("Les inscriptions à cet événement sont closes.")


def check_public_registration_open(event: Event, now: datetime | None = None) -> None:
    """Raise the reason why the public link does not take registrations, if it does not."""
    _check_open(event, public=True, now=now or timezone.now())


@transaction.atomic
def registration_create(
    *,
    event: Event,
    full_name: str,
    email: str,
    public: bool = False,
    now: datetime | None = None,
    **fields,
) -> Registration:
    """Register someone, as confirmed while places remain, else on the waiting list.

    Refused when the event is cancelled or over, and when the address already holds a
    registration (confirmed or waiting) to the event. Through the public link
    (`public=True`) registration also requires the event not to have started and its
    registrations to be open; staff may still add someone when online registration is
    closed, or on the day (walk-ins), until the event ends.
    """
    now = now or timezone.now()
    event = _locked(event)
    _check_open(event, public=public, now=now)
    email = email.strip().lower()
    if selectors.active_registrations(event).filter(email__iexact=email).exists():
        raise ValidationError({"email": "Cette adresse est déjà inscrite à l'événement."})
    full = event.capacity is not None and selectors.confirmed_count(event) >= event.capacity
    registration = Registration(
        event=event,
        full_name=full_name.strip(),
        email=email,
        status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
        via_public_link=public,
        registered_at=now,
        **fields,
    )
    return _save(registration)


@transaction.atomic
def registration_update(*, registration: Registration, data: dict) -> Registration:
    email = data.get("email", registration.email).strip().lower()
    others = selectors.active_registrations(registration.event).exclude(pk=registration.pk)
    if (
        registration.status != Registration.Status.CANCELLED
        and others.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": "Cette adresse est déjà inscrite à l'événement."})
    return _update(registration, {**data, "email": email}, REGISTRATION_FIELDS)


@transaction.atomic
def registration_cancel(
    *, registration: Registration, now: datetime | None = None
) -> list[Registration]:
    """Cancel a registration; returns the people promoted from the waiting list.

    A registration whose attendance is recorded cannot be cancelled. When a confirmed
    place is freed, the first person on the waiting list (earliest registration) takes
    it and receives an e-mail.
    """
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError("Cette inscription est déjà annulée.")
    if registration.attended:
        raise ValidationError(
            "La présence de cette personne est enregistrée : annulez d'abord le pointage."
        )
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now or timezone.now()
    _save(registration)
    return _promote_waiting_list(event)


def _promote_waiting_list(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served, and tell them.

    Only while the event is planned and not over: no one is told of a place at an event
    that is cancelled or past.
    """
    if event.status != Event.Status.PLANNED or event.ends_at <= timezone.now():
        return []
    waiting = selectors.waiting_list(event)
    if event.capacity is not None:
        free = max(event.capacity - selectors.confirmed_count(event), 0)
        waiting = waiting[:free]
    promoted = []
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        _save(registration)
        promoted.append(registration)
        transaction.on_commit(lambda r=registration: _send_promotion_email(r), robust=True)
    return promoted


def _send_promotion_email(registration: Registration) -> None:
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "public_url": _absolute(event.get_public_url()),
        "cancel_url": registration_cancel_url(registration),
    }
    send_mail(
        subject=f"Une place s'est libérée : vous êtes inscrit·e à « {event.title} »",
        message=render_to_string("events/email/promotion.txt", context),
        from_email=None,
        recipient_list=[registration.email],
    )


def _check_check_in(registration: Registration, now: datetime) -> None:
    event = registration.event
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("Cet événement est annulé.")
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            "Seule une inscription confirmée peut être pointée "
            f"({registration.full_name} : {registration.get_status_display().lower()})."
        )
    if timezone.localtime(now).date() < event.starts_on:
        raise ValidationError(
            f"Les présences se pointent à partir du jour de l'événement "
            f"({event.starts_on:%d/%m/%Y})."
        )


@transaction.atomic
def registration_check_in(
    *, registration: Registration, now: datetime | None = None
) -> Registration:
    """Record that a confirmed registrant attended, from the event's (local) day on.

    The first check-in gives the registration its certificate number, sequential within
    the event ("2021-0012-003"); it is kept if the check-in is undone and redone.
    """
    now = now or timezone.now()
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_check_in(registration, now)
    if registration.attended:
        return registration
    registration.attended = True
    registration.checked_in_at = now
    if not registration.certificate_number:
        numbered = event.registrations.exclude(certificate_number="").count()
        registration.certificate_number = f"{event.starts_on:%Y}-{event.pk:04d}-{numbered + 1:03d}"
    return _save(registration)


@transaction.atomic
def registration_check_in_undo(*, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.attended = False
    registration.checked_in_at = None
    return _save(registration)


def certificate_check(registration: Registration) -> None:
    """A certificate of attendance exists only for a registrant whose presence is recorded."""
    if not registration.attended or registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            "Aucune présence n'est enregistrée pour cette inscription : pas d'attestation."
        )


# --- e-mail to registrants ------------------------------------------------------------


def event_email_registrants(
    *,
    event: Event,
    subject: str,
    body: str,
    include_waiting_list: bool = False,
    reply_to="",
    progress=None,
) -> int:
    """Send one e-mail per registrant (confirmed, and optionally waiting); returns the count.

    Each message is addressed to one person only, so that no one sees the others'
    addresses. `progress` wraps the messages as they are sent (as tqdm does: the
    background job reports through it).
    """
    subject, body = subject.strip(), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = "Indiquez l'objet du message."
    if not body:
        errors["body"] = "Rédigez le message."
    if errors:
        raise ValidationError(errors)
    statuses = [Registration.Status.CONFIRMED]
    if include_waiting_list:
        statuses.append(Registration.Status.WAITING)
    recipients = list(
        event.registrations.filter(status__in=statuses).values_list("email", flat=True)
    )
    if not recipients:
        raise ValidationError("Aucune personne inscrite n'est à prévenir.")
    messages = [
        EmailMessage(
            subject=subject,
            body=body,
            to=[email],
            reply_to=[reply_to] if reply_to else None,
        )
        for email in recipients
    ]
    progress = progress or (lambda iterable, **kwargs: iterable)
    sent = 0
    with get_connection() as connection:
        for message in progress(messages, desc="Envoi des messages", unit=" message"):
            sent += connection.send_messages([message]) or 0
    return sent


# --- confirmation e-mail and cancellation by the registrant ----------------------------

CANCEL_TOKEN_SALT = "interurps.events.registration-cancel"


def registration_cancel_token(registration: Registration) -> str:
    """A signed token naming the registration and its address, for the registrant's own
    cancellation link. It cannot be forged without SECRET_KEY; it stops working once the
    registration is cancelled or its address changed."""
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=CANCEL_TOKEN_SALT)


def registration_from_cancel_token(token: str) -> Registration:
    """The registration a cancellation link names, or a ValidationError saying why not."""
    invalid = ValidationError(
        "Ce lien d'annulation n'est pas valide. Utilisez le lien reçu par courriel, en entier."
    )
    try:
        data = signing.loads(token, salt=CANCEL_TOKEN_SALT)
    except signing.BadSignature as error:
        raise invalid from error
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise invalid
    registration = (
        Registration.objects.select_related("event", "event__federation")
        .filter(pk=data["r"], email=data.get("e"))
        .first()
    )
    if registration is None:
        raise invalid
    return registration


def registration_cancel_url(registration: Registration) -> str:
    return _absolute(
        reverse("events:registration_self_cancel", args=[registration_cancel_token(registration)])
    )


def send_registration_confirmation(registration: Registration) -> None:
    """Tell the registrant they are registered (or waiting), with their cancellation link,
    and the event's calendar file (.ics) when their place is confirmed."""
    from interurps.events import exports

    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED
    context = {
        "registration": registration,
        "event": event,
        "confirmed": confirmed,
        "position": selectors.waiting_position(registration),
        "public_url": _absolute(event.get_public_url()),
        "cancel_url": registration_cancel_url(registration),
    }
    subject = (
        f"Inscription confirmée : « {event.title} »"
        if confirmed
        else f"Liste d'attente : « {event.title} »"
    )
    message = EmailMessage(
        subject=subject,
        body=render_to_string("events/email/confirmation.txt", context),
        to=[registration.email],
        reply_to=[event.federation.email] if event.federation.email else None,
    )
    if confirmed:
        message.attach(
            f"evenement-{event.pk}.ics",
            exports.event_ics(event, url=_absolute(event.get_public_url())),
            "text/calendar",
        )
    message.send()


@transaction.atomic
def registration_create_and_confirm(*, event: Event, **fields) -> Registration:
    """Register someone (see `registration_create`) and, once the transaction is
    committed, send them the confirmation e-mail with the event's .ics and their
    cancellation link."""
    registration = registration_create(event=event, **fields)
    transaction.on_commit(
        lambda: send_registration_confirmation(registration),
        robust=True,
    )
    return registration


@transaction.atomic
def registration_cancel_by_registrant(
    *, token: str, now: datetime | None = None
) -> tuple[Registration, list[Registration]]:
    """The registrant cancels through their link: the place is freed and the waiting list
    moves up (see `registration_cancel`). Refused once the event has started."""
    now = now or timezone.now()
    registration = registration_from_cancel_token(token)
    if registration.event.starts_at <= now:
        raise ValidationError(
            "L'événement a commencé : l'inscription ne peut plus être annulée en ligne. "
            "Prévenez l'équipe organisatrice."
        )
    promoted = registration_cancel(registration=registration, now=now)
    registration.refresh_from_db()
    return registration, promoted
