"""Forms of REPER records. The step-1 form is built to be filled from the keyboard in
under a minute: one page, the normal answers pre-set (boxes to tick for what is wrong),
the chair-rise time in a text box that takes « 11,2 » as well as « 11.2 »."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from interurps.core.forms import BoundedForm, add_validation_errors
from interurps.core.widgets import DateInput
from interurps.reper.models import Domain, Person

DECIMAL = re.compile(r"^\s*(-?)\s*(\d{1,4})(?:[.,](\d{1,3}))?\s*$")


def parse_decimal(text: str) -> float | None:
    """« 11,2 », « 11.2 » or « 11 » as a number; None for an empty text.

    Raises ValueError for anything else (letters, negative numbers, thousands)."""
    text = (text or "").strip()
    if not text:
        return None
    match = DECIMAL.match(text)
    if match is None:
        raise ValueError(text)
    sign, whole, decimals = match.groups()
    return float(f"{sign}{whole}.{decimals or 0}")


class DecimalCommaField(forms.CharField):
    """A number typed with a decimal comma or point (a text input: a French browser's
    number input refuses the comma, or silently drops what follows it)."""

    def __init__(self, *, example: str = "11,2", **kwargs):
        self.example = example
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_decimal(value)
        except ValueError:
            raise ValidationError(
                f"Saisissez un nombre, par exemple {self.example} (virgule ou point).",
                code="invalid",
            ) from None


def _small_int(label, *, maximum, initial=None, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        initial=initial,
        help_text=help_text,
        error_messages={
            "required": "Ce champ est obligatoire.",
            "invalid": f"Saisissez un nombre entier de 0 à {maximum}.",
            "min_value": f"Saisissez un nombre entier de 0 à {maximum}.",
            "max_value": f"Saisissez un nombre entier de 0 à {maximum}.",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 2, "maxlength": 1}
        ),
    )


def _tick(label):
    return forms.BooleanField(label=label, required=False)


class ProfessionalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        profession = getattr(obj, "profession", None)
        return f"{obj} — {profession}" if profession else str(obj)


# --- people ----------------------------------------------------------------------------


IDENTITY_FORM_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "phone",
    "email",
    "address",
    "treating_physician",
)


class IdentityForm(BoundedForm):
    """The identity, encrypted at rest and shown only to the followers and coordinators."""

    last_name = forms.CharField(label="Nom", max_length=100)
    first_name = forms.CharField(label="Prénom", max_length=100, required=False)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DateInput)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(label="Adresse électronique", max_length=254, required=False)
    address = forms.CharField(
        label="Adresse", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    treating_physician = forms.CharField(label="Médecin traitant", max_length=200, required=False)


class PersonForm(IdentityForm):
    birth_year = forms.IntegerField(
        label="Année de naissance",
        min_value=1900,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4}),
        error_messages={
            "invalid": "Saisissez une année sur 4 chiffres.",
            "min_value": "Saisissez une année à partir de 1900.",
            "max_value": "Saisissez une année sur 4 chiffres.",
        },
    )
    sex = forms.ChoiceField(label="Sexe", choices=Person.Sex.choices, widget=forms.RadioSelect)
    commune = forms.ModelChoiceField(label="Commune du domicile", queryset=None)
    consent_on = forms.DateField(label="Consentement recueilli le", widget=DateInput)
    consent_scope = forms.ChoiceField(
        label="Portée du consentement",
        choices=Person.ConsentScope.choices,
        widget=forms.RadioSelect,
        initial=Person.ConsentScope.FOLLOW_UP_AND_EVALUATION,
    )
    follower = ProfessionalChoiceField(
        label="Suivie par", queryset=None, required=False, help_text=""
    )

    field_order = [
        "last_name",
        "first_name",
        "birth_year",
        "birth_date",
        "sex",
        "commune",
        "phone",
        "email",
        "address",
        "treating_physician",
        "consent_on",
        "consent_scope",
        "follower",
    ]

    def __init__(self, *args, cpts, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = cpts.communes.order_by("name")
        self.fields["consent_on"].initial = timezone.localdate()
        if candidates is None:
            del self.fields["follower"]
        else:
            self.fields["follower"].queryset = candidates
            self.fields["follower"].required = True
            self.fields[
                "follower"
            ].help_text = "Le ou la professionnel·le libéral·e de la CPTS qui suivra la personne."
        self.order_fields(self.field_order)


class FollowerAddForm(BoundedForm):
    professional = ProfessionalChoiceField(label="Professionnel·le de la CPTS", queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = candidates


# --- step 1 ----------------------------------------------------------------------------

# Rules-module item (answers JSON) → field of this form.
ITEM_FIELDS = {
    "orientation_time": "orientation_time_wrong",
    "orientation_place": "orientation_place_wrong",
    "whisper_test_passed": "whisper_test_failed",
    "cognition": "words_recalled",
    "mobility": "chair_rises_completed",
    "nutrition": "weight_loss_over_3kg_3_months",
    "vision": "eye_problems",
    "hearing": "whisper_test_failed",
    "mood": "feeling_down",
}

SCREENING_GROUPS = (
    (
        "cognition",
        "Cognition",
        ("words_recalled", "orientation_time_wrong", "orientation_place_wrong"),
    ),
    ("mobility", "Mobilité", ("chair_rises_completed", "chair_rise_seconds")),
    ("nutrition", "Nutrition", ("weight_loss_over_3kg_3_months", "appetite_loss")),
    ("vision", "Vision", ("eye_problems",)),
    ("hearing", "Audition", ("whisper_test_failed",)),
    ("mood", "Humeur (deux dernières semaines)", ("feeling_down", "little_interest")),
)


class ScreeningForm(BoundedForm):
    """Step 1 of ICOPE (WHO ICOPE handbook, 2019): normal answers pre-set, tick what is
    wrong. Access keys (Alt+Maj+lettre in Chromium and Firefox): C the words recalled,
    M the chair rises, T their time, S saves (on the button)."""

    words_recalled = _small_int(
        "Mots rappelés (sur 3)", maximum=3, help_text="Rappel des 3 mots donnés au début."
    )
    orientation_time_wrong = _tick("Erreur d'orientation dans le temps (date complète)")
    orientation_place_wrong = _tick("Erreur d'orientation dans le lieu")
    chair_rises_completed = _small_int(
        "Levers de chaise sans les bras (sur 5)", maximum=5, initial=5
    )
    chair_rise_seconds = DecimalCommaField(
        label="Temps des 5 levers (secondes)",
        help_text="Par exemple 11,2. Laissez vide si les 5 levers n'ont pas été faits.",
    )
    weight_loss_over_3kg_3_months = _tick("Perte de poids involontaire de plus de 3 kg en 3 mois")
    appetite_loss = _tick("Perte d'appétit")
    eye_problems = _tick(
        "Problème aux yeux signalé (voir de loin, lire, maladie des yeux, traitement)"
    )
    whisper_test_failed = _tick("Test du chuchotement échoué (ou test auditif échoué)")
    feeling_down = _tick("Triste, déprimé·e ou désespéré·e")
    little_interest = _tick("Peu d'intérêt ou de plaisir à faire les choses")
    professional = ProfessionalChoiceField(
        label="Repérage réalisé par", queryset=None, required=False
    )
    assign_to = ProfessionalChoiceField(
        label="Évaluations approfondies confiées à",
        queryset=None,
        required=False,
        empty_label="la personne qui a fait le repérage",
    )
    screened_on = forms.DateField(label="Date du repérage", widget=DateInput)

    def __init__(self, *args, followers, acting_professional=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["words_recalled"].widget.attrs["autofocus"] = True
        self.fields["words_recalled"].widget.attrs["accesskey"] = "c"
        self.fields["chair_rises_completed"].widget.attrs["accesskey"] = "m"
        self.fields["chair_rise_seconds"].widget.attrs["accesskey"] = "t"
        self.fields["screened_on"].initial = timezone.localdate()
        self.fields["assign_to"].queryset = followers
        if acting_professional is None:
            self.fields["professional"].queryset = followers
            self.fields["professional"].required = True
        else:
            del self.fields["professional"]
        self.acting_professional = acting_professional

    def clean(self):
        data = super().clean()
        rises, seconds = data.get("chair_rises_completed"), data.get("chair_rise_seconds")
        if rises == 5 and seconds is None and "chair_rise_seconds" not in self.errors:
            self.add_error(
                "chair_rise_seconds", "Les 5 levers ont été faits : saisissez leur temps."
            )
        if rises is not None and rises < 5 and seconds is not None:
            self.add_error(
                "chair_rise_seconds",
                "Le temps ne se note que si les 5 levers ont été faits : videz ce champ "
                "ou corrigez le nombre de levers.",
            )
        return data

    def answers(self) -> dict:
        """The answers in the `icope_screen` JSON shape."""
        d = self.cleaned_data
        return {
            "cognition": {
                "orientation_time": not d["orientation_time_wrong"],
                "orientation_place": not d["orientation_place_wrong"],
                "words_recalled": d["words_recalled"],
            },
            "mobility": {
                "chair_rises_completed": d["chair_rises_completed"],
                "chair_rise_seconds": d["chair_rise_seconds"],
            },
            "nutrition": {
                "weight_loss_over_3kg_3_months": d["weight_loss_over_3kg_3_months"],
                "appetite_loss": d["appetite_loss"],
            },
            "vision": {"eye_problems": d["eye_problems"]},
            "hearing": {"whisper_test_passed": not d["whisper_test_failed"]},
            "mood": {"feeling_down": d["feeling_down"], "little_interest": d["little_interest"]},
        }

    def groups(self):
        return [
            (key, title, [self[name] for name in names]) for key, title, names in SCREENING_GROUPS
        ]

    def add_service_error(self, error: ValidationError) -> None:
        """The service's errors (named after the rules module's items) on the right field."""
        if hasattr(error, "error_dict"):
            mapped = {}
            for name, errors in error.error_dict.items():
                mapped.setdefault(ITEM_FIELDS.get(name, name), []).extend(errors)
            error = ValidationError(mapped)
        add_validation_errors(self, error)


# --- step 2 ----------------------------------------------------------------------------


def tool_items(tool) -> list[tuple[str, str]]:
    """(name, label) of the tool's items (`icope.Step2Item`)."""
    return [(item.name, item.label) for item in tool.items]


