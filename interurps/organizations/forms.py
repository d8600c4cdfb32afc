from django import forms

from interurps.core.forms import BoundedModelForm
from interurps.organizations.models import Federation


class FederationContactForm(BoundedModelForm):
    class Meta:
        model = Federation
        fields = ["name", "email", "phone", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
