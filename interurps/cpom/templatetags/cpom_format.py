"""How CPOM pages print an indicator's figures (values, targets, baselines)."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

NBSP = "\xa0"


@register.filter
def measure(value, indicator) -> str:
    """`value` as the indicator's figures are printed: a percentage with one decimal at
    most and « % » after a non-breaking space (« 25,3 % »), other units with two decimals
    at most; « — » when there is no value."""
    if value is None or value == "":
        return "—"
    if indicator.is_percentage:
        return f"{floatformat(value, '-1')}{NBSP}%"
    return floatformat(value, "-2")
