from django.db import transaction
from django.template.loader import render_to_string

from interurps.reports.builder import build_report
from interurps.reports.models import ReportTexts

TEXT_FIELDS = (
    "presidents_word",
    "cpts_highlights",
    "sas_highlights",
    "icope_highlights",
    "perspectives",
)


@transaction.atomic
def report_texts_update(*, federation, year: int, data: dict, by) -> ReportTexts:
    texts, _ = ReportTexts.objects.get_or_create(federation=federation, year=year)
    for name in TEXT_FIELDS:
        if name in data:
            setattr(texts, name, data[name])
    texts.updated_by = by
    texts.full_clean()
    texts.save()
    return texts


def report_html(federation, year: int) -> str:
    """The printable report as a standalone HTML document."""
    return render_to_string("reports/report_print.html", {"report": build_report(federation, year)})


def report_pdf(federation, year: int, *, base_url: str = "") -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(federation, year), base_url=base_url or None).write_pdf()
