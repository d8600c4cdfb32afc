"""French formats for Django's default rendering of dates, times and numbers.

Only what differs from Django's `conf/locale/fr/formats.py` is set here; the rest
(input formats, first day of the week) comes from Django's module. The same typography
as the `fr` template filters (`interurps/core/templatetags/fr.py`): narrow no-break
spaces (U+202F) group thousands and surround the "h" of times ("9 h 30").
"""

TIME_FORMAT = "G\u202f\\h\u202fi"  # 9 h 30
DATETIME_FORMAT = "j F Y à G\u202f\\h\u202fi"  # 9 mars 2021 à 9 h 30
SHORT_DATETIME_FORMAT = "d/m/Y G\u202f\\h\u202fi"  # 09/03/2021 9 h 30
THOUSAND_SEPARATOR = "\u202f"
