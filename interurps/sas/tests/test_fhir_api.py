"""The FHIR interface of the SAS: authentication, the Slot search, appointments."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from interurps.sas.fhir.auth import token_hash
from interurps.sas.models import ApiClient, Appointment, Slot
from interurps.sas.tests.fhir_helpers import (
    RPPS,
    appointment_body,
    at,
    bearer,
    cpts,
    cpts_structure,
    effector,
    idnps,
    search_url,
    site,
    slot,
)

pytestmark = pytest.mark.django_db
FHIR_JSON = "application/fhir+json"


@pytest.fixture
def auth():
    return bearer()[1]


def issues(response):
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"]


def diagnostics(response) -> str:
    return " | ".join(issue["diagnostics"] for issue in issues(response))


def slot_ids(response) -> list[int]:
    body = response.json()
    return [
        int(e["resource"]["id"]) for e in body["entry"] if e["resource"]["resourceType"] == "Slot"
    ]


# --- clients and tokens ----------------------------------------------------------------


def test_command_prints_the_token_once_and_stores_only_its_hash():
    out = StringIO()
    call_command("sas_api_client", "Plateforme SAS", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Plateforme SAS")
    assert len(token) >= 40
    assert client.token_hash == token_hash(token) and token not in client.token_hash
    assert client.token_prefix == token[:8]
    response = Client().get("/fhir/metadata", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("sas_api_client", "Plateforme SAS", stdout=StringIO())


def test_revoked_or_rotated_tokens_are_refused(client):
    out = StringIO()
    call_command("sas_api_client", "Test", stdout=out)
    old = out.getvalue().strip().splitlines()[-1]
    url = search_url([f"{RPPS}|810000000001"])
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 200
    out = StringIO()
    call_command("sas_api_client", rotate="Test", stdout=out)
    new = out.getvalue().strip().splitlines()[-1]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {new}").status_code == 200
    call_command("sas_api_client", revoke="Test", stdout=StringIO())
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {new}")
    assert response.status_code == 401
    assert "invalid_token" in response["WWW-Authenticate"]
    with pytest.raises(CommandError, match="Aucun client"):
        call_command("sas_api_client", revoke="Inconnu", stdout=StringIO())


@pytest.mark.parametrize(
    "header",
    [None, "Bearer ", "Basic dXNlcjpwYXNz", "Bearer jeton-faux-de-quarante-caracteres-000000"],
)
@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/fhir/Slot"),
        ("post", "/fhir/Appointment"),
        ("put", "/fhir/Appointment?identifier=x|y"),
        ("get", "/fhir/Appointment/1"),
    ],
)
def test_missing_or_wrong_token_gets_401(client, header, method, url):
    bearer()  # a client exists: the wrong token is not refused for lack of clients
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert issues(response)[0]["code"] == "login"


def test_last_use_is_recorded_at_most_once_a_minute(client, auth):
    url = search_url([f"{RPPS}|810000000001"])
    client.get(url, **auth)
    first = ApiClient.objects.get().last_used_at
    assert first is not None
    client.get(url, **auth)
    assert ApiClient.objects.get().last_used_at == first
    ApiClient.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get(url, **auth)
    assert ApiClient.objects.get().last_used_at > first


def test_metadata_is_public_and_csrf_does_not_apply():
    response = Client().get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert response.json()["resourceType"] == "CapabilityStatement"
    _, auth = bearer()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/fhir/Appointment", data="{}", content_type=FHIR_JSON, **auth)
    assert response.status_code == 400  # read as FHIR, not refused by the CSRF check


def test_wrong_methods_get_405(client, auth):
    assert client.post("/fhir/Slot", **auth).status_code == 405
    assert client.delete("/fhir/Appointment", **auth).status_code == 405
    assert client.post("/fhir/metadata").status_code == 405


# --- search: parameters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,where,words",
    [
        ({"ge": None, "le": None}, "start", "obligatoire"),
        ({"le": None}, "start", "start=le"),
        ({"ge": None}, "start", "start=ge"),
        ({"ge": "ge2026-13-45"}, "start", "2026-13-45"),
        ({"ge": "ge05/01/2026"}, "start", "05/01/2026"),
        ({"ge": "eq2026-01-05"}, "start", "« eq »"),
        ({"ge": "ge2026-01-08", "le": "le2026-01-05"}, "start", "précède"),
        ({"ge": "ge2026-01-01", "le": "le2026-03-01"}, "start", "31 jours"),
        ({"status": None}, "status", "status=free"),
        ({"status": "busy"}, "status", "libres"),
    ],
)
def test_bad_search_parameters_get_400_naming_them(client, auth, kwargs, where, words):
    response = client.get(search_url([f"{RPPS}|810000000001"], **kwargs), **auth)
    assert response.status_code == 400
    assert any(where in issue.get("expression", []) for issue in issues(response))
    assert words in diagnostics(response)


@pytest.mark.parametrize(
    "identifier,words",
    [
        ("urn:oid:1.2.250.1.71.4.2.2|810000000001", "Système d'identifiant inconnu"),
        ("810000000001", "doit s'écrire"),
        (f"{RPPS}|81000", "mal formé « 81000 »"),
        (f"{RPPS}|9100000000012", "mal formé"),
    ],
)
def test_malformed_practitioner_identifiers_get_400(client, auth, identifier, words):
    response = client.get(search_url([identifier]), **auth)
    assert response.status_code == 400
    assert words in diagnostics(response)
    assert issues(response)[0]["expression"] == ["schedule.actor:Practitioner.identifier"]


def test_one_to_25_practitioners(client, auth):
    identifiers = [f"{RPPS}|8{10000000000 + n}" for n in range(26)]
    assert client.get(search_url(identifiers[:25]), **auth).status_code == 200
    response = client.get(search_url(identifiers), **auth)
    assert response.status_code == 400
    assert "26 professionnels" in diagnostics(response) and "25 au plus" in diagnostics(response)
    response = client.get(search_url([]), **auth)
    assert response.status_code == 400
    assert "de 1 à 25" in diagnostics(response)


def test_unsupported_include_gets_400(client, auth):
    url = search_url([f"{RPPS}|810000000001"]) + "&_include=Slot:specialty"
    response = client.get(url, **auth)
    assert response.status_code == 400
    assert "Slot:specialty" in diagnostics(response)


def test_empty_bundle_when_nothing_matches(client, auth):
    response = client.get(search_url([f"{RPPS}|810000000001"]), **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["resourceType"] == "Bundle" and body["type"] == "searchset"
    assert body["total"] == 0 and body["entry"] == []


# --- search: what is offered ---------------------------------------------------------------


def test_only_free_shared_slots_of_active_effectors_in_the_window(client, auth):
    eff = effector(number=1)
    offered = slot(eff, start=at(0, 9))
    edge_low = slot(eff, start=at(0, 0))  # ge2026-01-05T00:00:00: included
    edge_high = slot(eff, start=at(2, 23, 59))  # le …23:59:59 at the second: included
    slot(eff, start=at(3, 0))  # after the window
    slot(eff, start=at(-1, 23, 40))  # before it, ending inside it
    slot(eff, start=at(0, 10), shared=False)  # the effector did not share it
    slot(eff, start=at(0, 11), cancelled_at=timezone.now())
    slot(eff, start=at(0, 12), booked=1)  # full
    two_places = slot(eff, start=at(0, 14), capacity=2, booked=1)
    other = effector(number=2)
    slot(other, start=at(0, 9))  # a practitioner not asked for
    suspended = effector(number=3, suspended_on=date(2026, 1, 1))
    slot(suspended, start=at(0, 9))
    url = search_url([idnps(eff.professional), idnps(suspended.professional)])
    response = client.get(url, **auth)
    assert response.status_code == 200
    body = response.json()
    expected = [edge_low.pk, offered.pk, two_places.pk, edge_high.pk]
    assert slot_ids(response) == expected
    assert body["total"] == 4
    kinds = [e["resource"]["resourceType"] for e in body["entry"]]
    assert kinds.count("Schedule") == kinds.count("Practitioner") == 1
    assert kinds.count("PractitionerRole") == 1
    assert body["link"][0]["url"].startswith("http://testserver/fhir/Slot?")


def test_an_unshared_slot_never_appears(client, auth):
    eff = effector(number=1)
    hidden = slot(eff, start=at(0, 9), shared=False)
    response = client.get(search_url([idnps(eff.professional)]), **auth)
    assert response.json()["total"] == 0
    assert f"Slot/{hidden.pk}" not in response.content.decode()


def test_includes_follow_the_parameters(client, auth):
    eff = effector(number=1)
    slot(eff)
    url = search_url([idnps(eff.professional)], include=False)
    kinds = {e["resource"]["resourceType"] for e in client.get(url, **auth).json()["entry"]}
    assert kinds == {"Slot"}
    url += "&_include=Slot:schedule"
    kinds = {e["resource"]["resourceType"] for e in client.get(url, **auth).json()["entry"]}
    assert kinds == {"Slot", "Schedule"}


def test_window_in_local_time_and_unencoded_offsets(client, auth):
    eff = effector(number=1)
    inside = slot(eff, start=at(0, 9))
    identifier = idnps(eff.professional)
    # naive date-times are French local time; a "+" left unencoded arrives as a space
    url = (
        "/fhir/Slot?start=ge2026-01-05T09:00&start=le2026-01-05T09:00:00+01:00"
        f"&status=free&schedule.actor:Practitioner.identifier={identifier}"
    )
    assert slot_ids(client.get(url, **auth)) == [inside.pk]
    url = search_url([identifier], ge="ge2026-01-05", le="le2026-01-05")
    assert slot_ids(client.get(url, **auth)) == [inside.pk]
    url = search_url([identifier], ge="ge2026-01-05T08:01:00Z", le="le2026-01-05T10:00:00Z")
    assert slot_ids(client.get(url, **auth)) == []


def test_slot_types_and_consultation_type(client, auth):
    eff = effector(number=1)
    slot(eff, type_public=True, type_snp=True, consultation_type="home")
    body = client.get(search_url([idnps(eff.professional)]), **auth).json()
    resource = body["entry"][0]["resource"]
    assert {c["code"] for c in resource["meta"]["security"]} == {"PUBLIC", "SNP"}
    assert resource["serviceType"][0]["coding"][0]["code"] == "HH"
    assert resource["status"] == "free"
    assert resource["start"] == "2026-01-05T09:00:00+01:00"


@pytest.mark.parametrize("with_cpts", [False, True])
def test_search_reads_a_bounded_number_of_queries(
    client, auth, django_assert_max_num_queries, with_cpts
):
    """The client, the effectors, their slots (and the request's savepoint): the same count
    for 1 slot or 60, CPTS included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lone = effector(number=99)
    slot(lone)
    url = search_url([idnps(lone.professional)], cpts=with_cpts)
    client.get(url, **auth)  # the client's last use recorded: not counted below
    with CaptureQueriesContext(connection) as one_slot:
        assert client.get(url, **auth).json()["total"] == 1
    rota = cpts()
    cpts_structure(rota)
    effectors = [effector(number=n) for n in range(5)]
    for eff in effectors:
        where = site(eff)
        for hour in range(8, 20):
            slot(eff, where, start=at(hour % 3, hour), rota_cpts=rota if hour % 2 else None)
    url = search_url([idnps(e.professional) for e in effectors], cpts=with_cpts)
    with django_assert_max_num_queries(len(one_slot)):
        body = client.get(url, **auth).json()
    assert body["total"] == 60
    assert len(one_slot) <= 5
    kinds = {e["resource"]["resourceType"] for e in body["entry"]}
    assert kinds >= {"Slot", "Schedule", "Practitioner", "PractitionerRole"}
    assert with_cpts == ("HealthcareService" in kinds and "Organization" in kinds)


# --- appointments ----------------------------------------------------------------------------


def post(client, auth, body):
    return client.post("/fhir/Appointment", data=json.dumps(body), content_type=FHIR_JSON, **auth)


def put(client, auth, body, identifier="urn:oid:1.1.111.1.11.1.1.1|rdv-0001"):
    return client.put(
        f"/fhir/Appointment?identifier={identifier}",
        data=json.dumps(body),
        content_type=FHIR_JSON,
        **auth,
    )


def test_booking_through_fhir_takes_the_slot_and_cancelling_frees_it(client, auth):
    eff = effector(number=1)
    offered = slot(eff, start=at(0, 9))
    url = search_url([idnps(eff.professional)])
    body = appointment_body(eff.professional, offered.start, offered.end)
    response = post(client, auth, body)
    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get()
    assert response["Location"] == f"http://testserver/fhir/Appointment/{appointment.pk}"
    assert appointment.slot == offered and appointment.identifier == "rdv-0001"
    assert appointment.identifier_system == "urn:oid:1.1.111.1.11.1.1.1"
    assert appointment.operator_identifier == "3456780581/11242343"
    assert appointment.operator_name == "Dr Régulateur"
    assert appointment.api_client == ApiClient.objects.get()
    stored = response.json()
    assert stored["id"] == str(appointment.pk) and stored["status"] == "booked"
    assert stored["slot"] == [{"reference": f"Slot/{offered.pk}"}]
    assert client.get(url, **auth).json()["total"] == 0

    read = client.get(f"/fhir/Appointment/{appointment.pk}", **auth)
    assert read.status_code == 200 and read.json() == {**stored}

    cancelled = appointment_body(eff.professional, offered.start, offered.end, status="cancelled")
    response = put(client, auth, cancelled)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response["Location"].endswith(f"/fhir/Appointment/{appointment.pk}")
    offered.refresh_from_db()
    assert offered.booked == 0
    assert slot_ids(client.get(url, **auth)) == [offered.pk]
    # cancelling again changes nothing; a cancelled appointment is not brought back
    assert put(client, auth, cancelled).status_code == 200
    offered.refresh_from_db()
    assert offered.booked == 0
    response = put(client, auth, body)
    assert response.status_code == 422
    assert "ne se rétablit pas" in diagnostics(response)


def test_booking_by_slot_reference(client, auth):
    eff = effector(number=1)
    first = slot(eff, start=at(0, 9))
    second = slot(eff, site(eff, address="Maison de santé, 44300 Nantes"), start=at(0, 9))
    body = appointment_body(eff.professional, second.start, second.end, slot=second)
    assert post(client, auth, body).status_code == 201
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.booked, second.booked) == (0, 1)
    # without a reference, the other slot at that time is taken
    body = appointment_body(eff.professional, first.start, first.end, identifier="rdv-0002")
    assert post(client, auth, body).status_code == 201
    first.refresh_from_db()
    assert first.booked == 1


