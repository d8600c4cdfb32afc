"""FHIR R4 resources of the SAS interface, as plain JSON-ready dicts, following the ANS
implementation guide (`ans.fhir.fr.sas` 0.1.0; the StructureDefinitions named below).

Built as dicts rather than `fhir.resources` models: a search answers hundreds of resources
and pydantic validation of each would cost more than the database query. The tests parse
every answer with `fhir.resources.R4B` and check it against the guide's profiles.
"""

import re
import uuid

from django.utils import timezone

from interurps.professionals import rules
from interurps.sas.models import Appointment, ConsultationType, Slot

# Profiles (StructureDefinition.url)
SAS = "http://sas.fr/fhir/StructureDefinition/"
SAS_IG = "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/"
PROFILE_BUNDLE = SAS + "BundleAgregateur"
PROFILE_SLOT = SAS + "FrSlotAgregateur"
PROFILE_SCHEDULE = SAS + "FrScheduleAgregateur"
PROFILE_PRACTITIONER = SAS + "FrPractitionerAgregateur"
PROFILE_ROLE = SAS + "FrPractitionerRoleExerciceAgregateur"
PROFILE_LOCATION = SAS + "FrLocationAgregateur"
PROFILE_APPOINTMENT = SAS + "FrAppointmentSAS"
PROFILE_CPTS_BUNDLE = SAS_IG + "sas-cpts-bundle-aggregator"
PROFILE_CPTS_SLOT = SAS_IG + "sas-cpts-slot-aggregator"
PROFILE_CPTS_SERVICE = SAS_IG + "sas-cpts-healthcareservice-aggregator"
PROFILE_CPTS_ORGANIZATION = SAS_IG + "sas-cpts-organization-aggregator"

# Systems
RPPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"  # national identifiers of professionals (IDNPS)
IDNST_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"  # national identifiers of structures (IDNST)
SAS_TECHNICAL_SYSTEM = "urn:oid:1.2.250.1.213.3.6"  # regulators without a national identifier
V2_0203 = "http://interopsante.org/fhir/CodeSystem/fr-v2-0203"
LOCATION_ID_TYPE = "http://interopsante.org/fhir/CodeSystem/fr-location-identifier-type"
SLOT_TYPE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V2_0276 = "http://terminology.hl7.org/CodeSystem/v2-0276"
R66_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/TRE_R66-CategorieEtablissement"
)
R66_CPTS = "604"
SERVICE_TYPE_R5 = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType"
OPERATOR_EXTENSION = "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator"
# Ours: the assigning authority of the application's own identifiers.
LOCAL_SYSTEM = "https://interurps.fr/fhir/sas"

# sas-valueset-typeconsultation (v3-ActCode)
CONSULTATION_CODES = {
    ConsultationType.OFFICE: "AMB",
    ConsultationType.HOME: "HH",
    ConsultationType.TELECONSULTATION: "VR",
}

POSTAL_CODE = re.compile(r"\b((?:0[1-9]|[1-8]\d|9[0-8])\d{3})\b")


def instant(value) -> str:
    """An aware datetime as a FHIR instant in French local time (offset kept)."""
    return timezone.localtime(value).isoformat()


def idnps(professional) -> str:
    """The national identifier of a professional as the guide writes it: "8" + RPPS,
    "0" + ADELI (synthetic demo identifiers as they are)."""
    if professional.identifier_kind == rules.KIND_RPPS:
        return "8" + professional.identifier
    if professional.identifier_kind == rules.KIND_ADELI:
        return "0" + professional.identifier
    return professional.identifier


def idnst(identifier: str) -> str | None:
    """The national identifier of a structure: "1" + FINESS, "3" + SIRET; None otherwise."""
    identifier = (identifier or "").replace(" ", "")
    if re.fullmatch(r"\d{14}", identifier):
        return "3" + identifier
    if re.fullmatch(r"[0-9AB]{9}", identifier):
        return "1" + identifier
    return None


def cpts_idnst(cpts) -> str | None:
    """A CPTS's IDNST: its SIRET, else the FINESS or SIRET of its SAS structure."""
    found = idnst(cpts.siret)
    if found:
        return found
    structure = getattr(cpts, "sas_structure", None)
    return idnst(structure.identifier) if structure is not None else None


