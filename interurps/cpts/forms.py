from decimal import Decimal

from django import forms
from django.utils import timezone

from interurps.accounts.models import Role, User
from interurps.analytics import aci
from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput
from interurps.cpts.models import (
    Coordinator,
    Cpts,
    GovernanceMember,
    MemberCount,
    MemberStructure,
    Mission,
    StageChoices,
    SupportAction,
)
from interurps.cpts.selectors import insee_codes_size_error
from interurps.cpts.services import EDITABLE_FIELDS, MissionAmounts
from interurps.geography.models import Department

DATE_WIDGET = DateInput()


class CptsForm(BoundedModelForm):
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Cpts
        fields = list(EDITABLE_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_department"].queryset = Department.objects.filter(region=region)
        self.fields["followed_by"].queryset = User.objects.filter(
            role_assignments__region=region,
            role_assignments__role__in=[Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF],
        ).distinct()


class CptsCreateForm(CptsForm):
    started_on = forms.DateField(
        label="Date d'émergence", widget=DATE_WIDGET, initial=timezone.localdate
    )


class TerritoryForm(BoundedForm):
    codes = forms.CharField(
        label="Codes INSEE des communes",
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "53130 53062 53094 …"}),
        help_text="Séparés par des espaces, virgules, points-virgules ou retours à la ligne. "
        "Cliquez aussi sur les communes de la carte.",
        required=False,
    )

    def clean_codes(self):
        codes = self.cleaned_data["codes"]
        error = insee_codes_size_error(codes)
        if error:
            raise forms.ValidationError(error, code="too_many_codes")
        return codes


class TransitionForm(BoundedForm):
    # Every stage may be submitted: the lifecycle rules, not the form, say which jumps
    # are refused, and why.
    stage = forms.ChoiceField(label="Nouvelle étape", choices=StageChoices.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransitionCorrectionForm(BoundedForm):
    occurred_on = forms.DateField(label="Date corrigée", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Motif de la correction", widget=forms.Textarea(attrs={"rows": 2})
    )


class MissionForm(BoundedModelForm):
    class Meta:
        model = Mission
        fields = ["kind", "status", "started_on", "achievement"]
        widgets = {"started_on": DATE_WIDGET}


RELATED_FORMS = {}


def _related_form(slug, model, fields, title, widgets=None):
    meta = type("Meta", (), {"model": model, "fields": fields, "widgets": widgets or {}})
    form = type(
        f"{model.__name__}Form", (BoundedModelForm,), {"Meta": meta, "__module__": __name__}
    )
    RELATED_FORMS[slug] = (form, title)
    return form


_related_form("adherents", MemberCount, ["profession", "count"], "Adhérent·es par profession")
_related_form("structures", MemberStructure, ["kind", "name"], "Structure membre")
_related_form("gouvernance", GovernanceMember, ["role", "full_name", "profession"], "Gouvernance")
_related_form(
    "coordination",
    Coordinator,
    ["full_name", "employer", "working_time_percent", "email"],
    "Coordinateur·rice",
)
_related_form(
    "accompagnement",
    SupportAction,
    ["occurred_on", "kind", "description", "staff"],
    "Action d'accompagnement",
    widgets={"occurred_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 2})},
)

RELATED_MODELS = {slug: form._meta.model for slug, (form, _) in RELATED_FORMS.items()}


class AciContractYearForm(BoundedForm):
    """The amounts of one year of the CPTS's ACI contract: fonctionnement, then for each
    mission its fixed part, its maximum variable part and the achievement of its indicators
    (in %). A mission with no amount typed is not part of the contract that year."""

    operating_amount = forms.DecimalField(
        label="Fonctionnement (€)", min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in aci.MISSION_LABELS.items():
            self.fields[f"fixed_{code}"] = forms.DecimalField(
                label=f"{label} — part fixe (€)",
                min_value=0,
                max_digits=10,
                decimal_places=2,
                required=False,
            )
            self.fields[f"variable_{code}"] = forms.DecimalField(
                label=f"{label} — part variable maximale (€)",
                min_value=0,
                max_digits=10,
                decimal_places=2,
                required=False,
            )
            self.fields[f"achievement_{code}"] = forms.DecimalField(
                label=f"{label} — taux d'atteinte des indicateurs (%)",
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                required=False,
            )

    def mission_rows(self):
        """(label, fixed, variable, achievement) bound fields, one row per mission."""
        return [
            (label, self[f"fixed_{code}"], self[f"variable_{code}"], self[f"achievement_{code}"])
            for code, label in aci.MISSION_LABELS.items()
        ]

    def clean(self):
        data = super().clean()
        missions = {}
        for code, label in aci.MISSION_LABELS.items():
            fixed = data.get(f"fixed_{code}")
            variable = data.get(f"variable_{code}")
            achievement = data.get(f"achievement_{code}")
            if fixed is None and variable is None:
                if achievement is not None:
                    self.add_error(
                        f"achievement_{code}",
                        f"« {label} » : indiquez les montants de la mission avant son taux "
                        "d'atteinte.",
                    )
                continue
            missions[code] = MissionAmounts(
                fixed=fixed or Decimal(0),
                variable=variable or Decimal(0),
                achievement_percent=achievement,
            )
        data["missions"] = missions
        return data

    @staticmethod
    def initial_from(year, *, default_operating=None) -> dict:
        """Initial values from a recorded contract year (or a previous one to copy, without
        its achievement), else the confirmed national fonctionnement amount."""
        if year is None:
            return {"operating_amount": default_operating}
        initial = {"operating_amount": year.operating_amount}
        for entry in year.missions.all():
            initial[f"fixed_{entry.mission}"] = entry.fixed_amount
            initial[f"variable_{entry.mission}"] = entry.variable_amount
            initial[f"achievement_{entry.mission}"] = entry.achievement_percent
        return initial
