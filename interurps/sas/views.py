"""Effectors, participation and slots (pages). Thin: the rules are in `services`, the
reads in `selectors`, who may do what in `perms`."""

import base64
import hashlib
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.analytics import sas_slots
from interurps.core import french
from interurps.core.dates import parse_iso_date
from interurps.core.forms import add_validation_errors
from interurps.core.http import query_text
from interurps.core.http import require as _check
from interurps.cpts.models import Cpts
from interurps.geography.models import Department, Region
from interurps.organizations.models import Profession
from interurps.sas import ics, perms, selectors, services
from interurps.sas.forms import (
    IcsImportForm,
    ParticipationForm,
    ProfessionalEnrolForm,
    RotaSlotForm,
    SiteForm,
    SlotForm,
    StructureEnrolForm,
    SuspensionForm,
    WeekCopyForm,
)
from interurps.sas.models import Effector, Slot

ICS_SESSION_KEY = "sas_ics_import"


def _effector(pk) -> Effector:
    return get_object_or_404(selectors.effector_detail_queryset(), pk=pk)


def _slot(pk) -> Slot:
    return get_object_or_404(
        Slot.objects.select_related(
            "effector", "effector__through", "effector__professional", "effector__structure"
        ),
        pk=pk,
    )


def _monday(request) -> date:
    day = parse_iso_date(request.GET.get("semaine")) or timezone.localdate()
    return sas_slots.week_start(day)


def _week_url(effector, monday: date) -> str:
    return f"{reverse('sas:slot_week', args=[effector.pk])}?semaine={monday.isoformat()}"


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _safe_next(request, default: str) -> str:
    target = request.POST.get("suivant", "")
    if target.startswith("/sas/") and "//" not in target and "\\" not in target:
        return target
    return default


# --- the SAS officer: participation, enrolment, suspension ------------------------------


