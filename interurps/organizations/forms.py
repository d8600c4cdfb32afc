from django import forms

from interurps.organizations.models import Federation


class FederationContactForm(forms.ModelForm):
    class Meta:
        model = Federation
        fields = ["name", "email", "phone", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
