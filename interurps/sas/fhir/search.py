"""`GET /fhir/Slot`: the search the national aggregator sends (flow INT_R01 of the ANS
guide), its parameters read and checked, the free shared slots selected.

    GET [base]/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor
        &start=ge2026-01-05T00:00:00+01:00&start=le2026-01-07T23:59:59+01:00
        &schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|810000000001,...
        &status=free[&_include=Slot:service-type-reference]
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from interurps.professionals import rules
from interurps.sas.fhir.resources import RPPS_SYSTEM
from interurps.sas.models import Effector, Slot

MAX_PRACTITIONERS = 25
MAX_WINDOW = timedelta(days=31)
PRACTITIONER_PARAM = "schedule.actor:Practitioner.identifier"
INCLUDE_SCHEDULE = "Slot:schedule"
INCLUDE_ACTOR = "Schedule:actor"
INCLUDE_CPTS = "Slot:service-type-reference"
# Parameters that change nothing in the answer but are allowed.
IGNORED = {"_format", "_pretty", "_summary", "_elements", "_count"}

DATE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?$"
)


class SearchError(Exception):
    def __init__(self, issues):
        super().__init__(issues)
        self.issues = issues  # [(FHIR issue code, French message, parameter)]


@dataclass
class SlotSearch:
    start_from: datetime  # start >= start_from
    start_before: datetime  # start < start_before
    identifiers: list[str]  # professionals' identifiers as stored (RPPS, ADELI, SYN…)
    include_schedule: bool = False
    include_actor: bool = False
    include_cpts: bool = False
    requested: list[str] = field(default_factory=list)  # identifiers as sent, for messages


def _bound(raw: str, name: str) -> tuple[str, datetime, datetime]:
    """(prefix, lowest, just after highest) instant of the value's precision."""
    # A "+01:00" offset sent unencoded arrives as " 01:00".
    value = raw.strip().replace(" ", "+")
    match = DATE.match(value)
    if not match:
        raise ValueError(
            f"« {raw} » n'est pas une date FHIR (attendu par exemple "
            f"ge2026-01-05T08:00:00+01:00) dans le paramètre {name}."
        )
    try:
        day = date.fromisoformat(match["date"])
        if match["hour"] is None:
            low = datetime.combine(day, time.min)
            step = timedelta(days=1)
        else:
            second = int(match["second"] or 0)
            low = datetime.combine(day, time(int(match["hour"]), int(match["minute"]), second))
            if match["fraction"]:
                low += timedelta(microseconds=round(float(match["fraction"]) * 1e6))
                step = timedelta(microseconds=1)
            elif match["second"] is not None:
                step = timedelta(seconds=1)
            else:
                step = timedelta(minutes=1)
        tz = match["tz"]
        if tz is None or match["hour"] is None:
            low = timezone.make_aware(low)
        else:
            low = datetime.fromisoformat(low.isoformat() + ("+00:00" if tz == "Z" else tz))
    except ValueError:
        raise ValueError(f"« {raw} » n'est pas une date valide (paramètre {name}).") from None
    return match["prefix"] or "eq", low, low + step


def parse_identifier(raw: str) -> str:
    """The stored identifier of a professional named `system|value`; ValueError otherwise."""
    system, bar, value = raw.strip().partition("|")
    if not bar:
        raise ValueError(
            f"L'identifiant « {raw} » doit s'écrire {RPPS_SYSTEM}|<identifiant national>."
        )
    if system != RPPS_SYSTEM:
        raise ValueError(
            f"Système d'identifiant inconnu « {system} » dans « {raw} » : seul {RPPS_SYSTEM} "
            "(identifiant national des professionnels) est accepté."
        )
    value = value.strip()
    if re.fullmatch(r"8\d{11}", value):  # "8" + RPPS
        return value[1:]
    if re.fullmatch(r"\d{11}", value):  # an RPPS without its prefix
        return value
    if re.fullmatch(r"0[0-9AB]{9}", value):  # "0" + ADELI
        return value[1:]
    if rules.SYNTHETIC_PATTERN.match(value):  # the demo's synthetic professionals
        return value
    raise ValueError(
        f"Identifiant national mal formé « {value} » dans « {raw} » : attendu « 8 » suivi "
        "du numéro RPPS (11 chiffres) ou « 0 » suivi du numéro ADELI."
    )


