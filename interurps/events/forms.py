from django import forms

from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateTimeInput
from interurps.cpts.models import Cpts
from interurps.events import services
from interurps.events.models import Event, ProgrammeItem, Registration, Speaker
from interurps.organizations.models import Profession

DATETIME_WIDGET = DateTimeInput()


class EventForm(BoundedModelForm):
    video_link = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )
    survey_url = forms.URLField(
        label="Questionnaire de satisfaction", required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = list(services.EVENT_FIELDS)
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
        }


class ProgrammeItemForm(BoundedModelForm):
    class Meta:
        model = ProgrammeItem
        fields = list(services.PROGRAMME_ITEM_FIELDS)
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["order"].required = False
            self.fields["order"].help_text = "Laissé vide : à la suite du programme."

    def validate_unique(self):
        # The service numbers new items; the database constraint guards the rest.
        pass


class SpeakerForm(BoundedModelForm):
    class Meta:
        model = Speaker
        fields = list(services.SPEAKER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["order"].required = False
            self.fields["order"].help_text = "Laissé vide : à la suite des intervenant·es."


class RegistrationForm(BoundedModelForm):
    """Registration by the federation's staff."""

    class Meta:
        model = Registration
        fields = ["full_name", "email", "organisation", "profession", "cpts"]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cpts"].queryset = Cpts.objects.filter(region=region)
        self.fields["profession"].queryset = Profession.objects.all()

    def validate_unique(self):
        # Duplicates are refused by the service, with a clearer message.
        pass


class PublicRegistrationForm(RegistrationForm):
    """Registration through the public link, by the person themself."""

    consent = forms.BooleanField(
        label="J'accepte que ces informations soient utilisées par la fédération pour "
        "organiser l'événement et m'en informer.",
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cpts"].help_text = "Si vous venez au titre d'une CPTS."
        self.fields[
            "email"
        ].help_text = "Pour vous prévenir d'un changement ou d'une place libérée."
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"


class RegistrantsEmailForm(BoundedForm):
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 10}))
    include_waiting_list = forms.BooleanField(
        label="Écrire aussi aux personnes en liste d'attente", required=False
    )
