"""Date and time inputs rendered in the ISO format browsers expect, whatever the locale.

A `<input type="date">` only accepts `YYYY-MM-DD` as its value (`type="time"`: `HH:MM`,
`type="datetime-local"`: `YYYY-MM-DDTHH:MM`). Django's widgets otherwise render the active
locale's first input format (`29/11/2026` in French), which the browser rejects: the field
then shows empty and the form answers "Ce champ est obligatoire". The browser displays the
value in the user's locale (jj/mm/aaaa in a French browser) and posts it back in ISO, which
every Django date field parses.

Every form of the project uses these widgets for its date, time and date-time fields
(`interurps/core/tests/test_widgets.py` checks it across all forms modules).
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_TIME)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)
