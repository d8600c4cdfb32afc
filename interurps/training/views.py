from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from interurps.core.forms import add_validation_errors, form_submission, render_form_page
from interurps.core.http import require as _check
from interurps.organizations.selectors import federation_or_404 as _federation
from interurps.training import perms, selectors, services
from interurps.training.forms import (
    CohortForm,
    LearnerForm,
    ModuleForm,
    ProgrammeForm,
    RelayTrainerForm,
    SessionAttendanceForm,
    SessionForm,
    TrainerStepForm,
)
from interurps.training.models import (
    Cohort,
    Learner,
    Module,
    Programme,
    RelayTrainer,
    Session,
    TrainerStep,
)


def _programme(pk) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("federation", "federation__region"), pk=pk
    )


def _cohort(pk) -> Cohort:
    return get_object_or_404(selectors.cohort_detail_queryset(), pk=pk)


def _session(pk) -> Session:
    return get_object_or_404(
        Session.objects.select_related(
            "module", "cohort", "cohort__programme", "cohort__programme__federation"
        ),
        pk=pk,
    )


def _trainer(pk) -> RelayTrainer:
    return get_object_or_404(
        RelayTrainer.objects.select_related("federation", "federation__region"), pk=pk
    )


def _trainers_url(federation) -> str:
    return reverse("training:trainers", args=[federation.region_id])


def _form_page(request, form, *, title, federation, cancel_url, intro="", programme=None):
    return render_form_page(
        request,
        form,
        breadcrumbs_template="training/_breadcrumbs.html",
        title=title,
        federation=federation,
        programme=programme,
        cancel_url=cancel_url,
        intro=intro,
    )


# --- reading -------------------------------------------------------------------------


@login_required
def federation_training(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_training(request.user, federation))
    return render(
        request,
        "training/federation_training.html",
        {
            "federation": federation,
            "programmes": selectors.programmes_of_federation(federation),
            "cohorts": selectors.cohorts_of_federation(federation),
            "can_manage": perms.can_manage_training(request.user, federation),
        },
    )


@login_required
def programme_detail(request, pk):
    programme = _programme(pk)
    federation = programme.federation
    _check(perms.can_view_training(request.user, federation))
    return render(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "federation": federation,
            "modules": programme.modules.all(),
            "cohorts": selectors.cohorts_of_programme(programme),
            "can_manage": perms.can_manage_training(request.user, federation),
        },
    )


@login_required
def cohort_detail(request, pk):
    cohort = _cohort(pk)
    federation = cohort.programme.federation
    _check(perms.can_view_training(request.user, federation))
    learners = selectors.visible_learners(request.user, cohort)
    sessions = list(selectors.sessions_of_cohort(cohort))
    all_learners = perms.can_view_all_learners(request.user, federation)
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "federation": federation,
            "completions": selectors.completions(cohort, learners),
            "summary": selectors.cohort_completion(cohort) if all_learners else None,
            "modules": cohort.programme.modules.all(),
            "sessions": sessions,
            "months": selectors.sessions_by_month(sessions),
            "grid": selectors.attendance_grid(sessions, learners),
            "all_learners": all_learners,
            "can_manage": perms.can_manage_training(request.user, federation),
        },
    )


@login_required
def learner_detail(request, pk):
    learner = get_object_or_404(
        Learner.objects.select_related(
            "cpts",
            "cohort",
            "cohort__programme",
            "cohort__programme__federation",
            "cohort__programme__federation__region",
        ),
        pk=pk,
    )
    federation = learner.cohort.programme.federation
    _check(perms.can_view_learner(request.user, learner))
    return render(
        request,
        "training/learner_detail.html",
        {
            "learner": learner,
            "cohort": learner.cohort,
            "programme": learner.cohort.programme,
            "federation": federation,
            "completion": selectors.learner_completion(learner),
            "attendance": selectors.attendance_of_learner(learner),
            "can_manage": perms.can_manage_training(request.user, federation),
        },
    )


@login_required
def trainers(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_training(request.user, federation))
    return render(
        request,
        "training/trainers.html",
        {
            "federation": federation,
            "trainers": selectors.relay_trainers_of_federation(federation),
            "can_manage": perms.can_manage_training(request.user, federation),
        },
    )


# --- programmes, modules, cohorts (federation staff) ---------------------------------


@login_required
def programme_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_manage_training(request.user, federation))
    form = ProgrammeForm(request.POST or None, instance=Programme(federation=federation))
    response = form_submission(
        request,
        form,
        save=lambda data: services.programme_create(federation=federation, **data),
        message=lambda programme: f"Le programme « {programme.name} » a été créé.",
        next_url=lambda programme: programme,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouveau programme de formation — {federation.name}",
        federation=federation,
        cancel_url=reverse("training:federation", args=[federation.region_id]),
    )


