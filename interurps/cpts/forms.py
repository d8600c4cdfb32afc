from django import forms
from django.utils import timezone

from interurps.accounts.models import Role, User
from interurps.core.forms import BoundedForm, BoundedModelForm
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
from interurps.cpts.services import EDITABLE_FIELDS
from interurps.geography.models import Department

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    form = type(f"{model.__name__}Form", (BoundedModelForm,), {"Meta": meta})
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
