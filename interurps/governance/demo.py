"""Demo governance of Pays de la Loire's InterURPS in 2021 (seed 003, activity report 2021).

From the report: three co-presidents (the presidents of the URML, of the URPS
Orthophonistes and of the URPS Pharmaciens), "11 conseils d'administration", the
"assemblée générale le 9 mars 2021", and two employees lent by the URPS Infirmiers
libéraux and the URPS Chirurgiens-dentistes for administrative and financial follow-up.
Every person's name is fictitious. Meeting dates (other than the general assembly),
the places, attendance, votes, the decisions' wording and the dates of mandates
and employment are illustrative.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from interurps.governance import selectors, services
from interurps.governance.models import Attendance, Body, BodyMember, StaffMember
from interurps.organizations.models import Union

PARIS = ZoneInfo("Europe/Paris")
# The association was created in December 2019 (report, "Créée en décembre 2019").
MANDATES_START = date(2019, 12, 1)
BOARD = "Conseil d'administration"
ASSEMBLY = "Assemblée générale"
DEMO_RULE = (
    "Le conseil ne délibère valablement que si la moitié au moins de ses membres sont "
    "présents ou représentés. (Rédaction de démonstration : les statuts ne figurent pas "
    "dans les sources.)"
)
ASSEMBLY_RULE = (
    "L'assemblée générale ne délibère valablement que si la moitié au moins de ses membres "
    "sont présents ou représentés. (Rédaction de démonstration.)"
)


@dataclass(frozen=True)
class DemoMandate:
    profession: str
    full_name: str
    office: str = BodyMember.Office.MEMBER
    start_date: date = MANDATES_START
    end_date: date | None = None


CO = BodyMember.Office.CO_PRESIDENT
MANDATES = [
    DemoMandate("medecins", "Étienne Roussel", CO),
    DemoMandate("masseurs-kinesitherapeutes", "Hélène Barbier"),
    DemoMandate("infirmiers", "Thomas Lefort"),
    DemoMandate("chirurgiens-dentistes", "Isabelle Moreau"),
    DemoMandate("pharmaciens", "Yves Le Gall", CO),
    DemoMandate("pedicures-podologues", "Sandrine Guérin"),
    DemoMandate("orthophonistes", "Agnès Poirier", CO),
    DemoMandate("orthoptistes", "Julie Carré"),
    # A replacement during 2021, so that the page has a past mandate to show.
    DemoMandate("biologistes", "Olivier Texier", end_date=date(2021, 6, 30)),
    DemoMandate("biologistes", "Nathalie Brunet", start_date=date(2021, 7, 1)),
    DemoMandate("sages-femmes", "Lucie Pichon"),
]

# (month, day) of the 11 board meetings of 2021, each with its decisions' titles.
BOARD_MEETINGS = [
    ((1, 19), ["Budget prévisionnel 2021", "Appel de fonds 2021 auprès des 10 URPS"]),
    ((2, 16), ["Comptes 2020 soumis à l'assemblée générale"]),
    ((3, 23), ["Candidature de la Loire-Atlantique comme projet pilote du SAS"]),
    ((4, 20), ["Soutien au projet SAS de la Sarthe"]),
    ((5, 18), ["Lancement de l'expérimentation REPER/ICOPE", "Choix des territoires"]),
    ((6, 15), ["Programme PACTE : formation des coordinateur·rices de CPTS"]),
    ((7, 6), ["Plan de communication 2021"]),
    ((9, 14), ["Accompagnement des CPTS : bilan du premier semestre"]),
    ((10, 12), ["Convention de mise à disposition des salariées des URPS"]),
    ((11, 16), ["Orientations 2022", "Calendrier des instances 2022"]),
    ((12, 14), ["Budget prévisionnel 2022"]),
]
ASSEMBLY_DECISIONS = [
    "Approbation du rapport d'activité 2020",
    "Approbation des comptes 2020",
    "Affectation du solde de l'appel de fonds 2020",
]

STAFF = [
    ("Céline Morvan", "Suivi administratif", "infirmiers"),
    ("Aurélie Jouan", "Suivi financier", "chirurgiens-dentistes"),
]


def _body(federation, kind: str, name: str, rule: str) -> Body:
    body = Body.objects.filter(federation=federation, name=name).first()
    return body or services.body_create(
        federation=federation, kind=kind, name=name, quorum_rule_text=rule
    )


def _members(body: Body, unions: dict[str, Union]) -> None:
    existing = set(body.members.values_list("full_name", "start_date"))
    for mandate in MANDATES:
        if (mandate.full_name, mandate.start_date) in existing:
            continue
        services.body_member_create(
            body=body,
            full_name=mandate.full_name,
            union=unions[mandate.profession],
            office=mandate.office,
            start_date=mandate.start_date,
            end_date=mandate.end_date,
        )


def _attendance(members: list[BodyMember], index: int) -> list[services.AttendanceEntry]:
    """One excused, one represented by a present member; one absent every fourth time."""
    n = len(members)
    excused, represented = (index + 3) % n, (index + 6) % n
    absent = (index + 8) % n if index % 4 == 0 else None
    away = {excused, represented, absent}
    holder = next(m for i, m in enumerate(members) if i not in away)
    entries = []
    for i, member in enumerate(members):
        if i == excused:
            entries.append(services.AttendanceEntry(member, Attendance.Status.EXCUSED))
        elif i == represented:
            entries.append(services.AttendanceEntry(member, Attendance.Status.REPRESENTED, holder))
        elif i == absent:
            entries.append(services.AttendanceEntry(member, Attendance.Status.ABSENT))
        else:
            entries.append(services.AttendanceEntry(member, Attendance.Status.PRESENT))
    return entries


def _meeting(body: Body, held_at: datetime, titles: list[str], index: int, place: str) -> None:
    if body.meetings.filter(held_at=held_at).exists():
        return
    meeting = services.meeting_create(
        body=body,
        held_at=held_at,
        place=place,
        agenda="\n".join(f"{n}. {title}" for n, title in enumerate(titles, start=1)),
        convocation_sent_on=(held_at - timedelta(days=15)).date(),
    )
    members = list(selectors.members_on(body, meeting.held_on))
    services.attendance_record(meeting=meeting, entries=_attendance(members, index))
    voters = selectors.voters_of(meeting)
    for n, title in enumerate(titles):
        abstentions = (index + n) % 2
        services.decision_create(
            meeting=meeting,
            title=title,
            votes_for=voters - abstentions,
            votes_against=0,
            abstentions=abstentions,
        )
    services.meeting_mark_held(
        meeting=meeting,
        minutes="Compte rendu de démonstration : les débats ne sont pas reproduits.",
    )


@transaction.atomic
def governance_demo_load(*, federation) -> dict[str, Body]:
    """Create (or complete) the demo board, general assembly, meetings and staff. Idempotent."""
    unions = {u.profession_id: u for u in Union.objects.filter(region=federation.region)}
    board = _body(federation, Body.Kind.BOARD, BOARD, DEMO_RULE)
    assembly = _body(federation, Body.Kind.GENERAL_ASSEMBLY, ASSEMBLY, ASSEMBLY_RULE)
    for body in (board, assembly):
        _members(body, unions)

    for index, ((month, day), titles) in enumerate(BOARD_MEETINGS):
        held_at = datetime(2021, month, day, 18, 30, tzinfo=PARIS)
        _meeting(board, held_at, titles, index, "Visioconférence")
    _meeting(assembly, datetime(2021, 3, 9, 18, 0, tzinfo=PARIS), ASSEMBLY_DECISIONS, 1, "")

    for full_name, job_title, profession in STAFF:
        if not StaffMember.objects.filter(federation=federation, full_name=full_name).exists():
            services.staff_member_create(
                federation=federation,
                full_name=full_name,
                job_title=job_title,
                employer_kind=StaffMember.EmployerKind.UNION,
                lent_by=unions[profession],
                start_date=date(2021, 1, 1),
            )
    return {"board": board, "assembly": assembly}
