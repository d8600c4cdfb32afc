from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.core.dates import parse_year
from interurps.core.downloads import download_name, pdf_response
from interurps.core.forms import add_validation_errors, form_submission, render_form_page
from interurps.core.http import query_text
from interurps.core.http import require as _check
from interurps.events import exports, perms, rules, selectors, services
from interurps.events.forms import (
    EventForm,
    ProgrammeItemForm,
    PublicRegistrationForm,
    RegistrantsEmailForm,
    RegistrationForm,
    SpeakerForm,
)
from interurps.events.models import Event, ProgrammeItem, Registration, Speaker
from interurps.organizations.selectors import federation_or_404 as _federation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event(pk) -> Event:
    return get_object_or_404(selectors.event_detail_queryset(), pk=pk)


def _item(pk) -> ProgrammeItem:
    return get_object_or_404(
        ProgrammeItem.objects.select_related("event", "event__federation"), pk=pk
    )


def _registration(pk) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related(
            "event", "event__federation", "event__federation__region", "profession", "cpts"
        ),
        pk=pk,
    )


def _form_page(request, form, *, title, federation, cancel_url, event=None, intro=""):
    return render_form_page(
        request,
        form,
        breadcrumbs_template="events/_breadcrumbs.html",
        title=title,
        federation=federation,
        event=event,
        cancel_url=cancel_url,
        intro=intro,
    )


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- reading -------------------------------------------------------------------------


@login_required
def event_list(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_events(request.user, federation))
    kind = query_text(request, "type")
    if kind not in Event.Kind.values:
        kind = ""
    year = parse_year(request.GET.get("annee"))
    events = selectors.events_of_federation(federation, kind=kind or None, year=year)
    upcoming, past = selectors.upcoming_and_past(events)
    return render(
        request,
        "events/event_list.html",
        {
            "federation": federation,
            "upcoming": upcoming,
            "past": past,
            "kinds": Event.Kind.choices,
            "years": selectors.event_years(federation),
            "selected_kind": kind,
            "selected_year": year,
            "counts_by_year": selectors.events_counts_by_year(federation),
            "kind_labels": [label for _, label in Event.Kind.choices],
            "can_manage_events": perms.can_manage_events(request.user, federation),
        },
    )


@login_required
def event_detail(request, pk):
    event = _event(pk)
    federation = event.federation
    _check(perms.can_view_events(request.user, federation))
    can_manage_registrations = perms.can_manage_registrations(request.user, federation)
    now = timezone.now()
    context = {
        "event": event,
        "federation": federation,
        "programme": selectors.programme(event),
        "places": selectors.places(event),
        "can_manage_events": perms.can_manage_events(request.user, federation),
        "can_manage_registrations": can_manage_registrations,
        "now": now,
        "check_in_open": timezone.localtime(now).date() >= event.starts_on,
    }
    if can_manage_registrations:
        context["registrations"] = selectors.registrations_of(event)
        context["public_url"] = request.build_absolute_uri(event.get_public_url())
    return render(request, "events/event_detail.html", context)


@login_required
def event_ics(request, pk):
    event = _event(pk)
    _check(perms.can_view_events(request.user, event.federation))
    url = request.build_absolute_uri(event.get_absolute_url())
    response = HttpResponse(
        exports.event_ics(event, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


# --- events, programme and speakers (federation staff) --------------------------------


@login_required
def event_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_manage_events(request.user, federation))
    form = EventForm(request.POST or None, instance=Event(federation=federation))
    response = form_submission(
        request,
        form,
        save=lambda data: services.event_create(federation=federation, **data),
        message=lambda event: f"L'événement « {event.title} » a été créé.",
        next_url=lambda event: event,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvel événement — {federation.name}",
        federation=federation,
        cancel_url=reverse("events:event_list", args=[federation.region_id]),
    )


@login_required
def event_edit(request, pk):
    event = _event(pk)
    _check(perms.can_manage_events(request.user, event.federation))
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            promoted_before = selectors.confirmed_count(event)
            services.event_update(event=event, data=form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "L'événement a été enregistré.")
            promoted = selectors.confirmed_count(event) - promoted_before
            if promoted > 0:
                messages.info(
                    request,
                    f"{promoted} personne(s) de la liste d'attente ont obtenu une place et "
                    "sont prévenues par courriel.",
                )
            return redirect(event)
    return _form_page(
        request,
        form,
        title=f"Modifier — {event.title}",
        federation=event.federation,
        event=event,
        cancel_url=event.get_absolute_url(),
    )


@login_required
@require_POST
def event_cancel(request, pk):
    event = _event(pk)
    _check(perms.can_manage_events(request.user, event.federation))
    try:
        services.event_cancel(event=event)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            "L'événement est annulé. Prévenez les personnes inscrites avec le formulaire "
            "de courriel.",
        )
    return redirect(event)


@login_required
@require_POST
def event_mark_held(request, pk):
    event = _event(pk)
    _check(perms.can_manage_events(request.user, event.federation))
    try:
        services.event_mark_held(event=event)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, "L'événement est déclaré tenu.")
    return redirect(event)


