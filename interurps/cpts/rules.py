"""CPTS business rules with no Django import: lifecycle, mission deadlines, territory size.

Lifecycle: the stages follow the path from the first meeting to the ACI contract; a CPTS
moves one stage at a time, may be suspended from any active stage and resume where it
stopped, and may be dissolved from any stage.
Mission deadlines: ACI CPTS of 20 June 2019, article 7 and annexe 1 (calendrier de
déploiement): accès aux soins and crises sanitaires start within 6 months of signature and
are fully deployed within 18 months; parcours and prévention within 12 and 24 months.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Stage(StrEnum):
    EMERGENCE = "emergence"
    LETTER_SUBMITTED = "lettre_intention_deposee"
    LETTER_VALIDATED = "lettre_intention_validee"
    ASSOCIATION_CREATED = "association_creee"
    PROJECT_SUBMITTED = "projet_sante_depose"
    PROJECT_VALIDATED = "projet_sante_valide"
    ACI_SIGNED = "aci_signe"
    OPERATING = "en_fonctionnement"
    SUSPENDED = "suspendue"
    DISSOLVED = "dissoute"


STAGE_LABELS = {
    Stage.EMERGENCE: "Émergence",
    Stage.LETTER_SUBMITTED: "Lettre d'intention déposée",
    Stage.LETTER_VALIDATED: "Lettre d'intention validée",
    Stage.ASSOCIATION_CREATED: "Association créée",
    Stage.PROJECT_SUBMITTED: "Projet de santé déposé",
    Stage.PROJECT_VALIDATED: "Projet de santé validé",
    Stage.ACI_SIGNED: "Contrat ACI signé",
    Stage.OPERATING: "En fonctionnement",
    Stage.SUSPENDED: "Suspendue",
    Stage.DISSOLVED: "Dissoute",
}

# Map colours of the stages (colour-blind safe sequence, from light to dark blue-green).
STAGE_COLORS = {
    Stage.EMERGENCE: "#fde0c5",
    Stage.LETTER_SUBMITTED: "#facba6",
    Stage.LETTER_VALIDATED: "#f8b58b",
    Stage.ASSOCIATION_CREATED: "#f59e72",
    Stage.PROJECT_SUBMITTED: "#c7e9b4",
    Stage.PROJECT_VALIDATED: "#7fcdbb",
    Stage.ACI_SIGNED: "#41b6c4",
    Stage.OPERATING: "#225ea8",
    Stage.SUSPENDED: "#9e9e9e",
    Stage.DISSOLVED: "#616161",
}

PATH = [
    Stage.EMERGENCE,
    Stage.LETTER_SUBMITTED,
    Stage.LETTER_VALIDATED,
    Stage.ASSOCIATION_CREATED,
    Stage.PROJECT_SUBMITTED,
    Stage.PROJECT_VALIDATED,
    Stage.ACI_SIGNED,
    Stage.OPERATING,
]

# Why a jump is refused, for the stages whose prerequisite users most often skip.
PREREQUISITE_MESSAGES = {
    Stage.ACI_SIGNED: "le contrat ACI ne peut être signé qu'après la validation du projet de "
    "santé par l'ARS",
    Stage.PROJECT_VALIDATED: "le projet de santé doit d'abord être déposé",
    Stage.PROJECT_SUBMITTED: "l'association porteuse doit d'abord être créée",
    Stage.LETTER_VALIDATED: "la lettre d'intention doit d'abord être déposée",
    Stage.OPERATING: "la CPTS doit d'abord avoir signé son contrat ACI",
}


class TransitionError(ValueError):
    """A stage change that the lifecycle does not allow; the message is for users."""


def label(stage: str) -> str:
    return STAGE_LABELS[Stage(stage)]


def allowed_next_stages(history: list[str]) -> list[Stage]:
    """Stages reachable from the last stage of `history` (oldest first)."""
    if not history:
        return [Stage.EMERGENCE]
    current = Stage(history[-1])
    if current == Stage.DISSOLVED:
        return []
    if current == Stage.SUSPENDED:
        return [resume_stage(history), Stage.DISSOLVED]
    following = []
    position = PATH.index(current)
    if position + 1 < len(PATH):
        following.append(PATH[position + 1])
    return [*following, Stage.SUSPENDED, Stage.DISSOLVED]


def resume_stage(history: list[str]) -> Stage:
    """The stage a suspended CPTS returns to: the last one held before suspension."""
    for stage in reversed(history):
        if Stage(stage) not in (Stage.SUSPENDED, Stage.DISSOLVED):
            return Stage(stage)
    return Stage.EMERGENCE


def check_transition(
    history: list[tuple[str, date]], new_stage: str, on: date, today: date
) -> None:
    """Raise `TransitionError` unless moving to `new_stage` on `on` is allowed.

    `history` lists (stage, date) oldest first.
    """
    try:
        new_stage = Stage(new_stage)
    except ValueError as exc:
        raise TransitionError(f"Étape inconnue : {new_stage}.") from exc
    if on > today:
        raise TransitionError("La date d'une étape ne peut pas être dans le futur.")
    stages = [stage for stage, _ in history]
    if history and on < history[-1][1]:
        raise TransitionError(
            f"La date ({on:%d/%m/%Y}) précède celle de l'étape en cours "
            f"« {label(history[-1][0])} » ({history[-1][1]:%d/%m/%Y})."
        )
    allowed = allowed_next_stages(stages)
    if new_stage in allowed:
        return
    if not allowed:
        raise TransitionError("Une CPTS dissoute ne change plus d'étape.")
    current = label(stages[-1]) if stages else "aucune"
    reason = PREREQUISITE_MESSAGES.get(new_stage)
    expected = ", ".join(f"« {label(s)} »" for s in allowed)
    message = f"Impossible de passer de « {current} » à « {label(new_stage)} »"
    if reason:
        message += f" : {reason}"
    raise TransitionError(f"{message}. Étapes possibles : {expected}.")


def check_date_correction(dates: list[date], index: int, new_date: date, today: date) -> None:
    """A corrected date must keep the history in order and not be in the future."""
    if new_date > today:
        raise TransitionError("La date corrigée ne peut pas être dans le futur.")
    if index > 0 and new_date < dates[index - 1]:
        raise TransitionError(
            f"La date corrigée précède celle de l'étape précédente ({dates[index - 1]:%d/%m/%Y})."
        )
    if index + 1 < len(dates) and new_date > dates[index + 1]:
        raise TransitionError(
            f"La date corrigée dépasse celle de l'étape suivante ({dates[index + 1]:%d/%m/%Y})."
        )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp to the month's last day (31 August + 6 months = 28 or 29 February).
    for candidate_day in range(day.day, 0, -1):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Mission code -> (months to start, months to full deployment) after the ACI signature.
MISSION_DEADLINES = {
    "acces_medecin_traitant": (6, 18),
    "acces_soins_non_programmes": (6, 18),
    "crises_sanitaires": (6, 18),
    "parcours": (12, 24),
    "prevention": (12, 24),
}


@dataclass(frozen=True)
class MissionDeadlines:
    start_by: date | None
    full_by: date | None
    late_to_start: bool
    late_to_deploy: bool

    @property
    def late(self) -> bool:
        return self.late_to_start or self.late_to_deploy


def mission_deadlines(
    mission: str,
    aci_signed_on: date | None,
    started_on: date | None,
    deployed: bool,
    today: date,
) -> MissionDeadlines:
    """Deadlines of a mission after the ACI signature, and whether it is late today."""
    months = MISSION_DEADLINES.get(mission)
    if months is None or aci_signed_on is None:
        return MissionDeadlines(None, None, False, False)
    start_by = add_months(aci_signed_on, months[0])
    full_by = add_months(aci_signed_on, months[1])
    late_to_start = started_on is None and today > start_by
    late_to_deploy = not deployed and today > full_by
    return MissionDeadlines(start_by, full_by, late_to_start, late_to_deploy)


CORE_MISSIONS = frozenset(MISSION_DEADLINES)

USUAL_POPULATION_RANGE = (10_000, 200_000)

# Stages at which a CPTS waits for someone else's decision, and what it waits for: the
# federation follows these up (ARS validation of the letter and of the health project,
# then the ACI signature with the Assurance Maladie).
AWAITING = {
    Stage.LETTER_SUBMITTED: "validation de la lettre d'intention par l'ARS",
    Stage.PROJECT_SUBMITTED: "validation du projet de santé par l'ARS",
    Stage.PROJECT_VALIDATED: "signature du contrat ACI avec l'Assurance Maladie et l'ARS",
}