@login_required
def participation(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    _check(perms.can_view_participation(request.user, region))
    departments = Department.objects.filter(region=region).order_by("code")
    cpts_list = Cpts.objects.filter(region=region, sas_structure__isnull=False).order_by("name")
    professions = Profession.objects.all()
    department = departments.filter(code=query_text(request, "departement", max_length=3)).first()
    cpts_id = query_text(request, "cpts", max_length=12)
    cpts = (
        cpts_list.filter(pk=int(cpts_id)).first()
        if cpts_id.isascii() and cpts_id.isdigit()
        else None
    )
    profession = professions.filter(code=query_text(request, "profession", max_length=40)).first()
    data = selectors.participation(region, department=department, cpts=cpts, profession=profession)
    return render(
        request,
        "sas/participation.html",
        {
            "region": region,
            "departments": departments,
            "cpts_list": cpts_list,
            "professions": professions,
            "selected_department": department,
            "selected_cpts": cpts,
            "selected_profession": profession,
            "can_enrol": perms.can_enrol_effectors(request.user, region),
            "threshold": sas_slots.WEEKLY_THRESHOLD_HOURS,
            **data,
        },
    )


@login_required
def effector_create(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    _check(perms.can_enrol_effectors(request.user, region))
    structure = query_text(request, "type", max_length=20) == "structure"
    form_class = StructureEnrolForm if structure else ProfessionalEnrolForm
    form = form_class(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if structure:
                effector = services.effector_enrol_structure(region=region, **data)
            else:
                effector = services.effector_enrol_professional(
                    region=region, professional=data.pop("identifier"), **data
                )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{effector} est inscrit·e comme effecteur SAS.")
            return redirect("sas:effector_detail", effector.pk)
    return render(
        request,
        "sas/effector_form.html",
        {"form": form, "region": region, "structure": structure},
    )


@login_required
def effector_detail(request, pk):
    effector = _effector(pk)
    _check(perms.can_view_effector(request.user, effector))
    current, previous = selectors.current_and_previous_weeks()
    following = current + timedelta(days=7)
    hours = {
        monday: selectors.shared_hours([effector.pk], monday).get(effector.pk, 0.0)
        for monday in (previous, current, following)
    }
    return render(
        request,
        "sas/effector_detail.html",
        {
            "effector": effector,
            "region": effector.region,
            "sites": effector.sites.all(),
            "weeks": [
                (monday, hours[monday], sas_slots.below_threshold(hours[monday]))
                for monday in (previous, current, following)
            ],
            "can_edit": perms.can_edit_participation(request.user, effector),
            "can_suspend": perms.can_enrol_effectors(request.user, effector.region_id),
            "can_view_slots": perms.can_view_slots(request.user, effector),
        },
    )


@login_required
def effector_edit(request, pk):
    effector = _effector(pk)
    _check(perms.can_edit_participation(request.user, effector))
    form = ParticipationForm(request.POST or None, instance=effector)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.effector_update(
                effector=Effector.objects.get(pk=effector.pk),
                participation_mode=data["participation_mode"],
                through=data.get("through"),
                statement_signed_on=data.get("statement_signed_on"),
                accepts_extra_patients=data.get("accepts_extra_patients", False),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "La participation a été enregistrée.")
            return redirect("sas:effector_detail", effector.pk)
    return render(
        request,
        "sas/simple_form.html",
        {
            "form": form,
            "effector": effector,
            "title": f"Participation — {effector}",
            "cancel_url": reverse("sas:effector_detail", args=[effector.pk]),
        },
    )


@login_required
def effector_suspend(request, pk):
    effector = _effector(pk)
    _check(perms.can_enrol_effectors(request.user, effector.region_id))
    form = SuspensionForm(request.POST or None, initial={"suspended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.effector_suspend(
                effector=effector,
                on=form.cleaned_data["suspended_on"],
                reason=form.cleaned_data["suspension_reason"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"{effector} est suspendu·e : ses créneaux ne sont plus proposés."
            )
            return redirect("sas:effector_detail", effector.pk)
    return render(
        request,
        "sas/simple_form.html",
        {
            "form": form,
            "effector": effector,
            "title": f"Suspendre — {effector}",
            "cancel_url": reverse("sas:effector_detail", args=[effector.pk]),
        },
    )


@login_required
@require_POST
def effector_resume(request, pk):
    effector = _effector(pk)
    _check(perms.can_enrol_effectors(request.user, effector.region_id))
    try:
        services.effector_resume(effector=effector)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"{effector} reprend sa participation.")
    return redirect("sas:effector_detail", effector.pk)


@login_required
def site_create(request, pk):
    effector = _effector(pk)
    _check(perms.can_edit_participation(request.user, effector))
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_create(effector=effector, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Le lieu de consultation a été ajouté.")
            return redirect("sas:effector_detail", effector.pk)
    return render(
        request,
        "sas/simple_form.html",
        {
            "form": form,
            "effector": effector,
            "title": f"Nouveau lieu de consultation — {effector}",
            "cancel_url": reverse("sas:effector_detail", args=[effector.pk]),
        },
    )


# --- slots ---------------------------------------------------------------------------


@login_required
def my_slots(request):
    """The health professional's way in: their own week, or why there is none."""
    for professional_id in sorted(perms.professional_ids(request.user)):
        effector = selectors.effector_of_professional(professional_id)
        if effector is not None:
            return redirect("sas:slot_week", effector.pk)
    return render(request, "sas/not_an_effector.html", {})


@login_required
def slot_week(request, pk):
    effector = _effector(pk)
    _check(perms.can_view_slots(request.user, effector))
    monday = _monday(request)
    days = selectors.effector_week(
        effector, monday, shared_only=not perms.sees_unshared_slots(request.user, effector)
    )
    for day in days:
        for slot in day.slots:
            slot.can_edit = perms.can_edit_slot(request.user, slot)
    hours = selectors.shared_hours([effector.pk], monday).get(effector.pk, 0.0)
    return render(
        request,
        "sas/slot_week.html",
        {
            "effector": effector,
            "region": effector.region,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "days": days,
            "previous": monday - timedelta(days=7),
            "following": monday + timedelta(days=7),
            "this_week": sas_slots.week_start(timezone.localdate()),
            "hours": hours,
            "below": sas_slots.below_threshold(hours),
            "can_add": perms.can_add_slots(request.user, effector),
            "adds_as_rota": perms.adds_as_rota(request.user, effector),
            "copy_form": WeekCopyForm(initial={"target_week": monday + timedelta(days=7)}),
            "has_sites": bool(effector.sites.all()),
        },
    )


def _interval(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    end_day = day + timedelta(days=1) if end == time(0) else day
    return services.local_datetime(day, start), services.local_datetime(end_day, end)


def _spec(data, **overrides) -> services.SlotSpec:
    fields = {
        "site": data["site"],
        "consultation_type": data["consultation_type"],
        "types": frozenset(data["types"]),
        "capacity": data.get("capacity") or 1,
        "shared": bool(data.get("shared")),
    }
    fields.update(overrides)
    return services.SlotSpec(**fields)


@login_required
def slot_create(request, pk):
    effector = _effector(pk)
    _check(perms.can_add_slots(request.user, effector))
    rota_cpts = perms.adds_as_rota(request.user, effector)
    day = parse_iso_date(request.GET.get("jour")) or timezone.localdate()
    form = SlotForm(
        request.POST or None,
        effector=effector,
        initial={"day": day, "start_time": time(18), "end_time": time(20)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = _interval(data["day"], data["start_time"], data["end_time"])
        spec = _spec(data)
        try:
            if data["repeat"] == SlotForm.REPEAT_UNTIL:
                created = services.slots_create_repeated(
                    effector=effector, spec=spec, start=start, end=end,
                    until=data["repeat_until"], rota_cpts=rota_cpts,
                )  # fmt: skip
            elif data["repeat"] == SlotForm.REPEAT_WEEKS:
                created = services.slots_create_repeated(
                    effector=effector, spec=spec, start=start, end=end,
                    weeks=data["repeat_weeks"], rota_cpts=rota_cpts,
                )  # fmt: skip
            else:
                created = [
                    services.slot_create(
                        effector=effector, spec=spec, start=start, end=end, rota_cpts=rota_cpts
                    )
                ]
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            shared = "partagé" if spec.shared else "non partagé"
            messages.success(
                request,
                f"{french.count(len(created), 'créneau ajouté,créneaux ajoutés')} ({shared}).",
            )
            return redirect(_week_url(effector, sas_slots.week_start(data["day"])))
    return render(
        request,
        "sas/slot_form.html",
        {
            "form": form,
            "effector": effector,
            "rota_cpts": rota_cpts,
            "cancel_url": _week_url(effector, sas_slots.week_start(day)),
        },
    )


@login_required
@require_POST
def week_copy(request, pk):
    effector = _effector(pk)
    _check(perms.can_add_slots(request.user, effector))
    rota_cpts = perms.adds_as_rota(request.user, effector)
    source = parse_iso_date(request.POST.get("semaine")) or timezone.localdate()
    source = sas_slots.week_start(source)
    form = WeekCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la semaine sur laquelle copier.")
        return redirect(_week_url(effector, source))
    target = sas_slots.week_start(form.cleaned_data["target_week"])
    try:
        copies = services.week_copy(
            effector=effector, from_monday=source, to_monday=target, rota_cpts=rota_cpts
        )
    except ValidationError as error:
        _error(request, error)
        return redirect(_week_url(effector, source))
    messages.success(
        request,
        f"{french.count(len(copies), 'créneau copié,créneaux copiés')} sur la semaine du "
        f"{french.format_date(target)}.",
    )
    return redirect(_week_url(effector, target))


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@login_required
def slot_import(request, pk):
    """Upload an agenda's ICS export, see what it would create, then confirm."""
    effector = _effector(pk)
    _check(perms.can_add_slots(request.user, effector))
    today = timezone.localdate()
    form = IcsImportForm(
        request.POST or None,
        request.FILES or None,
        effector=effector,
        initial={"window_start": today, "window_end": today + timedelta(days=27)},
    )
    context = {"form": form, "effector": effector, "report": None}
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _import_confirm(request, effector, context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        report = ics.read_slots_ics(
            content, window_start=data["window_start"], window_end=data["window_end"]
        )
        context["report"] = report
        if report.is_valid:
            request.session[ICS_SESSION_KEY] = {
                "effector": effector.pk,
                "content": base64.b64encode(content).decode("ascii"),
                "window_start": data["window_start"].isoformat(),
                "window_end": data["window_end"].isoformat(),
                "site": data["site"].pk,
                "consultation_type": data["consultation_type"],
                "types": list(data["types"]),
                "shared": bool(data["shared"]),
            }
            context["digest"] = _digest(content)
            keys = {services.external_uid(uid, start) for uid, start, _, _ in report.occurrences}
            context["already"] = Slot.objects.filter(
                effector=effector, external_uid__in=keys
            ).count()
        else:
            request.session.pop(ICS_SESSION_KEY, None)
    return render(request, "sas/slot_import.html", context)


def _import_confirm(request, effector, context):
    stored = request.session.get(ICS_SESSION_KEY) or {}
    content = base64.b64decode(stored.get("content", "")) if stored else b""
    if stored.get("effector") != effector.pk or request.POST.get("digest") != _digest(content):
        messages.error(
            request, "Aucun fichier en attente : envoyez-le de nouveau pour le vérifier."
        )
        return redirect("sas:slot_import", effector.pk)
    report = ics.read_slots_ics(
        content,
        window_start=date.fromisoformat(stored["window_start"]),
        window_end=date.fromisoformat(stored["window_end"]),
    )
    site = effector.sites.filter(pk=stored["site"]).first()
    if not report.is_valid or site is None:
        context["report"] = report
        return render(request, "sas/slot_import.html", context)
    spec = services.SlotSpec(
        site=site,
        consultation_type=stored["consultation_type"],
        types=frozenset(stored["types"]),
        shared=stored["shared"],
    )
    try:
        outcome = services.slots_import(
            effector=effector,
            spec=spec,
            occurrences=[(uid, start, end) for uid, start, end, _ in report.occurrences],
            rota_cpts=perms.adds_as_rota(request.user, effector),
        )
    except ValidationError as error:
        report.errors.append("Rien n'a été importé : " + " ".join(error.messages))
        context["report"] = report
        return render(request, "sas/slot_import.html", context)
    request.session.pop(ICS_SESSION_KEY, None)
    messages.success(
        request,
        f"{french.count(len(outcome.created), 'créneau importé,créneaux importés')}"
        + (f", {outcome.skipped} déjà importé(s) auparavant." if outcome.skipped else "."),
    )
    first = report.occurrences[0][1]
    return redirect(_week_url(effector, sas_slots.week_start(timezone.localdate(first))))


@login_required
def slot_cancel(request, pk):
    """One click cancels a free slot; a booked one asks for confirmation first, then its
    appointments are cancelled with it."""
    slot = _slot(pk)
    _check(perms.can_edit_slot(request.user, slot))
    monday = sas_slots.week_start(timezone.localdate(slot.start))
    back = _safe_next(request, _week_url(slot.effector, monday))
    count = services.booked_appointments(slot).count()
    if request.method == "POST" and (count == 0 or request.POST.get("confirmer") == "1"):
        try:
            cancelled = services.slot_cancel(slot=slot, with_appointments=True)
        except ValidationError as error:
            _error(request, error)
        else:
            text = f"Créneau du {services.when(slot.start)} annulé"
            if cancelled:
                forms = "rendez-vous annulé,rendez-vous annulés"
                text += f", avec {french.count(len(cancelled), forms)}"
            messages.success(request, text + ".")
        return redirect(back)
    return render(
        request,
        "sas/slot_cancel.html",
        {"slot": slot, "count": count, "back": back, "when": services.when(slot.start)},
    )


@login_required
@require_POST
def slot_share(request, pk):
    slot = _slot(pk)
    _check(perms.can_edit_slot(request.user, slot))
    monday = sas_slots.week_start(timezone.localdate(slot.start))
    try:
        services.slot_set_shared(slot=slot, shared=not slot.shared)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            f"Créneau du {services.when(slot.start)} "
            + ("partagé avec la régulation." if slot.shared else "retiré du partage."),
        )
    return redirect(_safe_next(request, _week_url(slot.effector, monday)))


# --- the CPTS's SNP rota ----------------------------------------------------------------


@login_required
def rota(request, pk):
    cpts = get_object_or_404(Cpts.objects.select_related("region"), pk=pk)
    _check(perms.can_view_rota(request.user, cpts))
    monday = _monday(request)
    members = list(selectors.rota_members(cpts))
    can_edit = perms.can_edit_rota(request.user, cpts)
    form = None
    if can_edit:
        allowed = perms.rota_members_for(request.user, cpts, members)
        form = RotaSlotForm(
            request.POST or None,
            members=allowed,
            initial={"day": monday, "start_time": time(20), "end_time": time(23, 59)},
        )
    if request.method == "POST":
        _check(can_edit)
        if form.is_valid():
            data = form.cleaned_data
            effector = data["effector"]
            site = effector.sites.first()
            start, end = _interval(data["day"], data["start_time"], data["end_time"])
            try:
                if site is None:
                    raise ValidationError(
                        {"effector": f"{effector} n'a aucun lieu de consultation : ajoutez-en un."}
                    )
                services.slot_create(
                    effector=effector,
                    spec=services.rota_spec(
                        site, shared=data["shared"], consultation_type=data["consultation_type"]
                    ),
                    start=start,
                    end=end,
                    rota_cpts=cpts,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Garde de {effector} ajoutée au tour de garde.")
                week = sas_slots.week_start(data["day"])
                return redirect(f"{request.path}?semaine={week.isoformat()}")
    days = selectors.rota_week(
        cpts, monday, shared_only=not perms.sees_unshared_rota(request.user, cpts)
    )
    for day in days:
        for slot in day.slots:
            slot.can_edit = perms.can_edit_slot(request.user, slot)
    current, previous = selectors.current_and_previous_weeks()
    ids = [m.pk for m in members]
    hours_now = selectors.shared_hours(ids, current)
    hours_before = selectors.shared_hours(ids, previous)
    member_rows = [
        (
            m,
            hours_now.get(m.pk, 0.0),
            hours_before.get(m.pk, 0.0),
            sas_slots.below_threshold(hours_now.get(m.pk, 0.0)),
        )
        for m in members
    ]
    return render(
        request,
        "sas/rota.html",
        {
            "cpts": cpts,
            "region": cpts.region,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "following": monday + timedelta(days=7),
            "days": days,
            "form": form,
            "member_rows": member_rows,
            "structure": selectors.cpts_structure(cpts),
            "can_read_members": perms.can_view_participation(request.user, cpts.region_id)
            or cpts.pk in perms.coordinated_cpts_ids(request.user),
        },
    )
