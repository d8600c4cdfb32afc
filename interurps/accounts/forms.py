from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
