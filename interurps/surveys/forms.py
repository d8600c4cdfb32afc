import json

from django import forms

from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateTimeInput
from interurps.cpom.models import Indicator
from interurps.cpts.models import Cpts
from interurps.events.models import Event
from interurps.geography.models import Department
from interurps.organizations.models import Partner, Profession
from interurps.surveys import catalogue, services
from interurps.surveys.models import Survey

DATETIME_WIDGET = DateTimeInput()


class SurveyCreateForm(BoundedForm):
    title = forms.CharField(label="Titre de l'enquête", max_length=250)
    template = forms.ChoiceField(
        label="Questionnaire de départ",
        required=False,
        choices=[("", "Questionnaire vide")]
        + [(key, label) for key, (label, _) in catalogue.TEMPLATES.items()],
        help_text="Un modèle fourni, modifiable ensuite.",
    )
    distribution = forms.ChoiceField(label="Diffusion", choices=Survey.Distribution.choices)


class SurveyForm(BoundedModelForm):
    shared_with_partners = forms.ModelMultipleChoiceField(
        label="Résultats partagés avec les partenaires",
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ces partenaires liront les résultats et les exports (jamais les "
        "coordonnées des personnes invitées).",
    )

    class Meta:
        model = Survey
        fields = list(services.SURVEY_FIELDS)
        widgets = {
            "opens_at": DATETIME_WIDGET,
            "closes_at": DATETIME_WIDGET,
            "intro": forms.Textarea(attrs={"rows": 4}),
            "thanks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        survey = self.instance
        federation = survey.federation
        self.fields["shared_with_partners"].queryset = Partner.objects.filter(
            region=federation.region
        )
        self.fields["event"].queryset = Event.objects.filter(federation=federation)
        self.fields["cpom_indicator"].queryset = Indicator.objects.filter(
            pk__in=[
                i.pk
                for i in Indicator.objects.select_related(
                    "objective__theme__contract", "action__objective__theme__contract"
                )
                if i.contract.federation_id == federation.pk and not i.is_automatic
            ]
        )
        if survey.pk:
            self.initial["shared_with_partners"] = list(
                survey.shared_with_partners.values_list("pk", flat=True)
            )


class DefinitionForm(BoundedForm):
    definition = forms.CharField(
        label="Questionnaire (JSON)",
        widget=forms.Textarea(attrs={"rows": 30, "class": "code", "spellcheck": "false"}),
        max_length=200_000,
    )

    def clean_definition(self):
        from django.core.exceptions import ValidationError

        try:
            return services.parse_definition(self.cleaned_data["definition"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    @staticmethod
    def text_of(definition) -> str:
        return json.dumps(definition, ensure_ascii=False, indent=2)


class TargetForm(BoundedForm):
    professions = forms.ModelMultipleChoiceField(
        label="Professions",
        queryset=Profession.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : toutes.",
    )
    departments = forms.ModelMultipleChoiceField(
        label="Départements",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : toute la région.",
    )
    cpts = forms.ModelMultipleChoiceField(
        label="CPTS",
        queryset=Cpts.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : sans condition de CPTS.",
    )

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(
            region=federation.region
        ).order_by("code")
        self.fields["cpts"].queryset = Cpts.objects.filter(region=federation.region).order_by(
            "name"
        )


class ImportForm(BoundedForm):
    file = forms.FileField(
        label="Fichier CSV ou Excel",
        help_text="Colonnes : courriel (obligatoire), nom, profession, departement, cpts, rpps.",
    )
