"""CSV and Excel files for French spreadsheets, written one way for every export.

- Text a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return: "CSV injection", OWASP) is neutralised with a leading apostrophe, in CSV
  and in Excel alike: a CPTS named ``=HYPERLINK(...)`` stays text.
- CSV: semicolons, CRLF, UTF-8 with a BOM, decimal commas (``12,5``, unquoted) so that a French
  LibreOffice or Excel reads numbers as numbers; dates as ``29/11/2026``.
- Excel: numbers are real numbers (Decimal becomes float), written by openpyxl's write-only
  workbook so that a large export streams rather than builds a whole sheet in memory.
"""

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """`value` unchanged, except text starting like a formula, which gets an apostrophe.

    >>> safe_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _decimal_text(value: float | Decimal) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = format(value, ".10f").rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_value(value) -> str:
    """One cell as a French spreadsheet expects it (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        if isinstance(value, Decimal) and not value.is_finite():
            return ""
        return _decimal_text(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return safe_cell(str(value))


def csv_text(rows: Iterable[Sequence], *, header: Sequence[str] | None = None) -> str:
    """The CSV document (with its BOM) for `rows`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if header is not None:
        writer.writerow([csv_value(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_value(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def csv_response(rows: Iterable[Sequence], *, filename: str, header=None) -> HttpResponse:
    response = HttpResponse(csv_text(rows, header=header), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_value(value):
    """One cell for openpyxl: real numbers, neutralised text, naive local date-times."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the local time users expect.
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, int | dt.date) or value is None:
        return value
    return safe_cell(str(value))


@dataclass
class Sheet:
    title: str
    rows: Iterable[Sequence]
    header: Sequence[str] | None = None
    widths: Sequence[float] = field(default_factory=tuple)
    freeze_header: bool = False


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        for index, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if sheet.freeze_header and sheet.header is not None:
            worksheet.freeze_panes = "A2"
        if sheet.header is not None:
            worksheet.append([xlsx_value(cell) for cell in sheet.header])
        for row in sheet.rows:
            worksheet.append([xlsx_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(sheets: Sequence[Sheet], *, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
