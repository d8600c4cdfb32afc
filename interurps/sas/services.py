"""Writes of the SAS effectors' side: enrolment and participation, sites, slots (entry,
repeat, copy of a week, cancellation, sharing), the CPTS's SNP rota and agenda imports.

Rules:
- A slot is shared with regulators and the national platform only when its effector (or
  the CPTS, for its rota) chose it: nothing here shares a slot by default.
- Two live (not cancelled) slots of one effector never overlap; a repeat, a copy or an
  import that would make one is refused whole, naming the dates.
- Times are entered in local wall-clock time (Europe/Paris): a repeated slot keeps its
  hours across a daylight-saving change.
- Cancelling a booked slot cancels its appointments (`booking.appointment_cancel`) only
  when the caller confirms it (`with_appointments=True`); otherwise it is refused, saying
  how many appointments it holds.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.analytics import sas_slots
from interurps.core import french
from interurps.sas.booking import appointment_cancel
from interurps.sas.models import (
    Appointment,
    ConsultationType,
    Effector,
    ParticipationMode,
    Site,
    Slot,
    SlotType,
    Structure,
    StructureKind,
)

TYPE_FIELDS = {
    SlotType.PUBLIC: "type_public",
    SlotType.PRO: "type_pro",
    SlotType.SNP: "type_snp",
    SlotType.CPTS: "type_cpts",
}
# The structure an effector goes through, by participation mode.
MODE_STRUCTURE_KIND = {
    ParticipationMode.CPTS: StructureKind.CPTS,
    ParticipationMode.MSP: StructureKind.MSP,
    ParticipationMode.SOS_MEDECINS: StructureKind.SOS_MEDECINS,
}
MAX_SLOT_HOURS = 24


# --- time helpers ----------------------------------------------------------------------


def local_datetime(day: date, at: time) -> datetime:
    """An aware datetime at local wall-clock time `at` on `day` (Europe/Paris)."""
    return timezone.make_aware(datetime.combine(day, at))


def local_naive(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def when(value: datetime) -> str:
    """« mardi 17 mars 2026 à 18 h 00 » for messages."""
    local = timezone.localtime(value)
    return f"{french.format_date(local.date(), weekday=True)} à {french.format_time(local)}"


# --- effectors and participation ------------------------------------------------------


def _check_participation(
    *, region, participation_mode: str, through: Structure | None, structure=None
) -> dict:
    errors = {}
    if participation_mode not in ParticipationMode.values:
        errors["participation_mode"] = "Mode de participation inconnu."
        return errors
    expected_kind = MODE_STRUCTURE_KIND.get(participation_mode)
    if expected_kind is None:
        if through is not None:
            errors["through"] = (
                "En exercice individuel, l'effecteur ne passe par aucune structure : "
                "laissez la structure de rattachement vide."
            )
        return errors
    own_kind = structure is not None and structure.kind == expected_kind
    if through is None:
        if not own_kind:
            errors["through"] = (
                f"Le mode « {ParticipationMode(participation_mode).label} » demande la "
                f"structure de rattachement ({StructureKind(expected_kind).label})."
            )
        return errors
    if through.kind != expected_kind:
        errors["through"] = (
            f"« {through.name} » est de type {through.get_kind_display()} : le mode "
            f"« {ParticipationMode(participation_mode).label} » demande une structure de type "
            f"{StructureKind(expected_kind).label}."
        )
    elif through.region_id != getattr(region, "pk", region):
        errors["through"] = f"« {through.name} » n'est pas dans la région de l'effecteur."
    elif structure is not None and through.pk == structure.pk:
        errors["through"] = "Une structure ne passe pas par elle-même : laissez ce champ vide."
    return errors


def _check_statement(statement_signed_on: date | None) -> dict:
    if statement_signed_on is not None and statement_signed_on > timezone.localdate():
        return {
            "statement_signed_on": "La déclaration sur l'honneur ne peut pas être datée "
            "d'un jour à venir."
        }
    return {}


def structure_create(*, region, kind: str, name: str, cpts=None, identifier: str = "") -> Structure:
    """A structure (CPTS, MSP, health centre, SOS Médecins association) of the region."""
    errors = {}
    if kind == StructureKind.CPTS and cpts is None:
        errors["cpts"] = "Une structure de type CPTS est rattachée à la fiche de sa CPTS."
    if kind != StructureKind.CPTS and cpts is not None:
        errors["cpts"] = "Seule une structure de type CPTS est rattachée à une fiche CPTS."
    if cpts is not None and cpts.region_id != region.pk:
        errors["cpts"] = f"La CPTS « {cpts.name} » n'est pas dans la région."
    if cpts is not None and Structure.objects.filter(cpts=cpts).exists():
        errors["cpts"] = f"La CPTS « {cpts.name} » est déjà enregistrée comme structure."
    if errors:
        raise ValidationError(errors)
    structure = Structure(
        region=region, kind=kind, name=(name or "").strip(), cpts=cpts, identifier=identifier
    )
    structure.full_clean()
    structure.save()
    return structure


def _site_for(effector, *, site_name, site_address, commune) -> Site | None:
    if commune is None:
        return None
    return site_create(
        effector=effector, name=site_name or "Cabinet", address=site_address, commune=commune
    )


@transaction.atomic
def effector_enrol_professional(
    *,
    region,
    professional,
    participation_mode: str = ParticipationMode.INDIVIDUAL,
    through: Structure | None = None,
    statement_signed_on: date | None = None,
    accepts_extra_patients: bool = False,
    site_name: str = "",
    site_address: str = "",
    commune=None,
) -> Effector:
    """Enrol a professional of the registry as an effector (with a first site when a
    commune is given)."""
    errors = _check_participation(
        region=region, participation_mode=participation_mode, through=through
    )
    errors |= _check_statement(statement_signed_on)
    if not professional.active:
        errors["professional"] = f"{professional} n'est plus en activité dans le répertoire."
    if Effector.objects.filter(professional=professional).exists():
        errors["professional"] = f"{professional} est déjà inscrit·e comme effecteur SAS."
    if errors:
        raise ValidationError(errors)
    effector = Effector(
        region=region,
        professional=professional,
        participation_mode=participation_mode,
        through=through,
        statement_signed_on=statement_signed_on,
        accepts_extra_patients=accepts_extra_patients,
    )
    effector.full_clean()
    effector.save()
    _site_for(effector, site_name=site_name, site_address=site_address, commune=commune)
    return effector


@transaction.atomic
def effector_enrol_structure(
    *,
    region,
    kind: str,
    name: str,
    cpts=None,
    identifier: str = "",
    participation_mode: str | None = None,
    through: Structure | None = None,
    statement_signed_on: date | None = None,
    accepts_extra_patients: bool = False,
    site_name: str = "",
    site_address: str = "",
    commune=None,
) -> Effector:
    """Enrol a structure as an effector; its participation mode defaults to its kind
    (a CPTS takes part "via a CPTS", an SOS Médecins association as SOS Médecins)."""
    structure = structure_create(
        region=region, kind=kind, name=name, cpts=cpts, identifier=identifier
    )
    if participation_mode is None:
        participation_mode = {
            StructureKind.CPTS: ParticipationMode.CPTS,
            StructureKind.MSP: ParticipationMode.MSP,
            StructureKind.SOS_MEDECINS: ParticipationMode.SOS_MEDECINS,
        }.get(kind, ParticipationMode.INDIVIDUAL)
    errors = _check_participation(
        region=region, participation_mode=participation_mode, through=through, structure=structure
    )
    errors |= _check_statement(statement_signed_on)
    if errors:
        raise ValidationError(errors)
    effector = Effector(
        region=region,
        structure=structure,
        participation_mode=participation_mode,
        through=through,
        statement_signed_on=statement_signed_on,
        accepts_extra_patients=accepts_extra_patients,
    )
    effector.full_clean()
    effector.save()
    _site_for(effector, site_name=site_name or name, site_address=site_address, commune=commune)
    return effector


@transaction.atomic
def effector_update(
    *,
    effector: Effector,
    participation_mode: str,
    through: Structure | None,
    statement_signed_on: date | None,
    accepts_extra_patients: bool,
) -> Effector:
    """The participation: mode and structure, sworn statement's date, extra patients."""
    errors = _check_participation(
        region=effector.region_id,
        participation_mode=participation_mode,
        through=through,
        structure=effector.structure,
    )
    errors |= _check_statement(statement_signed_on)
    if errors:
        raise ValidationError(errors)
    effector.participation_mode = participation_mode
    effector.through = through
    effector.statement_signed_on = statement_signed_on
    effector.accepts_extra_patients = accepts_extra_patients
    effector.full_clean()
    effector.save()
    return effector


