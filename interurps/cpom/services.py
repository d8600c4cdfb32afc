"""Writes for the CPOM: contracts, their structure, indicators, measurements and funding.

Every write validates the record (`full_clean`) and the rules that span several records
(a funding line's contract belongs to the same federation, an action's links stay in the
region…) inside one transaction: nothing is written when a rule fails.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from interurps.cpom import computations
from interurps.cpom.models import (
    Action,
    Amendment,
    Contract,
    FundingLine,
    Indicator,
    IndicatorTarget,
    Measurement,
    Objective,
    Spending,
    Theme,
)
from interurps.organizations.models import Partner

CONTRACT_FIELDS = ("title", "partner", "start_year", "end_year", "signed_on", "description")
THEME_FIELDS = ("order", "title")
OBJECTIVE_FIELDS = ("order", "title", "description")
ACTION_FIELDS = (
    "title", "description", "owner", "owner_user", "partners",
    "planned_start", "planned_end", "status", "flagship",
)  # fmt: skip
ACTION_LINKS = ("meetings", "events", "cpts")
INDICATOR_FIELDS = ("title", "definition", "unit", "baseline", "direction", "computation")
FUNDING_FIELDS = ("contract", "year", "source", "label", "amount", "action")
SPENDING_FIELDS = ("spent_on", "amount", "label")


def _save(record):
    record.full_clean()
    record.save()
    return record


def _assign(record, data: dict, fields: tuple[str, ...]):
    for name in fields:
        if name in data:
            setattr(record, name, data[name])
    return record


# --- contracts -------------------------------------------------------------------------


def _check_contract(contract: Contract) -> None:
    if contract.partner_id and contract.partner.region_id != contract.federation.region_id:
        raise ValidationError({"partner": "Ce partenaire appartient à une autre région."})
    if contract.partner_id and contract.partner.kind != Partner.Kind.ARS:
        raise ValidationError({"partner": "Le CPOM se signe avec l'ARS de la région."})


@transaction.atomic
def contract_create(*, federation, **data) -> Contract:
    contract = _assign(Contract(federation=federation), data, CONTRACT_FIELDS)
    _check_contract(contract)
    return _save(contract)


@transaction.atomic
def contract_update(*, contract: Contract, data: dict) -> Contract:
    _assign(contract, data, CONTRACT_FIELDS)
    _check_contract(contract)
    return _save(contract)


@transaction.atomic
def amendment_create(*, contract: Contract, signed_on: date, summary: str) -> Amendment:
    return _save(Amendment(contract=contract, signed_on=signed_on, summary=summary.strip()))


# --- themes, objectives, actions ---------------------------------------------------------


@transaction.atomic
def theme_create(*, contract: Contract, **data) -> Theme:
    return _save(_assign(Theme(contract=contract), data, THEME_FIELDS))


@transaction.atomic
def theme_update(*, theme: Theme, data: dict) -> Theme:
    return _save(_assign(theme, data, THEME_FIELDS))


@transaction.atomic
def objective_create(*, theme: Theme, **data) -> Objective:
    return _save(_assign(Objective(theme=theme), data, OBJECTIVE_FIELDS))


@transaction.atomic
def objective_update(*, objective: Objective, data: dict) -> Objective:
    return _save(_assign(objective, data, OBJECTIVE_FIELDS))


def _check_action(action: Action, data: dict) -> None:
    federation = action.objective.theme.contract.federation
    if action.planned_start and action.planned_end and action.planned_end < action.planned_start:
        raise ValidationError({"planned_end": "La fin prévue précède le début prévu."})
    if any(m.federation_id != federation.pk for m in data.get("meetings", ())):
        raise ValidationError({"meetings": "Réunion d'une autre fédération."})
    if any(e.federation_id != federation.pk for e in data.get("events", ())):
        raise ValidationError({"events": "Événement d'une autre fédération."})
    if any(c.region_id != federation.region_id for c in data.get("cpts", ())):
        raise ValidationError({"cpts": "CPTS d'une autre région."})


def _set_links(action: Action, data: dict) -> None:
    for name in ACTION_LINKS:
        if name in data:
            getattr(action, name).set(list(data[name]))


@transaction.atomic
def action_create(*, objective: Objective, **data) -> Action:
    action = _assign(Action(objective=objective), data, ACTION_FIELDS)
    _check_action(action, data)
    _save(action)
    _set_links(action, data)
    return action


@transaction.atomic
def action_update(*, action: Action, data: dict) -> Action:
    _assign(action, data, ACTION_FIELDS)
    _check_action(action, data)
    _save(action)
    _set_links(action, data)
    return action


# --- indicators --------------------------------------------------------------------------


def _check_indicator(indicator: Indicator) -> None:
    if indicator.computation != Indicator.MANUAL and (
        indicator.computation not in computations.REGISTRY
    ):
        raise ValidationError({"computation": "Mode de calcul inconnu."})
    if bool(indicator.objective_id) == bool(indicator.action_id):
        raise ValidationError(
            "Un indicateur se rattache à un objectif ou à une action, pas aux deux."
        )


@transaction.atomic
def indicator_create(*, objective: Objective | None = None, action: Action | None = None, **data):
    indicator = _assign(Indicator(objective=objective, action=action), data, INDICATOR_FIELDS)
    _check_indicator(indicator)
    return _save(indicator)


@transaction.atomic
def indicator_update(*, indicator: Indicator, data: dict) -> Indicator:
    _assign(indicator, data, INDICATOR_FIELDS)
    _check_indicator(indicator)
    return _save(indicator)


@transaction.atomic
def target_set(*, indicator: Indicator, year: int, value) -> IndicatorTarget:
    """Create or replace the indicator's target for `year` (a year of the contract)."""
    contract = indicator.contract
    if not contract.in_force(year):
        raise ValidationError(
            {"year": f"Le CPOM couvre les années {contract.start_year} à {contract.end_year}."}
        )
    target = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    target = target or IndicatorTarget(indicator=indicator, year=year)
    target.value = value
    return _save(target)