@login_required
def programme_edit(request, pk):
    programme = _programme(pk)
    _check(perms.can_manage_training(request.user, programme.federation))
    form = ProgrammeForm(request.POST or None, instance=programme)
    response = form_submission(
        request,
        form,
        save=lambda data: services.programme_update(programme=programme, data=data),
        message=lambda _record: "Le programme a été enregistré.",
        next_url=lambda _record: programme,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {programme.name}",
        federation=programme.federation,
        programme=programme,
        cancel_url=programme.get_absolute_url(),
    )


@login_required
def module_create(request, pk):
    programme = _programme(pk)
    _check(perms.can_manage_training(request.user, programme.federation))
    form = ModuleForm(request.POST or None, instance=Module(programme=programme))
    response = form_submission(
        request,
        form,
        save=lambda data: services.module_create(programme=programme, **data),
        message=lambda module: f"Le module « {module.title} » a été ajouté.",
        next_url=lambda module: programme,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouveau module — {programme.name}",
        federation=programme.federation,
        programme=programme,
        cancel_url=programme.get_absolute_url(),
    )


@login_required
def module_edit(request, pk):
    module = get_object_or_404(
        Module.objects.select_related("programme", "programme__federation"), pk=pk
    )
    programme = module.programme
    _check(perms.can_manage_training(request.user, programme.federation))
    form = ModuleForm(request.POST or None, instance=module)
    response = form_submission(
        request,
        form,
        save=lambda data: services.module_update(module=module, data=data),
        message=lambda _record: "Le module a été enregistré.",
        next_url=lambda _record: programme,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier le module — {module.title}",
        federation=programme.federation,
        programme=programme,
        cancel_url=programme.get_absolute_url(),
    )


@login_required
def cohort_create(request, pk):
    programme = _programme(pk)
    _check(perms.can_manage_training(request.user, programme.federation))
    form = CohortForm(request.POST or None, instance=Cohort(programme=programme))
    response = form_submission(
        request,
        form,
        save=lambda data: services.cohort_create(programme=programme, **data),
        message=lambda cohort: f"La cohorte « {cohort.name} » a été créée.",
        next_url=lambda cohort: cohort,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvelle cohorte — {programme.name}",
        federation=programme.federation,
        programme=programme,
        cancel_url=programme.get_absolute_url(),
    )


@login_required
def cohort_edit(request, pk):
    cohort = _cohort(pk)
    _check(perms.can_manage_training(request.user, cohort.programme.federation))
    form = CohortForm(request.POST or None, instance=cohort)
    response = form_submission(
        request,
        form,
        save=lambda data: services.cohort_update(cohort=cohort, data=data),
        message=lambda _record: "La cohorte a été enregistrée.",
        next_url=lambda _record: cohort,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {cohort}",
        federation=cohort.programme.federation,
        programme=cohort.programme,
        cancel_url=cohort.get_absolute_url(),
    )


# --- learners (federation staff) -----------------------------------------------------


@login_required
def learner_create(request, pk):
    cohort = _cohort(pk)
    federation = cohort.programme.federation
    _check(perms.can_manage_learners(request.user, federation))
    form = LearnerForm(
        request.POST or None, instance=Learner(cohort=cohort), region=federation.region
    )
    response = form_submission(
        request,
        form,
        save=lambda data: services.learner_create(cohort=cohort, **data),
        message=lambda learner: f"{learner.full_name} a été inscrit·e dans la cohorte.",
        next_url=lambda learner: cohort,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvel·le apprenant·e — {cohort}",
        federation=federation,
        programme=cohort.programme,
        cancel_url=cohort.get_absolute_url(),
    )


@login_required
def learner_edit(request, pk):
    learner = get_object_or_404(Learner, pk=pk)
    cohort = _cohort(learner.cohort_id)
    federation = cohort.programme.federation
    _check(perms.can_manage_learners(request.user, federation))
    form = LearnerForm(request.POST or None, instance=learner, region=federation.region)
    response = form_submission(
        request,
        form,
        save=lambda data: services.learner_update(learner=learner, data=data),
        message=lambda _record: "La fiche de l'apprenant·e a été enregistrée.",
        next_url=lambda _record: learner,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {learner.full_name}",
        federation=federation,
        programme=cohort.programme,
        cancel_url=learner.get_absolute_url(),
    )


# --- sessions and attendance (federation staff) --------------------------------------


