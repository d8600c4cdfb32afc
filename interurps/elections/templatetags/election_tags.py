from django import template
from django.utils import timezone

from interurps.analytics.seats import format_decimal_fr

register = template.Library()


@register.filter
def mandate_state(mandate) -> str:
    """The mandate's state today: « En cours », « Mandat échu », « Siège libéré »…"""
    return mandate.state_label(timezone.localdate())


@register.filter
def percent_fr(value) -> str:
    """42.50 → « 42,5 % » (decimal comma, no-break space before %)."""
    if value in (None, ""):
        return "—"
    return format_decimal_fr(float(value)) + "\u00a0%"


@register.filter
def mandate_current(mandate) -> bool:
    """In office today (start <= today <= end, not ended)."""
    return mandate.is_current(timezone.localdate())
