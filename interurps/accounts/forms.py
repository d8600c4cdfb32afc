from django import forms
from django.contrib.auth.forms import AuthenticationForm

from interurps.accounts.models import AccessRequest
from interurps.core.forms import BoundedForm
from interurps.geography.models import Region


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail address (the user model's username field)."""

    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Le mot de passe distingue "
            "les majuscules des minuscules."
        ),
        "inactive": "Ce compte est désactivé. Contactez l'administrateur·rice de votre fédération.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class OtpCodeForm(BoundedForm):
    """A code of the authentication application, or a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="Les 6 chiffres affichés par votre application, ou un code de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class OtpConfirmForm(BoundedForm):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=10,
        help_text="6 chiffres.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AccessRequestForm(BoundedForm):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="La fédération vous répondra à cette adresse.",
    )
    region = forms.ModelChoiceField(
        label="Fédération (région d'exercice)",
        queryset=Region.objects.order_by("name"),
        empty_label="Choisissez une région",
    )
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple : votre lieu d'exercice, votre profession, depuis quand.",
    )


class AccessRequestDecisionForm(BoundedForm):
    access_request = forms.ModelChoiceField(
        label="Demande", queryset=AccessRequest.objects.none(), widget=forms.HiddenInput
    )
    status = forms.ChoiceField(
        label="Réponse",
        choices=[
            (AccessRequest.Status.ACCEPTED, "Acceptée"),
            (AccessRequest.Status.REFUSED, "Refusée"),
        ],
    )
    note = forms.CharField(
        label="Réponse de la fédération",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_request"].queryset = AccessRequest.objects.filter(
            region=region, status=AccessRequest.Status.PENDING
        )
