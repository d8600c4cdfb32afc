from django import forms
from django.utils import timezone

from interurps.accounts.models import Role, User
from interurps.activities.models import Meeting, MeetingKind, Project
from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput, DateTimeInput, TimeInput
from interurps.cpts.models import Cpts

DATETIME_WIDGET = DateTimeInput()


def _staff_of(federation):
    return User.objects.filter(
        role_assignments__region_id=federation.region_id,
        role_assignments__role__in=[Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF],
    ).distinct()


class MeetingForm(BoundedModelForm):
    participant_users = forms.ModelMultipleChoiceField(
        label="Participant·es de la fédération", queryset=User.objects.none(), required=False
    )
    external_participants = forms.CharField(
        label="Autres participant·es",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Jeanne Martin (ARS)\nPaul Durand (CPAM 44)"}
        ),
        help_text="Un·e par ligne : « Nom (Organisme) ».",
    )
    video_link = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "title", "starts_at", "duration_minutes", "kind", "project", "cpts",
            "place", "video_link", "minutes",
        ]  # fmt: skip
        widgets = {"starts_at": DATETIME_WIDGET, "minutes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = MeetingKind.objects.filter(
            federation=federation, active=True
        )
        self.fields["cpts"].queryset = Cpts.objects.filter(region_id=federation.region_id)
        self.fields["cpts"].required = False
        self.fields["participant_users"].queryset = _staff_of(federation)
        if self.instance.pk:
            participants = self.instance.participants.all()
            self.initial["participant_users"] = [p.user_id for p in participants if p.user_id]
            self.initial["external_participants"] = "\n".join(
                str(p) for p in participants if not p.user_id
            )


class QuickMeetingForm(BoundedForm):
    """One line, keyboard only: date, time, duration, kind, project, subject."""

    day = forms.DateField(label="Date", initial=timezone.localdate, widget=DateInput)
    time = forms.TimeField(label="Heure", initial="09:00", widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label="Durée (min)", initial=60, min_value=5, max_value=1440
    )
    kind = forms.ModelChoiceField(label="Type", queryset=MeetingKind.objects.none())
    project = forms.ChoiceField(label="Projet", choices=Project.choices)
    title = forms.CharField(
        label="Objet", max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = MeetingKind.objects.filter(
            federation=federation, active=True
        )


class MeetingImportForm(BoundedForm):
    file = forms.FileField(
        label="Fichier CSV ou ICS",
        help_text="CSV : date; heure; duree; type; projet; objet; lieu; cpts; participants. "
        "ICS : export d'un agenda (Outlook, Thunderbird, Google…).",
    )
    kind = forms.ModelChoiceField(
        label="Type (pour un fichier ICS)", queryset=MeetingKind.objects.none(), required=False
    )
    project = forms.ChoiceField(
        label="Projet (pour un fichier ICS)", choices=[("", "—"), *Project.choices], required=False
    )

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = MeetingKind.objects.filter(federation=federation)

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded is None:
            return cleaned
        if uploaded.size > 2 * 1024 * 1024:
            self.add_error("file", "Le fichier dépasse 2 Mo.")
        name = uploaded.name.lower()
        if not name.endswith((".csv", ".ics", ".txt")):
            self.add_error("file", "Déposez un fichier .csv ou .ics.")
        if name.endswith(".ics") and not (cleaned.get("kind") and cleaned.get("project")):
            self.add_error(
                None, "Pour un fichier ICS, choisissez le type et le projet des réunions."
            )
        return cleaned


class AttachmentForm(BoundedForm):
    file = forms.FileField(label="Pièce jointe")


class MeetingKindForm(BoundedForm):
    name = forms.CharField(label="Nouveau type de réunion", max_length=100)
