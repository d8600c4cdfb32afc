import json

from django import forms

from interurps.analytics import survey_builder as builder
from interurps.analytics import surveys as rules
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


# --- the form-based questionnaire builder -----------------------------------------------


class SectionForm(BoundedForm):
    title = forms.CharField(label="Titre de la section", max_length=200)
    description = forms.CharField(
        label="Présentation", required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class QuestionForm(BoundedForm):
    """One question; `earlier` are the questions its condition may name (asked before)."""

    key = forms.CharField(
        label="Clé",
        required=False,
        max_length=40,
        help_text="Identifiant dans les exports (minuscules, chiffres, _) ; laissée vide, "
        "elle est tirée de l'intitulé.",
    )
    type = forms.ChoiceField(label="Type", choices=list(rules.TYPES.items()))
    label = forms.CharField(label="Intitulé", max_length=1000)
    help = forms.CharField(label="Aide", required=False, max_length=2000)
    required = forms.BooleanField(label="Réponse obligatoire", required=False)
    choices = forms.CharField(
        label="Choix",
        required=False,
        max_length=20_000,
        widget=forms.Textarea({"rows": 4}),
        help_text="Choix unique ou multiples : un par ligne, « valeur|Libellé » ou le libellé "
        "seul.",
    )
    min = forms.DecimalField(
        label="Minimum", required=False, help_text="Échelle (1 par défaut) ou nombre."
    )
    max = forms.DecimalField(
        label="Maximum", required=False, help_text="Échelle (5 par défaut) ou nombre."
    )
    condition_question = forms.ChoiceField(
        label="Afficher seulement si la question", required=False
    )
    condition_operator = forms.ChoiceField(
        label="…", required=False, choices=list(builder.BUILDER_OPERATORS.items())
    )
    condition_value = forms.CharField(
        label="la ou les valeurs",
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text="Une valeur par ligne (la valeur d'un choix, ou un nombre).",
    )

    def __init__(self, *args, earlier=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = {q["key"]: q for q in earlier}
        self.fields["condition_question"].choices = [("", "— toujours afficher —")] + [
            (q["key"], f"{q['key']} — {q['label'][:80]}") for q in earlier
        ]
        if editing:
            del self.fields["key"]

    @classmethod
    def initial_of(cls, question) -> dict:
        initial = {
            "type": question.get("type"),
            "label": question.get("label", ""),
            "help": question.get("help", ""),
            "required": bool(question.get("required")),
            "choices": builder.choices_text(question.get("choices")),
            "min": question.get("min"),
            "max": question.get("max"),
        }
        condition = builder.simple_condition(question.get("condition"))
        if condition:
            value = condition.get("value")
            initial.update(
                condition_question=condition.get("question"),
                condition_operator=condition.get("operator", "equals"),
                condition_value="\n".join(str(v) for v in value)
                if isinstance(value, list)
                else str(value),
            )
        return initial

    @staticmethod
    def _number(value):
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    def question(self, *, keep_condition=None) -> dict:
        """The question as data (raises `BuilderError` for a condition it cannot build);
        `keep_condition` is an advanced condition the form does not show, kept as it is."""
        data = self.cleaned_data
        question = {
            "key": (data.get("key") or "").strip(),
            "type": data["type"],
            "label": data["label"].strip(),
            "help": data["help"].strip(),
            "required": data["required"],
        }
        if data["type"] in rules.CHOICE_TYPES:
            question["choices"] = builder.parse_choices(data["choices"])
        if data["type"] in ("scale", "number"):
            question["min"] = self._number(data["min"])
            question["max"] = self._number(data["max"])
        if keep_condition is not None:
            question["condition"] = keep_condition
        else:
            target = self.earlier.get(data["condition_question"] or "")
            question["condition"] = builder.make_condition(
                target, data["condition_operator"] or "equals", data["condition_value"]
            )
        return question
