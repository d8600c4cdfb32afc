"""French typography for templates: numbers, amounts, percentages, dates, times, plurals.

`{% load fr %}` then, for instance::

    {{ population|fr_number }}                 1 234 567
    {{ density|fr_number:1 }}                  12,5
    {{ amount|fr_money }}                      1 234,50 €   (1 200 € when whole)
    {{ rate|fr_percent:1 }}                    45,2 %       (the value is already in %)
    {{ distance|fr_unit:"km" }}                12,5 km
    {{ meeting.starts_at|fr_date }}            9 mars 2021  (1er mars 2021)
    {{ meeting.starts_at|fr_date:"weekday" }}  mardi 9 mars 2021
    {{ meeting.starts_at|fr_date_short }}      09/03/2021   (dense tables)
    {{ meeting.starts_at|fr_time }}            9 h 30       (9 h on the hour)
    {{ meeting.starts_at|fr_datetime }}        9 mars 2021 à 9 h 30
    {{ n|fr_count:"commune,communes" }}        0 commune, 1 commune, 12 communes
    réunion{{ n|fr_plural:"s" }}               as `pluralize`, but 0 is singular in French
    {{ text|fr_punct }}                        « Oui » : non ! (no-break spaces)

Spaces, one rule everywhere: a narrow no-break space (U+202F, « espace fine insécable »)
groups thousands, stands before « ; : ! ? », inside « » and between a number and its
symbol or unit (€, %, km, h); a no-break space (U+00A0) joins a count to its noun
("12 communes"). Years, INSEE codes and identifiers are not numbers: print them with
`|unlocalize` (`{% load l10n %}`), never with these filters.

Month and day names are written here rather than taken from the active translation, so
that a page, a PDF or an e-mail reads the same French whatever the request's language.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# --- numbers ---------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _decimals(arg, default: int | None) -> int | None:
    if arg in (None, ""):
        return default
    try:
        return max(-10, min(int(arg), 10))
    except (TypeError, ValueError):
        return default


def format_number(value, decimals: int | None = None) -> str:
    """`1234567.891` → "1 234 567,89" (U+202F). Without `decimals`: whole numbers keep no
    decimals, others two; a negative `decimals` (as `floatformat:"-1"`) shows that many
    decimals only when the rounded number is not whole. Returns "" for None or a value
    that is not a number.

    >>> format_number(1234.5, 1)
    '1\\u202f234,5'
    """
    number = _decimal(value)
    if number is None:
        return ""
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 2
    elif decimals < 0:  # as floatformat:"-1": that many decimals, only when not whole
        whole = number.quantize(Decimal(1).scaleb(decimals), rounding=ROUND_HALF_UP)
        decimals = 0 if whole == whole.to_integral_value() else -decimals
    rounded = abs(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}".replace(",", NNBSP).replace(".", ",")
    rounded_to_zero = all(c in "0," for c in text.replace(NNBSP, ""))
    return f"-{text}" if number < 0 and not rounded_to_zero else text


@register.filter(is_safe=True)
def fr_number(value, decimals=None):
    """A number in French: decimal comma, thousands grouped by narrow no-break spaces.
    `fr_number:1` fixes one decimal; without argument, decimals only when not whole."""
    if _decimal(value) is None:
        return "" if value is None else value
    return format_number(value, _decimals(decimals, None))


@register.filter(is_safe=True)
def fr_money(value, decimals=None):
    """An amount in euros: "1 234,50 €", "1 200 €" when whole (`fr_money:0` rounds)."""
    text = format_number(value, _decimals(decimals, None))
    return f"{text}{NNBSP}€" if text else ""


@register.filter(is_safe=True)
def fr_percent(value, decimals=0):
    """A value already in percent: `45.24|fr_percent:1` → "45,2 %"."""
    text = format_number(value, _decimals(decimals, 0))
    return f"{text}{NNBSP}%" if text else ""


@register.filter(is_safe=False)
def fr_unit(value, unit):
    """A number and its unit: `12.5|fr_unit:"km"` → "12,5 km". A text value (already
    formatted) is kept as it is."""
    text = format_number(value) if _decimal(value) is not None else str(value)
    return f"{text}{NNBSP}{unit}" if text else ""


# --- plurals ---------------------------------------------------------------------------


def _is_singular(value) -> bool:
    """French grammar: 0 and 1 (and anything below 2) take the singular."""
    if hasattr(value, "__len__") and not isinstance(value, str):
        value = len(value)
    number = _decimal(value)
    return number is None or abs(number) < 2


@register.filter(is_safe=False)
def fr_plural(value, forms="s"):
    """Like `pluralize`, French way: `réunion{{ n|fr_plural }}`, `{{ n|fr_plural:"al,aux" }}`.
    0 and 1 take the singular."""
    singular, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    return singular if _is_singular(value) else plural


@register.filter(is_safe=False)
def fr_count(value, forms):
    """A count and its noun: `{{ n|fr_count:"commune,communes" }}` → "0 commune",
    "1 commune", "12 communes", "1 249 communes". A list or queryset counts its items."""
    if hasattr(value, "__len__") and not isinstance(value, str):
        value = len(value)
    if _decimal(value) is None:
        return ""
    singular, _, plural = forms.partition(",")
    noun = singular if _is_singular(value) else (plural or singular)
    return f"{format_number(value)}{NBSP}{noun}"


# --- punctuation -----------------------------------------------------------------------


def french_punctuation(text: str) -> str:
    """Narrow no-break spaces before ; : ! ? where a space is typed before them, and inside
    « » always. A colon with no space before it (a URL, "9:30") is left alone.

    >>> french_punctuation("« Oui » : non !") == "«\u202fOui\u202f»\u202f: non\u202f!"
    True
    """
    text = re.sub(r"[ \u00a0\u202f]+([;:!?»])", NNBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, text)
    return re.sub(r"(?<![\s\u202f])»", NNBSP + "»", text)


@register.filter(is_safe=True, needs_autoescape=True)
def fr_punct(value, autoescape=True):
    """French spacing of punctuation in a text: « ; : ! ? » get a narrow no-break space."""
    from django.utils.html import conditional_escape

    if value is None:
        return ""
    if autoescape and not isinstance(value, SafeData):
        value = conditional_escape(value)
    result = french_punctuation(str(value))
    return mark_safe(result) if isinstance(value, SafeData) else result  # noqa: S308


# --- dates and times -------------------------------------------------------------------


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def format_date(value, weekday: bool = False) -> str:
    """ "9 mars 2021", "1er mars 2021"; with `weekday`, "mardi 9 mars 2021"."""
    day = _as_date(value)
    if day is None:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_time(value) -> str:
    """ "9 h 30", "14 h 05", "9 h" on the hour."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if not isinstance(value, dt.time):
        return ""
    if value.minute == 0:
        return f"{value.hour}{NNBSP}h"
    return f"{value.hour}{NNBSP}h{NNBSP}{value.minute:02d}"


@register.filter(expects_localtime=True, is_safe=False)
def fr_date(value, style=""):
    """Dates in running text: "9 mars 2021"; `fr_date:"weekday"` → "mardi 9 mars 2021"."""
    return format_date(value, weekday=style == "weekday")


@register.filter(expects_localtime=True, is_safe=False)
def fr_date_short(value):
    """Dates in dense tables: "09/03/2021"."""
    day = _as_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


@register.filter(expects_localtime=True, is_safe=False)
def fr_time(value):
    """ "9 h 30", "9 h" on the hour."""
    return format_time(value)


@register.filter(expects_localtime=True, is_safe=False)
def fr_datetime(value, style=""):
    """ "9 mars 2021 à 9 h 30"; `fr_datetime:"weekday"` → "mardi 9 mars 2021 à 9 h 30";
    `fr_datetime:"short"` → "09/03/2021 9 h 30" for dense tables."""
    if not isinstance(value, dt.datetime):
        return format_date(value, weekday=style == "weekday")
    if style == "short":
        return f"{value:%d/%m/%Y} {format_time(value)}"
    return f"{format_date(value, weekday=style == 'weekday')} à {format_time(value)}"
