"""Records and requests for the FHIR interface's tests (not a test module)."""

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Department, Region
from interurps.professionals.models import Professional
from interurps.sas.fhir.auth import api_client_create
from interurps.sas.models import Effector, ParticipationMode, Site, Slot, Structure, StructureKind

PARIS = ZoneInfo("Europe/Paris")
RPPS = "urn:oid:1.2.250.1.71.4.2.1"
DAY = datetime(2026, 1, 5, tzinfo=PARIS)  # a Monday


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    return DAY + timedelta(days=day_offset, hours=hour, minutes=minute)


def professional(number: int, last_name="Martin", first_name="Claire") -> Professional:
    return Professional.objects.create(
        identifier=f"{10000000000 + number}",
        identifier_kind="rpps",
        last_name=last_name,
        first_name=first_name,
        profession_id="medecins",
        specialty="Médecine générale",
        source="annuaire",
    )


def idnps(pro: Professional) -> str:
    return f"{RPPS}|8{pro.identifier}"


def effector(pro: Professional | None = None, *, number=1, through=None, **fields) -> Effector:
    pro = pro or professional(number)
    return Effector.objects.create(
        region=Region.objects.get(code="52"),
        professional=pro,
        participation_mode=ParticipationMode.CPTS if through else ParticipationMode.INDIVIDUAL,
        through=through,
        **fields,
    )


def site(eff: Effector, address="3 rue de la Paix, 44000 Nantes") -> Site:
    return Site.objects.create(
        effector=eff,
        name="Cabinet de la Paix",
        address=address,
        commune=Commune.objects.get(code="44109"),
        latitude=47.218,
        longitude=-1.553,
    )


def slot(eff: Effector, where: Site | None = None, start=None, minutes=20, **fields) -> Slot:
    start = start or at(0, 9)
    fields.setdefault("shared", True)
    return Slot.objects.create(
        effector=eff,
        site=where or eff.sites.first() or site(eff),
        start=start,
        end=start + timedelta(minutes=minutes),
        **fields,
    )


def cpts(name="CPTS de l'Erdre", siret="12345678900017") -> Cpts:
    return Cpts.objects.create(
        name=name,
        region=Region.objects.get(code="52"),
        main_department=Department.objects.get(code="44"),
        siret=siret,
        phone="+33240000000",
    )


def cpts_structure(record: Cpts) -> Structure:
    return Structure.objects.create(
        region=record.region, kind=StructureKind.CPTS, name=record.name, cpts=record
    )


def bearer(name="Plateforme numérique SAS") -> tuple:
    client, token = api_client_create(name=name)
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def search_url(
    identifiers,
    ge="ge2026-01-05T00:00:00+01:00",
    le="le2026-01-07T23:59:59+01:00",
    *,
    include=True,
    cpts=False,
    status="free",
) -> str:
    params = []
    if include:
        params += [("_include", "Slot:schedule"), ("_include:iterate", "Schedule:actor")]
    if cpts:
        params.append(("_include", "Slot:service-type-reference"))
    if ge:
        params.append(("start", ge))
    if le:
        params.append(("start", le))
    if identifiers:
        params.append(("schedule.actor:Practitioner.identifier", ",".join(identifiers)))
    if status:
        params.append(("status", status))
    return "/fhir/Slot?" + urlencode(params)


def appointment_body(
    pro: Professional,
    start,
    end,
    *,
    identifier="rdv-0001",
    slot=None,
    status="booked",
    operator="3456780581/11242343",
) -> dict:
    body = {
        "resourceType": "Appointment",
        "meta": {"profile": ["http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS"]},
        "identifier": [{"system": "urn:oid:1.1.111.1.11.1.1.1", "value": identifier}],
        "extension": [
            {
                "url": "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator",
                "valueReference": {
                    "identifier": {
                        "type": {
                            "coding": [
                                {
                                    "system": "http://interopsante.org/fhir/CodeSystem/fr-v2-0203",
                                    "code": "IDNPS",
                                }
                            ]
                        },
                        "system": RPPS,
                        "value": operator,
                    },
                    "display": "Dr Régulateur",
                },
            }
        ],
        "status": status,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "participant": [
            {
                "actor": {
                    "identifier": {
                        "type": {
                            "coding": [
                                {
                                    "system": "http://interopsante.org/fhir/CodeSystem/fr-v2-0203",
                                    "code": "IDNPS",
                                }
                            ]
                        },
                        "system": RPPS,
                        "value": "8" + pro.identifier,
                    }
                },
                "status": "accepted",
            }
        ],
    }
    if slot is not None:
        body["slot"] = [{"reference": f"Slot/{slot.pk}"}]
    return body