def slot_cpts(slot: Slot):
    """The CPTS whose slot this is, described as such on the national platform: the
    CPTS's rota, or the CPTS through which the effector takes part; None when the slot is
    an individual one or the CPTS has no national identifier to be named by."""
    cpts = slot.rota_cpts
    if cpts is None:
        through = slot.effector.through
        if through is not None and through.cpts_id is not None:
            cpts = through.cpts
    if cpts is None or cpts_idnst(cpts) is None:
        return None
    return cpts


# --- ids --------------------------------------------------------------------------------


def schedule_id(slot: Slot) -> str:
    """One agenda (Schedule) and one practice (PractitionerRole) per effector and site."""
    return f"{slot.effector_id}-{slot.site_id}"


def practitioner_id(professional) -> str:
    return str(professional.pk)


def cpts_service_id(cpts) -> str:
    return f"cpts-{cpts.pk}"


# --- resources --------------------------------------------------------------------------


def slot_resource(slot: Slot, *, cpts=None) -> dict:
    service_types = [
        {"coding": [{"system": ACT_CODE, "code": CONSULTATION_CODES[slot.consultation_type]}]}
    ]
    if cpts is not None:
        service_types.append(
            {
                "extension": [
                    {
                        "url": SERVICE_TYPE_R5,
                        "valueReference": {
                            "reference": f"HealthcareService/{cpts_service_id(cpts)}"
                        },
                    }
                ],
                "coding": [{"system": R66_SYSTEM, "code": R66_CPTS}],
            }
        )
    return {
        "resourceType": "Slot",
        "id": str(slot.pk),
        "meta": {
            "profile": [PROFILE_CPTS_SLOT if cpts is not None else PROFILE_SLOT],
            "security": [{"system": SLOT_TYPE_SYSTEM, "code": code} for code in slot.types],
        },
        "serviceType": service_types,
        "appointmentType": {"coding": [{"system": V2_0276, "code": "ROUTINE"}]},
        "schedule": {"reference": f"Schedule/{schedule_id(slot)}"},
        "status": "free",
        "start": instant(slot.start),
        "end": instant(slot.end),
    }


def schedule_resource(slot: Slot) -> dict:
    professional = slot.effector.professional
    return {
        "resourceType": "Schedule",
        "id": schedule_id(slot),
        "meta": {"profile": [PROFILE_SCHEDULE]},
        "active": True,
        "actor": [
            {"reference": f"Practitioner/{practitioner_id(professional)}"},
            {"reference": f"PractitionerRole/{schedule_id(slot)}"},
        ],
    }


def practitioner_identifier(professional) -> dict:
    return {
        "type": {"coding": [{"system": V2_0203, "code": "IDNPS"}]},
        "system": RPPS_SYSTEM,
        "value": idnps(professional),
    }


def practitioner_resource(professional) -> dict:
    name = {"family": professional.last_name}
    if professional.first_name:
        name["given"] = [professional.first_name]
    return {
        "resourceType": "Practitioner",
        "id": practitioner_id(professional),
        "meta": {"profile": [PROFILE_PRACTITIONER]},
        "identifier": [practitioner_identifier(professional)],
        "name": [name],
    }


def split_address(address: str) -> tuple[str, str | None]:
    """("street", "postal code") from an address written "street, 44000 Town" (the registry
    import's way); the postal code is None when the address has none."""
    matches = list(POSTAL_CODE.finditer(address or ""))
    if not matches:
        return (address or "").strip(" ,"), None
    last = matches[-1]
    street = (address[: last.start()]).strip(" ,")
    return street, last.group(1)


def location_resource(site) -> dict:
    street, postal_code = split_address(site.address)
    address = {
        "line": [street or site.name],
        "city": site.commune.name,
        # Without a postal code in the address, the commune's INSEE code stands in for it
        # (the profile requires one; our geography has no postal codes).
        "postalCode": postal_code or site.commune_id,
    }
    return {
        "resourceType": "Location",
        "id": f"site-{site.pk}",
        "meta": {"profile": [PROFILE_LOCATION]},
        "identifier": [
            {
                "type": {"coding": [{"system": LOCATION_ID_TYPE, "code": "INTRN"}]},
                "system": f"{LOCAL_SYSTEM}/lieux",
                "value": str(site.pk),
            }
        ],
        "name": site.name,
        "address": address,
        "position": {"longitude": site.longitude, "latitude": site.latitude},
    }


