"""Hand-made REPER data for the monitoring tests: two CPTS of Pays de la Loire, three
professionals and a few people whose work queues are written out by hand in the tests.

Every date is relative to `today`, so the same data serves the selectors (with a fixed
`today`) and the pages (with the real one).
"""

import datetime as dt
from dataclasses import dataclass, field

from interurps.accounts.models import Role
from interurps.accounts.services import role_assign
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Department, Region
from interurps.professionals.models import PracticeSite, Professional
from interurps.reper import services as reper_services
from interurps.reper.models import Assessment, CarePlan, FollowUp, Person, Screening
from tests.factories import UserFactory

CITY = "44109"  # Nantes: more than 5,000 inhabitants


def small_commune() -> Commune:
    return (
        Commune.objects.filter(department_id="44", population__lt=1000, population__gt=0)
        .order_by("code")
        .first()
    )


def make_cpts(name: str, communes) -> Cpts:
    cpts = Cpts.objects.create(
        name=name, region_id="52", main_department=Department.objects.get(code="44")
    )
    cpts.communes.set(communes)
    return cpts


_identifier = iter(range(10_000_000_000, 20_000_000_000))


def make_professional(last_name: str, profession: str, commune: Commune) -> Professional:
    professional = Professional.objects.create(
        identifier=str(next(_identifier)),
        identifier_kind="rpps",
        source="annuaire",
        profession_id=profession,
        last_name=last_name,
        first_name="Dominique",
        search_name=last_name.lower(),
        active=True,
    )
    PracticeSite.objects.create(professional=professional, commune=commune, mode="liberal")
    return professional


def professional_user(professional, region_code="52"):
    user = UserFactory()
    role_assign(
        user=user,
        role=Role.HEALTH_PROFESSIONAL,
        region=Region.objects.get(code=region_code),
        professional=professional,
    )
    return user


def coordinator_user(cpts):
    user = UserFactory()
    role_assign(user=user, role=Role.CPTS_COORDINATOR, region=cpts.region, cpts=cpts)
    return user


def make_person(pseudonym, cpts, *, age, today, commune=None, followed_by=(), **fields):
    fields.setdefault("consent_scope", Person.ConsentScope.FOLLOW_UP_AND_EVALUATION)
    person = Person.objects.create(
        pseudonym=pseudonym,
        cpts=cpts,
        birth_year=today.year - age,
        sex=fields.pop("sex", Person.Sex.FEMALE),
        commune=commune or cpts.communes.order_by("code").first(),
        consent_on=dt.date(2020, 1, 1),
        last_name=f"Nom-{pseudonym}",
        first_name=f"Prénom-{pseudonym}",
        birth_date=dt.date(today.year - age, 4, 12),
        phone="06 12 34 56 78",
        email=f"{pseudonym.lower()}@exemple.fr",
        address="12 rue des Tilleuls",
        treating_physician="Dr Médecin-Traitant",
        **fields,
    )
    for professional in followed_by:
        FollowUp.objects.create(person=person, professional=professional, since=dt.date(2020, 1, 1))
    return person


def screen(person, professional, day, positives=(), **fields) -> Screening:
    return Screening.objects.create(
        person=person,
        professional=professional,
        screened_on=day,
        answers={},
        positive_count=len(positives),
        **{f"{d}_positive": True for d in positives},
        **fields,
    )


def assess(screening, domain, *, due_on, status="to_do", done_on=None, assigned_to=None, **kw):
    return Assessment.objects.create(
        person=screening.person,
        screening=screening,
        domain=domain,
        due_on=due_on,
        status=status,
        done_on=done_on,
        assigned_to=assigned_to,
        **kw,
    )


@dataclass
class Queues:
    today: dt.date
    cpts_a: Cpts
    cpts_b: Cpts
    p1: Professional  # nurse in CPTS A
    p2: Professional  # physician in CPTS A
    p3: Professional  # physiotherapist in CPTS B
    people: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)


