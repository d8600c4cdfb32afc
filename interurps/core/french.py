"""French typography as plain functions: numbers, amounts, counts and plurals, dates,
times and punctuation. The `fr` template filters (`interurps/core/templatetags/fr.py`) and
messages written in Python use them alike.

Spaces, one rule everywhere: a narrow no-break space (U+202F, « espace fine insécable »)
groups thousands, stands before « ; : ! ? », inside « » and between a number and its
symbol or unit (€, %, km, h); a no-break space (U+00A0) joins a count to its noun
("12 communes"). Month and day names are written here rather than taken from the active
translation, so that a page, a PDF or an e-mail reads the same French in any context.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# --- numbers ---------------------------------------------------------------------------


def to_decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value, decimals: int | None = None) -> str:
    """`1234567.891` → "1 234 567,89" (U+202F). Without `decimals`: whole numbers keep no
    decimals, others two; a negative `decimals` (as `floatformat:"-1"`) shows that many
    decimals only when the rounded number is not whole. Returns "" for None or a value
    that is not a number.

    >>> format_number(1234.5, 1)
    '1\\u202f234,5'
    """
    number = to_decimal(value)
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


def money(value, decimals: int | None = None) -> str:
    """ "1 234,50 €", "1 200 €" when whole; "" when not a number."""
    text = format_number(value, decimals)
    return f"{text}{NNBSP}€" if text else ""


def percent(value, decimals: int = 0) -> str:
    """A value already in percent: `percent(45.24, 1)` → "45,2 %"."""
    text = format_number(value, decimals)
    return f"{text}{NNBSP}%" if text else ""


# --- plurals ---------------------------------------------------------------------------


def is_singular(value) -> bool:
    """French grammar: 0 and 1 (and anything below 2) take the singular."""
    if hasattr(value, "__len__") and not isinstance(value, str):
        value = len(value)
    number = to_decimal(value)
    return number is None or abs(number) < 2


def plural(value, singular: str, plural_form: str) -> str:
    """The word agreeing with a count (or with the length of a list): 0 and 1 singular.

    >>> plural(["53999"], "code inconnu", "codes inconnus")
    'code inconnu'
    """
    return singular if is_singular(value) else plural_form


def count(value, forms: str) -> str:
    """A count and its noun: `count(n, "commune,communes")` → "0 commune", "1 commune",
    "12 communes", "1 249 communes". A list or other sized value counts its items."""
    if hasattr(value, "__len__") and not isinstance(value, str):
        value = len(value)
    if to_decimal(value) is None:
        return ""
    singular, _, plural = forms.partition(",")
    noun = singular if is_singular(value) else (plural or singular)
    return f"{format_number(value)}{NBSP}{noun}"


# --- punctuation -----------------------------------------------------------------------


def french_punctuation(text: str) -> str:
    """Narrow no-break spaces before ; : ! ? where a space is typed before them, and inside
    « » always. A colon with no space before it (a URL, "9:30") is left alone.

    >>> french_punctuation("« Oui » : non !") == "«\u202fOui\u202f»\u202f: non\u202f!"
    True
    """
    text = _SPACE_BEFORE_MARK.sub(NNBSP + r"\1", text)
    text = _AFTER_OPENING_QUOTE.sub("«" + NNBSP, text)
    return _BEFORE_CLOSING_QUOTE.sub(NNBSP + "»", text)


_SPACE_BEFORE_MARK = re.compile(r"\s+([;:!?»])")
_AFTER_OPENING_QUOTE = re.compile(r"«\s*")
_BEFORE_CLOSING_QUOTE = re.compile(r"(?<!\s)»")
_HTML_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
_MARKS = re.compile(r"[;:!?«»]")
_RAW_ELEMENTS = ("script", "style", "textarea", "pre", "code")


def french_punctuation_html(markup: str) -> str:
    """`french_punctuation` on the text of an HTML document only: tags, attributes,
    comments and the content of script, style, textarea, pre and code elements (code,
    data, what the user typed) are left as they are."""
    # Every page goes through here (base.html): most text parts hold no mark at all and
    # are left without running the three substitutions.
    parts = _HTML_TOKEN.split(markup)
    raw_until = None
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a comment
            name = _TAG_NAME.match(part)
            name = name.group(1).lower() if name else ""
            if raw_until is None and name in _RAW_ELEMENTS and not part.startswith("</"):
                raw_until = name
            elif raw_until == name and part.startswith("</"):
                raw_until = None
        elif raw_until is None and part and _MARKS.search(part):
            parts[index] = french_punctuation(part)
    return "".join(parts)


# --- dates and times -------------------------------------------------------------------


def as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def format_date(value, weekday: bool = False) -> str:
    """ "9 mars 2021", "1er mars 2021"; with `weekday`, "mardi 9 mars 2021"."""
    day = as_date(value)
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


def format_date_short(value) -> str:
    """ "09/03/2021", for dense tables."""
    day = as_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def format_datetime(value, style: str = "") -> str:
    """ "9 mars 2021 à 9 h 30"; style "weekday": "mardi 9 mars 2021 à 9 h 30"; style
    "short": "09/03/2021 9 h 30". A date alone gives the date."""
    if not isinstance(value, dt.datetime):
        return format_date(value, weekday=style == "weekday")
    if style == "short":
        return f"{value:%d/%m/%Y} {format_time(value)}"
    return f"{format_date(value, weekday=style == 'weekday')} à {format_time(value)}"
