from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interurps.accounts import perms as account_perms
from interurps.accounts.policy import Kind
from interurps.activities import perms, selectors, services
from interurps.activities.forms import (
    AttachmentForm,
    MeetingForm,
    MeetingImportForm,
    MeetingKindForm,
    QuickMeetingForm,
)
from interurps.activities.ics import calendar_document
from interurps.activities.models import Meeting, MeetingAttachment, MeetingKind, Project
from interurps.core import exports
from interurps.core.calendar import CATEGORY_LABELS
from interurps.core.dates import parse_iso_date, parse_year
from interurps.core.forms import add_validation_errors, form_submission
from interurps.core.http import query_text
from interurps.core.http import require as _check
from interurps.organizations.selectors import federation_or_404 as _federation


def _meeting(pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("federation__region", "kind", "created_by"), pk=pk
    )


@login_required
def meeting_list(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_activity(request.user, federation))
    can_record = perms.can_record_meetings(request.user, federation)
    if can_record:
        services.meeting_kinds_ensure(federation=federation)
    quick = QuickMeetingForm(
        request.POST or None,
        federation=federation,
        initial={
            "kind": query_text(request, "type", max_length=12),
            "project": query_text(request, "projet"),
            # The last date typed stays for the next line (a day's meetings typed in a row).
            "day": parse_iso_date(request.GET.get("jour")) or timezone.localdate(),
        },
    )
    if request.method == "POST":
        _check(can_record)
        if quick.is_valid():
            data = quick.cleaned_data
            try:
                services.meeting_create(
                    federation=federation,
                    by=request.user,
                    title=data["title"],
                    starts_at=timezone.make_aware(datetime.combine(data["day"], data["time"])),
                    duration_minutes=data["duration_minutes"],
                    kind=data["kind"],
                    project=data["project"],
                    participant_users=[request.user],
                )
            except ValidationError as error:
                add_validation_errors(quick, error)
            else:
                messages.success(request, f"Réunion enregistrée : {data['title']}.")
                # Same date, kind and project preselected: the next entry is one line of typing.
                query = urlencode(
                    {"type": data["kind"].pk, "projet": data["project"], "jour": data["day"]}
                )
                return redirect(f"{request.path}?{query}")
    meetings = selectors.meetings_of(federation)
    year = parse_year(request.GET.get("annee"))
    if year:
        start, end = selectors.year_bounds(year)
        meetings = meetings.filter(starts_at__gte=start, starts_at__lt=end)
    project_filter = query_text(request, "projet_filtre")
    if project_filter in Project.values:
        meetings = meetings.filter(project=project_filter)
    # Newest first, grouped by month in the template, with a "today" line between the
    # meetings to come and those held.
    meetings = meetings.order_by("-starts_at", "-pk")
    shown = list(meetings[:200])
    now = timezone.now()
    first_past = next((m for m in shown if m.starts_at <= now), None)
    return render(
        request,
        "activities/meeting_list.html",
        {
            "federation": federation,
            "meetings": shown,
            "now": now,
            "first_past_pk": first_past.pk if first_past else None,
            "upcoming_count": sum(1 for m in shown if m.starts_at > now),
            "meeting_count": meetings.count(),
            "quick_form": quick,
            "can_record": can_record,
            "projects": Project.choices,
            "year": year or "",
        },
    )


