"""Appointments received from the national platform (`FrAppointmentSAS`): read and checked
against what the profile requires, then booked, updated or cancelled through
`interurps.sas.booking`, the one place that takes or frees a place in a slot.

    POST [base]/Appointment                         books a slot (201 + Location)
    PUT  [base]/Appointment?identifier=system|value  conditional update (status: booked,
                                                     fulfilled, noshow, cancelled)
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from pydantic import ValidationError

from interurps.sas import booking
from interurps.sas.fhir.resources import OPERATOR_EXTENSION, RPPS_SYSTEM, V2_0203
from interurps.sas.fhir.search import parse_identifier
from interurps.sas.models import Appointment, Slot

# The statuses the national platform sends (guide, « Création de rendez-vous », ID 7).
UPDATABLE_STATUSES = ("booked", "fulfilled", "noshow", "cancelled")
OPERATOR_KINDS = ("IDNPS", "INTRN")  # sas-valueset-typeidentifiant
SLOT_REFERENCE = re.compile(r"^(?:.*/)?Slot/(?P<id>\d{1,18})$")


class InvalidAppointment(Exception):
    """The resource is malformed or does not follow FrAppointmentSAS (HTTP 400)."""

    def __init__(self, issues):
        super().__init__(issues)
        self.issues = issues  # [(code, message, location)]


class Refused(Exception):
    """A business rule refuses the request (HTTP `status`: 404, 409, 422)."""

    def __init__(self, status: int, code: str, message: str, where: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.where = status, code, message, where


@dataclass
class AppointmentData:
    identifier_system: str
    identifier_value: str
    status: str
    start: datetime
    end: datetime
    practitioner: str  # the professional's identifier as stored (RPPS…)
    participant_status: str
    operator_identifier: str
    operator_kind: str
    operator_name: str
    slot_id: int | None


def _path(loc) -> str:
    path = "Appointment"
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith("function-"):
            path += f".{part}"
    return path


def read(body: bytes) -> AppointmentData:
    """Parse an Appointment (JSON) with fhir.resources R4B and check the profile's rules."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidAppointment(
            [("structure", "Le corps de la requête n'est pas un JSON valide (UTF-8).", None)]
        ) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Appointment":
        raise InvalidAppointment(
            [("structure", "Une ressource Appointment est attendue (resourceType).", None)]
        )
    try:
        parsed = FhirAppointment.model_validate(data)
    except ValidationError as error:
        raise InvalidAppointment(
            [
                ("structure", f"{e['msg']} (reçu : {e.get('input')!r:.80})", _path(e["loc"]))
                for e in error.errors()[:20]
            ]
        ) from None
    issues = []

    def missing(where, what):
        issues.append(("required", f"{what} est obligatoire (FrAppointmentSAS).", where))

    # identifier 1..1, with system and value
    identifiers = parsed.identifier or []
    system = value = ""
    if len(identifiers) != 1:
        issues.append(
            (
                "invariant",
                "Un et un seul identifiant (identifier) est attendu.",
                "Appointment.identifier",
            )
        )
    else:
        system, value = identifiers[0].system or "", identifiers[0].value or ""
        if not system:
            missing("Appointment.identifier[0].system", "L'autorité d'affectation de l'identifiant")
        if not value:
            missing("Appointment.identifier[0].value", "La valeur de l'identifiant")
        if len(value) > 100 or len(system) > 200:
            issues.append(
                (
                    "too-long",
                    "Identifiant trop long (100 caractères, système 200).",
                    "Appointment.identifier[0]",
                )
            )

    # extension:appointmentOperator 1..1 — the regulator
    operators = [
        (index, ext)
        for index, ext in enumerate(parsed.extension or [])
        if ext.url == OPERATOR_EXTENSION
    ]
    operator_identifier = operator_kind = operator_name = ""
    if len(operators) != 1:
        issues.append(
            (
                "required",
                f"Une et une seule extension {OPERATOR_EXTENSION} (le régulateur) est attendue.",
                "Appointment.extension",
            )
        )
    else:
        index, ext = operators[0]
        where = f"Appointment.extension[{index}].valueReference"
        reference = ext.valueReference
        ident = reference.identifier if reference is not None else None
        if ident is None:
            missing(f"{where}.identifier", "L'identifiant du régulateur")
        else:
            codings = (ident.type.coding or []) if ident.type is not None else []
            if len(codings) != 1:
                issues.append(
                    (
                        "required",
                        "Le type de l'identifiant du régulateur (un codage) est attendu.",
                        f"{where}.identifier.type.coding",
                    )
                )
            else:
                coding = codings[0]
                if coding.system != V2_0203:
                    issues.append(
                        (
                            "value",
                            f"Le système du type d'identifiant doit être {V2_0203}.",
                            f"{where}.identifier.type.coding[0].system",
                        )
                    )
                if coding.code not in OPERATOR_KINDS:
                    issues.append(
                        (
                            "code-invalid",
                            "Le type d'identifiant du régulateur est IDNPS ou INTRN.",
                            f"{where}.identifier.type.coding[0].code",
                        )
                    )
                operator_kind = coding.code or ""
            if not ident.system:
                missing(f"{where}.identifier.system", "L'autorité d'affectation du régulateur")
            if not ident.value:
                missing(f"{where}.identifier.value", "L'identifiant du régulateur")
            elif len(ident.value) > 64:
                issues.append(
                    (
                        "too-long",
                        "Identifiant du régulateur trop long (64 caractères).",
                        f"{where}.identifier.value",
                    )
                )
            operator_identifier = ident.value or ""
        operator_name = ((reference.display or "") if reference is not None else "")[:200]

    if parsed.start is None:
        missing("Appointment.start", "Le début (start)")
    if parsed.end is None:
        missing("Appointment.end", "La fin (end)")
    if parsed.start and parsed.end and parsed.end <= parsed.start:
        issues.append(("invariant", "La fin précède le début.", "Appointment.end"))

    # participant: the practitioner, by national identifier (IDNPS)
    practitioner = participant_status = ""
    found = None
    for index, participant in enumerate(parsed.participant or []):
        actor_id = participant.actor.identifier if participant.actor is not None else None
        if actor_id is not None and actor_id.system == RPPS_SYSTEM:
            found = index, participant, actor_id
            break
    if found is None:
        issues.append(
            (
                "required",
                f"Le professionnel effecteur (participant.actor.identifier, système {RPPS_SYSTEM}) "
                "est obligatoire.",
                "Appointment.participant",
            )
        )
    else:
        index, participant, actor_id = found
        where = f"Appointment.participant[{index}].actor.identifier"
        codings = (actor_id.type.coding or []) if actor_id.type is not None else []
        if len(codings) != 1 or (codings[0].system, codings[0].code) != (V2_0203, "IDNPS"):
            issues.append(
                (
                    "value",
                    f"Le type d'identifiant du professionnel est IDNPS ({V2_0203}).",
                    f"{where}.type",
                )
            )
        try:
            practitioner = parse_identifier(f"{actor_id.system}|{actor_id.value or ''}")
        except ValueError as error:
            issues.append(("invalid", str(error), f"{where}.value"))
        participant_status = participant.status or ""

    slot_id = None
    for index, reference in enumerate(parsed.slot or []):
        match = SLOT_REFERENCE.match(reference.reference or "")
        if not match:
            issues.append(
                (
                    "invalid",
                    "La référence au créneau s'écrit Slot/<id>.",
                    f"Appointment.slot[{index}]",
                )
            )
        elif slot_id is None:
            slot_id = int(match["id"])

    if issues:
        raise InvalidAppointment(issues)
    return AppointmentData(
        identifier_system=system,
        identifier_value=value,
        status=parsed.status,
        start=parsed.start,
        end=parsed.end,
        practitioner=practitioner,
        participant_status=participant_status,
        operator_identifier=operator_identifier,
        operator_kind=operator_kind,
        operator_name=operator_name,
        slot_id=slot_id,
    )