def _item_field(item) -> forms.Field:
    """A form field for one step-2 item: a box for yes/no items, else a number typed with
    a decimal comma or point, its range in the help text."""
    if item.kind == "bool":
        return forms.BooleanField(label=item.label, required=False)
    if item.allowed is not None:
        hint = " ou ".join(str(value) for value in item.allowed)
    else:
        hint = f"de {item.min:g} à {item.max:g}".replace(".", ",")
    return DecimalCommaField(
        label=item.label,
        example="12" if item.kind == "int" else "0,5",
        help_text=hint + ("" if item.required else " (facultatif)"),
    )


class AssessmentForm(BoundedForm):
    tool = forms.ChoiceField(label="Outil", widget=forms.RadioSelect)
    done_on = forms.DateField(label="Réalisée le", widget=DateInput)

    def __init__(self, *args, tools, **kwargs):
        super().__init__(*args, **kwargs)
        self.tools = tools
        self.fields["tool"].choices = [(tool.code, tool.label) for tool in tools]
        if len(tools) == 1:
            self.fields["tool"].initial = tools[0].code
        self.fields["done_on"].initial = timezone.localdate()
        self.tool_fields = []
        for tool in tools:
            names = []
            for item in tool.items:
                name = f"{tool.code}__{item.name}"
                self.fields[name] = _item_field(item)
                names.append(name)
            self.tool_fields.append((tool, names))

    def tool_groups(self):
        return [(tool, [self[name] for name in names]) for tool, names in self.tool_fields]

    def items(self) -> dict:
        """The chosen tool's items, typed as the rules module expects them."""
        code = self.cleaned_data["tool"]
        tool = next(t for t in self.tools if t.code == code)
        values = {}
        for item in tool.items:
            value = self.cleaned_data.get(f"{code}__{item.name}")
            if item.kind == "int" and value is not None and float(value).is_integer():
                value = int(value)
            values[item.name] = value
        return values

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and self.is_bound:
            code = self.data.get("tool", "")
            mapped = {}
            for name, errors in error.error_dict.items():
                field = f"{code}__{name}"
                mapped.setdefault(field if field in self.fields else name, []).extend(errors)
            error = ValidationError(mapped)
        add_validation_errors(self, error)


