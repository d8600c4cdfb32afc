from django import forms

from interurps.accounts.models import User
from interurps.core.forms import BoundedForm, BoundedModelForm
from interurps.core.widgets import DateInput, DateTimeInput
from interurps.cpts.models import Cpts
from interurps.training import services
from interurps.training.models import (
    Attendance,
    Cohort,
    Learner,
    Module,
    Programme,
    RelayTrainer,
    Session,
    TrainerStep,
)

DATE_WIDGET = DateInput()
DATETIME_WIDGET = DateTimeInput()
NOT_RECORDED = ""


def _region_users(region):
    return User.objects.filter(role_assignments__region=region).distinct()


class ProgrammeForm(BoundedModelForm):
    class Meta:
        model = Programme
        fields = list(services.PROGRAMME_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ModuleForm(BoundedModelForm):
    class Meta:
        model = Module
        fields = list(services.MODULE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["order"].required = False
            self.fields["order"].help_text = "Laissé vide : après les modules existants."

    def validate_unique(self):
        # The service numbers new modules; uniqueness is checked there.
        pass


class CohortForm(BoundedModelForm):
    class Meta:
        model = Cohort
        fields = list(services.COHORT_FIELDS)
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class LearnerForm(BoundedModelForm):
    class Meta:
        model = Learner
        fields = list(services.LEARNER_FIELDS)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cpts"].queryset = Cpts.objects.filter(region=region).order_by("name")
        self.fields["user"].queryset = _region_users(region)
        self.fields["user"].help_text = "Le compte permet à l'apprenant·e de voir sa fiche."


class SessionForm(BoundedModelForm):
    video_link = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )
    trainers = forms.ModelMultipleChoiceField(
        label="Formateur·rices",
        queryset=RelayTrainer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Session
        fields = [*services.SESSION_FIELDS, "trainers"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = cohort.programme.modules.all()
        self.fields["trainers"].queryset = RelayTrainer.objects.filter(
            federation_id=cohort.programme.federation_id
        )
        if self.instance.pk:
            self.initial["trainers"] = list(self.instance.trainers.all())


class RelayTrainerForm(BoundedModelForm):
    class Meta:
        model = RelayTrainer
        fields = list(services.TRAINER_FIELDS)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _region_users(region)


class TrainerStepForm(BoundedModelForm):
    class Meta:
        model = TrainerStep
        fields = list(services.STEP_FIELDS)
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class SessionAttendanceForm(BoundedForm):
    """One status select per learner of the session's cohort; « non renseigné » clears."""

    def __init__(self, *args, learners, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.learners = list(learners)
        choices = [(NOT_RECORDED, "Non renseigné"), *Attendance.Status.choices]
        self.rows = []
        for learner in self.learners:
            name = f"status_{learner.pk}"
            current = recorded.get(learner.pk)
            self.fields[name] = forms.ChoiceField(
                label=f"Présence — {learner.full_name}",
                choices=choices,
                required=False,
                initial=current.status if current else NOT_RECORDED,
            )
            self.rows.append((learner, self[name]))

    def statuses(self) -> dict:
        return {
            learner: self.cleaned_data.get(f"status_{learner.pk}") or None
            for learner in self.learners
        }
