"""Writes for CPTS: creation, territory, lifecycle, missions, members and accompaniment."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction

from interurps.analytics import aci, territory
from interurps.cpts import rules
from interurps.cpts.models import (
    AciContractMission,
    AciContractYear,
    Cpts,
    Mission,
    StageTransition,
)
from interurps.cpts.selectors import TerritoryCheck, contract_years, territory_check


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def _check_main_department(department, region_code: str) -> None:
    if department.region_id != region_code:
        raise ValidationError(
            {"main_department": "Le département principal doit appartenir à la région de la CPTS."}
        )


@transaction.atomic
def cpts_create(
    *, region, name: str, main_department, by, started_on: date | None = None, **fields
) -> Cpts:
    """Create a CPTS at the emergence stage, with that first stage in its history."""
    _check_main_department(main_department, region.pk)
    cpts = Cpts(region=region, name=name.strip(), main_department=main_department, **fields)
    cpts.full_clean()
    cpts.save()
    started_on = started_on or _today()
    if started_on > _today():
        raise ValidationError({"started_on": "La date d'émergence ne peut pas être dans le futur."})
    StageTransition.objects.create(
        cpts=cpts, stage=rules.Stage.EMERGENCE, occurred_on=started_on, recorded_by=by
    )
    return cpts


EDITABLE_FIELDS = (
    "name",
    "main_department",
    "legal_form",
    "siret",
    "rna",
    "address",
    "email",
    "phone",
    "website",
    "followed_by",
)


@transaction.atomic
def cpts_update(*, cpts: Cpts, data: dict) -> Cpts:
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(cpts, name, data[name])
    _check_main_department(cpts.main_department, cpts.region_id)
    cpts.full_clean()
    cpts.save()
    return cpts


@transaction.atomic
def cpts_set_territory(*, cpts: Cpts, codes: list[str]) -> TerritoryCheck:
    """Replace the territory; refused (nothing written) when the check finds errors.

    Population and outline are recomputed from the communes, never typed.
    """
    check = territory_check(codes, cpts=cpts)
    if not check.is_valid:
        raise ValidationError(check.errors)
    cpts.communes.set(check.communes)
    _refresh_territory_figures(cpts, check.communes)
    return check


def _refresh_territory_figures(cpts: Cpts, communes) -> None:
    cpts.population = sum(c.population or 0 for c in communes)
    outline = territory.dissolve(shapely.from_geojson(c.geometry) for c in communes if c.geometry)
    cpts.geometry = shapely.to_geojson(outline) if outline is not None else ""
    cpts.save(update_fields=["population", "geometry", "updated_at"])


def _history(cpts: Cpts) -> list[StageTransition]:
    return list(cpts.transitions.order_by("occurred_on", "id"))


def _sync_stage(cpts: Cpts, history: list[StageTransition]) -> None:
    cpts.stage = history[-1].stage if history else rules.Stage.EMERGENCE
    signed = [t.occurred_on for t in history if t.stage == rules.Stage.ACI_SIGNED]
    cpts.aci_signed_on = signed[-1] if signed else None
    cpts.save(update_fields=["stage", "aci_signed_on", "updated_at"])


@transaction.atomic
def cpts_transition(
    *, cpts: Cpts, stage: str, occurred_on: date, by, note: str = ""
) -> StageTransition:
    """Move the CPTS to `stage` on `occurred_on`, if the lifecycle allows it."""
    cpts = Cpts.objects.select_for_update().get(pk=cpts.pk)
    history = _history(cpts)
    try:
        rules.check_transition(
            [(t.stage, t.occurred_on) for t in history], stage, occurred_on, _today()
        )
    except rules.TransitionError as exc:
        raise ValidationError(str(exc)) from exc
    transition = StageTransition.objects.create(
        cpts=cpts, stage=stage, occurred_on=occurred_on, recorded_by=by, note=note
    )
    _sync_stage(cpts, [*history, transition])
    return transition


@transaction.atomic
def transition_correct_date(
    *, transition: StageTransition, occurred_on: date, reason: str, by
) -> StageTransition:
    """Correct a wrongly typed date; the reason and the former date are kept."""
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de la correction."})
    history = _history(transition.cpts)
    index = next(i for i, t in enumerate(history) if t.pk == transition.pk)
    try:
        rules.check_date_correction([t.occurred_on for t in history], index, occurred_on, _today())
    except rules.TransitionError as exc:
        raise ValidationError(str(exc)) from exc
    if transition.corrected_from is None:
        transition.corrected_from = transition.occurred_on
    transition.occurred_on = occurred_on
    transition.correction_reason = reason.strip()
    transition.corrected_by = by
    transition.save()
    history[index] = transition
    _sync_stage(transition.cpts, history)
    return transition


@transaction.atomic
def mission_set(
    *, cpts: Cpts, kind: str, status: str, started_on: date | None = None, achievement=0
) -> Mission:
    mission = Mission.objects.filter(cpts=cpts, kind=kind).first() or Mission(cpts=cpts, kind=kind)
    mission.status = status
    mission.started_on = started_on
    mission.achievement = Decimal(str(achievement)).quantize(Decimal("0.001"))
    if status != Mission.Status.NOT_STARTED and started_on is None:
        raise ValidationError({"started_on": "Indiquez la date de démarrage de la mission."})
    if started_on and started_on > _today():
        raise ValidationError(
            {"started_on": "La date de démarrage ne peut pas être dans le futur."}
        )
    mission.full_clean()
    mission.save()
    return mission


@transaction.atomic
def related_record_add(*, record):
    """Validate and save a member count, structure, governance member, coordinator or
    support action already bound to its CPTS."""
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def related_record_delete(*, record) -> None:
    record.delete()


# --- the CPTS's own ACI contract -----------------------------------------------------------


@dataclass(frozen=True)
class MissionAmounts:
    """A mission's amounts for one contract year, as typed (euros; achievement in %)."""

    fixed: Decimal
    variable: Decimal
    achievement_percent: Decimal | None = None


