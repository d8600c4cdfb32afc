from django import forms

from interurps.analytics import flows as analytics
from interurps.core.forms import BoundedForm
from interurps.flows.models import TerritoryProposal
from interurps.organizations.models import Profession

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class FlowSetFieldsForm(BoundedForm):
    name = forms.CharField(label="Nom du jeu de flux", max_length=200)
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    profession = forms.ModelChoiceField(
        label="Profession",
        queryset=Profession.objects.all(),
        required=False,
        empty_label="Toutes professions",
    )


class FlowImportForm(FlowSetFieldsForm):
    source = forms.CharField(
        label="Source", max_length=200, help_text="Par exemple « Assurance Maladie, SNDS »."
    )
    file = forms.FileField(
        label="Fichier CSV",
        help_text=(
            "Une ligne par couple de communes : origin,destination,count (codes INSEE de la "
            "commune de résidence et de la commune de soins, nombre), colonne profession "
            "facultative. UTF-8, virgules ou points-virgules ; 100 Mo au plus. Réimporter "
            "sous le même nom remplace les flux de ce jeu."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 100 Mo.")
        return upload


class FlowGenerateForm(FlowSetFieldsForm):
    seed = forms.IntegerField(
        label="Graine",
        min_value=0,
        max_value=2**31 - 1,
        initial=1,
        help_text="La même graine redonne les mêmes flux.",
    )


class ProposalForm(BoundedForm):
    area = forms.ChoiceField(label="Périmètre")
    methods = forms.MultipleChoiceField(
        label="Méthodes (côte à côte)",
        choices=TerritoryProposal.Method.choices,
        initial=list(analytics.METHODS),
        widget=forms.CheckboxSelectMultiple,
    )
    within = forms.ChoiceField(
        label="Chaque territoire reste dans un même",
        choices=TerritoryProposal.Scope.choices,
        initial=TerritoryProposal.Scope.DEPARTMENT,
        help_text=(
            "Pour un périmètre régional ; un périmètre départemental reste dans le département."
        ),
    )
    min_population = forms.IntegerField(
        label="Population minimale",
        min_value=0,
        max_value=10**8,
        required=False,
        initial=analytics.DEFAULT_MIN_POPULATION,
    )
    max_population = forms.IntegerField(
        label="Population maximale",
        min_value=1,
        max_value=10**8,
        required=False,
        initial=analytics.DEFAULT_MAX_POPULATION,
    )
    contiguous = forms.BooleanField(
        label="Territoires d'un seul tenant (communes limitrophes)", required=False, initial=True
    )
    keep_cpts = forms.BooleanField(
        label="Conserver les CPTS existantes telles quelles (seul le reste est découpé)",
        required=False,
        initial=True,
    )
    seed = forms.IntegerField(label="Graine", min_value=0, max_value=2**31 - 1, initial=0)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"region:{region.code}", f"Toute la région {region.name}")]
        choices += [
            (f"department:{d.code}", f"{d.name} ({d.code})")
            for d in region.departments.order_by("code")
        ]
        self.fields["area"].choices = choices

    def clean(self):
        data = super().clean()
        low, high = data.get("min_population"), data.get("max_population")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_population", "La population maximale doit dépasser la population minimale."
            )
        return data


class PoleForm(BoundedForm):
    department = forms.ChoiceField(label="Département")
    count = forms.IntegerField(
        label="Nombre de pôles",
        min_value=1,
        max_value=30,
        required=False,
        help_text="Vide : le nombre de pôles naturels, entre 3 et 6.",
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            (d.code, f"{d.name} ({d.code})") for d in region.departments.order_by("code")
        ]


class AdoptForm(BoundedForm):
    name = forms.CharField(label="Nom de la nouvelle CPTS", max_length=200)
    main_department = forms.ChoiceField(label="Département principal")

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_department"].choices = [
            (d.code, f"{d.name} ({d.code})") for d in region.departments.order_by("code")
        ]
