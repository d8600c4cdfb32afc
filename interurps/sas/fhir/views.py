"""The FHIR interface of the SAS (`/fhir/`), what an agenda software serves to the national
platform. Not session pages: each request carries `Authorization: Bearer <token>` (an
`ApiClient`, `manage.py sas_api_client`), CSRF does not apply, answers are
`application/fhir+json`. Mutual TLS is the reverse proxy's business (README).
"""

import json
from functools import wraps

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from interurps.sas.fhir import appointments, auth, resources, search
from interurps.sas.models import Appointment

FHIR_JSON = "application/fhir+json; charset=utf-8"


def fhir_response(resource: dict, status: int = 200, headers: dict | None = None):
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=FHIR_JSON,
        headers=headers,
    )
    return response


def outcome(status: int, issues, headers: dict | None = None):
    return fhir_response(resources.operation_outcome(issues), status=status, headers=headers)


def method_not_allowed(allowed: list[str]):
    return outcome(
        405,
        [("not-supported", f"Méthode non prise en charge : {', '.join(allowed)}.", None)],
        headers={"Allow": ", ".join(allowed)},
    )


def api(view):
    """Authenticate the bearer token; the view gets the ApiClient as `request.api_client`."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = auth.bearer_token(request)
        client = auth.client_for_token(token) if token else None
        if client is None:
            if token is None:
                challenge = 'Bearer realm="InterURPS FHIR"'
                message = "Authentification requise : en-tête Authorization: Bearer <jeton>."
            else:
                challenge = 'Bearer realm="InterURPS FHIR", error="invalid_token"'
                message = "Jeton inconnu ou révoqué."
            return outcome(401, [("login", message, None)], {"WWW-Authenticate": challenge})
        auth.touch(client)
        request.api_client = client
        return view(request, *args, **kwargs)

    return wrapped


def _base(request) -> str:
    return request.build_absolute_uri(reverse("fhir:slot_search")).removesuffix("Slot")


@api
def slot_search(request):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    try:
        query = search.parse(request.GET)
    except search.SearchError as error:
        return outcome(400, error.issues)
    slots = search.offered_slots(query)
    base = _base(request)

    def entry(resource, mode):
        return {
            "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": mode},
        }

    entries = []
    cpts_by_slot = {}
    for slot in slots:
        cpts = resources.slot_cpts(slot) if query.include_cpts else None
        cpts_by_slot[slot.pk] = cpts
        entries.append(entry(resources.slot_resource(slot, cpts=cpts), "match"))
    includes = {}
    for slot in slots:
        if query.include_schedule:
            key = ("Schedule", resources.schedule_id(slot))
            if key not in includes:
                includes[key] = resources.schedule_resource(slot)
        if query.include_actor:
            professional = slot.effector.professional
            key = ("Practitioner", resources.practitioner_id(professional))
            if key not in includes:
                includes[key] = resources.practitioner_resource(professional)
            key = ("PractitionerRole", resources.schedule_id(slot))
            if key not in includes:
                includes[key] = resources.practitioner_role_resource(slot)
        cpts = cpts_by_slot[slot.pk]
        if cpts is not None:
            key = ("HealthcareService", resources.cpts_service_id(cpts))
            if key not in includes:
                includes[key] = resources.cpts_service_resource(cpts)
                includes[("Organization", key[1])] = resources.cpts_organization_resource(cpts)
    entries.extend(entry(resource, "include") for resource in includes.values())
    with_cpts = any(cpts is not None for cpts in cpts_by_slot.values())
    profile = (
        resources.PROFILE_CPTS_BUNDLE
        if with_cpts and query.include_schedule and query.include_actor
        else resources.PROFILE_BUNDLE
    )
    return fhir_response(
        resources.bundle(
            entries=entries,
            total=len(slots),
            self_url=request.build_absolute_uri(),
            profile=profile,
        )
    )


def _appointment_answer(request, appointment: Appointment, status: int):
    location = request.build_absolute_uri(reverse("fhir:appointment_detail", args=[appointment.pk]))
    return fhir_response(
        resources.appointment_resource(appointment),
        status=status,
        headers={"Location": location},
    )


def _read(request):
    try:
        return appointments.read(request.body), None
    except appointments.InvalidAppointment as error:
        return None, outcome(400, error.issues)


def _refused(error: appointments.Refused):
    return outcome(error.status, [(error.code, error.message, error.where)])


@api
def appointment_collection(request):
    if request.method == "POST":
        data, problem = _read(request)
        if problem:
            return problem
        try:
            appointment = appointments.appointment_create(data=data, api_client=request.api_client)
        except appointments.Refused as error:
            return _refused(error)
        return _appointment_answer(request, appointment, 201)
    if request.method == "PUT":
        tokens = request.GET.getlist("identifier") or request.GET.getlist("Identifier")
        if len(tokens) != 1 or not tokens[0].strip():
            return outcome(
                400,
                [
                    (
                        "required",
                        "Mise à jour conditionnelle : un et un seul paramètre "
                        "identifier=<système>|<valeur> est attendu.",
                        "identifier",
                    )
                ],
            )
        data, problem = _read(request)
        if problem:
            return problem
        appointment = appointments.find(token=tokens[0].strip(), api_client=request.api_client)
        if appointment is None:
            return outcome(
                404,
                [
                    (
                        "not-found",
                        f"Aucun rendez-vous de ce client n'a l'identifiant « {tokens[0]} » : un "
                        "rendez-vous se crée par POST Appointment.",
                        "identifier",
                    )
                ],
            )
        try:
            appointment = appointments.appointment_update(appointment=appointment, data=data)
        except appointments.Refused as error:
            return _refused(error)
        return _appointment_answer(request, appointment, 200)
    return method_not_allowed(["POST", "PUT"])


@api
def appointment_detail(request, logical_id: str):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    appointment = None
    if logical_id.isdigit() and len(logical_id) < 19:
        appointment = (
            Appointment.objects.filter(pk=int(logical_id), api_client=request.api_client)
            .select_related("effector__professional", "effector__structure")
            .first()
        )
    if appointment is None:
        return outcome(
            404,
            [("not-found", f"Aucun rendez-vous Appointment/{logical_id} pour ce client.", None)],
        )
    return fhir_response(resources.appointment_resource(appointment))


@csrf_exempt
def metadata(request):
    """The CapabilityStatement: what this server answers (public, as FHIR servers do)."""
    if request.method != "GET":
        return method_not_allowed(["GET"])
    return fhir_response(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": timezone.localdate().isoformat(),
            "publisher": "InterURPS",
            "kind": "instance",
            "implementation": {
                "description": "Créneaux partagés des effecteurs du SAS (InterURPS)",
                "url": _base(request).rstrip("/"),
            },
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "implementationGuide": ["https://interop.esante.gouv.fr/ig/fhir/sas"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": "Jeton porteur (Authorization: Bearer) délivré par "
                        "l'exploitant ; TLS mutuel avec les certificats IGC-Santé au "
                        "niveau du mandataire inverse."
                    },
                    "resource": [
                        {
                            "type": "Slot",
                            "supportedProfile": [
                                resources.PROFILE_SLOT,
                                resources.PROFILE_CPTS_SLOT,
                            ],
                            "interaction": [{"code": "search-type"}],
                            "searchInclude": [
                                search.INCLUDE_SCHEDULE,
                                search.INCLUDE_CPTS,
                            ],
                            "searchRevInclude": [],
                            "searchParam": [
                                {"name": "start", "type": "date"},
                                {"name": "status", "type": "token"},
                                {"name": search.PRACTITIONER_PARAM, "type": "token"},
                            ],
                        },
                        {
                            "type": "Appointment",
                            "supportedProfile": [resources.PROFILE_APPOINTMENT],
                            "interaction": [
                                {"code": "create"},
                                {"code": "update"},
                                {"code": "read"},
                            ],
                            "conditionalUpdate": True,
                            "conditionalCreate": False,
                            "updateCreate": False,
                            "searchParam": [{"name": "identifier", "type": "token"}],
                        },
                    ],
                }
            ],
        }
    )