def build_queues(today: dt.date) -> Queues:
    """The queues' data (see tests/test_monitoring_queues.py for the expected orders)."""
    days = dt.timedelta
    small = small_commune()
    city = Commune.objects.get(code=CITY)
    other = Commune.objects.filter(department_id="44").exclude(code__in=[CITY, small.code])
    other = other.order_by("code").first()
    cpts_a = make_cpts("CPTS Alpha", [city, small])
    cpts_b = make_cpts("CPTS Bêta", [other])
    for cpts in (cpts_a, cpts_b):  # both run the REPER programme
        reper_services.programme_cpts_add(cpts=cpts, since=dt.date(2021, 1, 1))
    p1 = make_professional("Infirmière", "infirmiers", city)
    p2 = make_professional("Médecin", "medecins", small)
    p3 = make_professional("Kiné", "masseurs-kinesitherapeutes", other)
    data = Queues(today, cpts_a, cpts_b, p1, p2, p3)
    people, records = data.people, data.records

    def six_months_ago(extra_days):
        return today - days(183 + extra_days)

    alice = make_person("R-ALICE", cpts_a, age=86, today=today, followed_by=[p1])
    s = screen(alice, p1, six_months_ago(75), ("cognition", "mobility", "mood"))
    records["alice_cognition"] = assess(s, "cognition", due_on=today - days(45))
    records["alice_mobility"] = assess(s, "mobility", due_on=today + days(15))
    assess(s, "mood", due_on=today - days(90), status="done", done_on=today - days(100))

    bob = make_person(
        "R-BOB", cpts_a, age=71, today=today, followed_by=[p1, p2], sex=Person.Sex.MALE
    )
    s = screen(bob, p2, six_months_ago(26), ("nutrition", "vision", "hearing"))
    records["bob_nutrition"] = assess(s, "nutrition", due_on=today - days(14), assigned_to=p2)

    carol = make_person("R-CAROL", cpts_a, age=76, today=today, followed_by=[p1])
    screen(carol, p1, six_months_ago(14), ("vision",))
    records["carol_plan"] = CarePlan.objects.create(
        person=carol,
        created_on=today - days(200),
        last_reviewed_on=today - days(134),
        goals="Marcher tous les jours",
        created_by=p1,
    )

    dave = make_person("R-DAVE", cpts_a, age=81, today=today, followed_by=[p2], sex=Person.Sex.MALE)
    s = screen(dave, p2, six_months_ago(106), ("hearing", "mood"))
    records["dave_hearing"] = assess(s, "hearing", due_on=today - days(134))

    erin = make_person(
        "R-ERIN", cpts_a, age=90, today=today, followed_by=[p1], consent_withdrawn_on=today
    )
    s = screen(erin, p1, six_months_ago(300), ("cognition", "mobility", "nutrition", "mood"))
    assess(s, "cognition", due_on=today - days(200))

    frank = make_person("R-FRANK", cpts_b, age=88, today=today, followed_by=[p3])
    s = screen(frank, p3, today - days(30), ("mobility",))
    records["frank_mobility"] = assess(s, "mobility", due_on=today - days(2))

    # Nothing waits for Gina: recent screening, reviewed plan, assessment done.
    gina = make_person("R-GINA", cpts_a, age=65, today=today, followed_by=[p1])
    s = screen(gina, p1, today - days(20), ("mobility",))
    assess(s, "mobility", due_on=today - days(5), status="done", done_on=today - days(6))
    CarePlan.objects.create(
        person=gina,
        created_on=today - days(300),
        last_reviewed_on=today - days(10),
        goals="Prévenir les chutes",
        created_by=p1,
    )
    # An old closed plan never waits.
    CarePlan.objects.create(
        person=gina,
        created_on=today - days(900),
        goals="Ancien plan",
        created_by=p1,
        status=CarePlan.Status.CLOSED,
    )
    people.update(alice=alice, bob=bob, carol=carol, dave=dave, erin=erin, frank=frank, gina=gina)
    return data


@dataclass
class Figures:
    cpts_a: Cpts
    cpts_b: Cpts
    nurse: Professional
    physician: Professional
    physio: Professional
    people: dict = field(default_factory=dict)


def build_indicators() -> Figures:
    """Screenings of 2023 whose indicators are computed by hand in
    tests/test_monitoring_indicators.py."""
    D = dt.date
    small = small_commune()
    city = Commune.objects.get(code=CITY)
    other = Commune.objects.filter(department_id="44").exclude(code__in=[CITY, small.code])
    other = other.order_by("code").first()
    cpts_a = make_cpts("CPTS Alpha", [city, small])
    cpts_b = make_cpts("CPTS Bêta", [other])
    nurse = make_professional("Infirmière", "infirmiers", city)
    physician = make_professional("Médecin", "medecins", small)
    physio = make_professional("Kiné", "masseurs-kinesitherapeutes", other)
    today = D(2026, 6, 15)
    p1 = make_person("R-P1", cpts_a, age=80, today=today, commune=city, followed_by=[nurse])
    p2 = make_person(
        "R-P2",
        cpts_a,
        age=70,
        today=today,
        commune=city,
        followed_by=[physician],
        consent_scope=Person.ConsentScope.FOLLOW_UP,
        sex=Person.Sex.MALE,
    )
    p3 = make_person(
        "R-P3",
        cpts_a,
        age=75,
        today=today,
        commune=small,
        followed_by=[nurse],
        consent_withdrawn_on=D(2024, 1, 1),
    )
    p4 = make_person("R-P4", cpts_b, age=92, today=today, commune=other, followed_by=[physio])

    s1 = screen(p1, nurse, D(2023, 1, 10), ("cognition", "mobility"))
    assess(
        s1,
        "cognition",
        due_on=D(2023, 3, 1),
        status="done",
        done_on=D(2023, 2, 9),
        tool="MoCA",
        abnormal=True,
    )
    assess(
        s1,
        "mobility",
        due_on=D(2023, 3, 1),
        status="done",
        done_on=D(2023, 3, 11),
        tool="SPPB",
        abnormal=False,
    )
    s2 = screen(p2, physician, D(2023, 1, 20), ("vision",))
    assess(s2, "vision", due_on=D(2023, 3, 1))
    screen(p3, nurse, D(2023, 2, 5))
    s4 = screen(p1, nurse, D(2023, 7, 10), ("mobility",))
    assess(s4, "mobility", due_on=D(2023, 9, 1), status="done", done_on=D(2023, 11, 7))
    s5 = screen(p4, physio, D(2023, 3, 1), ("nutrition", "hearing", "mood"))
    assess(s5, "nutrition", due_on=D(2023, 4, 1), status="done", done_on=D(2023, 3, 1))
    assess(s5, "hearing", due_on=D(2023, 4, 1), status="cancelled")
    screen(p2, physician, D(2024, 1, 25))  # 12 months after S2: outside 2023
    screen(p3, nurse, D(2022, 12, 1), ("vision",))  # before 2023
    return Figures(cpts_a, cpts_b, nurse, physician, physio, dict(p1=p1, p2=p2, p3=p3, p4=p4))
