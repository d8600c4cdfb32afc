from django import forms
from django.utils import timezone

from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.elections.models import Ballot, Mandate, Office

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ElectionForm(BoundedForm):
    held_on = forms.DateField(label="Date du scrutin", widget=DATE_WIDGET)
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BallotForm(BoundedModelForm):
    class Meta:
        model = Ballot
        fields = ["registered_voters", "seats_override", "seats_override_reason", "tie_breakers"]
        widgets = {"seats_override_reason": forms.Textarea(attrs={"rows": 2})}


class ResultsUploadForm(BoundedForm):
    file = forms.FileField(
        label="Fichier CSV des résultats",
        help_text="Une ligne par candidat·e : liste; syndicat; voix; rang; candidat; "
        "date_naissance.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 2 Mo.")
        if not uploaded.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Déposez un fichier .csv.")
        return uploaded


class VacateForm(BoundedForm):
    on = forms.DateField(label="Date", widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label="Motif", max_length=200)


class OfficeForm(BoundedForm):
    mandate = forms.ModelChoiceField(label="Élu·e", queryset=Mandate.objects.none())
    kind = forms.ChoiceField(label="Fonction", choices=Office.Kind.choices)
    started_on = forms.DateField(label="Depuis le", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = mandates