@transaction.atomic
def effector_suspend(*, effector: Effector, on: date, reason: str) -> Effector:
    """Suspend an effector: its slots are no longer offered (booking refuses them)."""
    errors = {}
    if effector.suspended_on is not None:
        errors["suspended_on"] = (
            f"L'effecteur est déjà suspendu depuis le {french.format_date(effector.suspended_on)}."
        )
    if on is None:
        errors["suspended_on"] = "Indiquez la date de la suspension."
    if not (reason or "").strip():
        errors["suspension_reason"] = "Indiquez le motif de la suspension."
    if errors:
        raise ValidationError(errors)
    effector.suspended_on = on
    effector.suspension_reason = reason.strip()
    effector.full_clean()
    effector.save(update_fields=["suspended_on", "suspension_reason"])
    return effector


@transaction.atomic
def effector_resume(*, effector: Effector) -> Effector:
    """End a suspension: the effector's shared slots are offered again."""
    if effector.suspended_on is None:
        raise ValidationError("L'effecteur n'est pas suspendu.")
    effector.suspended_on = None
    effector.suspension_reason = ""
    effector.save(update_fields=["suspended_on", "suspension_reason"])
    return effector


def site_create(
    *,
    effector: Effector,
    name: str,
    commune,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Site:
    """A place where the effector receives patients; without an address point, the
    commune's centroid."""
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": "Donnez la latitude et la longitude, ou aucune."})
    if latitude is None:
        latitude, longitude = commune.latitude, commune.longitude
        if latitude is None or longitude is None:
            raise ValidationError(
                {"commune": f"La commune {commune} n'a pas de centre connu : donnez le point."}
            )
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"latitude": "Coordonnées hors du globe (WGS84 attendu)."})
    site = Site(
        effector=effector,
        name=(name or "").strip(),
        address=(address or "").strip(),
        commune=commune,
        latitude=latitude,
        longitude=longitude,
    )
    site.full_clean()
    site.save()
    return site


