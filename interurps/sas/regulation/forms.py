from datetime import timedelta

from django import forms
from django.utils import timezone

from interurps.core.forms import BoundedForm
from interurps.core.text import normalize_name
from interurps.core.widgets import DateTimeInput
from interurps.geography import selectors as geography_selectors
from interurps.geography.models import Commune
from interurps.organizations.models import Profession
from interurps.sas.models import CareRequest, ConsultationType, Effector
from interurps.sas.regulation.services import EXTRA_DEFAULT_MINUTES, MANUAL_OUTCOMES

MAX_WINDOW = timedelta(days=14)


def commune_in_region(text: str, region) -> Commune:
    """The commune a regulator typed: an INSEE code, or a name matching one commune of the
    region; a French message naming the candidates otherwise."""
    text = (text or "").strip()
    communes = geography_selectors.commune_search(text).filter(department__region=region)
    exact = list(communes.filter(code=text)) or list(
        communes.filter(normalized_name=normalize_name(text))
    )
    if len(exact) == 1:
        return exact[0]
    found = list(communes[:6])
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError(
            f"Aucune commune de la région ne correspond à « {text} » : saisissez son code "
            "INSEE ou son nom."
        )
    names = ", ".join(f"{c.name} ({c.code})" for c in found[:5])
    raise forms.ValidationError(
        f"Plusieurs communes correspondent à « {text} » : {names}… Précisez le code INSEE."
    )


class CareRequestForm(BoundedForm):
    called_at = forms.DateTimeField(label="Heure de l'appel", widget=DateTimeInput)
    commune = forms.CharField(
        label="Commune du patient",
        max_length=100,
        help_text="Code INSEE ou nom ; ou cherchez-la ci-dessous et choisissez-la.",
    )
    age_band = forms.ChoiceField(label="Tranche d'âge", choices=CareRequest.AgeBand.choices)
    reason = forms.ChoiceField(label="Motif", choices=CareRequest.Reason.choices)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["called_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["commune"].widget.attrs["autocomplete"] = "off"

    def clean_commune(self):
        return commune_in_region(self.cleaned_data["commune"], self.region)


class SearchForm(BoundedForm):
    """The search of a care request (GET): every field may stay empty (the defaults)."""

    profession = forms.ModelChoiceField(
        label="Profession",
        queryset=Profession.objects.all(),
        required=False,
        empty_label="Toutes",
    )
    specialty = forms.CharField(
        label="Spécialité", max_length=150, required=False, help_text="ex. Médecine générale"
    )
    consultation_type = forms.ChoiceField(
        label="Type de consultation",
        choices=[("", "Tous"), *ConsultationType.choices],
        required=False,
    )
    radius_km = forms.FloatField(
        label="Rayon (km)",
        min_value=1,
        max_value=200,
        required=False,
        help_text="Vide : le rayon du département, élargi s'il y a moins de 5 effecteurs.",
    )
    window_start = forms.DateTimeField(label="À partir de", widget=DateTimeInput, required=False)
    window_end = forms.DateTimeField(label="Jusqu'à", widget=DateTimeInput, required=False)
    latitude = forms.FloatField(
        label="Latitude du point d'adresse",
        min_value=-90,
        max_value=90,
        required=False,
        help_text="Facultatif : sinon le centre de la commune.",
    )
    longitude = forms.FloatField(
        label="Longitude du point d'adresse", min_value=-180, max_value=180, required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end:
            if end <= start:
                self.add_error("window_end", "La fin de la période doit suivre son début.")
            elif end - start > MAX_WINDOW:
                self.add_error("window_end", "La période ne peut dépasser 14 jours.")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", "Donnez la latitude et la longitude, ou aucune des deux.")
        return data


class OutcomeForm(BoundedForm):
    outcome = forms.ChoiceField(
        label="Issue",
        choices=[(o.value, o.label) for o in MANUAL_OUTCOMES],
    )


class ExtraAppointmentForm(BoundedForm):
    effector = forms.ModelChoiceField(label="Effecteur", queryset=Effector.objects.none())
    start = forms.DateTimeField(label="Heure convenue", widget=DateTimeInput)
    minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=5, max_value=120, initial=EXTRA_DEFAULT_MINUTES
    )

    def __init__(self, *args, effectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effector"].queryset = effectors
