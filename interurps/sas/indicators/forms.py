"""The indicators' filters, read from the query string (a GET form)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from interurps.analytics.sas_valorisation import month_bounds
from interurps.core.forms import BoundedForm
from interurps.core.widgets import DateInput
from interurps.cpts.models import Cpts
from interurps.geography.models import Department
from interurps.sas.indicators import selectors

MAX_WEEKS = 106  # two years of ISO weeks


class IndicatorFilterForm(BoundedForm):
    du = forms.DateField(label="Du", required=False, widget=DateInput())
    au = forms.DateField(label="Au", required=False, widget=DateInput())
    mois = forms.RegexField(
        label="Ou un mois",
        regex=r"^\d{4}-\d{2}$",
        required=False,
        max_length=7,
        help_text="Au format AAAA-MM (par exemple 2026-11) ; remplace les dates.",
        error_messages={"invalid": "Mois invalide : écrivez-le AAAA-MM, par exemple 2026-11."},
        widget=forms.TextInput(attrs={"placeholder": "AAAA-MM", "inputmode": "numeric"}),
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Toute la région",
    )
    cpts = forms.ModelChoiceField(
        label="CPTS", queryset=Cpts.objects.none(), required=False, empty_label="Toutes"
    )
    rayon = forms.FloatField(
        label="Rayon des zones blanches (km)",
        required=False,
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(
            attrs={"placeholder": f"{selectors.DEFAULT_RADIUS_KM:g}", "step": "any"}
        ),
        help_text=(
            "Distance au-delà de laquelle une commune sans créneau proche est une zone blanche."
        ),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["departement"].queryset = Department.objects.filter(region=region).order_by(
            "code"
        )
        self.fields["cpts"].queryset = Cpts.objects.filter(region=region).order_by("name")

    def clean(self):
        data = super().clean()
        month = data.get("mois")
        if month:
            try:
                first, last = month_bounds(int(month[:4]), int(month[5:]))
            except ValueError:
                raise ValidationError({"mois": f"Mois invalide : {month}."}) from None
            data["du"], data["au"] = first, last
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            raise ValidationError({"au": "La fin de la période précède son début."})
        if start and end and (end - start).days > MAX_WEEKS * 7 - 14:
            raise ValidationError({"au": "La période ne peut pas dépasser deux ans."})
        return data

    def filters(self, today: date | None = None) -> selectors.Filters:
        """The filters asked for; the default period (last 8 weeks) for what is missing or
        invalid. The period is widened to whole ISO weeks (Monday to Sunday)."""
        data = self.cleaned_data if self.is_valid() else {}
        default_start, default_end = selectors.default_period(today)
        start, end = data.get("du"), data.get("au")
        if start and not end:
            end = start
        if end and not start:
            start = end
        start, end = selectors.iso_weeks_period(start or default_start, end or default_end)
        return selectors.Filters(
            region=self.region,
            start=start,
            end=end,
            department=data.get("departement"),
            cpts=data.get("cpts"),
            radius_km=data.get("rayon") or selectors.DEFAULT_RADIUS_KM,
        )