# --- slots -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotSpec:
    """What a slot is, apart from its times."""

    site: Site
    consultation_type: str = ConsultationType.OFFICE
    types: frozenset = frozenset({SlotType.SNP})
    capacity: int = 1
    shared: bool = False


def _type_flags(types: Iterable[str]) -> dict[str, bool]:
    chosen = set(types)
    return {field: code in chosen for code, field in TYPE_FIELDS.items()}


def _check_spec(effector: Effector, spec: SlotSpec) -> dict:
    errors = {}
    if spec.site.effector_id != effector.pk:
        errors["site"] = "Ce lieu n'est pas un lieu de l'effecteur."
    if spec.consultation_type not in ConsultationType.values:
        errors["consultation_type"] = "Type de consultation inconnu."
    unknown = set(spec.types) - set(SlotType.values)
    if unknown:
        errors["types"] = f"Type de créneau inconnu : {', '.join(sorted(unknown))}."
    elif not spec.types:
        errors["types"] = "Choisissez au moins un type de créneau (PUBLIC, PRO, SNP, CPTS)."
    if not 1 <= spec.capacity <= 50:
        errors["capacity"] = "Le nombre de patients va de 1 à 50."
    return errors


def _check_times(start: datetime, end: datetime) -> dict:
    if end <= start:
        return {"end": "La fin du créneau doit suivre son début."}
    if end - start > timedelta(hours=MAX_SLOT_HOURS):
        return {"end": f"Un créneau dure au plus {MAX_SLOT_HOURS} heures."}
    return {}


