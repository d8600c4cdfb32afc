"""The range of dates the application accepts, and parsing that keeps to it.

Every date typed in a form, read from an import or a query string must fall between
`MIN_DATE` and `MAX_DATE`: far-past or far-future years (1, 9999) are typing mistakes in
this domain and would break calendars, feeds and arithmetic that adds days to them.
"""

import datetime as dt

from django.core.exceptions import ValidationError

MIN_YEAR = 1900
MAX_YEAR = 2100
MIN_DATE = dt.date(MIN_YEAR, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)

OUT_OF_RANGE_MESSAGE = (
    f"La date doit être comprise entre le 1er janvier {MIN_YEAR} et le 31 décembre {MAX_YEAR}."
)


def in_range(value: dt.date | dt.datetime) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def check_in_range(value, *, where: str = "") -> None:
    """Raise a French ValidationError when `value` (a date or datetime) is out of range.

    `where` names the place of the error (a field, a line and column) in the message.
    """
    if value is not None and not in_range(value):
        prefix = f"{where} : " if where else ""
        raise ValidationError(f"{prefix}{OUT_OF_RANGE_MESSAGE}", code="date_out_of_range")


def validate_date_in_range(value) -> None:
    """Form/model field validator."""
    check_in_range(value)


def parse_iso_date(text: str | None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) within range, or None when absent, malformed or out of range.

    For query strings, where a bad value falls back to the page's default.
    """
    if not text or len(text) != 10 or not text.isascii():
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return value if in_range(value) else None


def parse_year(text: str | None, default: int | None = None) -> int | None:
    """A year within range from a query string, or `default`."""
    # isascii(): "²".isdigit() is True but int("²") raises.
    if not text or len(text) > 4 or not (text.isascii() and text.isdigit()):
        return default
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else default