@transaction.atomic
def aci_contract_year_set(
    *,
    cpts: Cpts,
    number: int,
    operating_amount: Decimal,
    missions: dict[str, MissionAmounts],
) -> AciContractYear:
    """Record (or replace) the amounts of contract year `number` of the CPTS's ACI
    contract: fonctionnement, and for each mission its fixed and variable parts and the
    achievement of its indicators. Missions left out are removed from that year.

    Refused when the CPTS has not signed the ACI (the contract starts on its signature
    date), for a year number outside 1-5 or a contract the funding computation rejects.
    Nothing is written when anything is refused.
    """
    if cpts.aci_signed_on is None:
        raise ValidationError(
            "La CPTS n'a pas de date de signature de l'ACI : enregistrez d'abord l'étape "
            "« ACI signé », le contrat commence à cette date."
        )
    year = AciContractYear.objects.filter(cpts=cpts, number=number).first()
    year = year or AciContractYear(cpts=cpts, number=number)
    year.operating_amount = operating_amount
    year.full_clean()
    year.save()
    year.missions.exclude(mission__in=list(missions)).delete()
    for code, amounts in missions.items():
        entry = AciContractMission.objects.filter(year=year, mission=code).first()
        entry = entry or AciContractMission(year=year, mission=code)
        entry.fixed_amount = amounts.fixed
        entry.variable_amount = amounts.variable
        entry.achievement_percent = amounts.achievement_percent
        entry.full_clean()
        entry.save()
    try:
        aci.compute_contract(
            signed_on=cpts.aci_signed_on,
            population=cpts.population,
            years=contract_years(cpts),
            as_of=_today(),
        )
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return year


@transaction.atomic
def aci_contract_year_delete(*, year: AciContractYear) -> None:
    year.delete()
