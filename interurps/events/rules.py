"""Pure rules of events: hours stated on a certificate, wording of counts."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

# How a number of events is said, per kind: (singular, plural).
KIND_WORDS = {
    "congres": ("congrès", "congrès"),
    "seminaire": ("séminaire", "séminaires"),
    "webinaire": ("webinaire", "webinaires"),
    "pause_visio": ("pause visio", "pauses visio"),
    "journee_regionale": ("journée régionale", "journées régionales"),
    "journee_formation": ("journée de formation", "journées de formation"),
}


def attendance_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Hours of attendance between two local datetimes, rounded to the quarter of an hour.

    On one day, the time between start and end. Over several days, the daily span (from
    the start time to the end time) times the number of days: a training from
    16 September 9:00 to 17 September 17:00 counts 2 × 8 = 16 hours, not 32.

    >>> from datetime import datetime
    >>> attendance_hours(datetime(2021, 11, 23, 9), datetime(2021, 11, 23, 17, 30))
    Decimal('8.50')
    >>> attendance_hours(datetime(2021, 9, 16, 9), datetime(2021, 9, 17, 17))
    Decimal('16.00')
    """
    if ends_at <= starts_at:
        raise ValueError("La fin doit être postérieure au début.")
    days = (ends_at.date() - starts_at.date()).days + 1
    if days == 1:
        seconds = (ends_at - starts_at).total_seconds()
    else:
        start = starts_at.hour * 3600 + starts_at.minute * 60
        end = ends_at.hour * 3600 + ends_at.minute * 60
        if end <= start:
            # An event running overnight: count the whole period.
            seconds = (ends_at - starts_at).total_seconds()
        else:
            seconds = (end - start) * days
    quarters = (Decimal(seconds) / Decimal(900)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (quarters / Decimal(4)).quantize(Decimal("0.01"))


def count_words(kind: str, count: int) -> str:
    """ "4 pauses visio", "1 séminaire".

    >>> count_words("pause_visio", 4)
    '4 pauses visio'
    """
    singular, plural = KIND_WORDS[kind]
    return f"{count} {singular if count == 1 else plural}"


def hours_label(hours: Decimal) -> str:
    """French wording of a number of hours: "8 heures", "7,5 heures", "1 heure".

    >>> hours_label(Decimal("7.50"))
    '7,5 heures'
    """
    value = hours.normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text} heure{'s' if hours >= 2 else ''}"
