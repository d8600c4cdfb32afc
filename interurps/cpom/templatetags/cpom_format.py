"""How CPOM pages print an indicator's figures (values, targets, baselines)."""

from django import template

from interurps.core import french

register = template.Library()


@register.filter
def measure(value, indicator) -> str:
    """`value` as the indicator's figures are printed: a percentage with one decimal at
    most and « % » after a narrow no-break space (« 25,3 % »), other units with two
    decimals at most; « — » when there is no value. French typography: `core.french`."""
    if value is None or value == "":
        return "—"
    if indicator.is_percentage:
        return french.percent(value, -1)
    return french.format_number(value, -2)