@login_required
def meeting_create(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_record_meetings(request.user, federation))
    services.meeting_kinds_ensure(federation=federation)
    form = MeetingForm(request.POST or None, federation=federation)
    response = form_submission(
        request,
        form,
        save=lambda data: services.meeting_create(federation=federation, by=request.user, **data),
        message=lambda meeting: "Réunion enregistrée.",
        next_url=lambda meeting: meeting,
    )
    if response is not None:
        return response
    return render(request, "activities/meeting_form.html", {"form": form, "federation": federation})


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_view_activity(request.user, meeting.federation))
    return render(
        request,
        "activities/meeting_detail.html",
        {
            "meeting": meeting,
            "federation": meeting.federation,
            "ends_at": meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
            "can_record": perms.can_record_meetings(request.user, meeting.federation),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_record_meetings(request.user, meeting.federation))
    form = MeetingForm(request.POST or None, instance=meeting, federation=meeting.federation)
    response = form_submission(
        request,
        form,
        save=lambda data: services.meeting_update(meeting=meeting, data=data),
        message=lambda _record: "Réunion enregistrée.",
        next_url=lambda _record: meeting,
    )
    if response is not None:
        return response
    return render(
        request,
        "activities/meeting_form.html",
        {"form": form, "federation": meeting.federation, "meeting": meeting},
    )


@login_required
@require_POST
def meeting_delete(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_record_meetings(request.user, meeting.federation))
    region_code = meeting.federation.region_id
    services.meeting_delete(meeting=meeting)
    messages.success(request, "Réunion supprimée.")
    return redirect("activities:meeting_list", region_code)


@login_required
@require_POST
def attachment_upload(request, pk):
    meeting = _meeting(pk)
    _check(perms.can_record_meetings(request.user, meeting.federation))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                meeting=meeting, uploaded_file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Pièce jointe ajoutée.")
    else:
        messages.error(request, "Choisissez un fichier.")
    return redirect(meeting)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(
        MeetingAttachment.objects.select_related("meeting__federation"), pk=pk
    )
    _check(perms.can_view_activity(request.user, attachment.meeting.federation))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Fichier introuvable") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@login_required
def meeting_import(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_record_meetings(request.user, federation))
    services.meeting_kinds_ensure(federation=federation)
    form = MeetingImportForm(request.POST or None, request.FILES or None, federation=federation)
    report = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        content = uploaded.read()
        if uploaded.name.lower().endswith(".ics"):
            report = services.read_meetings_ics(
                content, kind=form.cleaned_data["kind"], project=form.cleaned_data["project"]
            )
        else:
            report = services.read_meetings_csv(content, federation=federation)
        if report.is_valid:
            try:
                created = services.meetings_import(
                    report=report, federation=federation, by=request.user
                )
            except ValidationError as error:  # all or nothing: the transaction rolled back
                report.errors.extend(error.messages)
            else:
                messages.success(request, f"{len(created)} réunion(s) importée(s).")
                return redirect("activities:meeting_list", region_code)
    return render(
        request,
        "activities/meeting_import.html",
        {"form": form, "federation": federation, "report": report},
    )


@login_required
def meeting_kinds(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_meeting_kinds(request.user, federation))
    can_edit = perms.can_edit_meeting_kinds(request.user, federation)
    form = MeetingKindForm(request.POST or None)
    if request.method == "POST":
        _check(can_edit)
        if "toggle" in request.POST:
            toggle = request.POST["toggle"]
            if not (toggle.isascii() and toggle.isdigit() and len(toggle) <= 12):
                raise Http404("Type de réunion introuvable")
            kind = get_object_or_404(MeetingKind, pk=int(toggle), federation=federation)
            kind.active = not kind.active
            kind.save(update_fields=["active"])
            return redirect(request.path)
        if form.is_valid():
            try:
                services.meeting_kind_create(federation=federation, name=form.cleaned_data["name"])
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Type de réunion ajouté.")
                return redirect(request.path)
    return render(
        request,
        "activities/meeting_kinds.html",
        {
            "federation": federation,
            "kinds": services.meeting_kinds_ensure(federation=federation)
            if can_edit
            else federation.meeting_kinds.all(),
            "form": form,
            "can_edit": can_edit,
        },
    )


# --- counts -------------------------------------------------------------------------


def _period(request) -> tuple[datetime, datetime, str]:
    today = timezone.localdate()
    start_day = parse_iso_date(request.GET.get("du"))
    end_day = parse_iso_date(request.GET.get("au"))
    if start_day and end_day and start_day <= end_day:
        start = timezone.make_aware(datetime.combine(start_day, datetime.min.time()))
        end = timezone.make_aware(
            datetime.combine(end_day + timedelta(days=1), datetime.min.time())
        )
        return start, end, f"du {start_day:%d/%m/%Y} au {end_day:%d/%m/%Y}"
    year_number = parse_year(request.GET.get("annee"), today.year)
    start, end = selectors.year_bounds(year_number)
    return start, end, f"en {year_number}"


@login_required
def activity_counts(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_counts(request.user, federation))
    start, end, period_label = _period(request)
    grouping = query_text(request, "par", "type")
    if grouping not in selectors.GROUPINGS:
        grouping = "type"
    project = query_text(request, "projet")
    project = project if project in Project.values else None
    table = selectors.activity_counts(federation, start, end, grouping=grouping, project=project)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _counts_export(table, export, federation, period_label)
    return render(
        request,
        "activities/activity_counts.html",
        {
            "federation": federation,
            "table": table,
            "period_label": period_label,
            "groupings": selectors.GROUPINGS.items(),
            "projects": Project.choices,
            "selected_project": project or "",
            "chart": _bar_chart(table),
        },
    )


def _bar_chart(table) -> dict:
    """Geometry of a horizontal bar chart, drawn as SVG by the template."""
    row_height, label_width, bar_width = 26, 260, 420
    maximum = table.maximum or 1
    bars = [
        {
            "label": label,
            "count": count,
            "y": index * row_height,
            "width": round(bar_width * count / maximum, 1),
            "text_y": index * row_height + 17,
            "count_x": label_width + round(bar_width * count / maximum, 1) + 6,
        }
        for index, (label, count) in enumerate(table.rows)
    ]
    return {
        "bars": bars,
        "height": max(row_height * len(bars), row_height),
        "label_width": label_width,
        "label_x": label_width - 8,
        "width": label_width + bar_width + 60,
    }


def _counts_export(table, export, federation, period_label):
    header = [table.label, "Réunions"]
    rows = [[f"Réunions {period_label}"], header]
    rows += [list(row) for row in table.rows] + [["Total des réunions", table.total_meetings]]
    filename = f"reunions-{federation.region_id}-{table.grouping}"
    if export == "csv":
        return exports.csv_response(rows, filename=f"{filename}.csv")
    sheet = exports.Sheet("Réunions", rows, widths=(40,))
    return exports.xlsx_response([sheet], filename=f"{filename}.xlsx")


# --- calendar -----------------------------------------------------------------------


@login_required
def calendar_view(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_activity(request.user, federation))
    view = query_text(request, "vue", "mois")
    day = parse_iso_date(request.GET.get("date")) or timezone.localdate()
    categories = [c for c in request.GET.getlist("categorie") if c in CATEGORY_LABELS]
    if view == "semaine":
        first = day - timedelta(days=day.weekday())
        days = [first + timedelta(days=i) for i in range(7)]
        weeks = [days]
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    elif view == "liste":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
        weeks = selectors.month_grid(day)
    else:
        view = "mois"
        weeks = selectors.month_grid(day)
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
    range_start = weeks[0][0] if view != "liste" else day.replace(day=1)
    range_end = weeks[-1][-1] + timedelta(days=1) if view != "liste" else following
    start = timezone.make_aware(datetime.combine(range_start, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(range_end, datetime.min.time()))
    entries = selectors.merged_calendar(
        region=federation.region, start=start, end=end, categories=categories
    )
    by_day: dict[date, list] = {}
    for entry in entries:
        by_day.setdefault(timezone.localtime(entry.start).date(), []).append(entry)
    return render(
        request,
        "activities/calendar.html",
        {
            "federation": federation,
            "view": view,
            "day": day,
            "weeks": [[(d, by_day.get(d, [])) for d in week] for week in weeks],
            "entries": entries,
            "previous": previous,
            "following": following,
            "categories": CATEGORY_LABELS.items(),
            "selected_categories": categories,
            "month_label": f"{selectors.MONTHS_FR[day.month - 1]} {day.year}",
        },
    )


@login_required
def calendar_subscriptions(request, region_code):
    federation = _federation(region_code)
    _check(perms.can_view_activity(request.user, federation))
    user_feed = services.calendar_feed_for(user=request.user)
    federation_feed = services.calendar_feed_for(federation=federation)
    if request.method == "POST":
        if request.POST.get("renew") == "user":
            services.calendar_feed_renew(feed=user_feed)
        elif request.POST.get("renew") == "federation":
            _check(perms.can_renew_federation_feed(request.user, federation))
            services.calendar_feed_renew(feed=federation_feed)
        messages.success(request, "Nouvelle adresse créée ; l'ancienne ne fonctionne plus.")
        return redirect(request.path)

    def absolute(token):
        return f"{settings.SITE_URL.rstrip('/')}{reverse('activities:ics_feed', args=[token])}"

    return render(
        request,
        "activities/calendar_subscriptions.html",
        {
            "federation": federation,
            "user_feed_url": absolute(user_feed.token),
            "federation_feed_url": absolute(
                selectors.federation_feed_token(federation_feed, request.user)
            ),
            "can_renew_federation": perms.can_renew_federation_feed(request.user, federation),
        },
    )


FEED_PAST_DAYS = 180
FEED_FUTURE_DAYS = 400


def ics_feed(request, token):
    """Subscribable ICS feed; the secret token in the address is the only credential.

    A personal feed, or a federation feed given to one subscriber: at each request the
    feed's person must still hold a role that reads the calendar, so a feed stops when
    the role that gave it is removed.
    """
    feed = selectors.feed_owner(token)
    now = timezone.now()
    start, end = now - timedelta(days=FEED_PAST_DAYS), now + timedelta(days=FEED_FUTURE_DAYS)
    if feed is None or feed.federation is not None:
        # The federation's bare secret is not an address: only a subscriber's signed one.
        subscription = selectors.federation_feed_subscription(token)
        if subscription is None:
            raise Http404("Calendrier introuvable")
        feed, user = subscription
        if not perms.can_view_activity(user, feed.federation):
            raise Http404("Calendrier introuvable")
        entries = selectors.merged_calendar(region=feed.federation.region, start=start, end=end)
        name = feed.federation.name
    else:
        user = feed.user
        regions = [
            region
            for region in account_perms.regions_of(user)
            if account_perms.can_read(user, Kind.MEETING, region)
        ]
        if not regions:  # no role left that reads the calendar (or the account is inactive)
            raise Http404("Calendrier introuvable")
        entries = []
        for region in regions:
            entries += selectors.merged_calendar(region=region, start=start, end=end, user=user)
        name = f"InterURPS — {user.get_full_name() or user.email}"
    document = calendar_document(entries, name=name, base_url=settings.SITE_URL)
    return HttpResponse(document, content_type="text/calendar; charset=utf-8")