def _slot_for(data: AppointmentData) -> Slot:
    offered = Slot.objects.filter(
        shared=True,
        effector__suspended_on__isnull=True,
        effector__professional__identifier=data.practitioner,
    )
    if data.slot_id is not None:
        slot = offered.filter(pk=data.slot_id).first()
        if slot is None:
            raise Refused(
                422,
                "not-found",
                f"Le créneau Slot/{data.slot_id} n'existe pas ou n'est pas un créneau partagé de "
                "ce professionnel.",
                "Appointment.slot[0]",
            )
        if (slot.start, slot.end) != (data.start, data.end):
            raise Refused(
                422,
                "business-rule",
                "Le début et la fin du rendez-vous ne sont pas ceux du créneau référencé.",
                "Appointment.start",
            )
        return slot
    candidates = list(offered.filter(start=data.start, end=data.end).order_by("booked", "pk"))
    if not candidates:
        raise Refused(
            422,
            "not-found",
            "Aucun créneau partagé de ce professionnel ne commence et ne finit à ces heures.",
            "Appointment.start",
        )
    free = [slot for slot in candidates if slot.is_free]
    return free[0] if free else candidates[0]


def appointment_create(*, data: AppointmentData, api_client) -> Appointment:
    """Book the slot the Appointment names; raises Refused (409 when taken)."""
    if data.status != "booked":
        raise Refused(
            422,
            "business-rule",
            "Un rendez-vous se crée au statut « booked ».",
            "Appointment.status",
        )
    if data.participant_status != "accepted":  # patternCode of FrAppointmentSAS
        raise Refused(
            400,
            "value",
            "Le statut du professionnel (participant.status) est « accepted » (FrAppointmentSAS).",
            "Appointment.participant.status",
        )
    if Appointment.objects.filter(identifier=data.identifier_value).exists():
        raise Refused(
            409,
            "duplicate",
            f"Un rendez-vous d'identifiant « {data.identifier_value} » existe déjà : "
            "PUT Appointment?identifier=… pour le modifier.",
            "Appointment.identifier[0].value",
        )
    slot = _slot_for(data)
    try:
        with transaction.atomic():
            appointment = booking.appointment_book(
                slot=slot,
                api_client=api_client,
                operator_identifier=data.operator_identifier,
                operator_name=data.operator_name,
                identifier=data.identifier_value,
            )
            appointment.identifier_system = data.identifier_system
            appointment.operator_identifier_kind = data.operator_kind
            appointment.save(update_fields=["identifier_system", "operator_identifier_kind"])
    except booking.SlotUnavailable as error:
        raise Refused(409, "conflict", error.message, "Appointment.slot") from None
    except IntegrityError:
        raise Refused(
            409,
            "duplicate",
            f"Un rendez-vous d'identifiant « {data.identifier_value} » existe déjà.",
            "Appointment.identifier[0].value",
        ) from None
    return appointment


