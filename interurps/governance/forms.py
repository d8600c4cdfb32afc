from django import forms

from interurps.accounts.models import User
from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput, DateTimeInput
from interurps.governance import services
from interurps.governance.models import (
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    StaffMember,
)
from interurps.organizations.models import Union

DATE_WIDGET = DateInput()
DATETIME_WIDGET = DateTimeInput()


def _region_users(region):
    return User.objects.filter(role_assignments__region=region).distinct()


class BodyForm(BoundedModelForm):
    class Meta:
        model = Body
        fields = list(services.BODY_FIELDS)
        widgets = {"quorum_rule_text": forms.Textarea(attrs={"rows": 3})}


class BodyMemberForm(BoundedModelForm):
    class Meta:
        model = BodyMember
        fields = list(services.MEMBER_FIELDS)
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Union.objects.filter(region=region).select_related(
            "profession"
        )
        self.fields["user"].queryset = _region_users(region)


class StaffMemberForm(BoundedModelForm):
    class Meta:
        model = StaffMember
        fields = list(services.STAFF_FIELDS)
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lent_by"].queryset = Union.objects.filter(region=region)
        self.fields["lent_by"].help_text = "Obligatoire pour une mise à disposition."
        self.fields["user"].queryset = _region_users(region)


class MeetingForm(BoundedModelForm):
    video_link = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = list(services.MEETING_FIELDS)
        widgets = {
            "held_at": DATETIME_WIDGET,
            "convocation_sent_on": DATE_WIDGET,
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class DecisionForm(BoundedModelForm):
    class Meta:
        model = Decision
        fields = list(services.DECISION_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["order"].required = False
            self.fields["order"].help_text = "Laissé vide : à la suite des décisions existantes."

    def validate_unique(self):
        # The service numbers new decisions; uniqueness is checked there.
        pass


class AttendanceForm(BoundedForm):
    """One status select and one proxy-holder select per member in office that day."""

    def __init__(self, *args, members, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        holder_choices = [("", "—")] + [(str(m.pk), m.full_name) for m in self.members]
        self.rows = []
        for member in self.members:
            current = recorded.get(member.pk)
            status_name, proxy_name = f"status_{member.pk}", f"proxy_{member.pk}"
            self.fields[status_name] = forms.ChoiceField(
                label=f"Présence de {member.full_name}",
                choices=Attendance.Status.choices,
                initial=current.status if current else Attendance.Status.PRESENT,
            )
            self.fields[proxy_name] = forms.ChoiceField(
                label=f"Mandataire de {member.full_name}",
                choices=[c for c in holder_choices if c[0] != str(member.pk)],
                required=False,
                initial=str(current.proxy_holder_id) if current and current.proxy_holder_id else "",
            )
            self.rows.append((member, self[status_name], self[proxy_name]))

    def entries(self) -> list[services.AttendanceEntry]:
        by_pk = {m.pk: m for m in self.members}
        entries = []
        for member in self.members:
            holder_pk = self.cleaned_data.get(f"proxy_{member.pk}")
            entries.append(
                services.AttendanceEntry(
                    member=member,
                    status=self.cleaned_data[f"status_{member.pk}"],
                    proxy_holder=by_pk.get(int(holder_pk)) if holder_pk else None,
                )
            )
        return entries