@login_required
def programme_item_create(request, pk):
    event = _event(pk)
    _check(perms.can_manage_events(request.user, event.federation))
    form = ProgrammeItemForm(request.POST or None, instance=ProgrammeItem(event=event))
    response = form_submission(
        request,
        form,
        save=lambda data: services.programme_item_create(event=event, **data),
        message=lambda _record: "La séquence a été ajoutée au programme.",
        next_url=lambda _record: f"{event.get_absolute_url()}#programme",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Ajouter au programme — {event.title}",
        federation=event.federation,
        event=event,
        cancel_url=event.get_absolute_url(),
    )


@login_required
def programme_item_edit(request, pk):
    item = _item(pk)
    event = item.event
    _check(perms.can_manage_events(request.user, event.federation))
    form = ProgrammeItemForm(request.POST or None, instance=item)
    response = form_submission(
        request,
        form,
        save=lambda data: services.programme_item_update(item=item, data=data),
        message=lambda _record: "La séquence a été enregistrée.",
        next_url=lambda _record: f"{event.get_absolute_url()}#programme",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier la séquence — {item.title}",
        federation=event.federation,
        event=event,
        cancel_url=event.get_absolute_url(),
    )


@login_required
@require_POST
def programme_item_delete(request, pk):
    item = _item(pk)
    event = item.event
    _check(perms.can_manage_events(request.user, event.federation))
    services.programme_item_delete(item=item)
    messages.success(request, f"La séquence « {item.title} » a été retirée du programme.")
    return redirect(f"{event.get_absolute_url()}#programme")


@login_required
def speaker_create(request, pk):
    item = _item(pk)
    event = item.event
    _check(perms.can_manage_events(request.user, event.federation))
    form = SpeakerForm(request.POST or None, instance=Speaker(programme_item=item))
    response = form_submission(
        request,
        form,
        save=lambda data: services.speaker_create(programme_item=item, **data),
        message=lambda speaker: f"{speaker.full_name} a été ajouté·e aux intervenant·es.",
        next_url=lambda speaker: f"{event.get_absolute_url()}#programme",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvel·le intervenant·e — {item.title}",
        federation=event.federation,
        event=event,
        cancel_url=event.get_absolute_url(),
    )


def _speaker(pk) -> Speaker:
    return get_object_or_404(
        Speaker.objects.select_related("programme_item__event__federation"), pk=pk
    )


@login_required
def speaker_edit(request, pk):
    speaker = _speaker(pk)
    event = speaker.programme_item.event
    _check(perms.can_manage_events(request.user, event.federation))
    form = SpeakerForm(request.POST or None, instance=speaker)
    response = form_submission(
        request,
        form,
        save=lambda data: services.speaker_update(speaker=speaker, data=data),
        message=lambda _record: "L'intervenant·e a été enregistré·e.",
        next_url=lambda _record: f"{event.get_absolute_url()}#programme",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {speaker.full_name}",
        federation=event.federation,
        event=event,
        cancel_url=event.get_absolute_url(),
    )


@login_required
@require_POST
def speaker_delete(request, pk):
    speaker = _speaker(pk)
    event = speaker.programme_item.event
    _check(perms.can_manage_events(request.user, event.federation))
    services.speaker_delete(speaker=speaker)
    messages.success(request, f"{speaker.full_name} a été retiré·e du programme.")
    return redirect(f"{event.get_absolute_url()}#programme")


# --- registrations (federation staff) -------------------------------------------------


@login_required
def registration_create(request, pk):
    event = _event(pk)
    federation = event.federation
    _check(perms.can_manage_registrations(request.user, federation))
    form = RegistrationForm(
        request.POST or None, instance=Registration(event=event), region=federation.region
    )
    response = form_submission(
        request,
        form,
        save=lambda data: services.registration_create_and_confirm(event=event, **data),
        message=lambda registration: selectors.registration_message(registration),
        next_url=lambda registration: f"{event.get_absolute_url()}#inscriptions",
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Inscrire une personne — {event.title}",
        federation=federation,
        event=event,
        cancel_url=event.get_absolute_url(),
        intro=f"Places : {selectors.places(event).label}. Au-delà de la capacité, "
        "l'inscription va en liste d'attente.",
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = _registration(pk)
    event = registration.event
    _check(perms.can_manage_registrations(request.user, event.federation))
    try:
        promoted = services.registration_cancel(registration=registration)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, f"L'inscription de {registration.full_name} est annulée.")
        for person in promoted:
            messages.info(
                request,
                f"{person.full_name} quitte la liste d'attente : sa place est confirmée et "
                "un courriel l'en informe.",
            )
    return redirect(f"{event.get_absolute_url()}#inscriptions")