def test_a_taken_slot_gets_409(client, auth):
    eff = effector(number=1)
    offered = slot(eff, start=at(0, 9))
    assert post(client, auth, appointment_body(eff.professional, offered.start, offered.end))
    body = appointment_body(eff.professional, offered.start, offered.end, identifier="rdv-2")
    response = post(client, auth, body)
    assert response.status_code == 409
    assert issues(response)[0]["code"] == "conflict"
    body = appointment_body(
        eff.professional, offered.start, offered.end, identifier="rdv-3", slot=offered
    )
    assert post(client, auth, body).status_code == 409
    assert Appointment.objects.count() == 1
    assert Slot.objects.get().booked == 1


def test_an_identifier_already_used_gets_409(client, auth):
    eff = effector(number=1)
    one, two = slot(eff, start=at(0, 9)), slot(eff, start=at(0, 10))
    assert post(client, auth, appointment_body(eff.professional, one.start, one.end))
    response = post(client, auth, appointment_body(eff.professional, two.start, two.end))
    assert response.status_code == 409
    assert "existe déjà" in diagnostics(response)
    two.refresh_from_db()
    assert two.booked == 0


def test_unshared_slots_and_unknown_times_cannot_be_booked(client, auth):
    eff = effector(number=1)
    hidden = slot(eff, start=at(0, 9), shared=False)
    body = appointment_body(eff.professional, hidden.start, hidden.end)
    response = post(client, auth, body)
    assert response.status_code == 422
    assert "Aucun créneau partagé" in diagnostics(response)
    body = appointment_body(eff.professional, hidden.start, hidden.end, slot=hidden)
    assert post(client, auth, body).status_code == 422
    hidden.refresh_from_db()
    assert hidden.booked == 0


