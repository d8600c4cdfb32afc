"""Pages of REPER records: the people one follows, a person's record (identity, screenings,
assessments, plans, trajectory, who read it), step 1, step 2, the care plan, consent.

Every page about a person answers 404 to anyone who may not read them (`perms`), and
every page that shows a person's data writes one line of the read log (`PersonRead`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.analytics import icope
from interurps.core.forms import add_validation_errors
from interurps.core.http import query_text
from interurps.core.http import require as _check
from interurps.cpts.models import Cpts
from interurps.geography.models import Region
from interurps.reper import forms, perms, selectors, services
from interurps.reper.models import (
    IDENTITY_FIELDS,
    Assessment,
    CarePlan,
    FollowUp,
    Person,
    PlanAction,
    Screening,
)


def _person(request, pk) -> Person:
    person = get_object_or_404(selectors.person_queryset(), pk=pk)
    if not perms.can_view_person(request.user, person):
        raise Http404
    return person


def _writable(request, person: Person) -> Person:
    if not perms.can_edit_person(request.user, person):
        raise Http404
    return person


def _render(request, person: Person, template: str, context: dict, *, what: str, reads=False):
    """Render a page showing `person`'s data, and log that it was read (the record then
    lists its reads, this one included)."""
    identity = perms.can_see_identity(request.user, person)
    services.person_read_log(
        person=person, user=request.user, what=what + (" (avec identité)" if identity else "")
    )
    if reads:
        context["reads"] = selectors.reads_of(person)
        context["read_count"] = selectors.read_count(person)
    return render(
        request,
        template,
        {
            "person": person,
            "show_identity": identity,
            "can_edit": perms.can_edit_person(request.user, person),
            **context,
        },
    )


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _detail(person: Person, anchor: str = "") -> str:
    url = reverse("reper:person_detail", args=[person.pk])
    return f"{url}#{anchor}" if anchor else url


# --- people ----------------------------------------------------------------------------

FILTERS = {
    "": "Toutes",
    "a-reperer": "Repérage à refaire",
    "evaluations": "Évaluation en retard",
}


@login_required
def person_list(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    _check(perms.can_use_reper(request.user, region))
    today = timezone.localdate()
    rows = selectors.person_rows(request.user, region, today)
    shown = query_text(request, "filtre", max_length=20)
    if shown == "a-reperer":
        rows = [r for r in rows if r.next_due and r.next_due <= today]
    elif shown == "evaluations":
        rows = [r for r in rows if r.overdue_assessments]
    else:
        shown = ""
    # Names are shown to the professionals who follow the person, and logged.
    followed = [r.person for r in rows if r.followed]
    if followed:
        services.people_read_log(people=followed, user=request.user, what="liste : nom")
    return render(
        request,
        "reper/person_list.html",
        {
            "region": region,
            "rows": rows,
            "today": today,
            "filters": FILTERS,
            "shown": shown,
            "addable_cpts": selectors.programme_cpts_where_user_adds(request.user, region),
            "is_coordinator": bool(perms.coordinated_cpts_ids(request.user, region)),
        },
    )


@login_required
def person_create(request, cpts_pk):
    cpts = get_object_or_404(Cpts.objects.select_related("region"), pk=cpts_pk)
    if not selectors.is_programme_cpts(cpts) or not perms.can_add_person(request.user, cpts):
        raise Http404
    ids = perms.professional_ids(request.user, cpts.region_id)
    own = selectors.candidate_followers(cpts).filter(pk__in=ids).first() if ids else None
    candidates = None if own else selectors.candidate_followers(cpts)
    form = forms.PersonForm(request.POST or None, cpts=cpts, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        follower = data.pop("follower", None)
        try:
            person = services.person_create(
                cpts=cpts, professional=own or follower, by=request.user, **data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Personne incluse : {person.pseudonym}.")
            return redirect("reper:person_detail", pk=person.pk)
    return render(
        request,
        "reper/person_form.html",
        {"form": form, "cpts": cpts, "region": cpts.region, "own": own},
    )


@login_required
def person_detail(request, pk):
    person = _person(request, pk)
    context = {
        "followers": selectors.followers(person),
        "screenings": selectors.screenings_of(person),
        "assessments": selectors.assessments_of(person),
        "plans": selectors.plans_of(person),
        "trajectory": selectors.trajectory(person),
        "next_due": selectors.person_next_due(person),
        "today": timezone.localdate(),
    }
    return _render(request, person, "reper/person_detail.html", context, what="fiche", reads=True)


@login_required
def person_identity(request, pk):
    person = _writable(request, _person(request, pk))
    if person.identity_erased_on:
        raise Http404
    if not perms.can_see_identity(request.user, person):
        # Superusers without a role for this person: the identity is not theirs to see.
        return _render(request, person, "reper/identity_form.html", {}, what="identité (refusée)")
    initial = {name: getattr(person, name) for name in IDENTITY_FIELDS}
    form = forms.IdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_identity(person=person, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Identité enregistrée.")
            return redirect(_detail(person, "identite"))
    return _render(
        request, person, "reper/identity_form.html", {"form": form}, what="identité : modification"
    )


@login_required
def person_followers(request, pk):
    person = _person(request, pk)
    can_edit = perms.can_edit_person(request.user, person)
    current = selectors.followers(person)
    candidates = selectors.candidate_followers(person.cpts).exclude(
        pk__in=[f.professional_id for f in current]
    )
    form = forms.FollowerAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        _check(can_edit)
        if form.is_valid():
            try:
                follow_up = services.follower_add(
                    person=person, professional=form.cleaned_data["professional"]
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{follow_up.professional} suit désormais la personne.")
                return redirect("reper:person_followers", pk=person.pk)
    return _render(
        request,
        person,
        "reper/followers.html",
        {"followers": current, "form": form},
        what="professionnel·les qui suivent",
    )


@login_required
@require_POST
def follower_remove(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.select_related("professional"), pk=pk)
    person = _writable(request, _person(request, follow_up.person_id))
    try:
        services.follower_remove(follow_up=follow_up)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"{follow_up.professional} ne suit plus la personne.")
    return redirect("reper:person_followers", pk=person.pk)


# --- step 1 ----------------------------------------------------------------------------


@login_required
def screening_create(request, pk):
    person = _writable(request, _person(request, pk))
    if not person.consent_active:
        messages.error(request, "Le consentement est retiré : plus de repérage.")
        return redirect(_detail(person))
    acting = selectors.acting_professional(request.user, person)
    form = forms.ScreeningForm(
        request.POST or None,
        followers=selectors.follower_professionals(person),
        acting_professional=acting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                person=person,
                professional=acting or form.cleaned_data["professional"],
                screened_on=form.cleaned_data["screened_on"],
                answers=form.answers(),
                assign_to=form.cleaned_data.get("assign_to"),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            count = screening.positive_count
            messages.success(
                request,
                "Repérage enregistré : "
                + (
                    f"{count} domaine{'s' if count > 1 else ''} à approfondir."
                    if count
                    else "aucun domaine à approfondir."
                ),
            )
            return redirect("reper:screening_detail", pk=screening.pk)
    return _render(
        request,
        person,
        "reper/screening_form.html",
        {"form": form, "acting": acting},
        what="repérage : saisie",
    )


@login_required
def screening_detail(request, pk):
    screening = get_object_or_404(Screening.objects.select_related("professional"), pk=pk)
    person = _person(request, screening.person_id)
    return _render(
        request,
        person,
        "reper/screening_detail.html",
        {
            "screening": screening,
            "assessments": screening.assessments.select_related("assigned_to").order_by("pk"),
        },
        what=f"repérage du {screening.screened_on:%d/%m/%Y}",
    )


# --- step 2 ----------------------------------------------------------------------------


def _assessment(request, pk) -> tuple[Assessment, Person]:
    assessment = get_object_or_404(
        Assessment.objects.select_related("screening", "assigned_to"), pk=pk
    )
    return assessment, _person(request, assessment.person_id)


@login_required
def assessment_record(request, pk):
    assessment, person = _assessment(request, pk)
    tools = list(icope.STEP2_TOOLS.get(assessment.domain, ()))
    initial = {}
    if assessment.status == Assessment.Status.DONE and assessment.tool:
        initial = {"tool": assessment.tool, "done_on": assessment.done_on}
        for key, value in (assessment.details or {}).items():
            initial[f"{assessment.tool}__{key}"] = str(value).replace(".", ",")
    form = forms.AssessmentForm(request.POST or None, tools=tools, initial=initial)
    if request.method == "POST":
        _writable(request, person)
        if assessment.status == Assessment.Status.CANCELLED:
            messages.error(request, "Cette évaluation a été annulée.")
            return redirect(_detail(person, "evaluations"))
        if form.is_valid():
            try:
                services.assessment_record(
                    assessment=assessment,
                    tool_code=form.cleaned_data["tool"],
                    items=form.items(),
                    done_on=form.cleaned_data["done_on"],
                    by=selectors.acting_professional(request.user, person),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    f"Évaluation « {assessment.get_domain_display()} » enregistrée : "
                    f"{assessment.band or ('anormale' if assessment.abnormal else 'normale')}.",
                )
                return redirect(_detail(person, "evaluations"))
    return _render(
        request,
        person,
        "reper/assessment_form.html",
        {"assessment": assessment, "form": form},
        what=f"évaluation {assessment.get_domain_display().lower()}",
    )


@login_required
def assessment_cancel(request, pk):
    assessment, person = _assessment(request, pk)
    _writable(request, person)
    form = forms.AssessmentCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_cancel(assessment=assessment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Évaluation annulée.")
            return redirect(_detail(person, "evaluations"))
    return _render(
        request,
        person,
        "reper/assessment_cancel.html",
        {"assessment": assessment, "form": form},
        what="évaluation : annulation",
    )


# --- care plan -------------------------------------------------------------------------


def _plan(request, pk) -> tuple[CarePlan, Person]:
    plan = get_object_or_404(CarePlan.objects.select_related("created_by"), pk=pk)
    return plan, _person(request, plan.person_id)


def _plan_author(request, person: Person, form=None):
    acting = selectors.acting_professional(request.user, person)
    if acting is not None:
        return acting
    return selectors.follower_professionals(person).first()


@login_required
def plan_create(request, pk):
    person = _writable(request, _person(request, pk))
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        author = _plan_author(request, person)
        try:
            if author is None:
                raise ValidationError("La personne n'est suivie par aucun·e professionnel·le.")
            plan = services.plan_create(person=person, created_by=author, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Plan de soins enregistré : ajoutez ses interventions.")
            return redirect("reper:plan_detail", pk=plan.pk)
    return _render(request, person, "reper/plan_form.html", {"form": form}, what="plan : création")


@login_required
def plan_detail(request, pk):
    plan, person = _plan(request, pk)
    followers = selectors.follower_professionals(person)
    action_form = forms.PlanActionForm(
        request.POST or None, followers=followers, prefix="intervention"
    )
    if request.method == "POST":
        _writable(request, person)
        if action_form.is_valid():
            try:
                services.plan_action_add(plan=plan, **action_form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(action_form, error)
            else:
                messages.success(request, "Intervention ajoutée au plan.")
                return redirect("reper:plan_detail", pk=plan.pk)
    return _render(
        request,
        person,
        "reper/plan_detail.html",
        {
            "plan": plan,
            "actions": plan.actions.select_related("responsible"),
            "action_form": action_form,
            "review_form": forms.PlanReviewForm(prefix="point"),
            "today": timezone.localdate(),
        },
        what="plan de soins",
    )


@login_required
@require_POST
def plan_review(request, pk):
    plan, person = _plan(request, pk)
    _writable(request, person)
    form = forms.PlanReviewForm(request.POST, prefix="point")
    if form.is_valid():
        try:
            services.plan_review(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, "Point de suivi enregistré.")
    else:
        messages.error(
            request, "Point de suivi : " + " ".join(e for es in form.errors.values() for e in es)
        )
    return redirect("reper:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_close(request, pk):
    plan, person = _plan(request, pk)
    _writable(request, person)
    services.plan_close(plan=plan)
    messages.success(request, "Plan clos.")
    return redirect(_detail(person, "plans"))


@login_required
@require_POST
def plan_action_done(request, pk):
    action = get_object_or_404(PlanAction.objects.select_related("plan"), pk=pk)
    _writable(request, _person(request, action.plan.person_id))
    try:
        services.plan_action_done(action=action)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, "Intervention marquée comme réalisée.")
    return redirect("reper:plan_detail", pk=action.plan_id)


# --- consent ---------------------------------------------------------------------------


@login_required
def consent_withdraw(request, pk):
    person = _writable(request, _person(request, pk))
    if not person.consent_active:
        return redirect("reper:identity_erase", pk=person.pk)
    form = forms.ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                person=person,
                on=form.cleaned_data["on"],
                erase_identity=form.cleaned_data["erase_identity"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Retrait du consentement enregistré : le suivi s'arrête.")
            return redirect(_detail(person))
    return _render(
        request,
        person,
        "reper/consent_withdraw.html",
        {"form": form},
        what="retrait du consentement",
    )


@login_required
def identity_erase(request, pk):
    person = _writable(request, _person(request, pk))
    if person.consent_active or person.identity_erased_on:
        return redirect(_detail(person))
    form = forms.IdentityEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.identity_erase(person=person)
        messages.success(request, "Identité effacée.")
        return redirect(_detail(person))
    return _render(
        request,
        person,
        "reper/identity_erase.html",
        {"form": form},
        what="effacement de l'identité",
    )


urlpatterns = [
    path("regions/<str:region_code>/personnes/", person_list, name="person_list"),
    path("cpts/<int:cpts_pk>/personnes/nouvelle/", person_create, name="person_create"),
    path("personnes/<int:pk>/", person_detail, name="person_detail"),
    path("personnes/<int:pk>/identite/", person_identity, name="person_identity"),
    path("personnes/<int:pk>/suivi/", person_followers, name="person_followers"),
    path("suivis/<int:pk>/fin/", follower_remove, name="follower_remove"),
    path("personnes/<int:pk>/reperage/", screening_create, name="screening_create"),
    path("reperages/<int:pk>/", screening_detail, name="screening_detail"),
    path("evaluations/<int:pk>/", assessment_record, name="assessment_record"),
    path("evaluations/<int:pk>/annulation/", assessment_cancel, name="assessment_cancel"),
    path("personnes/<int:pk>/plan/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/point/", plan_review, name="plan_review"),
    path("plans/<int:pk>/cloture/", plan_close, name="plan_close"),
    path("interventions/<int:pk>/realisee/", plan_action_done, name="plan_action_done"),
    path("personnes/<int:pk>/retrait/", consent_withdraw, name="consent_withdraw"),
    path("personnes/<int:pk>/effacement/", identity_erase, name="identity_erase"),
]
