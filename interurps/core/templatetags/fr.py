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

The typography rules and the plain functions live in `interurps/core/french.py`. Years,
INSEE codes and identifiers are not numbers: print them with `|unlocalize`
(`{% load l10n %}`), never with these filters.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from interurps.core import french

register = template.Library()


def _decimals(arg, default: int | None) -> int | None:
    if arg in (None, ""):
        return default
    try:
        return max(-10, min(int(arg), 10))
    except (TypeError, ValueError):
        return default


@register.filter(is_safe=True)
def fr_number(value, decimals=None):
    """A number in French: decimal comma, thousands grouped by narrow no-break spaces.
    `fr_number:1` fixes one decimal, `fr_number:"-1"` one only when not whole; without
    argument, two decimals only when not whole. A value that is not a number is kept."""
    if french.to_decimal(value) is None:
        return "" if value is None else value
    return french.format_number(value, _decimals(decimals, None))


@register.filter(is_safe=True)
def fr_money(value, decimals=None):
    """An amount in euros: "1 234,50 €", "1 200 €" when whole (`fr_money:0` rounds)."""
    return french.money(value, _decimals(decimals, None))


@register.filter(is_safe=True)
def fr_percent(value, decimals=0):
    """A value already in percent: `45.24|fr_percent:1` → "45,2 %"."""
    return french.percent(value, _decimals(decimals, 0))


@register.filter(is_safe=False)
def fr_unit(value, unit):
    """A number and its unit: `12.5|fr_unit:"km"` → "12,50 km"; a text value (already
    formatted, `x|fr_number:1|fr_unit:"km"`) is kept as it is."""
    if french.to_decimal(value) is not None:
        value = french.format_number(value)
    text = "" if value is None else str(value)
    return f"{text}{french.NNBSP}{unit}" if text else ""


@register.filter(is_safe=False)
def fr_plural(value, forms="s"):
    """Like `pluralize`, French way: `réunion{{ n|fr_plural }}`, `{{ n|fr_plural:"al,aux" }}`.
    0 and 1 take the singular."""
    singular, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    return singular if french.is_singular(value) else plural


@register.filter(is_safe=False)
def fr_count(value, forms):
    """A count and its noun: `{{ n|fr_count:"commune,communes" }}` → "0 commune",
    "1 commune", "12 communes", "1 249 communes". A list or queryset counts its items."""
    return french.count(value, forms)


@register.filter(is_safe=True, needs_autoescape=True)
def fr_punct(value, autoescape=True):
    """French spacing of punctuation: « ; : ! ? » get a narrow no-break space. On HTML
    (`{% filter fr_punct %}…{% endfilter %}`), only the text between tags changes."""
    if value is None:
        return ""
    if isinstance(value, SafeData):
        return mark_safe(french.french_punctuation_html(str(value)))  # noqa: S308
    if autoescape:
        return mark_safe(french.french_punctuation(conditional_escape(value)))  # noqa: S308
    return french.french_punctuation(str(value))


@register.filter(expects_localtime=True, is_safe=False)
def fr_date(value, style=""):
    """Dates in running text: "9 mars 2021"; `fr_date:"weekday"` → "mardi 9 mars 2021"."""
    return french.format_date(value, weekday=style == "weekday")


@register.filter(expects_localtime=True, is_safe=False)
def fr_date_short(value):
    """Dates in dense tables: "09/03/2021"."""
    return french.format_date_short(value)


@register.filter(expects_localtime=True, is_safe=False)
def fr_time(value):
    """ "9 h 30", "9 h" on the hour."""
    return french.format_time(value)


@register.filter(expects_localtime=True, is_safe=False)
def fr_datetime(value, style=""):
    """ "9 mars 2021 à 9 h 30"; `fr_datetime:"weekday"` → "mardi 9 mars 2021 à 9 h 30";
    `fr_datetime:"short"` → "09/03/2021 9 h 30" for dense tables."""
    return french.format_datetime(value, style)