@login_required
def session_create(request, pk):
    cohort = _cohort(pk)
    federation = cohort.programme.federation
    _check(perms.can_manage_training(request.user, federation))
    form = SessionForm(request.POST or None, instance=Session(cohort=cohort), cohort=cohort)
    response = form_submission(
        request,
        form,
        save=lambda data: services.session_create(cohort=cohort, **data),
        message=lambda session: "La séance a été programmée.",
        next_url=lambda session: session.get_absolute_url(),
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvelle séance — {cohort}",
        federation=federation,
        programme=cohort.programme,
        cancel_url=cohort.get_absolute_url(),
    )


@login_required
def session_edit(request, pk):
    session = _session(pk)
    cohort = session.cohort
    _check(perms.can_manage_training(request.user, cohort.programme.federation))
    form = SessionForm(request.POST or None, instance=session, cohort=cohort)
    response = form_submission(
        request,
        form,
        save=lambda data: services.session_update(session=session, data=data),
        message=lambda _record: "La séance a été enregistrée.",
        next_url=lambda _record: session.get_absolute_url(),
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier la séance — {session}",
        federation=cohort.programme.federation,
        programme=cohort.programme,
        cancel_url=session.get_absolute_url(),
    )


@login_required
def session_attendance(request, pk):
    """The attendance sheet of a session; answers htmx requests with the form fragment."""
    session = _session(pk)
    cohort = session.cohort
    _check(perms.can_manage_learners(request.user, cohort.programme.federation))
    learners = selectors.learners_of_cohort(cohort)
    recorded = {a.learner_id: a for a in session.attendances.all()}
    form = SessionAttendanceForm(
        request.POST or None,
        learners=learners,
        recorded=recorded,
        auto_id=f"id_seance{session.pk}_%s",  # unique ids when several sheets are open
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(session=session, statuses=form.statuses())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, "Les présences ont été enregistrées.")
                return redirect(session.get_absolute_url())
            saved = True
    context = {
        "form": form,
        "session": session,
        "cohort": cohort,
        "programme": cohort.programme,
        "federation": cohort.programme.federation,
        "saved": saved,
    }
    if request.htmx:
        return render(request, "training/_session_attendance_form.html", context)
    return render(request, "training/session_attendance.html", context)


# --- relay trainers (federation staff) -----------------------------------------------


@login_required
def trainer_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_manage_training(request.user, federation))
    form = RelayTrainerForm(
        request.POST or None, instance=RelayTrainer(federation=federation), region=federation.region
    )
    response = form_submission(
        request,
        form,
        save=lambda data: services.relay_trainer_create(federation=federation, **data),
        message=lambda trainer: f"{trainer.full_name} a été ajouté·e aux formateur·rices.",
        next_url=lambda trainer: f"{_trainers_url(federation)}#formateur-{trainer.pk}",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouveau·elle formateur·rice relais — {federation.name}",
        federation=federation,
        cancel_url=_trainers_url(federation),
    )


@login_required
def trainer_edit(request, pk):
    trainer = _trainer(pk)
    federation = trainer.federation
    _check(perms.can_manage_training(request.user, federation))
    form = RelayTrainerForm(request.POST or None, instance=trainer, region=federation.region)
    response = form_submission(
        request,
        form,
        save=lambda data: services.relay_trainer_update(trainer=trainer, data=data),
        message=lambda _record: "La fiche a été enregistrée.",
        next_url=lambda _record: f"{_trainers_url(federation)}#formateur-{trainer.pk}",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {trainer.full_name}",
        federation=federation,
        cancel_url=_trainers_url(federation),
    )


@login_required
def step_create(request, pk):
    trainer = _trainer(pk)
    federation = trainer.federation
    _check(perms.can_manage_training(request.user, federation))
    form = TrainerStepForm(request.POST or None, instance=TrainerStep(trainer=trainer))
    response = form_submission(
        request,
        form,
        save=lambda data: services.trainer_step_create(trainer=trainer, **data),
        message=lambda step: "L'étape a été ajoutée au parcours.",
        next_url=lambda step: f"{_trainers_url(federation)}#etape-{step.pk}",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvelle étape du parcours — {trainer.full_name}",
        federation=federation,
        cancel_url=_trainers_url(federation),
    )


@login_required
def step_edit(request, pk):
    step = get_object_or_404(TrainerStep, pk=pk)
    trainer = _trainer(step.trainer_id)
    federation = trainer.federation
    _check(perms.can_manage_training(request.user, federation))
    form = TrainerStepForm(request.POST or None, instance=step)
    response = form_submission(
        request,
        form,
        save=lambda data: services.trainer_step_update(step=step, data=data),
        message=lambda _record: "L'étape a été enregistrée.",
        next_url=lambda _record: f"{_trainers_url(federation)}#etape-{step.pk}",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier l'étape — {step.title}",
        federation=federation,
        cancel_url=_trainers_url(federation),
    )