def parse(params) -> SlotSearch:
    """Read the search's parameters (a QueryDict); raises SearchError naming each problem."""
    issues = []
    low = high = None
    starts = params.getlist("start")
    if not starts:
        issues.append(
            (
                "required",
                "Le paramètre start est obligatoire, deux fois : start=ge<début> et "
                "start=le<fin> bornent la fenêtre de recherche.",
                "start",
            )
        )
    for raw in starts:
        try:
            prefix, first, after = _bound(raw, "start")
        except ValueError as error:
            issues.append(("invalid", str(error), "start"))
            continue
        if prefix == "ge":
            low = first
        elif prefix == "le":
            high = after
        else:
            issues.append(
                (
                    "not-supported",
                    f"Préfixe « {prefix} » non pris en charge pour start : utilisez ge et le.",
                    "start",
                )
            )
    if starts and low is None and not issues:
        issues.append(("required", "Il manque le début de la fenêtre : start=ge<date>.", "start"))
    if starts and high is None and not issues:
        issues.append(("required", "Il manque la fin de la fenêtre : start=le<date>.", "start"))
    if low is not None and high is not None:
        if high <= low:
            issues.append(("invalid", "La fin de la fenêtre (le) précède son début (ge).", "start"))
        elif high - low > MAX_WINDOW + timedelta(days=1):
            issues.append(
                (
                    "too-costly",
                    f"La fenêtre de recherche dépasse {MAX_WINDOW.days} jours.",
                    "start",
                )
            )

    statuses = params.getlist("status")
    if not statuses:
        issues.append(("required", "Le paramètre status=free est obligatoire.", "status"))
    elif any(value.strip() != "free" for value in statuses):
        issues.append(
            (
                "not-supported",
                "Seuls les créneaux libres sont servis : status=free.",
                "status",
            )
        )

    requested = [
        item
        for value in params.getlist(PRACTITIONER_PARAM)
        for item in value.split(",")
        if item.strip()
    ]
    identifiers = []
    if not requested:
        issues.append(
            (
                "required",
                f"Le paramètre {PRACTITIONER_PARAM} est obligatoire : de 1 à "
                f"{MAX_PRACTITIONERS} identifiants {RPPS_SYSTEM}|<identifiant national>, "
                "séparés par des virgules.",
                PRACTITIONER_PARAM,
            )
        )
    elif len(requested) > MAX_PRACTITIONERS:
        issues.append(
            (
                "too-costly",
                f"{len(requested)} professionnels demandés dans {PRACTITIONER_PARAM} : "
                f"{MAX_PRACTITIONERS} au plus par recherche.",
                PRACTITIONER_PARAM,
            )
        )
    else:
        for raw in requested:
            try:
                identifiers.append(parse_identifier(raw))
            except ValueError as error:
                issues.append(("invalid", str(error), PRACTITIONER_PARAM))

    includes = {value.strip() for value in params.getlist("_include")}
    iterates = {value.strip() for value in params.getlist("_include:iterate")}
    for value in sorted(includes - {INCLUDE_SCHEDULE, INCLUDE_CPTS}):
        issues.append(
            (
                "not-supported",
                f"_include={value} n'est pas pris en charge (seuls {INCLUDE_SCHEDULE} et "
                f"{INCLUDE_CPTS}).",
                "_include",
            )
        )
    for value in sorted(iterates - {INCLUDE_ACTOR}):
        issues.append(
            (
                "not-supported",
                f"_include:iterate={value} n'est pas pris en charge (seul {INCLUDE_ACTOR}).",
                "_include:iterate",
            )
        )
    if issues:
        raise SearchError(issues)
    return SlotSearch(
        start_from=low,
        start_before=high,
        identifiers=identifiers,
        include_schedule=INCLUDE_SCHEDULE in includes,
        include_actor=INCLUDE_SCHEDULE in includes and INCLUDE_ACTOR in iterates,
        include_cpts=INCLUDE_CPTS in includes,
        requested=requested,
    )


SLOT_FIELDS = (
    "effector_id",
    "site_id",
    "start",
    "end",
    "consultation_type",
    "type_public",
    "type_pro",
    "type_snp",
    "type_cpts",
    "rota_cpts_id",
    "site__name",
    "site__address",
    "site__latitude",
    "site__longitude",
    "site__commune__name",
)


def offered_slots(search: SlotSearch) -> list[Slot]:
    """The free, shared, non-cancelled slots of the non-suspended effectors named, starting
    in the window, in order of start. Two queries whatever their number: the effectors
    (by the professionals' unique identifiers), then their slots (index on effector and
    start). Only the columns the answer needs are read; the CPTS only when asked for
    (`_include=Slot:service-type-reference`)."""
    effectors = Effector.objects.filter(
        professional__identifier__in=search.identifiers, suspended_on__isnull=True
    )
    if search.include_cpts:
        effectors = effectors.select_related("professional", "through__cpts__sas_structure")
        # a territory's GeoJSON outline: large, not needed
        effectors = effectors.defer("through__cpts__geometry")
    else:
        effectors = effectors.select_related("professional", "through")
    effectors = {effector.pk: effector for effector in effectors}
    if not effectors:
        return []
    slots = Slot.objects.filter(
        effector_id__in=list(effectors),
        start__gte=search.start_from,
        start__lt=search.start_before,
        shared=True,
        cancelled_at__isnull=True,
        booked__lt=F("capacity"),
    ).order_by("start", "pk")
    if search.include_cpts:
        slots = slots.select_related("site__commune", "rota_cpts__sas_structure").defer(
            "site__commune__geometry", "rota_cpts__geometry"
        )
    else:
        slots = slots.select_related("site__commune").only(*SLOT_FIELDS)
    slots = list(slots)
    for slot in slots:
        slot.effector = effectors[slot.effector_id]
    return slots
