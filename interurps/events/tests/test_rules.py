from decimal import Decimal

import pytest

from interurps.events import rules

from .conftest import paris


def test_hours_on_one_day_are_rounded_to_the_quarter():
    assert rules.attendance_hours(paris(2021, 1, 8, 12, 30), paris(2021, 1, 8, 13, 37)) == (
        Decimal("1.00")
    )
    assert rules.attendance_hours(paris(2021, 1, 8, 9), paris(2021, 1, 8, 16, 30)) == (
        Decimal("7.50")
    )


def test_hours_over_several_days_count_the_daily_span():
    assert rules.attendance_hours(paris(2021, 9, 16, 9), paris(2021, 9, 17, 17)) == 16
    # Overnight: the whole period.
    assert rules.attendance_hours(paris(2021, 9, 16, 20), paris(2021, 9, 17, 8)) == 12


def test_end_before_start_is_refused():
    with pytest.raises(ValueError):
        rules.attendance_hours(paris(2021, 1, 8, 13), paris(2021, 1, 8, 12))


def test_wording():
    assert rules.count_words("pause_visio", 4) == "4 pauses visio"
    assert rules.count_words("seminaire", 1) == "1 séminaire"
    assert rules.hours_label(Decimal("8.00")) == "8 heures"
    assert rules.hours_label(Decimal("1.50")) == "1,5 heure"
