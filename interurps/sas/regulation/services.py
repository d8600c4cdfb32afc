"""Writes of the regulation: care requests, their outcome, bookings and cancellations.

A place in a slot is taken only by `interurps.sas.booking.appointment_book` (one conditional
UPDATE: never twice); an extra ("surnuméraire") appointment, beyond the published slots, is
recorded here, with no slot.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.sas import booking
from interurps.sas.models import Appointment, CareRequest, Effector, Slot

EXTRA_DEFAULT_MINUTES = 20
# A call is recorded while it happens or afterwards; a few minutes ahead is a clock skew.
FUTURE_TOLERANCE = timedelta(minutes=5)
# Outcomes a regulator records by hand; BOOKED follows a booking, PENDING a cancellation.
MANUAL_OUTCOMES = (
    CareRequest.Outcome.ADVICE,
    CareRequest.Outcome.EMERGENCY,
    CareRequest.Outcome.NO_SLOT,
)


def _active_appointments(care_request: CareRequest):
    return care_request.appointments.filter(status=Appointment.Status.BOOKED)


def _check_region(care_request: CareRequest, effector: Effector) -> None:
    if effector.region_id != care_request.region_id:
        raise ValidationError(
            "Cet effecteur n'est pas de la région de la demande : la régulation ne réserve "
            "que dans sa région."
        )


def _check_no_appointment(care_request: CareRequest) -> None:
    if _active_appointments(care_request).exists():
        raise ValidationError(
            "Cette demande a déjà un rendez-vous : annulez-le avant d'en prendre un autre "
            "ou de changer son issue."
        )


@transaction.atomic
def care_request_create(
    *, region, regulator, called_at: datetime, commune, age_band: str, reason: str
) -> CareRequest:
    """Record a call: when, the patient's commune, age band and reason; no identity."""
    if commune.department.region_id != region.pk:
        raise ValidationError(
            {"commune": f"La commune {commune.name} ({commune.code}) n'est pas dans la région."}
        )
    if called_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"called_at": "L'heure de l'appel ne peut pas être à venir."})
    care_request = CareRequest(
        region=region,
        regulator=regulator,
        called_at=called_at,
        commune=commune,
        age_band=age_band,
        reason=reason,
    )
    care_request.full_clean()
    care_request.save()
    return care_request


@transaction.atomic
def care_request_book(*, care_request: CareRequest, slot: Slot, by) -> Appointment:
    """Book `slot` for the care request (its outcome becomes "booked").

    Raises `booking.SlotUnavailable` when the slot was just taken (or cancelled, unshared,
    its effector suspended), ValidationError when the request already has an appointment
    or the slot is not of the request's region.
    """
    care_request = CareRequest.objects.select_for_update().get(pk=care_request.pk)
    _check_no_appointment(care_request)
    _check_region(care_request, slot.effector)
    if not slot.type_snp:
        raise ValidationError("Ce créneau n'est pas ouvert à la régulation (type SNP).")
    return booking.appointment_book(slot=slot, care_request=care_request, booked_by=by)


@transaction.atomic
def care_request_book_extra(
    *,
    care_request: CareRequest,
    effector: Effector,
    start: datetime,
    by,
    minutes: int = EXTRA_DEFAULT_MINUTES,
) -> Appointment:
    """An appointment beyond the published slots ("surnuméraire") with an effector who
    accepts them, at the time agreed with them: no slot is taken."""
    care_request = CareRequest.objects.select_for_update().get(pk=care_request.pk)
    _check_no_appointment(care_request)
    _check_region(care_request, effector)
    if not effector.accepts_extra_patients:
        raise ValidationError("Cet effecteur n'accepte pas de patients en surnuméraire.")
    if effector.suspended:
        raise ValidationError("Cet effecteur est suspendu.")
    if start < care_request.called_at:
        raise ValidationError({"start": "Le rendez-vous ne peut pas précéder l'appel."})
    if not 5 <= minutes <= 120:
        raise ValidationError({"minutes": "La durée doit être comprise entre 5 et 120 minutes."})
    appointment = Appointment(
        identifier=booking.new_identifier(),
        effector=effector,
        slot=None,
        extra=True,
        care_request=care_request,
        start=start,
        end=start + timedelta(minutes=minutes),
        booked_by=by,
    )
    appointment.full_clean()
    appointment.save()
    care_request.outcome = CareRequest.Outcome.BOOKED
    care_request.save(update_fields=["outcome"])
    return appointment


@transaction.atomic
def care_request_set_outcome(*, care_request: CareRequest, outcome: str) -> CareRequest:
    """Record an outcome other than a booking: medical advice, sent to the emergency
    department, no slot found."""
    if outcome not in MANUAL_OUTCOMES:
        raise ValidationError({"outcome": "Choisissez conseil, urgences ou aucun créneau."})
    care_request = CareRequest.objects.select_for_update().get(pk=care_request.pk)
    _check_no_appointment(care_request)
    care_request.outcome = outcome
    care_request.full_clean()
    care_request.save(update_fields=["outcome"])
    return care_request


@transaction.atomic
def appointment_cancel(*, appointment: Appointment) -> Appointment:
    """Cancel an appointment (its place in the slot is freed by `booking`); its care
    request goes back to "en cours" when it has no other appointment."""
    appointment = booking.appointment_cancel(appointment=appointment)
    if appointment.care_request_id is not None:
        care_request = CareRequest.objects.select_for_update().get(pk=appointment.care_request_id)
        if (
            care_request.outcome == CareRequest.Outcome.BOOKED
            and not _active_appointments(care_request).exists()
        ):
            care_request.outcome = CareRequest.Outcome.PENDING
            care_request.save(update_fields=["outcome"])
    return appointment


def care_requests_to_purge(*, retention_days: int, now: datetime | None = None):
    """Care requests called more than `retention_days` days ago."""
    if retention_days < 1:
        raise ValueError("retention_days must be >= 1")
    now = now or timezone.now()
    return CareRequest.objects.filter(called_at__lt=now - timedelta(days=retention_days))


@transaction.atomic
def care_requests_purge(*, retention_days: int, now: datetime | None = None) -> int:
    """Delete the care requests older than the retention period; their appointments stay
    (the slots' use and the indicators need them) with no care request. Idempotent."""
    old = care_requests_to_purge(retention_days=retention_days, now=now)
    ids = list(old.values_list("pk", flat=True))
    if not ids:
        return 0
    Appointment.objects.filter(care_request_id__in=ids).update(care_request=None)
    deleted, _ = CareRequest.objects.filter(pk__in=ids).delete()
    return deleted
