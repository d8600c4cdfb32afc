"""File names of downloaded documents: what they are about and their date, in ASCII."""

from datetime import date

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from interurps.core.text import normalize_name


def download_name(*parts: str, day: date, extension: str) -> str:
    """An ASCII file name naming the document, its territory or subject, and its date.

    >>> download_name("Diagnostic", "CPTS Pays de Retz", day=date(2026, 11, 29), extension="pdf")
    'diagnostic-cpts-pays-de-retz-2026-11-29.pdf'
    >>> download_name("PV", "Conseil d'administration", day=date(2021, 3, 9), extension="pdf")
    'pv-conseil-d-administration-2021-03-09.pdf'
    """
    words = [normalize_name(str(part)).replace(" ", "-") for part in parts]
    stem = "-".join(word for word in words if word)[:150].strip("-")
    return f"{stem}-{day.isoformat()}.{extension}"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (inline), saved under `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
