from itertools import permutations

from django import forms
from django.utils import timezone

from interurps.analytics import seats as seat_rules
from interurps.core.dates import validate_date_in_range
from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput
from interurps.elections.models import Ballot, DesignatingOrganisation, Mandate, Office
from interurps.elections.results_csv import ParsedCandidate, ParsedList, parse_birth_date

DATE_WIDGET = DateInput()
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ElectionForm(BoundedForm):
    held_on = forms.DateField(
        label="Date du scrutin", widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _tie_breaker_choices():
    """Every order of one, two or three criteria, in words, the default first."""
    orders = [
        ",".join(order)
        for size in (3, 2, 1)
        for order in permutations(seat_rules.TIE_BREAKERS, size)
    ]
    prefix = len("en cas d'égalité : ")
    return [
        (order, seat_rules.describe_tie_breakers(order.split(","))[prefix:].capitalize())
        for order in orders
    ]


class BallotForm(BoundedModelForm):
    tie_breakers = forms.ChoiceField(label="Départage des égalités", choices=_tie_breaker_choices)

    class Meta:
        model = Ballot
        fields = ["registered_voters", "seats_override", "seats_override_reason", "tie_breakers"]
        widgets = {"seats_override_reason": forms.Textarea(attrs={"rows": 2})}


def _parse_count(text: str) -> int:
    """A vote count as typed in France: "3120", "3 120" (spaces as thousands separator)."""
    digits = "".join(text.split())  # every kind of space, including no-break ones
    if not digits.isdigit() or len(digits) > 9:
        raise forms.ValidationError(
            f"Nombre de voix invalide « {text} » : un entier positif, par exemple 3 120."
        )
    return int(digits)


class ResultRowForm(BoundedForm):
    """One list of the results grid: its name, union, votes and candidates in order."""

    name = forms.CharField(label="Liste", max_length=200)
    syndicate = forms.CharField(label="Syndicat", max_length=200, required=False)
    votes = forms.CharField(
        label="Voix", max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    candidates = forms.CharField(
        label="Candidat·es, dans l'ordre de la liste",
        help_text="Une ligne par candidat·e : « Nom » ou « Nom ; JJ/MM/AAAA » (date de "
        "naissance, pour le départage à l'âge).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_votes(self):
        return _parse_count(self.cleaned_data["votes"])

    def clean_candidates(self):
        candidates, errors = [], []
        lines = [line.strip() for line in self.cleaned_data["candidates"].splitlines()]
        for number, line in enumerate((line for line in lines if line), start=1):
            name, _, birth = (part.strip() for part in line.partition(";"))
            if not name:
                errors.append(f"Candidat·e n° {number} : le nom est vide.")
                continue
            birth_date = None
            if birth:
                try:
                    birth_date = parse_birth_date(birth)
                except ValueError:
                    errors.append(
                        f"Candidat·e n° {number} ({name}) : date de naissance illisible "
                        f"« {birth} » (JJ/MM/AAAA attendu, entre 1900 et 2100)."
                    )
                    continue
            candidates.append(ParsedCandidate(number, name, birth_date))
        if errors:
            raise forms.ValidationError(errors)
        if not candidates:
            raise forms.ValidationError("Indiquez au moins un·e candidat·e.")
        return candidates


class BaseResultGridFormSet(forms.BaseFormSet):
    """The results grid. Bind it without `initial` on POST: every row is then compared with
    a blank one, a wholly blank row is ignored (so clearing a row removes its list) and a
    row with anything typed in it is validated."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for index, form in enumerate(self.forms, start=1):
            if not form.has_changed() or not form.cleaned_data:
                continue
            key = form.cleaned_data["name"].casefold()
            if key in seen:
                form.add_error(
                    "name", f"Cette liste figure déjà à la ligne {seen[key]} de la grille."
                )
            else:
                seen[key] = index
        if not seen and not any(self.errors):
            raise forms.ValidationError("Saisissez au moins une liste.")

    def parsed_lists(self) -> list[ParsedList]:
        return [
            ParsedList(
                name=form.cleaned_data["name"],
                syndicate=form.cleaned_data["syndicate"],
                votes=form.cleaned_data["votes"],
                first_line=index,
                candidates=form.cleaned_data["candidates"],
            )
            for index, form in enumerate(self.forms, start=1)
            if form.has_changed() and form.cleaned_data
        ]


ResultGridFormSet = forms.formset_factory(
    ResultRowForm, formset=BaseResultGridFormSet, extra=0, max_num=200, absolute_max=200
)


class DesignationForm(BoundedForm):
    designated_on = forms.DateField(
        label="Date de la désignation", widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrganisationForm(BoundedForm):
    name = forms.CharField(label="Organisation syndicale", max_length=200)
    audience_share = forms.DecimalField(
        label="Audience (%)",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Part de l'audience de l'organisation dans la profession (par exemple 42,5).",
    )


class DesignatedMemberForm(BoundedForm):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=DesignatingOrganisation.objects.none()
    )
    full_name = forms.CharField(label="Nom du ou de la membre", max_length=200)
    birth_date = forms.DateField(
        label="Date de naissance",
        required=False,
        widget=DATE_WIDGET,
        validators=[validate_date_in_range],
    )

    def __init__(self, *args, designation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = designation.organisations.all()


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
    on = forms.DateField(
        label="Date",
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[validate_date_in_range],
    )
    reason = forms.CharField(label="Motif", max_length=200)


class MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.group_name})"


class OfficeForm(BoundedForm):
    mandate = MandateChoiceField(label="Membre", queryset=Mandate.objects.none())
    kind = forms.ChoiceField(label="Fonction", choices=Office.Kind.choices)
    started_on = forms.DateField(
        label="Depuis le",
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[validate_date_in_range],
    )

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = mandates