def practitioner_role_resource(slot: Slot) -> dict:
    effector = slot.effector
    location = location_resource(slot.site)
    role = {
        "resourceType": "PractitionerRole",
        "id": schedule_id(slot),
        "meta": {"profile": [PROFILE_ROLE]},
        "contained": [location],
        "practitioner": {"reference": f"Practitioner/{practitioner_id(effector.professional)}"},
        "location": [{"reference": f"#{location['id']}"}],
    }
    through = effector.through
    structure_idnst = idnst(through.identifier) if through is not None else None
    if structure_idnst:
        role["organization"] = {
            "identifier": {
                "type": {"coding": [{"system": V2_0203, "code": "IDNST"}]},
                "system": IDNST_SYSTEM,
                "value": structure_idnst,
            },
            "display": through.name,
        }
    return role


def cpts_service_resource(cpts) -> dict:
    return {
        "resourceType": "HealthcareService",
        "id": cpts_service_id(cpts),
        "meta": {"profile": [PROFILE_CPTS_SERVICE]},
        "providedBy": {"reference": f"Organization/{cpts_service_id(cpts)}"},
        "name": cpts.name,
    }


def cpts_organization_resource(cpts) -> dict:
    organization = {
        "resourceType": "Organization",
        "id": cpts_service_id(cpts),
        "meta": {"profile": [PROFILE_CPTS_ORGANIZATION]},
        "identifier": [
            {
                "type": {"coding": [{"system": LOCATION_ID_TYPE, "code": "IDNST"}]},
                "system": IDNST_SYSTEM,
                "value": cpts_idnst(cpts),
            }
        ],
        "name": cpts.name,
    }
    if cpts.phone:
        organization["telecom"] = [{"system": "phone", "value": cpts.phone}]
    return organization


def appointment_resource(appointment: Appointment) -> dict:
    effector = appointment.effector
    resource = {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "meta": {"profile": [PROFILE_APPOINTMENT]},
        "identifier": [
            {
                "system": appointment.identifier_system or f"{LOCAL_SYSTEM}/rendez-vous",
                "value": appointment.identifier,
            }
        ],
        "status": appointment.status,
        "start": instant(appointment.start),
        "end": instant(appointment.end),
        "created": timezone.localtime(appointment.created_at).date().isoformat(),
    }
    if appointment.operator_identifier:
        kind = appointment.operator_identifier_kind or "IDNPS"
        reference = {
            "identifier": {
                "type": {"coding": [{"system": V2_0203, "code": kind}]},
                "system": RPPS_SYSTEM if kind == "IDNPS" else SAS_TECHNICAL_SYSTEM,
                "value": appointment.operator_identifier,
            }
        }
        if appointment.operator_name:
            reference["display"] = appointment.operator_name
        resource["extension"] = [{"url": OPERATOR_EXTENSION, "valueReference": reference}]
    if appointment.slot_id is not None:
        resource["slot"] = [{"reference": f"Slot/{appointment.slot_id}"}]
    actor = {"display": str(effector)}
    if effector.professional_id is not None:
        actor["identifier"] = practitioner_identifier(effector.professional)
    resource["participant"] = [{"actor": actor, "status": "accepted"}]
    return resource


def bundle(*, entries: list[dict], total: int, self_url: str, profile: str) -> dict:
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [profile], "lastUpdated": instant(timezone.now())},
        "type": "searchset",
        "total": total,
        "link": [{"relation": "self", "url": self_url}],
        "entry": entries,
    }


def operation_outcome(issues: list[tuple[str, str, str | None]]) -> dict:
    """issues: (code, French message, FHIRPath-like location or None)."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": code,
                "diagnostics": message,
                **({"expression": [where]} if where else {}),
            }
            for code, message, where in issues
        ],
    }
