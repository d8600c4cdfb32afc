"""Reads for surveys: lists, the target list from the registry, and the analysis."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from interurps.accounts.models import Role, RoleAssignment
from interurps.analytics import surveys as rules
from interurps.core.text import normalize_name
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune, Department
from interurps.organizations.models import Profession
from interurps.professionals.models import PracticeSite
from interurps.surveys.models import Invitation, Response, SendRequest, Survey


def surveys_of(federation, *, user=None, shared_only: bool = False) -> QuerySet[Survey]:
    """The federation's surveys with their counts; `shared_only`: those whose results
    are shared with `user` (a partner's organisation, or elected members)."""
    surveys = federation.surveys.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("responses", filter=Q(responses__submitted_at__isnull=False), distinct=True),
    ).select_related("event")
    if shared_only:
        assignments = [
            a for a in user.role_assignments.all() if a.region_id == federation.region_id
        ]
        partner_ids = [a.partner_id for a in assignments if a.role == Role.PARTNER]
        shared = Q(shared_with_partners__in=partner_ids)
        if any(a.role == Role.UNION_MEMBER for a in assignments):
            shared |= Q(shared_with_union_members=True)
        surveys = surveys.filter(shared).distinct()
    return surveys


def survey_queryset() -> QuerySet[Survey]:
    return Survey.objects.select_related(
        "federation", "federation__region", "event", "cpom_indicator"
    )


def event_surveys(event) -> list[Survey]:
    return list(
        event.surveys.exclude(status=Survey.Status.DRAFT).annotate(
            answered=Count("responses", filter=Q(responses__submitted_at__isnull=False))
        )
    )


def latest_send_request(survey: Survey) -> SendRequest | None:
    return survey.send_requests.first()


# --- the target list from the registry ----------------------------------------------------


@dataclass
class Target:
    professional_id: int
    full_name: str
    profession_id: str
    department_id: str
    cpts_id: int | None
    email: str


def registry_targets(federation, *, professions=(), departments=(), cpts=()) -> list[Target]:
    """Active professionals of the registry with a practice site in the federation's
    region, selected by professions, departments and CPTS (each empty: all). A
    professional counts once, in the department (and CPTS) of their first matching site;
    their e-mail is that of their health professional account, when they have one (the
    open registry holds no e-mail address)."""
    region = federation.region
    region_departments = set(
        Department.objects.filter(region=region).values_list("code", flat=True)
    )
    wanted_departments = (
        set(departments) & region_departments if departments else region_departments
    )
    cpts_ids = [c.pk if hasattr(c, "pk") else int(c) for c in cpts]
    commune_cpts: dict[str, int] = {}
    through = Cpts.communes.through.objects.filter(cpts__region=region)
    if cpts_ids:
        through = through.filter(cpts_id__in=cpts_ids)
    for commune_id, cpts_id in through.order_by("cpts_id").values_list("commune_id", "cpts_id"):
        commune_cpts.setdefault(commune_id, cpts_id)
    sites = PracticeSite.objects.filter(
        professional__active=True, commune__department_id__in=wanted_departments
    )
    if professions:
        sites = sites.filter(professional__profession_id__in=list(professions))
    if cpts_ids:
        sites = sites.filter(commune_id__in=list(commune_cpts))
    rows = sites.order_by("professional__last_name", "professional__first_name", "pk").values_list(
        "professional_id",
        "professional__first_name",
        "professional__last_name",
        "professional__profession_id",
        "commune__department_id",
        "commune_id",
    )
    emails = dict(
        RoleAssignment.objects.filter(
            role=Role.HEALTH_PROFESSIONAL, professional__isnull=False, user__is_active=True
        ).values_list("professional_id", "user__email")
    )
    targets: dict[int, Target] = {}
    for pid, first, last, profession, department, commune in rows:
        if pid in targets:
            if targets[pid].cpts_id is None and commune in commune_cpts:
                targets[pid].cpts_id = commune_cpts[commune]
            continue
        targets[pid] = Target(
            pid,
            f"{first} {last}".strip(),
            profession,
            department,
            commune_cpts.get(commune),
            (emails.get(pid) or "").lower(),
        )
    return list(targets.values())


@dataclass
class TargetCounts:
    total: int
    with_email: int
    by_profession: list[tuple[str, int]]
    by_department: list[tuple[str, int]]
    grid: list[tuple[str, list[int]]]  # profession × departments
    departments: list[str]


def target_counts(targets: list[Target]) -> TargetCounts:
    professions = {p.code: p.label for p in Profession.objects.all()}
    department_names = dict(Department.objects.values_list("code", "name"))
    by_profession = Counter(t.profession_id for t in targets)
    by_department = Counter(t.department_id for t in targets)
    grid_counter = Counter((t.profession_id, t.department_id) for t in targets)
    department_codes = sorted(by_department)
    grid = [
        (professions.get(code, code), [grid_counter[(code, d)] for d in department_codes])
        for code in professions
        if by_profession[code]
    ]
    return TargetCounts(
        total=len(targets),
        with_email=sum(1 for t in targets if t.email),
        by_profession=[(professions.get(c, c), n) for c, n in by_profession.most_common()],
        by_department=[
            (f"{department_names.get(c, c)} ({c})", by_department[c]) for c in department_codes
        ],
        grid=grid,
        departments=[f"{department_names.get(c, c)} ({c})" for c in department_codes],
    )


def invitation_list(survey: Survey) -> QuerySet[Invitation]:
    return survey.invitations.select_related("profession", "department", "cpts", "response")


# --- analysis ---------------------------------------------------------------------------


