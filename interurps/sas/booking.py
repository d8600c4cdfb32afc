"""Booking and cancelling an appointment in a slot: the one place that takes a place in a
slot, shared by regulators' pages and the FHIR interface.

A slot is never booked beyond its capacity, even when two regulators (or the FHIR
interface and a regulator) book it at the same instant: the place is taken by one
conditional UPDATE (`booked = booked + 1 WHERE booked < capacity AND shared AND not
cancelled`), atomic in the database whatever the isolation level, and the database's
own check constraint (`booked <= capacity`) stands behind it.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from interurps.sas.models import Appointment, CareRequest, Effector, Slot


class SlotUnavailable(Exception):
    """The slot is taken, cancelled, not shared, or its effector is suspended."""

    def __init__(self, message="Ce créneau n'est plus disponible : il vient d'être pris."):
        super().__init__(message)
        self.message = message


def new_identifier() -> str:
    return f"sas-{secrets.token_hex(12)}"


@transaction.atomic
def appointment_book(
    *,
    slot: Slot,
    care_request: CareRequest | None = None,
    booked_by=None,
    api_client=None,
    operator_identifier: str = "",
    operator_name: str = "",
    identifier: str | None = None,
) -> Appointment:
    """Take one place in `slot` and record the appointment; raises `SlotUnavailable`."""
    # Every condition on the slot's own columns stays in the UPDATE's own WHERE: PostgreSQL
    # re-checks those on the row it waited for (READ COMMITTED), not the conditions of a
    # subquery. Filtering on `effector__suspended_on` would make Django write
    # `WHERE id IN (SELECT … JOIN sas_effector …)`, evaluated once on the old snapshot: the
    # twentieth concurrent booker would then pass `booked < capacity` and hit the check
    # constraint (IntegrityError) instead of SlotUnavailable (found by the concurrency test
    # of the regulation). The constraint stays behind it, turned into SlotUnavailable.
    not_suspended = Effector.objects.filter(suspended_on__isnull=True).values("pk")
    try:
        with transaction.atomic():
            taken = Slot.objects.filter(
                pk=slot.pk,
                shared=True,
                cancelled_at__isnull=True,
                booked__lt=F("capacity"),
                effector_id__in=not_suspended,
            ).update(booked=F("booked") + 1)
    except IntegrityError:
        raise SlotUnavailable() from None
    if taken != 1:
        raise SlotUnavailable()
    slot.refresh_from_db(fields=["booked"])
    appointment = Appointment.objects.create(
        identifier=identifier or new_identifier(),
        effector_id=slot.effector_id,
        slot=slot,
        care_request=care_request,
        start=slot.start,
        end=slot.end,
        booked_by=booked_by,
        api_client=api_client,
        operator_identifier=operator_identifier,
        operator_name=operator_name,
    )
    if care_request is not None and care_request.outcome != CareRequest.Outcome.BOOKED:
        care_request.outcome = CareRequest.Outcome.BOOKED
        care_request.save(update_fields=["outcome"])
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment) -> Appointment:
    """Cancel a booked appointment and free its place in the slot (idempotent)."""
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status == Appointment.Status.CANCELLED:
        return locked
    locked.status = Appointment.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    if locked.slot_id is not None:
        Slot.objects.filter(pk=locked.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return locked