def find(*, token: str, api_client) -> Appointment | None:
    """The client's appointment named by an `identifier` search value (system|value or
    value)."""
    system, bar, value = token.partition("|")
    if not bar:
        system, value = "", token
    appointment = (
        Appointment.objects.filter(identifier=value, api_client=api_client)
        .select_related("effector__professional")
        .first()
    )
    if appointment is None:
        return None
    if system and appointment.identifier_system and system != appointment.identifier_system:
        return None
    return appointment


@transaction.atomic
def appointment_update(*, appointment: Appointment, data: AppointmentData) -> Appointment:
    """Apply a conditional update: only the status changes; cancelling frees the slot."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("effector__professional")
        .get(pk=appointment.pk)
    )
    if data.identifier_value != appointment.identifier:
        raise Refused(
            400,
            "invalid",
            "L'identifiant du corps ne correspond pas à celui de l'adresse (identifier=…).",
            "Appointment.identifier[0].value",
        )
    professional = appointment.effector.professional
    if (
        data.start != appointment.start
        or data.end != appointment.end
        or professional is None
        or professional.identifier != data.practitioner
    ):
        raise Refused(
            422,
            "business-rule",
            "Seul le statut d'un rendez-vous se modifie ici : pour changer d'heure ou de "
            "professionnel, annulez-le et prenez un nouveau rendez-vous.",
            "Appointment.start",
        )
    if data.status not in UPDATABLE_STATUSES:
        raise Refused(
            422,
            "business-rule",
            f"Statut « {data.status} » non pris en charge : {', '.join(UPDATABLE_STATUSES)}.",
            "Appointment.status",
        )
    if appointment.status == Appointment.Status.CANCELLED:
        if data.status == "cancelled":
            return appointment
        raise Refused(
            422,
            "business-rule",
            "Un rendez-vous annulé ne se rétablit pas (son créneau a pu être repris) : prenez "
            "un nouveau rendez-vous.",
            "Appointment.status",
        )
    if data.status == "cancelled":
        return booking.appointment_cancel(appointment=appointment)
    if data.status != appointment.status:
        appointment.status = data.status
        appointment.save(update_fields=["status"])
    return appointment