def _lock(effector: Effector) -> None:
    """Serialise slot writes of one effector (the overlap check reads, then writes)."""
    Effector.objects.select_for_update().filter(pk=effector.pk).first()


def _conflicts(effector: Effector, intervals: list[tuple[datetime, datetime]]) -> list[str]:
    """French descriptions of the overlaps between `intervals` and the effector's live
    slots, or among `intervals` themselves."""
    if not intervals:
        return []
    low = min(s for s, _ in intervals)
    high = max(e for _, e in intervals)
    existing = list(
        Slot.objects.filter(
            effector=effector, cancelled_at__isnull=True, start__lt=high, end__gt=low
        ).values_list("start", "end")
    )
    problems = []
    ordered = sorted(intervals)
    for index, interval in enumerate(ordered):
        clash = sas_slots.overlapping(interval, existing)
        if clash:
            other = clash[0]
            problems.append(
                f"le créneau du {when(interval[0])} chevauche le créneau déjà saisi du "
                f"{when(other[0])} au {french.format_time(timezone.localtime(other[1]))}"
            )
        elif index and sas_slots.overlapping(interval, ordered[index - 1 : index]):
            problems.append(f"deux créneaux se chevauchent le {when(interval[0])}")
    return problems


def _refuse_overlaps(problems: list[str]) -> None:
    if problems:
        shown = problems[:5]
        more = len(problems) - len(shown)
        text = "Créneaux refusés, ils se chevauchent : " + " ; ".join(shown)
        if more:
            text += f" ; et {french.count(more, 'autre chevauchement,autres chevauchements')}"
        raise ValidationError({"start": text + "."}, code="overlap")


def _build(
    effector: Effector,
    spec: SlotSpec,
    start: datetime,
    end: datetime,
    *,
    source: str,
    rota_cpts=None,
    external_uid: str = "",
) -> Slot:
    return Slot(
        effector=effector,
        site=spec.site,
        start=start,
        end=end,
        consultation_type=spec.consultation_type,
        capacity=spec.capacity,
        shared=spec.shared,
        source=source,
        rota_cpts=rota_cpts,
        external_uid=external_uid,
        **_type_flags(spec.types),
    )


def _create_all(
    effector: Effector,
    spec: SlotSpec,
    intervals: list[tuple[datetime, datetime]],
    *,
    source: str,
    rota_cpts=None,
    uids: list[str] | None = None,
) -> list[Slot]:
    errors = _check_spec(effector, spec)
    for start, end in intervals:
        errors |= _check_times(start, end)
    if errors:
        raise ValidationError(errors)
    _lock(effector)
    _refuse_overlaps(_conflicts(effector, intervals))
    slots = [
        _build(
            effector,
            spec,
            start,
            end,
            source=source,
            rota_cpts=rota_cpts,
            external_uid=uids[index] if uids else "",
        )
        for index, (start, end) in enumerate(intervals)
    ]
    for slot in slots:
        slot.full_clean(validate_unique=False, validate_constraints=False)
    return Slot.objects.bulk_create(slots)


@transaction.atomic
def slot_create(
    *, effector: Effector, spec: SlotSpec, start: datetime, end: datetime, rota_cpts=None
) -> Slot:
    """One slot; refused when it overlaps another live slot of the effector."""
    source = Slot.Source.ROTA if rota_cpts is not None else Slot.Source.ENTRY
    if rota_cpts is not None:
        _check_rota_member(effector, rota_cpts)
    return _create_all(effector, spec, [(start, end)], source=source, rota_cpts=rota_cpts)[0]