@transaction.atomic
def measurement_create(
    *, indicator: Indicator, measured_on: date, value, source: str = "", by=None
) -> Measurement:
    """A manual measurement. Automatic indicators are computed; freeze them instead."""
    if indicator.is_automatic:
        raise ValidationError(
            "Cet indicateur est calculé automatiquement : figez sa valeur plutôt que de la saisir."
        )
    return _save(
        Measurement(
            indicator=indicator,
            measured_on=measured_on,
            value=value,
            source=source.strip(),
            entered_by=by,
        )
    )


@transaction.atomic
def measurement_freeze(*, indicator: Indicator, year: int, by=None) -> Measurement:
    """Store the automatic value of `year` (dated 31 December), replacing an earlier freeze.

    From then on the stored value is the one shown and reported for that year.
    """
    if not indicator.is_automatic:
        raise ValidationError("Seuls les indicateurs calculés automatiquement se figent.")
    value = computations.compute(indicator.computation, indicator.contract.federation, year)
    indicator.measurements.filter(
        measured_on__year=year, source=Measurement.AUTOMATIC_SOURCE
    ).delete()
    return _save(
        Measurement(
            indicator=indicator,
            measured_on=date(year, 12, 31),
            value=value,
            source=Measurement.AUTOMATIC_SOURCE,
            entered_by=by,
        )
    )


# --- funding -----------------------------------------------------------------------------


def _check_funding_line(line: FundingLine) -> None:
    contract = line.contract
    if contract is not None:
        if contract.federation_id != line.federation_id:
            raise ValidationError({"contract": "Ce CPOM appartient à une autre fédération."})
        if line.year and not contract.in_force(line.year):
            raise ValidationError(
                {"year": f"Le CPOM couvre les années {contract.start_year} à {contract.end_year}."}
            )
    if line.action_id:
        if contract is None or line.action.contract.pk != contract.pk:
            raise ValidationError({"action": "L'action financée doit appartenir au CPOM choisi."})


@transaction.atomic
def funding_line_create(*, federation, **data) -> FundingLine:
    line = _assign(FundingLine(federation=federation), data, FUNDING_FIELDS)
    line.label = line.label.strip()
    _check_funding_line(line)
    return _save(line)


@transaction.atomic
def funding_line_update(*, line: FundingLine, data: dict) -> FundingLine:
    _assign(line, data, FUNDING_FIELDS)
    _check_funding_line(line)
    return _save(line)


@transaction.atomic
def spending_create(*, funding_line: FundingLine, spent_on: date, amount, label: str) -> Spending:
    """A spending charged to a funding line. It may be paid after the line's year (a 2021
    allocation spent in early 2022), never before it; it counts in the line's year."""
    if spent_on.year < funding_line.year:
        raise ValidationError(
            {"spent_on": f"La dépense ne peut précéder l'année de la ligne ({funding_line.year})."}
        )
    return _save(
        Spending(funding_line=funding_line, spent_on=spent_on, amount=amount, label=label.strip())
    )
