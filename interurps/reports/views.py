from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from interurps.accounts import perms
from interurps.core.downloads import download_name, pdf_response
from interurps.core.forms import BoundedModelForm
from interurps.core.http import require
from interurps.organizations.models import Federation
from interurps.organizations.selectors import federation_or_404
from interurps.reports import services
from interurps.reports.builder import build_report, report_texts
from interurps.reports.models import ReportTexts

FIRST_YEAR = 2019  # the first InterURPS were created in 2019


class ReportTextsForm(BoundedModelForm):
    class Meta:
        model = ReportTexts
        fields = list(services.TEXT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in services.TEXT_FIELDS}


def _federation(region_code, user) -> Federation:
    federation = federation_or_404(region_code)
    require(perms.can_view_report(user, federation.region_id))
    return federation


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise PermissionDenied  # no report for a year outside the federation's life
    return year


@login_required
def report(request, region_code, year):
    federation = _federation(region_code, request.user)
    year = _year(year)
    return render(
        request,
        "reports/report.html",
        {
            "report": build_report(federation, year),
            "can_edit": perms.can_edit_report_texts(request.user, federation.region_id),
            "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
            "last_complete_year": last_complete_year(),
            "partial_until": timezone.localdate() if year == timezone.localdate().year else None,
        },
    )


@login_required
def report_pdf(request, region_code, year):
    federation = _federation(region_code, request.user)
    pdf = services.report_pdf(federation, _year(year), base_url=request.build_absolute_uri("/"))
    name = download_name(
        "rapport-activite",
        str(year),
        federation.region.name,
        day=timezone.localdate(),
        extension="pdf",
    )
    return pdf_response(pdf, name)


@login_required
def report_texts_edit(request, region_code, year):
    federation = _federation(region_code, request.user)
    if not perms.can_edit_report_texts(request.user, federation.region_id):
        raise PermissionDenied
    year = _year(year)
    form = ReportTextsForm(request.POST or None, instance=report_texts(federation, year))
    if request.method == "POST" and form.is_valid():
        services.report_texts_update(
            federation=federation, year=year, data=form.cleaned_data, by=request.user
        )
        messages.success(request, "Textes du rapport enregistrés.")
        return redirect("reports:report", region_code, year)
    return render(
        request,
        "reports/texts_form.html",
        {"form": form, "federation": federation, "year": year},
    )


def last_complete_year() -> int:
    """The report opens on the last year that is over (local date)."""
    return timezone.localdate().year - 1


@login_required
def current_report(request, region_code):
    _federation(region_code, request.user)
    return redirect("reports:report", region_code, last_complete_year())
