"""Forms of the effectors' side of the SAS (French labels, ISO date and time inputs)."""

from datetime import time

from django import forms

from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput, TimeInput
from interurps.cpts.models import Cpts
from interurps.geography.models import Commune
from interurps.professionals.models import Professional
from interurps.sas.models import (
    ConsultationType,
    Effector,
    ParticipationMode,
    Site,
    SlotType,
    Structure,
    StructureKind,
)

TYPE_CHOICES = [(code.value, f"{code.value} — {code.label}") for code in SlotType]


class CommuneCodeField(forms.CharField):
    """A commune by its INSEE code (5 characters)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Commune (code INSEE)")
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("help_text", "Par exemple 44109 pour Nantes.")
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        code = code.strip().upper()
        commune = Commune.objects.filter(code=code).select_related("department").first()
        if commune is None:
            raise forms.ValidationError(f"Aucune commune n'a le code INSEE « {code} ».")
        return commune


def _through_field(region):
    return forms.ModelChoiceField(
        label="Structure de rattachement",
        queryset=Structure.objects.filter(region=region).exclude(kind=StructureKind.HEALTH_CENTRE),
        required=False,
        help_text="CPTS, MSP ou association SOS Médecins par laquelle l'effecteur participe ; "
        "vide en exercice individuel.",
    )


class _SiteFields(BoundedForm):
    site_name = forms.CharField(label="Lieu de consultation", max_length=200, required=False)
    site_address = forms.CharField(label="Adresse", max_length=300, required=False)
    commune = CommuneCodeField(required=False)


class ProfessionalEnrolForm(_SiteFields):
    identifier = forms.CharField(
        label="Identifiant RPPS",
        max_length=20,
        help_text="Le numéro RPPS du répertoire (ou l'identifiant fictif des données de "
        "démonstration).",
    )
    participation_mode = forms.ChoiceField(
        label="Mode de participation", choices=ParticipationMode.choices
    )
    statement_signed_on = forms.DateField(
        label="Déclaration sur l'honneur (au moins 2 heures par semaine) signée le",
        required=False,
        widget=DateInput(),
    )
    accepts_extra_patients = forms.BooleanField(
        label="Accepte des patients en surnuméraire", required=False
    )
    field_order = [
        "identifier",
        "participation_mode",
        "through",
        "statement_signed_on",
        "accepts_extra_patients",
        "site_name",
        "site_address",
        "commune",
    ]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["through"] = _through_field(region)
        self.order_fields(self.field_order)

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"].strip()
        professional = Professional.objects.filter(identifier=identifier).first()
        if professional is None:
            raise forms.ValidationError(
                f"Aucun·e professionnel·le du répertoire n'a l'identifiant « {identifier} »."
            )
        return professional


class StructureEnrolForm(_SiteFields):
    kind = forms.ChoiceField(label="Type de structure", choices=StructureKind.choices)
    name = forms.CharField(label="Nom", max_length=200)
    cpts = forms.ModelChoiceField(
        label="Fiche CPTS",
        queryset=Cpts.objects.none(),
        required=False,
        help_text="Pour une structure de type CPTS.",
    )
    identifier = forms.CharField(label="FINESS ou SIRET", max_length=20, required=False)
    statement_signed_on = forms.DateField(
        label="Déclaration sur l'honneur (au moins 2 heures par semaine) signée le",
        required=False,
        widget=DateInput(),
    )
    accepts_extra_patients = forms.BooleanField(
        label="Accepte des patients en surnuméraire", required=False
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cpts"].queryset = Cpts.objects.filter(region=region).order_by("name")
        self.order_fields(
            ["kind", "name", "cpts", "identifier", "statement_signed_on", "accepts_extra_patients"]
        )


class ParticipationForm(BoundedModelForm):
    class Meta:
        model = Effector
        fields = ["participation_mode", "through", "statement_signed_on", "accepts_extra_patients"]
        widgets = {"statement_signed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["through"] = _through_field(self.instance.region_id)


class SuspensionForm(BoundedForm):
    suspended_on = forms.DateField(label="Suspendu le", widget=DateInput())
    suspension_reason = forms.CharField(label="Motif de la suspension", max_length=300)


class SiteForm(BoundedForm):
    name = forms.CharField(label="Nom du lieu", max_length=200)
    address = forms.CharField(label="Adresse", max_length=300, required=False)
    commune = CommuneCodeField()
    latitude = forms.FloatField(
        label="Latitude", required=False, help_text="Vide : le centre de la commune."
    )
    longitude = forms.FloatField(label="Longitude", required=False)


class _SlotFields(BoundedForm):
    site = forms.ModelChoiceField(label="Lieu", queryset=Site.objects.none(), empty_label=None)
    consultation_type = forms.ChoiceField(
        label="Type de consultation", choices=ConsultationType.choices
    )
    types = forms.MultipleChoiceField(
        label="Types de créneau",
        choices=TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[SlotType.SNP.value],
        error_messages={"required": "Choisissez au moins un type de créneau."},
    )
    shared = forms.BooleanField(
        label="Partager avec la régulation SAS et la plateforme nationale",
        required=False,
        help_text="Rien n'est partagé sans votre accord : cochez pour rendre ces créneaux "
        "visibles des régulateur·rices.",
    )

    def __init__(self, *args, effector, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(effector=effector)


class SlotForm(_SlotFields):
    REPEAT_NONE, REPEAT_UNTIL, REPEAT_WEEKS = "", "until", "weeks"

    day = forms.DateField(label="Jour", widget=DateInput())
    start_time = forms.TimeField(label="Début", widget=TimeInput())
    end_time = forms.TimeField(label="Fin", widget=TimeInput())
    capacity = forms.IntegerField(label="Nombre de patients", min_value=1, max_value=50, initial=1)
    repeat = forms.ChoiceField(
        label="Répétition",
        required=False,
        choices=[
            (REPEAT_NONE, "Aucune"),
            (REPEAT_UNTIL, "Chaque semaine, même jour, jusqu'au…"),
            (REPEAT_WEEKS, "Chaque semaine, même jour, pendant N semaines"),
        ],
    )
    repeat_until = forms.DateField(label="Jusqu'au (inclus)", required=False, widget=DateInput())
    repeat_weeks = forms.IntegerField(
        label="Nombre de semaines", required=False, min_value=1, max_value=53
    )
    field_order = [
        "day", "start_time", "end_time", "site", "consultation_type", "types", "capacity",
        "shared", "repeat", "repeat_until", "repeat_weeks",
    ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and end is not None and end <= start and end != time(0):
            self.add_error("end_time", "La fin du créneau doit suivre son début.")
        repeat = cleaned.get("repeat")
        if repeat == self.REPEAT_UNTIL and not cleaned.get("repeat_until"):
            self.add_error("repeat_until", "Indiquez jusqu'à quelle date répéter le créneau.")
        if repeat == self.REPEAT_WEEKS and not cleaned.get("repeat_weeks"):
            self.add_error("repeat_weeks", "Indiquez pendant combien de semaines le répéter.")
        return cleaned


class WeekCopyForm(BoundedForm):
    target_week = forms.DateField(
        label="Copier sur la semaine du",
        widget=DateInput(),
        help_text="N'importe quel jour de la semaine visée.",
    )


class IcsImportForm(_SlotFields):
    file = forms.FileField(
        label="Export de votre agenda (.ics)",
        help_text="2 Mo au plus ; les rendez-vous horaires de la période deviennent des créneaux.",
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )
    window_start = forms.DateField(label="Du", widget=DateInput())
    window_end = forms.DateField(label="Au (inclus)", widget=DateInput())
    field_order = [
        "file", "window_start", "window_end", "site", "consultation_type", "types", "shared",
    ]  # fmt: skip


class RotaSlotForm(BoundedForm):
    effector = forms.ModelChoiceField(
        label="Membre", queryset=Effector.objects.none(), empty_label=None
    )
    day = forms.DateField(label="Jour", widget=DateInput())
    start_time = forms.TimeField(label="Début", widget=TimeInput())
    end_time = forms.TimeField(label="Fin", widget=TimeInput())
    consultation_type = forms.ChoiceField(
        label="Type de consultation", choices=ConsultationType.choices
    )
    shared = forms.BooleanField(
        label="Partager avec la régulation SAS",
        required=False,
        help_text="La CPTS choisit de rendre ce créneau de garde visible des régulateur·rices.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effector"].queryset = Effector.objects.filter(
            pk__in=[m.pk for m in members]
        ).select_related("professional", "structure")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and end is not None and end <= start and end != time(0):
            self.add_error("end_time", "La fin du créneau doit suivre son début.")
        return cleaned
