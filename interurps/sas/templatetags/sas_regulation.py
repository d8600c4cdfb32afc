from django import template

from interurps.sas.regulation.selectors import appointment_delay, format_delay

register = template.Library()


@register.filter
def sas_delay(appointment) -> str:
    """Delay from the call to the appointment's start, in French ("3 h 05", "1 j 2 h")."""
    return format_delay(appointment_delay(appointment))