def _check_in_response(request, registration: Registration, action, success: str):
    event = registration.event
    _check(perms.can_manage_registrations(request.user, event.federation))
    error = None
    try:
        registration = action(registration=registration)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        registration.refresh_from_db()
        return render(
            request,
            "events/_registration_row.html",
            {
                "r": registration,
                "event": event,
                "error": error,
                "can_manage_registrations": True,
                "check_in_open": timezone.localdate() >= event.starts_on,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success.format(name=registration.full_name))
    return redirect(f"{event.get_absolute_url()}#inscriptions")


@login_required
@require_POST
def registration_check_in(request, pk):
    return _check_in_response(
        request, _registration(pk), services.registration_check_in, "{name} : présence pointée."
    )


@login_required
@require_POST
def registration_check_in_undo(request, pk):
    return _check_in_response(
        request,
        _registration(pk),
        services.registration_check_in_undo,
        "{name} : pointage annulé.",
    )


@login_required
def participants_csv(request, pk):
    event = _event(pk)
    _check(perms.can_manage_registrations(request.user, event.federation))
    response = HttpResponse(exports.participants_csv(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{event.pk}.csv"'
    return response


@login_required
def participants_xlsx(request, pk):
    event = _event(pk)
    _check(perms.can_manage_registrations(request.user, event.federation))
    response = HttpResponse(exports.participants_xlsx(event), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="participants-{event.pk}.xlsx"'
    return response


@login_required
def event_email(request, pk):
    event = _event(pk)
    _check(perms.can_manage_registrations(request.user, event.federation))
    form = RegistrantsEmailForm(request.POST or None)
    response = form_submission(
        request,
        form,
        save=lambda data: services.event_email_registrants(
            event=event, reply_to=request.user.email, **data
        ),
        message=lambda sent: f"Message envoyé à {sent} personne(s).",
        next_url=lambda sent: event,
    )
    if response is not None:
        return response
    places = selectors.places(event)
    return _form_page(
        request,
        form,
        title=f"Écrire aux personnes inscrites — {event.title}",
        federation=event.federation,
        event=event,
        cancel_url=event.get_absolute_url(),
        intro=f"{places.label}. Chaque personne reçoit un message à son seul nom ; "
        "les réponses vous sont adressées.",
    )


@login_required
def certificate_pdf(request, pk):
    """The certificate of attendance, a printable PDF made from an HTML template."""
    from weasyprint import HTML

    registration = _registration(pk)
    event = registration.event
    _check(perms.can_download_certificate(request.user, registration))
    try:
        services.certificate_check(registration)
    except ValidationError as error:
        if not perms.can_manage_registrations(request.user, event.federation):
            raise Http404 from error
        _error_message(request, error)
        return redirect(f"{event.get_absolute_url()}#inscriptions")
    html = render_to_string(
        "events/certificate.html",
        {
            "registration": registration,
            "event": event,
            "federation": event.federation,
            "generated_at": timezone.now(),
            "hours_label": rules.hours_label(event.hours),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    name = download_name(
        "attestation",
        registration.certificate_number,
        event.title,
        day=event.starts_on,
        extension="pdf",
    )
    return pdf_response(pdf, name)


# --- public registration (no login) ---------------------------------------------------


def _session_key(event: Event) -> str:
    return f"events_registration_{event.pk}"


def public_register(request, token):
    """The event's public page: programme and registration form, reached by its link."""
    event = get_object_or_404(selectors.event_detail_queryset(), public_token=token)
    federation = event.federation
    form = PublicRegistrationForm(
        request.POST or None, instance=Registration(event=event), region=federation.region
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
        try:
            registration = services.registration_create_and_confirm(
                event=event, public=True, **data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            request.session[_session_key(event)] = registration.pk
            return redirect("events:public_confirmation", token)
    closed_reason = None
    try:
        services.check_public_registration_open(event)
    except ValidationError as error:
        closed_reason = " ".join(error.messages)
    return render(
        request,
        "events/public_register.html",
        {
            "event": event,
            "federation": federation,
            "programme": selectors.programme(event),
            "places": selectors.places(event),
            "form": form,
            "closed_reason": closed_reason,
        },
    )


def public_confirmation(request, token):
    event = get_object_or_404(selectors.event_detail_queryset(), public_token=token)
    pk = request.session.get(_session_key(event))
    registration = event.registrations.filter(pk=pk).first() if pk else None
    if registration is None:
        return redirect("events:public_register", token)
    return render(
        request,
        "events/public_confirmation.html",
        {
            "event": event,
            "federation": event.federation,
            "registration": registration,
            "position": selectors.waiting_position(registration),
            "message": selectors.registration_message(registration),
        },
    )


def registration_self_cancel(request, token):
    """The registrant's own cancellation link (from their confirmation e-mail): a page
    that asks for confirmation, then frees the place for the waiting list."""
    try:
        registration = services.registration_from_cancel_token(token)
    except ValidationError as error:
        return render(
            request,
            "events/registration_cancel.html",
            {"error": " ".join(error.messages)},
            status=404,
        )
    event = registration.event
    context = {"registration": registration, "event": event, "federation": event.federation}
    if request.method == "POST":
        try:
            services.registration_cancel_by_registrant(token=token)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            context["cancelled"] = True
        registration.refresh_from_db()
    elif registration.status == Registration.Status.CANCELLED:
        context["error"] = "Cette inscription est déjà annulée."
    return render(request, "events/registration_cancel.html", context)
