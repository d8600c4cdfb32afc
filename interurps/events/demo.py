"""Demo events of Pays de la Loire's InterURPS in 2021 (seed 003, activity report 2021).

From the report:

- the "pauses visio" between CPTS coordinators run by the two chargées de mission CPTS,
  with their dates and topics: 8 January (article 51), 12 February (with the Conseil
  régional), 10 March (presentation of DNUT), 17 December (presentation of DOCTOBUS of
  the Conseil régional);
- the in-person regional days for CPTS coordinators on 31 March, 15 June and 7 October
  2021; the one of 7 October took place in Le Mans, where the chargé de mission SAS,
  Jean CASSARD, presented the SAS scheme;
- the seminar « Mieux se connaître pour agir en santé sur nos territoires » on Tuesday
  23 November 2021, organised by the unions' staff with the support of the ARS, for
  about a hundred URPS elected members and partners: its five morning round tables with
  their titles and speakers (names and offices as printed in the report: public figures
  quoted in a public report), and afternoon workshops on CPTS, MSP and ESP-CLAP mainly
  for newly elected members;
- a round table in April 2021, an evening video conference for partners, launching the
  REPER/ICOPE programme in the region (the report gives the month, not the day).

Illustrative: every time of day, the day of the REPER round table (20 April), the
seminar's order of round tables and workshops within the day, the capacities, the video
links (exemple.fr), the places other than Le Mans, and every registration: registrants'
names and e-mail addresses are fictitious. One upcoming "pause visio", dated a month from
the day the demo is loaded, is also illustrative: it shows a full event with its waiting
list.

The relay trainers' own "pauses visio", trainings and the EHESP webinar of 16 December
belong to the training app (relay trainers' path), not to these events.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from interurps.cpts.models import Cpts
from interurps.events import services
from interurps.events.models import Event, ProgrammeItem
from interurps.organizations.models import Profession

PARIS = ZoneInfo("Europe/Paris")
DEMO_VIDEO_LINK = "https://visio.exemple.fr/interurps-pdl"
COORDINATORS = "Coordinateurs et coordinatrices de CPTS des Pays de la Loire"

K = Event.Kind
P = ProgrammeItem.Kind


@dataclass(frozen=True)
class DemoSpeaker:
    full_name: str
    role: str
    organisation: str = ""


@dataclass(frozen=True)
class DemoItem:
    kind: str
    title: str
    start: time
    end: time
    speakers: list[DemoSpeaker] = field(default_factory=list)
    description: str = ""


@dataclass(frozen=True)
class DemoEvent:
    kind: str
    title: str
    day: date
    start: time
    end: time
    topic: str = ""
    audience: str = COORDINATORS
    place: str = ""
    video_link: str = ""
    capacity: int | None = None
    description: str = ""
    programme: list[DemoItem] = field(default_factory=list)
    registrants: int = 0


def _pause_visio(day: date, topic: str) -> DemoEvent:
    return DemoEvent(
        K.VIDEO_BREAK,
        f"Pause visio des coordinateurs CPTS — {topic}",
        day,
        time(12, 30),
        time(13, 30),
        topic=topic,
        video_link=DEMO_VIDEO_LINK,
        registrants=8,
        description="Pause visio entre coordinateurs et coordinatrices de CPTS des Pays de la "
        "Loire, animée par les chargées de mission CPTS de l'InterURPS.",
    )


def _regional_day(day: date, **fields) -> DemoEvent:
    return DemoEvent(
        K.REGIONAL_DAY,
        f"Journée régionale des coordinateurs CPTS du {day:%d/%m/%Y}",
        day,
        time(9, 30),
        time(16, 30),
        capacity=30,
        registrants=10,
        description="Journée en présentiel pour favoriser les retours d'expérience et la "
        "cohésion d'équipe entre coordinateurs et coordinatrices de CPTS.",
        **fields,
    )


def S(full_name: str, role: str) -> DemoSpeaker:  # noqa: N802
    return DemoSpeaker(full_name, role)


BOUVIER = S("Thomas BOUVIER", "Sous-directeur de l'Assurance Maladie de Loire-Atlantique")
SEMINAR_TITLE = "Mieux se connaître pour agir en santé sur nos territoires"

SEMINAR = DemoEvent(
    K.SEMINAR,
    f"Séminaire InterURPS 2021 « {SEMINAR_TITLE} »",
    date(2021, 11, 23),
    time(9, 0),
    time(17, 0),
    topic=SEMINAR_TITLE,
    audience="Élu·es des URPS et partenaires",
    capacity=120,
    registrants=16,
    description="Séminaire organisé par l'ensemble des salariés des URPS, avec le soutien "
    "de l'ARS Pays de la Loire. Une centaine d'élus URPS et partenaires étaient réunis "
    "autour de tables rondes et d'ateliers.",
    programme=[
        DemoItem(
            P.ROUND_TABLE,
            "Le point de vue des institutions",
            time(9, 15),
            time(9, 50),
            [S("Jean-Jacques COIPLET", "Directeur Général de l'ARS Pays de la Loire"), BOUVIER],
        ),
        DemoItem(
            P.ROUND_TABLE,
            "Focus sur l'InterURPS",
            time(9, 50),
            time(10, 20),
            [
                S("Florent POUGET", "Directeur DOSA de l'ARS Pays de la Loire"),
                S("Tiphaine CITTÉ", "Présidente de l'URPS Sages-femmes"),
            ],
        ),
        DemoItem(
            P.ROUND_TABLE,
            "Table ronde 1 « Numérique : nouveautés et perspectives »",
            time(10, 30),
            time(11, 15),
            [
                S("Anne-Alexandra BABU", "Directrice du GRADeS e-santé"),
                BOUVIER,
                S(
                    "Bernard GEFFROY",
                    "Coordonnateur mission numérique en santé de l'ARS Pays de la Loire",
                ),
                S("Dominique BRACHET", "Vice-président de l'URPS Chirurgiens-dentistes"),
                S("Patrick COUNY", "Président de l'URPS Masseurs-kinésithérapeutes"),
                S("Thomas HERAULT", "Directeur de l'URML"),
            ],
        ),
        DemoItem(
            P.ROUND_TABLE,
            "Table ronde 2 « Innovation / Article 51 : Qu'est-ce que c'est ? Où en sommes-nous ? »",
            time(11, 15),
            time(12, 0),
            [
                S(
                    "Pierre BLAISE",
                    "Directeur du Projet Régional de Santé de l'ARS Pays de la Loire",
                ),
                BOUVIER,
                S("David GUILLET", "Président de l'URPS Infirmiers"),
                S("Alain GUILLEMINOT", "Président de l'URPS Pharmaciens"),
                S("Mathilde MORILLEAU", "Présidente de l'URPS Pédicures-podologues"),
            ],
        ),
        DemoItem(
            P.ROUND_TABLE,
            "Table ronde 3 « Démocratie en santé : à quoi ça sert et comment ça fonctionne ? »",
            time(12, 0),
            time(12, 45),
            [
                S("Gérard ALLARD", "Vice-président de France Assos Santé"),
                S("Antoine CHEREAU", "Président du CTS 85"),
                S("Elsa BENARD", "Présidente de l'URPS Orthophonistes"),
                S("Jean-Baptiste CAILLARD", "Président de l'URML"),
                S("Cédric FERRASSE", "Président de l'URPS Orthoptistes"),
            ],
        ),
        DemoItem(P.BREAK, "Déjeuner", time(12, 45), time(14, 0)),
        *[
            DemoItem(
                P.WORKSHOP,
                f"Atelier {subject}",
                time(14, 0),
                time(16, 30),
                description="Principalement destiné aux nouveaux élus URPS.",
            )
            for subject in ("CPTS", "MSP", "ESP-CLAP")
        ],
    ],
)

EVENTS_2021 = [
    _pause_visio(date(2021, 1, 8), "Article 51"),
    _pause_visio(date(2021, 2, 12), "Avec le Conseil régional"),
    _pause_visio(date(2021, 3, 10), "Présentation de DNUT"),
    _pause_visio(date(2021, 12, 17), "Présentation de DOCTOBUS du Conseil régional"),
    _regional_day(date(2021, 3, 31)),
    _regional_day(date(2021, 6, 15)),
    _regional_day(
        date(2021, 10, 7),
        place="Le Mans",
        topic="Présentation du dispositif SAS",
        programme=[
            DemoItem(
                P.SESSION,
                "Présentation du dispositif SAS (service d'accès aux soins)",
                time(10, 0),
                time(11, 0),
                [DemoSpeaker("Jean CASSARD", "Chargé de mission SAS", "InterURPS")],
            )
        ],
    ),
    DemoEvent(
        K.WEBINAR,
        "Lancement régional du programme REPER – table ronde",
        date(2021, 4, 20),
        time(18, 30),
        time(20, 0),
        topic="REPER/ICOPE — Repérage des personnes âgées à domicile",
        audience="Partenaires du programme REPER",
        video_link=DEMO_VIDEO_LINK,
        registrants=6,
        description="Soirée en conférence audiovisuelle, à destination des partenaires, "
        "pour présenter le programme REPER et la démarche régionale. (Le rapport indique "
        "« en avril » : le jour est illustratif.)",
        programme=[
            DemoItem(
                P.ROUND_TABLE,
                "Présentation du programme REPER et de la démarche régionale",
                time(18, 30),
                time(20, 0),
            )
        ],
    ),
    SEMINAR,
]

UPCOMING_TITLE = "Pause visio des coordinateurs CPTS — retours d'expérience SAS"
UPCOMING_CAPACITY = 10

# Fictitious people: first and last names combined, e-mails on the reserved exemple.fr.
FIRST_NAMES = [
    "Camille", "Julien", "Sophie", "Nicolas", "Claire", "Mathieu", "Élodie", "Antoine",
    "Laura", "Pierre", "Manon", "Hugo", "Pauline", "Romain", "Léa", "Vincent",
]  # fmt: skip
LAST_NAMES = [
    "Fictif", "Exemple", "Démo", "Essai", "Modèle", "Maquette", "Prototype", "Témoin",
]  # fmt: skip
CPTS_NAMES = [
    "CPTS Pays de Retz", "CPTS Sud Loire Vignoble", "CPTS Centre Vendée",
    "CPTS du Grand Saumurois", "CPTS Ancenis", "CPTS Loire Vendée Océan",
    "CPTS Plaine et Marais", "CPTS Erdre et Cens", "CPTS du Choletais",
    "CPTS Nord Est Mayenne",
]  # fmt: skip
PROFESSIONS = [
    "infirmiers", "medecins", "pharmaciens", "masseurs-kinesitherapeutes", "orthophonistes",
    "chirurgiens-dentistes", "sages-femmes", "pedicures-podologues", "orthoptistes",
    "biologistes",
]  # fmt: skip


def _person(index: int) -> tuple[str, str]:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES) + index) % len(LAST_NAMES)]
    slug = f"{first}.{last}".lower()
    for accented, plain in (("é", "e"), ("è", "e"), ("ô", "o")):
        slug = slug.replace(accented, plain)
    return f"{first} {last}", f"{slug}.{index}@exemple.fr"


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def _registrant_fields(spec: DemoEvent, index: int, professions, cpts_by_name) -> dict:
    if spec.audience == COORDINATORS:
        cpts_name = CPTS_NAMES[index % len(CPTS_NAMES)]
        return {"organisation": cpts_name, "cpts": cpts_by_name.get(cpts_name)}
    profession = professions.get(PROFESSIONS[index % len(PROFESSIONS)])
    if spec.kind == K.SEMINAR and index % 4 == 3:
        return {"organisation": "Partenaire (fictif)"}
    return {
        "organisation": profession.union_label if profession else "",
        "profession": profession,
    }


def _create(federation, spec: DemoEvent, professions, cpts_by_name, held: bool) -> Event:
    event = services.event_create(
        federation=federation,
        kind=spec.kind,
        title=spec.title,
        topic=spec.topic,
        description=spec.description,
        starts_at=_at(spec.day, spec.start),
        ends_at=_at(spec.day, spec.end),
        place=spec.place,
        video_link=spec.video_link,
        audience=spec.audience,
        capacity=spec.capacity,
    )
    for item_spec in spec.programme:
        item = services.programme_item_create(
            event=event,
            kind=item_spec.kind,
            title=item_spec.title,
            starts_at=_at(spec.day, item_spec.start),
            ends_at=_at(spec.day, item_spec.end),
            description=item_spec.description,
        )
        for speaker in item_spec.speakers:
            services.speaker_create(
                programme_item=item,
                full_name=speaker.full_name,
                role=speaker.role,
                organisation=speaker.organisation,
            )
    registered_at = event.starts_at - timedelta(days=21) if held else None
    registrations = []
    for index in range(spec.registrants):
        full_name, email = _person(index + spec.day.toordinal() % 7)
        fields = _registrant_fields(spec, index, professions, cpts_by_name)
        registrations.append(
            services.registration_create(
                event=event,
                full_name=full_name,
                email=email,
                public=index % 2 == 0 and not held,
                now=registered_at + timedelta(hours=index) if held else None,
                **fields,
            )
        )
    if held:
        # One in eight registrants did not come.
        for index, registration in enumerate(registrations):
            if index % 8 != 5:
                services.registration_check_in(
                    registration=registration, now=event.starts_at + timedelta(minutes=20)
                )
        services.event_mark_held(event=event, now=event.ends_at)
    return event


@transaction.atomic
def events_demo_load(*, federation) -> list[Event]:
    """Create the demo events that are missing (matched by title). Idempotent."""
    professions = {p.code: p for p in Profession.objects.all()}
    cpts_by_name = {c.name: c for c in Cpts.objects.filter(region=federation.region)}
    existing = set(Event.objects.filter(federation=federation).values_list("title", flat=True))
    created = []
    for spec in EVENTS_2021:
        if spec.title not in existing:
            created.append(_create(federation, spec, professions, cpts_by_name, held=True))
    if UPCOMING_TITLE not in existing:
        day = timezone.localdate() + timedelta(days=30)
        spec = DemoEvent(
            K.VIDEO_BREAK,
            UPCOMING_TITLE,
            day,
            time(12, 30),
            time(13, 30),
            topic="Retours d'expérience sur le SAS",
            video_link=DEMO_VIDEO_LINK,
            capacity=UPCOMING_CAPACITY,
            registrants=UPCOMING_CAPACITY + 2,
            description="Événement illustratif (données de démonstration) : complet, avec "
            "une liste d'attente.",
        )
        created.append(_create(federation, spec, professions, cpts_by_name, held=False))
    return created
