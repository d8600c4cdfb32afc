"""Every answer of the FHIR interface against the ANS guide's profiles, read from the
guide's package (`fhir_profiles`); the guide's examples parsed with fhir.resources R4B and
accepted by the checker, which rejects broken resources."""

import copy
import json
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class

from interurps.sas.fhir import resources as r
from interurps.sas.tests import fhir_profiles
from interurps.sas.tests.fhir_helpers import (
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

FHIR_JSON = "application/fhir+json"
OWN_PROFILES = [
    r.PROFILE_BUNDLE,
    r.PROFILE_SLOT,
    r.PROFILE_SCHEDULE,
    r.PROFILE_PRACTITIONER,
    r.PROFILE_ROLE,
    r.PROFILE_LOCATION,
    r.PROFILE_APPOINTMENT,
    r.PROFILE_CPTS_BUNDLE,
    r.PROFILE_CPTS_SLOT,
    r.PROFILE_CPTS_SERVICE,
    r.PROFILE_CPTS_ORGANIZATION,
]


@pytest.fixture(scope="module")
def ig():
    try:
        return fhir_profiles.load_package()
    except fhir_profiles.PackageMissing as error:
        pytest.fail(str(error))


def parse(resource: dict):
    """fhir.resources R4B reads it (structure, datatypes, unknown elements)."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def conforms(ig, resource: dict, profile: str | None = None):
    parse(resource)
    problems = ig.check(resource, profile)
    assert problems == [], "\n".join(problems)


def every_resource(resource: dict):
    yield resource
    for entry in resource.get("entry", []):
        yield from every_resource(entry["resource"])
    for contained in resource.get("contained", []):
        yield from every_resource(contained)


# --- the package and the checker -------------------------------------------------------------


def test_a_missing_package_fails_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv(fhir_profiles.PACKAGE_ENV, str(tmp_path / "absent.tgz"))
    with pytest.raises(fhir_profiles.PackageMissing, match="SAS_FHIR_IG_PACKAGE"):
        fhir_profiles.package_path()


def test_the_package_holds_the_profiles_we_claim(ig):
    for url in OWN_PROFILES:
        assert ig.profile(url) is not None, url
    assert len(ig.examples) >= 7


def test_the_guide_examples_parse_and_conform(ig):
    for name, example in ig.examples.items():
        parse(example)
        assert example["meta"]["profile"], name
        assert ig.check(example) == [], name


@pytest.mark.parametrize(
    "example,breaking,expected",
    [
        ("Slot-ExampleSlotCPTS.json", lambda s: s.update(status="busy"), "Slot.status"),
        ("Slot-ExampleSlotCPTS.json", lambda s: s.pop("schedule"), "Slot.schedule"),
        ("Slot-ExampleSlotCPTS.json", lambda s: s.pop("start"), "Slot.start"),
        (
            "Slot-ExampleSlotCPTS.json",
            lambda s: s["meta"].update(security=[{"system": r.SLOT_TYPE_SYSTEM, "code": "URGENT"}]),
            "Slot.meta.security",
        ),
        (
            "Slot-ExampleSlotCPTS.json",
            lambda s: s["serviceType"][1].pop("extension"),
            "Slot.serviceType[1].extension",
        ),
        (
            "Practitioner-ExamplePractitioner.json",
            lambda p: p["identifier"][0].update(system="urn:oid:1.2.250.1.71.4.2.2"),
            "Practitioner.identifier.system",
        ),
        (
            "Practitioner-ExamplePractitioner.json",
            lambda p: p["identifier"][0]["type"]["coding"][0].update(code="ADELI"),
            "Practitioner.identifier.type",
        ),
        ("Practitioner-ExamplePractitioner.json", lambda p: p.pop("identifier"), "identifier"),
        (
            "PractitionerRole-ExamplePractitionerRoleAgregateur.json",
            lambda p: p.pop("contained"),
            "PractitionerRole.contained",
        ),
        (
            "PractitionerRole-ExamplePractitionerRoleAgregateur.json",
            lambda p: p["contained"][0]["address"].pop("postalCode"),
            "address.postalCode",
        ),
        (
            "PractitionerRole-ExamplePractitionerRoleAgregateur.json",
            lambda p: p["location"].append({"reference": "#autre"}),
            "PractitionerRole.location",
        ),
        ("Schedule-ExampleSchedule.json", lambda s: s.pop("actor"), "Schedule.actor"),
        (
            "Organization-ExampleOrgaCPTS.json",
            lambda o: o["identifier"].append(copy.deepcopy(o["identifier"][0])),
            "Organization.identifier",
        ),
        (
            "Bundle-ExampleBundleCPTS.json",
            lambda b: b.update(type="collection"),
            "Bundle.type",
        ),
        (
            "Bundle-ExampleBundleCPTS.json",
            lambda b: b.update(entry=b["entry"][:3]),
            "Bundle.entry",
        ),
        (
            "Bundle-ExampleBundleCPTS.json",
            lambda b: b["entry"][0]["resource"].update(status="busy"),
            "Bundle.entry[0].resource.status",
        ),
    ],
)
def test_the_checker_rejects_broken_resources(ig, example, breaking, expected):
    resource = copy.deepcopy(ig.examples[example])
    breaking(resource)
    problems = ig.check(resource)
    assert any(expected in problem for problem in problems), problems


def test_the_checker_rejects_a_broken_appointment(ig, appointment):
    broken = copy.deepcopy(appointment)
    broken.pop("extension")
    broken["participant"][0]["status"] = "declined"
    broken["participant"][0]["actor"]["identifier"]["system"] = "urn:autre"
    problems = ig.check(broken)
    for expected in (
        "Appointment.extension",
        "Appointment.participant.status",
        "Appointment.participant.actor.identifier.system",
    ):
        assert any(expected in problem for problem in problems), (expected, problems)


# --- our answers -----------------------------------------------------------------------------


@pytest.fixture
def auth(db):
    return bearer()[1]


@pytest.fixture
def world(db):
    """Two individual practitioners, one of them in a CPTS rota with a CPTS slot."""
    rota = cpts()
    cpts_structure(rota)
    alone = effector(number=1, statement_signed_on=None)
    slot(alone, site(alone), start=at(0, 9), type_public=True, type_snp=True)
    slot(
        alone,
        site(alone, address="Cabinet sans code postal"),
        start=at(1, 14),
        consultation_type="teleconsultation",
        type_pro=True,
    )
    member = effector(number=2)
    slot(member, site(member), start=at(0, 18), rota_cpts=rota, type_cpts=True, capacity=3)
    slot(member, start=at(2, 8), consultation_type="home")
    return {"alone": alone, "member": member, "rota": rota}


def _search(client, auth, world, **kwargs):
    effectors = (world["alone"], world["member"])
    response = client.get(search_url([idnps(e.professional) for e in effectors], **kwargs), **auth)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    return response.json()


def test_individual_search_answer_conforms(ig, client, auth, world):
    bundle = _search(client, auth, world)
    assert bundle["meta"]["profile"] == [r.PROFILE_BUNDLE]
    conforms(ig, bundle)
    kinds = {}
    for resource in every_resource(bundle):
        conforms(ig, resource)  # each against its own declared profile
        kinds.setdefault(resource["resourceType"], []).append(resource)
    assert len(kinds["Slot"]) == bundle["total"] == 4
    # one agenda and one practice per effector and site: 2 + 1 sites
    assert len(kinds["Schedule"]) == len(kinds["PractitionerRole"]) == 3
    assert len(kinds["Practitioner"]) == 2 and len(kinds["Location"]) == 3
    for resource in kinds["Slot"]:
        assert resource["meta"]["profile"] == [r.PROFILE_SLOT]  # no CPTS include asked


def test_cpts_search_answer_conforms(ig, client, auth, world):
    bundle = _search(client, auth, world, cpts=True)
    assert bundle["meta"]["profile"] == [r.PROFILE_CPTS_BUNDLE]
    conforms(ig, bundle)
    conforms(ig, bundle, r.PROFILE_BUNDLE)  # it is a BundleAgregateur too
    for resource in every_resource(bundle):
        conforms(ig, resource)
    slots = {
        e["resource"]["start"]: e["resource"] for e in bundle["entry"] if "status" in e["resource"]
    }
    rota_slot = slots["2026-01-05T18:00:00+01:00"]
    assert rota_slot["meta"]["profile"] == [r.PROFILE_CPTS_SLOT]
    reference = rota_slot["serviceType"][1]["extension"][0]["valueReference"]["reference"]
    service = next(e["resource"] for e in bundle["entry"] if e["fullUrl"].endswith("/" + reference))
    organization = next(
        e["resource"]
        for e in bundle["entry"]
        if e["fullUrl"].endswith("/" + service["providedBy"]["reference"])
    )
    assert organization["identifier"][0]["value"] == "312345678900017"  # "3" + SIRET
    assert organization["name"] == world["rota"].name
    # the member's other slot is an individual one
    assert slots["2026-01-07T08:00:00+01:00"]["meta"]["profile"] == [r.PROFILE_SLOT]


def test_empty_answer_conforms(ig, client, auth, world):
    url = search_url([idnps(world["alone"].professional)], ge="ge2027-01-01", le="le2027-01-02")
    bundle = client.get(url, **auth).json()
    assert bundle["total"] == 0
    conforms(ig, bundle)


def test_slot_types_are_the_national_codes(ig, client, auth, world):
    codes = ig.codes(
        "https://interop.esante.gouv.fr/ig/fhir/sas/ValueSet/sas-cpts-valueset-typecreneau"
    )
    consultation = ig.codes(
        "https://interop.esante.gouv.fr/ig/fhir/sas/ValueSet/sas-valueset-typeconsultation"
    )
    bundle = _search(client, auth, world)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] != "Slot":
            continue
        security = {(c["system"], c["code"]) for c in resource["meta"]["security"]}
        assert security and security <= codes
        coding = resource["serviceType"][0]["coding"][0]
        assert (coding["system"], coding["code"]) in consultation


@pytest.fixture
def appointment(db, client):
    _, auth = bearer("Rendez-vous")
    eff = effector(number=7)
    offered = slot(eff, start=at(0, 9))
    body = appointment_body(eff.professional, offered.start, offered.end)
    response = client.post(
        "/fhir/Appointment", data=json.dumps(body), content_type=FHIR_JSON, **auth
    )
    assert response.status_code == 201
    return response.json()


def test_appointment_answers_conform(ig, client, appointment):
    conforms(ig, appointment)
    assert appointment["meta"]["profile"] == [r.PROFILE_APPOINTMENT]


def test_read_and_updated_appointments_conform(ig, client, db):
    _, auth = bearer("Lecture")
    eff = effector(number=8)
    offered = slot(eff, start=at(0, 9))
    body = appointment_body(eff.professional, offered.start, offered.end)
    created = client.post(
        "/fhir/Appointment", data=json.dumps(body), content_type=FHIR_JSON, **auth
    )
    read = client.get(created["Location"], **auth).json()
    conforms(ig, read)
    body["status"] = "cancelled"
    updated = client.put(
        "/fhir/Appointment?identifier=urn:oid:1.1.111.1.11.1.1.1|rdv-0001",
        data=json.dumps(body),
        content_type=FHIR_JSON,
        **auth,
    ).json()
    assert updated["status"] == "cancelled"
    conforms(ig, updated)


def test_the_guide_appointment_we_accept_conforms(ig, db):
    """What the tests send is what the guide describes (FrAppointmentSAS)."""
    eff = effector(number=9)
    body = appointment_body(eff.professional, at(0, 9), at(0, 9, 20))
    conforms(ig, body)


def test_the_package_is_not_copied_into_the_repository():
    root = Path(fhir_profiles.REPOSITORY)
    for folder in ("interurps", "tests", "config", "docs", "bench"):
        assert not list((root / folder).glob("**/StructureDefinition-*.json"))
        assert not list((root / folder).glob("**/package.tgz"))


def test_error_answers_are_operation_outcomes(client, auth, world):
    answers = [
        client.get("/fhir/Slot"),  # 401
        client.get(search_url([]), **auth),  # 400
        client.get("/fhir/Appointment/0", **auth),  # 404
        client.post("/fhir/Appointment", data="[]", content_type=FHIR_JSON, **auth),  # 400
    ]
    assert [a.status_code for a in answers] == [401, 400, 404, 400]
    for answer in answers:
        outcome = parse(answer.json())
        assert outcome.issue and all(issue.diagnostics for issue in outcome.issue)


def test_capability_statement_parses(client, db):
    parse(client.get("/fhir/metadata").json())
