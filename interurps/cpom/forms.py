from django import forms

from interurps.accounts.models import Role, User
from interurps.activities.models import Meeting
from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput
from interurps.cpom.computations import computation_choices
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
from interurps.cpts.models import Cpts
from interurps.events.models import Event
from interurps.organizations.models import Partner

DATE_WIDGET = DateInput()


class ContractForm(BoundedModelForm):
    class Meta:
        model = Contract
        fields = ["title", "partner", "start_year", "end_year", "signed_on", "description"]
        widgets = {"signed_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            region_id=federation.region_id, kind=Partner.Kind.ARS
        )


class AmendmentForm(BoundedModelForm):
    class Meta:
        model = Amendment
        fields = ["signed_on", "summary"]
        widgets = {"signed_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 3})}


class ThemeForm(BoundedModelForm):
    class Meta:
        model = Theme
        fields = ["order", "title"]


class ObjectiveForm(BoundedModelForm):
    class Meta:
        model = Objective
        fields = ["order", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ActionForm(BoundedModelForm):
    class Meta:
        model = Action
        fields = [
            "title", "description", "owner", "owner_user", "partners", "planned_start",
            "planned_end", "status", "flagship", "meetings", "events", "cpts",
        ]  # fmt: skip
        widgets = {
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = User.objects.filter(
            role_assignments__region_id=federation.region_id,
            role_assignments__role__in=[Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF],
        ).distinct()
        self.fields["meetings"].queryset = Meeting.objects.filter(federation=federation)
        self.fields["events"].queryset = Event.objects.filter(federation=federation)
        self.fields["cpts"].queryset = Cpts.objects.filter(region_id=federation.region_id)
        for name in ("meetings", "events", "cpts"):
            self.fields[name].required = False


class IndicatorForm(BoundedModelForm):
    computation = forms.ChoiceField(label="Mode de calcul", choices=computation_choices)

    class Meta:
        model = Indicator
        fields = ["title", "definition", "unit", "baseline", "direction", "computation"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}


class TargetForm(BoundedModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]


class MeasurementForm(BoundedModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "source"]
        widgets = {"measured_on": DATE_WIDGET}


class FreezeForm(BoundedForm):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)


class FundingLineForm(BoundedModelForm):
    class Meta:
        model = FundingLine
        fields = ["year", "source", "label", "amount", "contract", "action"]

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(federation=federation)
        self.fields["action"].queryset = Action.objects.filter(
            objective__theme__contract__federation=federation
        )


class SpendingForm(BoundedModelForm):
    class Meta:
        model = Spending
        fields = ["spent_on", "amount", "label"]
        widgets = {"spent_on": DATE_WIDGET}
