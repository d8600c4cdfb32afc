from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.core.forms import add_validation_errors, form_submission
from interurps.core.http import require
from interurps.geography.models import Region
from interurps.sas.booking import SlotUnavailable
from interurps.sas.models import Appointment, CareRequest, Slot
from interurps.sas.regulation import perms, selectors, services
from interurps.sas.regulation.forms import (
    CareRequestForm,
    ExtraAppointmentForm,
    OutcomeForm,
    SearchForm,
)

QUERY_MAX = 1000


def _care_request(pk) -> CareRequest:
    return get_object_or_404(selectors.care_request_detail_queryset(), pk=pk)


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def regulation_today(request, region_code):
    """Today's care requests of the region, with their appointments and outcomes."""
    region = get_object_or_404(Region, code=region_code)
    require(perms.can_view_regulation(request.user, region))
    care_requests = selectors.care_requests_of_day(region)
    return render(
        request,
        "sas/regulation/today.html",
        {
            "region": region,
            "care_requests": care_requests,
            "outcome_counts": selectors.outcome_counts(care_requests),
            "outcomes": CareRequest.Outcome.choices,
            "free_slots": selectors.free_slots_count(region),
            "can_regulate": perms.can_regulate(request.user, region),
            "today": timezone.localdate(),
        },
    )


@login_required
def regulation_request_create(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    require(perms.can_regulate(request.user, region))
    form = CareRequestForm(request.POST or None, region=region)
    response = form_submission(
        request,
        form,
        save=lambda data: services.care_request_create(
            region=region, regulator=request.user, **data
        ),
        message=lambda _record: "La demande est enregistrée : voici les créneaux proches.",
        next_url=lambda record: reverse("sas:regulation_request", args=[record.pk]),
    )
    if response is not None:
        return response
    return render(
        request, "sas/regulation/care_request_form.html", {"form": form, "region": region}
    )


def _detail(request, care_request, *, query=None, extra_form=None, outcome_form=None, status=200):
    """The care request's page: its appointments, its outcome and the search around the
    patient with the criteria of `query` (the page's query string by default)."""
    region = care_request.region
    query = request.GET if query is None else query
    search_form = SearchForm(query)
    result = None
    criteria = None
    if search_form.is_valid():
        data = search_form.cleaned_data
        window = None
        if data["window_start"] or data["window_end"]:
            start, end = selectors.default_window()
            window = (data["window_start"] or start, data["window_end"] or end)
            if window[1] <= window[0]:
                window = None
        point = None
        if data["latitude"] is not None and data["longitude"] is not None:
            point = (data["latitude"], data["longitude"])
        criteria = selectors.criteria_for(
            care_request,
            window=window,
            radius_km=data["radius_km"],
            profession=data["profession"].pk if data["profession"] else "",
            specialty=data["specialty"].strip(),
            consultation_type=data["consultation_type"],
            point=point,
        )
        if criteria is not None:
            result = selectors.slot_search(criteria)
    can_regulate = perms.can_regulate(request.user, region)
    if extra_form is None:
        # Offered: the effectors accepting extra patients that the search found nearby.
        nearby = [extra.effector.pk for extra in result.extras] if result else []
        effectors = selectors.extra_effectors(region).filter(pk__in=nearby)
        extra_form = ExtraAppointmentForm(effectors=effectors)
    appointments = list(care_request.appointments.all())
    active = [a for a in appointments if a.status == Appointment.Status.BOOKED]
    return render(
        request,
        "sas/regulation/care_request.html",
        {
            "region": region,
            "care_request": care_request,
            "appointments": appointments,
            "has_appointment": bool(active),
            "search_form": search_form,
            "criteria": criteria,
            "result": result,
            "query": query.urlencode()[:QUERY_MAX],
            "can_regulate": can_regulate,
            "extra_form": extra_form,
            "outcome_form": outcome_form or OutcomeForm(),
        },
        status=status,
    )


@login_required
def regulation_request(request, pk):
    """A care request: its appointments, and the search of free slots around the patient
    (GET criteria), each slot booked in one click by a regulator."""
    care_request = _care_request(pk)
    require(perms.can_view_regulation(request.user, care_request.region))
    if request.method == "POST":
        # Nothing is changed here: a POST renders the page (actions have their own URLs).
        require(perms.can_regulate(request.user, care_request.region))
    return _detail(request, care_request)


def _posted_query(request) -> QueryDict:
    return QueryDict(request.POST.get("query", "")[:QUERY_MAX])


def _back(care_request, query: QueryDict):
    url = reverse("sas:regulation_request", args=[care_request.pk])
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@login_required
@require_POST
def regulation_book(request, pk):
    care_request = _care_request(pk)
    require(perms.can_regulate(request.user, care_request.region))
    query = _posted_query(request)
    slot_id = request.POST.get("slot", "")
    slot = None
    if slot_id.isascii() and slot_id.isdigit() and len(slot_id) <= 12:
        slot = Slot.objects.select_related("effector").filter(pk=int(slot_id)).first()
    if slot is None:
        messages.error(request, "Choisissez un créneau de la liste.")
        return _back(care_request, query)
    try:
        appointment = services.care_request_book(
            care_request=care_request, slot=slot, by=request.user
        )
    except SlotUnavailable as error:
        messages.error(request, f"{error.message} Voici la liste à jour.")
        return _detail(request, _care_request(pk), query=query, status=409)
    except ValidationError as error:
        _error(request, error)
        return _back(care_request, query)
    local = timezone.localtime(appointment.start)
    messages.success(
        request,
        f"Rendez-vous pris avec {appointment.effector} le {local:%d/%m/%Y} à {local:%H:%M}.",
    )
    return redirect("sas:regulation_request", pk=care_request.pk)


@login_required
@require_POST
def regulation_book_extra(request, pk):
    care_request = _care_request(pk)
    require(perms.can_regulate(request.user, care_request.region))
    form = ExtraAppointmentForm(
        request.POST, effectors=selectors.extra_effectors(care_request.region)
    )
    if form.is_valid():
        try:
            services.care_request_book_extra(
                care_request=care_request,
                effector=form.cleaned_data["effector"],
                start=form.cleaned_data["start"],
                minutes=form.cleaned_data["minutes"],
                by=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Rendez-vous en surnuméraire enregistré.")
            return redirect("sas:regulation_request", pk=care_request.pk)
    messages.error(request, "Rendez-vous en surnuméraire non enregistré : voyez ci-dessous.")
    return _detail(request, care_request, query=_posted_query(request), extra_form=form)


@login_required
@require_POST
def regulation_outcome(request, pk):
    care_request = _care_request(pk)
    require(perms.can_regulate(request.user, care_request.region))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une issue : conseil, urgences ou aucun créneau.")
        return redirect("sas:regulation_request", pk=care_request.pk)
    try:
        care_request = services.care_request_set_outcome(
            care_request=care_request, outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"Issue enregistrée : {care_request.get_outcome_display()}.")
    return redirect("sas:regulation_request", pk=care_request.pk)


@login_required
@require_POST
def regulation_cancel(request, pk):
    appointment = get_object_or_404(
        Appointment.objects.select_related("effector", "care_request"), pk=pk
    )
    require(perms.can_regulate(request.user, appointment.effector.region_id))
    services.appointment_cancel(appointment=appointment)
    messages.success(request, "Le rendez-vous est annulé : le créneau est de nouveau libre.")
    if appointment.care_request_id is not None:
        return redirect("sas:regulation_request", pk=appointment.care_request_id)
    return redirect("sas:regulation_today", region_code=appointment.effector.region_id)
