from django import template

from interurps.core import french

register = template.Library()


@register.filter(is_safe=True)
def fr_share(value, decimals=1):
    """A share between 0 and 1 as a French percentage: `0.7812|fr_share` → "78,1 %"."""
    if french.to_decimal(value) is None:
        return "—"
    return french.percent(float(value) * 100, int(decimals))


@register.filter(is_safe=True)
def fr_signed(value, decimals=3):
    """A small real number with a decimal comma (modularity): `0.4123|fr_signed` → "0,412"."""
    if french.to_decimal(value) is None:
        return "—"
    return french.format_number(float(value), int(decimals))