@dataclass
class Filters:
    profession: str = ""
    department: str = ""
    cpts: int | None = None
    start: date | None = None
    end: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.profession or self.department or self.cpts or self.start or self.end)


def filtered_responses(survey: Survey, filters: Filters) -> list[Response]:
    """The sent answers of the survey that the filters keep."""
    responses = survey.responses.filter(submitted_at__isnull=False).select_related("version")
    if filters.profession:
        responses = responses.filter(profession_id=filters.profession)
    if filters.department:
        responses = responses.filter(department_id=filters.department)
    if filters.cpts:
        responses = responses.filter(cpts_id=filters.cpts)
    zone = timezone.get_current_timezone()
    if filters.start:
        responses = responses.filter(
            submitted_at__gte=datetime.combine(filters.start, time.min, tzinfo=zone)
        )
    if filters.end:
        responses = responses.filter(
            submitted_at__lt=datetime.combine(
                filters.end + timedelta(days=1), time.min, tzinfo=zone
            )
        )
    return list(responses.order_by("submitted_at", "pk"))


def analysed_questions(survey: Survey) -> list[dict]:
    """The questions of the current version, then those only older versions had (marked
    with the last version that asked them): answers are analysed by question key."""
    versions = list(survey.versions.order_by("-number"))
    seen, found = set(), []
    for index, version in enumerate(versions):
        for question in rules.questions(version.definition):
            if question["key"] in seen:
                continue
            seen.add(question["key"])
            found.append({**question, "until_version": None if index == 0 else version.number})
    return found


def value_labels(questions: list[dict], responses: list[Response]) -> dict[str, dict]:
    """Names of the values of profession and commune questions, by question key."""
    labels = {}
    professions = dict(Profession.objects.values_list("code", "label"))
    commune_codes = set()
    for question in questions:
        if question["type"] == "commune":
            commune_codes |= {r.answers.get(question["key"]) for r in responses} - {None}
    communes = dict(Commune.objects.filter(code__in=commune_codes).values_list("code", "name"))
    for question in questions:
        if question["type"] == "profession":
            labels[question["key"]] = professions
        elif question["type"] == "commune":
            labels[question["key"]] = {c: f"{communes.get(c, c)} ({c})" for c in commune_codes}
    return labels


@dataclass
class QuestionResult:
    question: dict
    summary: rules.Summary
    chart: dict | None = None
    texts: list[tuple[int, str]] = field(default_factory=list)  # (response id, text)


def analysis(
    survey: Survey, responses: list[Response], *, search: str = ""
) -> list[QuestionResult]:
    """Per question: counts and percentages (with a bar chart), means and distributions,
    free texts (those matching `search`, accent- and case-insensitive)."""
    questions = analysed_questions(survey)
    labels = value_labels(questions, responses)
    needle = normalize_name(search)
    results = []
    for question in questions:
        key = question["key"]
        values = [r.answers[key] for r in responses if key in r.answers]
        summary = rules.summarise(question, values, labels=labels.get(key))
        result = QuestionResult(question, summary)
        if summary.rows:
            result.chart = rules.bar_chart(summary.rows)
        if question["type"] in ("short_text", "long_text"):
            result.texts = [
                (r.pk, str(r.answers[key]))
                for r in responses
                if key in r.answers and needle in normalize_name(str(r.answers[key]))
            ]
        results.append(result)
    return results


def cross_table(survey: Survey, responses: list[Response], row_key: str, column_key: str):
    questions = {q["key"]: q for q in analysed_questions(survey)}
    row, column = questions.get(row_key), questions.get(column_key)
    if not (row and column) or row_key == column_key:
        return None
    if row["type"] not in rules.CROSSABLE_TYPES or column["type"] not in rules.CROSSABLE_TYPES:
        return None
    labels = value_labels([row, column], responses)
    return rules.crosstab(
        row,
        column,
        [r.answers for r in responses],
        row_labels=labels.get(row_key),
        column_labels=labels.get(column_key),
    )


@dataclass
class RateRow:
    label: str
    invited: int
    answered: int

    @property
    def rate(self) -> float:
        return rules.response_rate(self.invited, self.answered)


def response_rates(survey: Survey) -> dict[str, list[RateRow]]:
    """Invited and answered people by profession, department and CPTS (the invitations'
    own attributes), with the overall line first in each."""
    rows = survey.invitations.values_list(
        "profession__label",
        "department__name",
        "department_id",
        "cpts__name",
        "response__submitted_at",
    )
    groups: dict[str, dict[str, list[int]]] = {
        "Profession": defaultdict(lambda: [0, 0]),
        "Département": defaultdict(lambda: [0, 0]),
        "CPTS": defaultdict(lambda: [0, 0]),
    }
    for profession, department, code, cpts, submitted in rows:
        answered = submitted is not None
        keys = {
            "Profession": profession or "Non renseignée",
            "Département": f"{department} ({code})" if code else "Non renseigné",
            "CPTS": cpts or "Hors CPTS ou non renseignée",
        }
        for group, key in keys.items():
            groups[group][key][0] += 1
            groups[group][key][1] += answered
    return {
        group: [RateRow(label, n, a) for label, (n, a) in sorted(counts.items())]
        for group, counts in groups.items()
        if counts
    }


def filter_choices(survey: Survey) -> dict:
    region = survey.federation.region
    return {
        "professions": list(Profession.objects.values_list("code", "label")),
        "departments": list(
            Department.objects.filter(region=region).order_by("code").values_list("code", "name")
        ),
        "cpts": list(Cpts.objects.filter(region=region).order_by("name").values_list("pk", "name")),
    }
