from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.core.downloads import download_name, pdf_response
from interurps.core.forms import form_submission, render_form_page
from interurps.core.http import require as _check
from interurps.governance import perms, selectors, services
from interurps.governance.forms import (
    AttendanceForm,
    BodyForm,
    BodyMemberForm,
    DecisionForm,
    MeetingForm,
    StaffMemberForm,
)
from interurps.governance.models import Body, BodyMember, Decision, Meeting, StaffMember
from interurps.organizations.selectors import federation_or_404 as _federation


def _body(pk) -> Body:
    return get_object_or_404(Body.objects.select_related("federation", "federation__region"), pk=pk)


def _meeting(pk) -> Meeting:
    return get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)


def _governance_url(federation) -> str:
    return reverse("governance:federation", args=[federation.region_id])


def _form_page(request, form, *, title, federation, cancel_url, intro=""):
    return render_form_page(
        request,
        form,
        breadcrumbs_template="governance/_form_breadcrumbs.html",
        title=title,
        federation=federation,
        cancel_url=cancel_url,
        intro=intro,
    )


# --- reading -------------------------------------------------------------------------


@login_required
def federation_governance(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_governance(request.user, federation))
    can_view_staff = perms.can_view_staff(request.user, federation)
    bodies = [
        {"body": body, "members": selectors.current_members(body)}
        for body in selectors.bodies_of_federation(federation)
    ]
    return render(
        request,
        "governance/federation_governance.html",
        {
            "federation": federation,
            "bodies": bodies,
            "co_presidents": selectors.co_presidents(federation),
            "can_view_staff": can_view_staff,
            "staff": selectors.current_staff(federation) if can_view_staff else [],
            "former_staff": selectors.former_staff(federation) if can_view_staff else [],
            "meeting_counts": selectors.held_meeting_counts(federation),
            "past_members": selectors.past_members(federation),
            "can_manage_bodies": perms.can_manage_bodies(request.user, federation),
            "can_manage_staff": perms.can_manage_staff(request.user, federation),
        },
    )


@login_required
def body_detail(request, pk):
    body = _body(pk)
    federation = body.federation
    _check(perms.can_view_governance(request.user, federation))
    can_view_meetings = perms.can_view_meetings(request.user, federation)
    today = timezone.localdate()
    return render(
        request,
        "governance/body_detail.html",
        {
            "body": body,
            "federation": federation,
            "members": selectors.current_members(body, today),
            "past_members": body.members.filter(end_date__lt=today).select_related("union"),
            "future_members": body.members.filter(start_date__gt=today).select_related("union"),
            "can_view_meetings": can_view_meetings,
            "meetings": selectors.meetings_of_body(body) if can_view_meetings else [],
            "meeting_counts": [
                c for c in selectors.held_meeting_counts(federation) if c.body.pk == body.pk
            ],
            "can_manage_bodies": perms.can_manage_bodies(request.user, federation),
            "can_manage_meetings": perms.can_manage_meetings(request.user, federation),
        },
    )


def _meeting_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "body": meeting.body,
        "federation": meeting.body.federation,
        "rows": selectors.attendance_rows(meeting),
        "quorum": selectors.meeting_quorum(meeting),
        "decisions": list(meeting.decisions.all()),
    }


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    federation = meeting.body.federation
    _check(perms.can_view_meetings(request.user, federation))
    context = _meeting_context(meeting)
    context["can_manage_meetings"] = perms.can_manage_meetings(request.user, federation)
    context["now"] = timezone.now()
    return render(request, "governance/meeting_detail.html", context)


@login_required
def meeting_pv_pdf(request, pk):
    """The minutes (procès-verbal) as a printable PDF, made from an HTML template."""
    from weasyprint import HTML

    meeting = _meeting(pk)
    _check(perms.can_view_meetings(request.user, meeting.body.federation))
    context = _meeting_context(meeting)
    context["generated_at"] = timezone.now()
    html = render_to_string("governance/meeting_pv.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    federation = meeting.body.federation
    name = download_name(
        "pv", meeting.body.name, federation.region.name, day=meeting.held_on, extension="pdf"
    )
    return pdf_response(pdf, name)


# --- bodies and mandates (federation admins) -----------------------------------------


@login_required
def body_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_manage_bodies(request.user, federation))
    form = BodyForm(request.POST or None, instance=Body(federation=federation))
    response = form_submission(
        request,
        form,
        save=lambda data: services.body_create(federation=federation, **data),
        message=lambda body: f"L'instance « {body.name} » a été créée.",
        next_url=lambda body: body,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvelle instance — {federation.name}",
        federation=federation,
        cancel_url=_governance_url(federation),
    )


@login_required
def body_edit(request, pk):
    body = _body(pk)
    _check(perms.can_manage_bodies(request.user, body.federation))
    form = BodyForm(request.POST or None, instance=body)
    response = form_submission(
        request,
        form,
        save=lambda data: services.body_update(body=body, data=data),
        message=lambda _record: "L'instance a été enregistrée.",
        next_url=lambda _record: body,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {body.name}",
        federation=body.federation,
        cancel_url=body.get_absolute_url(),
    )


@login_required
def member_create(request, pk):
    body = _body(pk)
    _check(perms.can_manage_bodies(request.user, body.federation))
    form = BodyMemberForm(
        request.POST or None, instance=BodyMember(body=body), region=body.federation.region
    )
    response = form_submission(
        request,
        form,
        save=lambda data: services.body_member_create(body=body, **data),
        message=lambda member: f"Mandat de {member.full_name} enregistré.",
        next_url=lambda member: body,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouveau mandat — {body.name}",
        federation=body.federation,
        cancel_url=body.get_absolute_url(),
    )


