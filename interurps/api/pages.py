"""The account's API tokens page (HTML): create one (its secret shown once), revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from interurps.api import services
from interurps.api.models import ApiToken
from interurps.core.forms import BoundedForm


class TokenForm(BoundedForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="L'outil ou la personne qui l'utilisera, par exemple « Tableau de bord ORS ».",
    )


@login_required
def api_tokens(request):
    """Any signed-in account manages its own tokens; a token opens exactly what the account
    opens on the pages, nothing more."""
    form = TokenForm(None)
    created = None
    if request.method == "POST" and "revoke" in request.POST:
        token = (
            ApiToken.objects.filter(user=request.user, pk=request.POST["revoke"][:12])
            .exclude(revoked_at__isnull=False)
            .first()
            if request.POST["revoke"][:12].isdigit()
            else None
        )
        if token is None:
            messages.error(request, "Jeton introuvable ou déjà révoqué.")
        else:
            services.api_token_revoke(token=token)
            messages.success(request, f"Jeton « {token.name} » révoqué : il n'ouvre plus rien.")
        return redirect("api_tokens")
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = services.api_token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                created = (token, raw)
                form = TokenForm(None)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )
