"""A stand-in for `interurps.analytics.icope` while the rules helper's module has not been
merged: installed only when the real module cannot be imported, only in tests.

Loaded by `interurps/reper/tests/conftest.py`, and for the URL sweep with
`pytest -p interurps.reper.tests.icope_fallback tests/test_url_sweep.py`.
Delete this file (and the conftest) once `interurps/analytics/icope.py` is on the branch.
"""

import importlib
import sys
import types
from calendar import monthrange


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))


def next_screening_due(last_screened_on, months=6):
    return _add_months(last_screened_on, months)


def priority_key(positive_count, age, days_overdue):
    """Most positive domains first, then the oldest person, then the longest overdue."""
    return (-positive_count, -age, -days_overdue)


def install() -> None:
    try:
        importlib.import_module("interurps.analytics.icope")
    except ImportError:
        module = types.ModuleType("interurps.analytics.icope")
        module.DOMAINS = ("cognition", "mobility", "nutrition", "vision", "hearing", "mood")
        module.next_screening_due = next_screening_due
        module.priority_key = priority_key
        module.__fallback__ = True
        sys.modules["interurps.analytics.icope"] = module
        import interurps.analytics

        interurps.analytics.icope = module


install()