@transaction.atomic
def slots_create_repeated(
    *,
    effector: Effector,
    spec: SlotSpec,
    start: datetime,
    end: datetime,
    until: date | None = None,
    weeks: int | None = None,
    rota_cpts=None,
) -> list[Slot]:
    """The slot every week on the same weekday, at the same local hours, up to `until`
    (included) or `weeks` times; all or nothing."""
    try:
        days = sas_slots.weekly_dates(timezone.localdate(start), until=until, weeks=weeks)
    except ValueError as error:
        raise ValidationError({"repeat_until": str(error)}) from None
    first_start, first_end = local_naive(start), local_naive(end)
    intervals = []
    for day in days:
        offset = (day - first_start.date()).days
        s, e = sas_slots.shift_local(first_start, first_end, offset)
        intervals.append((_aware(s), _aware(e)))
    if rota_cpts is not None:
        _check_rota_member(effector, rota_cpts)
    source = Slot.Source.ROTA if rota_cpts is not None else Slot.Source.REPEAT
    return _create_all(effector, spec, intervals, source=source, rota_cpts=rota_cpts)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """Local Monday 00:00 to the next Monday 00:00, aware (a DST week lasts 167 or 169 h)."""
    return local_datetime(monday, time()), local_datetime(monday + timedelta(days=7), time())


@transaction.atomic
def week_copy(
    *, effector: Effector, from_monday: date, to_monday: date, rota_cpts=None
) -> list[Slot]:
    """Copy the effector's own live slots of one week onto another week, same weekdays
    and local hours; all or nothing. Without `rota_cpts` the effector's own entries are
    copied (not the CPTS's rota slots); with it, only that CPTS's rota slots (a
    coordinator copies the rota). Sharing is copied as it was chosen for the source slot;
    copies are free (no appointment)."""
    if from_monday.weekday() != 0 or to_monday.weekday() != 0:
        raise ValidationError({"target_week": "Une semaine commence un lundi."})
    if from_monday == to_monday:
        raise ValidationError({"target_week": "Choisissez une autre semaine que celle copiée."})
    low, high = week_bounds(from_monday)
    sources = list(
        Slot.objects.filter(
            effector=effector,
            cancelled_at__isnull=True,
            start__gte=low,
            start__lt=high,
        ).select_related("site")
    )
    sources = [s for s in sources if s.rota_cpts_id == getattr(rota_cpts, "pk", None)]
    if not sources:
        raise ValidationError(
            {
                "target_week": "Aucun créneau à copier dans la semaine du "
                f"{french.format_date(from_monday)}."
            }
        )
    offset = (to_monday - from_monday).days
    _lock(effector)
    planned = []
    for slot in sources:
        s, e = sas_slots.shift_local(local_naive(slot.start), local_naive(slot.end), offset)
        planned.append((slot, _aware(s), _aware(e)))
    _refuse_overlaps(_conflicts(effector, [(s, e) for _, s, e in planned]))
    copies = []
    for slot, start, end in planned:
        spec = SlotSpec(
            site=slot.site,
            consultation_type=slot.consultation_type,
            types=frozenset(slot.types),
            capacity=slot.capacity,
            shared=slot.shared,
        )
        source = Slot.Source.ROTA if rota_cpts is not None else Slot.Source.COPY
        copies.append(_build(effector, spec, start, end, source=source, rota_cpts=rota_cpts))
    return Slot.objects.bulk_create(copies)


class SlotHasAppointments(ValidationError):
    """Cancelling this slot would cancel appointments: the caller must confirm."""

    def __init__(self, count: int):
        those = "ce rendez-vous" if count == 1 else "ces rendez-vous"
        super().__init__(
            f"Ce créneau a {count} rendez-vous : l'annuler annule aussi {those}. "
            "Confirmez l'annulation.",
            code="has_appointments",
        )
        self.count = count