def _without(body, *path):
    target = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


@pytest.mark.parametrize(
    "breaking,where",
    [
        (lambda b: _without(b, "extension"), "Appointment.extension"),
        (lambda b: _without(b, "identifier"), "Appointment.identifier"),
        (
            lambda b: _without(b, "identifier", 0, "system"),
            "Appointment.identifier[0].system",
        ),
        (lambda b: _without(b, "start"), "Appointment.start"),
        (
            lambda b: _without(b, "extension", 0, "valueReference", "identifier", "value"),
            "Appointment.extension[0].valueReference.identifier.value",
        ),
        (
            lambda b: b["participant"][0]["actor"]["identifier"].update(value="123"),
            "Appointment.participant[0].actor.identifier.value",
        ),
        (lambda b: b.update(start="05/01/2026 09:00"), "Appointment.start"),
        (lambda b: b.update(participant=[]), "Appointment.participant"),
        (lambda b: b.update(slot=[{"reference": "Créneau/1"}]), "Appointment.slot[0]"),
        (lambda b: b.update(unknown=1), "Appointment.unknown"),
        (
            lambda b: b["participant"][0].update(status="tentative"),
            "Appointment.participant.status",
        ),
    ],
)
def test_an_invalid_appointment_gets_400_with_the_location(client, auth, breaking, where):
    eff = effector(number=1)
    offered = slot(eff)
    body = appointment_body(eff.professional, offered.start, offered.end)
    breaking(body)
    response = post(client, auth, body)
    assert response.status_code == 400, response.content
    assert any(where in issue.get("expression", []) for issue in issues(response)), issues(response)
    assert Appointment.objects.count() == 0