class AssessmentCancelForm(BoundedForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple : refus de la personne, déjà suivie pour ce domaine.",
    )


# --- care plan -------------------------------------------------------------------------


class PlanForm(BoundedForm):
    goals = forms.CharField(label="Objectifs", widget=forms.Textarea(attrs={"rows": 4}))
    created_on = forms.DateField(label="Établi le", widget=DateInput)
    referred_to_physician = forms.BooleanField(label="Adresser au médecin traitant", required=False)
    referral_note = forms.CharField(
        label="Motif de l'adressage", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["created_on"].initial = timezone.localdate()


class PlanActionForm(BoundedForm):
    description = forms.CharField(label="Intervention", widget=forms.Textarea(attrs={"rows": 2}))
    domain = forms.ChoiceField(
        label="Domaine", choices=[("", "—"), *Domain.choices], required=False
    )
    responsible = ProfessionalChoiceField(
        label="Réalisée par", queryset=None, required=False, empty_label="—"
    )
    responsible_label = forms.CharField(
        label="ou par (hors répertoire)",
        max_length=120,
        required=False,
        help_text="Médecin traitant, aide à domicile, famille…",
    )
    due_on = forms.DateField(label="Échéance", required=False, widget=DateInput)

    def __init__(self, *args, followers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = followers


class PlanReviewForm(BoundedForm):
    on = forms.DateField(label="Point de suivi le", widget=DateInput)
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


# --- consent ---------------------------------------------------------------------------


class ConsentWithdrawForm(BoundedForm):
    on = forms.DateField(label="Consentement retiré le", widget=DateInput)
    erase_identity = forms.BooleanField(
        label="La personne demande aussi l'effacement de son identité",
        required=False,
    )
    confirm = forms.BooleanField(
        label="Je confirme le retrait du consentement : le suivi s'arrête",
        error_messages={"required": "Cochez la case pour confirmer le retrait."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class IdentityEraseForm(BoundedForm):
    confirm = forms.BooleanField(
        label="Je confirme l'effacement de l'identité (définitif)",
        error_messages={"required": "Cochez la case pour confirmer l'effacement."},
    )