def booked_appointments(slot: Slot):
    return Appointment.objects.filter(slot=slot, status=Appointment.Status.BOOKED)


@transaction.atomic
def slot_cancel(*, slot: Slot, with_appointments: bool = False) -> list[Appointment]:
    """Cancel a slot. When it holds booked appointments, refused (`SlotHasAppointments`)
    unless `with_appointments`: then each appointment is cancelled first. Returns the
    appointments cancelled. Idempotent on a cancelled slot."""
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    if locked.cancelled_at is not None:
        return []
    appointments = list(booked_appointments(locked))
    if appointments and not with_appointments:
        raise SlotHasAppointments(len(appointments))
    cancelled = [appointment_cancel(appointment=a) for a in appointments]
    Slot.objects.filter(pk=locked.pk).update(cancelled_at=timezone.now())
    slot.refresh_from_db()
    return cancelled


@transaction.atomic
def slot_set_shared(*, slot: Slot, shared: bool) -> Slot:
    """The effector's (or the CPTS's, for its rota) choice to share a slot or not.
    Unsharing a slot keeps its appointments already booked."""
    if slot.cancelled_at is not None:
        raise ValidationError("Ce créneau est annulé : son partage ne change plus.")
    Slot.objects.filter(pk=slot.pk).update(shared=shared)
    slot.shared = shared
    return slot


# --- the CPTS's SNP rota -------------------------------------------------------------


def _check_rota_member(effector: Effector, cpts) -> None:
    through = effector.through
    if through is None or through.cpts_id != cpts.pk:
        raise ValidationError(
            {"effector": f"{effector} ne participe pas au SAS par la {cpts.name}."}
        )


def rota_spec(site: Site, *, shared: bool, consultation_type=ConsultationType.OFFICE) -> SlotSpec:
    """A rota slot: unscheduled care, open to the CPTS's regulation (SNP and CPTS)."""
    return SlotSpec(
        site=site,
        consultation_type=consultation_type,
        types=frozenset({SlotType.SNP, SlotType.CPTS}),
        capacity=1,
        shared=shared,
    )


# --- agenda (ICS) import --------------------------------------------------------------


def external_uid(uid: str, start: datetime) -> str:
    """The key of an imported occurrence: the event's UID and its start (UTC), so that a
    second import of the same file (or of a recurring event) creates nothing new."""
    key = f"{uid}|{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    if len(key) <= 255:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


@dataclass
class ImportOutcome:
    created: list
    skipped: int


@transaction.atomic
def slots_import(
    *,
    effector: Effector,
    spec: SlotSpec,
    occurrences: list[tuple[str, datetime, datetime]],
    rota_cpts=None,
) -> ImportOutcome:
    """Create a slot for each (uid, start, end) occurrence not imported yet; all or
    nothing (an overlap refuses the whole import). With `rota_cpts` (a coordinator
    importing a member's rota) the slots join that CPTS's rota."""
    if rota_cpts is not None:
        _check_rota_member(effector, rota_cpts)
    keyed = [(external_uid(uid, start), start, end) for uid, start, end in occurrences]
    known = set(
        Slot.objects.filter(
            effector=effector, external_uid__in=[key for key, _, _ in keyed]
        ).values_list("external_uid", flat=True)
    )
    fresh, seen = [], set()
    for key, start, end in keyed:
        if key in known or key in seen:
            continue
        seen.add(key)
        fresh.append((key, start, end))
    created = []
    if fresh:
        created = _create_all(
            effector,
            spec,
            [(s, e) for _, s, e in fresh],
            source=Slot.Source.ICS,
            rota_cpts=rota_cpts,
            uids=[key for key, _, _ in fresh],
        )
    return ImportOutcome(created=created, skipped=len(keyed) - len(fresh))