@login_required
def member_edit(request, pk):
    member = get_object_or_404(
        BodyMember.objects.select_related("body", "body__federation", "body__federation__region"),
        pk=pk,
    )
    body = member.body
    _check(perms.can_manage_bodies(request.user, body.federation))
    form = BodyMemberForm(request.POST or None, instance=member, region=body.federation.region)
    response = form_submission(
        request,
        form,
        save=lambda data: services.body_member_update(member=member, data=data),
        message=lambda _record: f"Mandat de {member.full_name} enregistré.",
        next_url=lambda _record: body,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier le mandat — {member.full_name}",
        federation=body.federation,
        cancel_url=body.get_absolute_url(),
        intro="Pour mettre fin à un mandat, indiquez sa date de fin : il reste dans "
        "l'historique des mandats.",
    )


# --- staff (federation admins) -------------------------------------------------------


@login_required
def staff_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_manage_staff(request.user, federation))
    form = StaffMemberForm(
        request.POST or None,
        instance=StaffMember(federation=federation),
        region=federation.region,
    )
    response = form_submission(
        request,
        form,
        save=lambda data: services.staff_member_create(federation=federation, **data),
        message=lambda staff: f"{staff.full_name} a été ajouté·e à l'équipe salariée.",
        next_url=lambda staff: _governance_url(federation),
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouveau·elle salarié·e — {federation.name}",
        federation=federation,
        cancel_url=_governance_url(federation),
    )


@login_required
def staff_edit(request, region_code, pk):
    federation = _federation(region_code)
    _check(perms.can_manage_staff(request.user, federation))
    staff = get_object_or_404(StaffMember, pk=pk, federation=federation)
    form = StaffMemberForm(request.POST or None, instance=staff, region=federation.region)
    response = form_submission(
        request,
        form,
        save=lambda data: services.staff_member_update(staff_member=staff, data=data),
        message=lambda _record: "La fiche a été enregistrée.",
        next_url=lambda _record: _governance_url(federation),
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {staff.full_name}",
        federation=federation,
        cancel_url=_governance_url(federation),
    )


# --- meetings, attendance, decisions (federation staff) -------------------------------


@login_required
def meeting_create(request, pk):
    body = _body(pk)
    _check(perms.can_manage_meetings(request.user, body.federation))
    form = MeetingForm(request.POST or None, instance=Meeting(body=body))
    response = form_submission(
        request,
        form,
        save=lambda data: services.meeting_create(body=body, **data),
        message=lambda meeting: "La réunion a été enregistrée (convoquée).",
        next_url=lambda meeting: meeting,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Nouvelle réunion — {body.name}",
        federation=body.federation,
        cancel_url=body.get_absolute_url(),
    )


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_manage_meetings(request.user, meeting.body.federation))
    form = MeetingForm(request.POST or None, instance=meeting)
    response = form_submission(
        request,
        form,
        save=lambda data: services.meeting_update(meeting=meeting, data=data),
        message=lambda _record: "La réunion a été enregistrée.",
        next_url=lambda _record: meeting,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier — {meeting}",
        federation=meeting.body.federation,
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
def meeting_attendance(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_manage_meetings(request.user, meeting.body.federation))
    members = selectors.members_on(meeting.body, meeting.held_on)
    recorded = {a.member_id: a for a in meeting.attendances.all()}
    form = AttendanceForm(request.POST or None, members=members, recorded=recorded)
    response = form_submission(
        request,
        form,
        save=lambda data: services.attendance_record(meeting=meeting, entries=form.entries()),
        message=lambda _record: "Les présences ont été enregistrées.",
        next_url=lambda _record: meeting,
    )
    if response is not None:
        return response
    return render(
        request,
        "governance/meeting_attendance.html",
        {"form": form, "meeting": meeting, "federation": meeting.body.federation},
    )


@login_required
@require_POST
def meeting_mark_held(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_manage_meetings(request.user, meeting.body.federation))
    try:
        services.meeting_mark_held(meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La réunion est déclarée tenue.")
    return redirect(meeting)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_manage_meetings(request.user, meeting.body.federation))
    try:
        services.meeting_cancel(meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La réunion est annulée.")
    return redirect(meeting)


@login_required
def decision_create(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_manage_meetings(request.user, meeting.body.federation))
    form = DecisionForm(request.POST or None, instance=Decision(meeting=meeting))
    response = form_submission(
        request,
        form,
        save=lambda data: services.decision_create(meeting=meeting, **data),
        message=lambda _record: "La décision a été enregistrée.",
        next_url=lambda _record: meeting,
    )
    if response is not None:
        return response
    quorum = selectors.meeting_quorum(meeting)
    return _form_page(
        request,
        form,
        title=f"Nouvelle décision — {meeting}",
        federation=meeting.body.federation,
        cancel_url=meeting.get_absolute_url(),
        intro=f"Membres présents ou représentés : {quorum.voters}. Le total des voix pour, "
        "contre et des abstentions ne peut dépasser ce nombre.",
    )


@login_required
def decision_edit(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    meeting = _meeting(decision.meeting_id)
    _check(perms.can_manage_meetings(request.user, meeting.body.federation))
    form = DecisionForm(request.POST or None, instance=decision)
    response = form_submission(
        request,
        form,
        save=lambda data: services.decision_update(decision=decision, data=data),
        message=lambda _record: "La décision a été enregistrée.",
        next_url=lambda _record: meeting,
    )
    if response is not None:
        return response
    return _form_page(
        request,
        form,
        title=f"Modifier la décision — {meeting}",
        federation=meeting.body.federation,
        cancel_url=meeting.get_absolute_url(),
    )
