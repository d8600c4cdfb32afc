from django import forms

from interurps.analytics import accessibility
from interurps.core.forms import BoundedForm
from interurps.cpts.selectors import insee_codes_size_error
from interurps.organizations.models import Profession


class DiagnosticParametersForm(BoundedForm):
    """The profession shown on the maps, the alert threshold and the distance bands."""

    profession = forms.ModelChoiceField(
        label="Profession",
        queryset=Profession.objects.all(),
        to_field_name="code",
        empty_label=None,
    )
    threshold = forms.FloatField(
        label="Seuil d'alerte (accessibilité pour 10 000 habitants)", required=False, min_value=0
    )
    band1_km = forms.FloatField(label="1re bande : jusqu'à (km)", initial=10, min_value=0.1)
    band1_weight = forms.FloatField(label="poids", initial=1, min_value=0, max_value=1)
    band2_km = forms.FloatField(label="2e bande : jusqu'à (km)", initial=15, min_value=0.1)
    band2_weight = forms.FloatField(
        label="poids", initial=round(2 / 3, 3), min_value=0, max_value=1
    )
    band3_km = forms.FloatField(label="3e bande : jusqu'à (km)", initial=20, min_value=0.1)
    band3_weight = forms.FloatField(
        label="poids", initial=round(1 / 3, 3), min_value=0, max_value=1
    )

    def clean(self):
        cleaned = super().clean()
        bounds = [cleaned.get(f"band{i}_km") for i in (1, 2, 3)]
        if None not in bounds and not bounds[0] < bounds[1] < bounds[2]:
            raise forms.ValidationError("Les bornes des bandes doivent être croissantes.")
        if None not in bounds and bounds[2] > 60:
            raise forms.ValidationError("La dernière bande ne peut pas dépasser 60 km.")
        return cleaned

    def bands(self):
        if not self.is_valid():
            return accessibility.DEFAULT_BANDS
        data = self.cleaned_data
        return tuple((data[f"band{i}_km"], data[f"band{i}_weight"]) for i in (1, 2, 3))


def default_parameters(data) -> DiagnosticParametersForm:
    values = {
        "profession": "medecins",
        "band1_km": 10,
        "band1_weight": 1,
        "band2_km": 15,
        "band2_weight": round(2 / 3, 6),
        "band3_km": 20,
        "band3_weight": round(1 / 3, 6),
    }
    values.update({k: v for k, v in data.items() if v not in ("", None)})
    return DiagnosticParametersForm(values)


class TerritoryPickForm(BoundedForm):
    codes = forms.CharField(
        label="Codes INSEE des communes",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "53130 53062 …"}),
        help_text="Collez une liste de codes INSEE (espaces, virgules ou retours à la ligne).",
    )
    label = forms.CharField(label="Nom du territoire", required=False, max_length=100)

    def clean_codes(self):
        codes = self.cleaned_data["codes"]
        error = insee_codes_size_error(codes)
        if error:
            raise forms.ValidationError(error, code="too_many_codes")
        return codes