def test_not_json_or_not_an_appointment_gets_400(client, auth):
    response = client.post("/fhir/Appointment", data="{", content_type=FHIR_JSON, **auth)
    assert response.status_code == 400
    assert "JSON" in diagnostics(response)
    response = post(client, auth, {"resourceType": "Patient"})
    assert response.status_code == 400


def test_conditional_update_cases(client, auth):
    eff = effector(number=1)
    offered = slot(eff, start=at(0, 9))
    body = appointment_body(eff.professional, offered.start, offered.end)
    post(client, auth, body)
    # no such identifier: 404 (creating goes through POST)
    response = put(client, auth, body, identifier="urn:oid:1.1.111.1.11.1.1.1|autre")
    assert response.status_code == 404
    response = put(client, auth, body, identifier="urn:autre|rdv-0001")
    assert response.status_code == 404
    # no identifier parameter
    response = client.put(
        "/fhir/Appointment", data=json.dumps(body), content_type=FHIR_JSON, **auth
    )
    assert response.status_code == 400
    assert "identifier" in diagnostics(response)
    # the body names another appointment
    other = appointment_body(eff.professional, offered.start, offered.end, identifier="x")
    assert put(client, auth, other).status_code == 400
    # moving it is not an update
    moved = appointment_body(eff.professional, at(0, 10), at(0, 10, 20))
    response = put(client, auth, moved)
    assert response.status_code == 422
    # honoured, then no-show: recorded, the slot stays taken
    response = put(client, auth, {**body, "status": "fulfilled"})
    assert response.status_code == 200 and response.json()["status"] == "fulfilled"
    assert put(client, auth, {**body, "status": "noshow"}).json()["status"] == "noshow"
    assert Appointment.objects.get().status == "noshow"
    offered.refresh_from_db()
    assert offered.booked == 1
    # the guide's own cancellation example: participant status "refused" is accepted
    body["status"] = "cancelled"
    body["participant"][0]["status"] = "declined"
    assert put(client, auth, body, identifier="rdv-0001").status_code == 200
    offered.refresh_from_db()
    assert offered.booked == 0


def test_another_clients_appointments_are_invisible(client, auth):
    eff = effector(number=1)
    offered = slot(eff)
    body = appointment_body(eff.professional, offered.start, offered.end)
    post(client, auth, body)
    pk = Appointment.objects.get().pk
    _, other = bearer("Client de test")
    assert client.get(f"/fhir/Appointment/{pk}", **other).status_code == 404
    assert put(client, other, {**body, "status": "cancelled"}).status_code == 404
    assert client.get(f"/fhir/Appointment/{pk + 1}", **auth).status_code == 404
    assert client.get("/fhir/Appointment/abc", **auth).status_code == 404
