"""SAS valorisation: the SNP majoration at its weekly cap, weeks across months, the 48 h
window, and the sourced table."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from interurps.analytics import sas_valorisation as v
from interurps.analytics.sas_valorisation import Act, monthly_statement

PARIS = ZoneInfo("Europe/Paris")


def acts_on(day: datetime, count: int, *, within_48h=True, regulated=True) -> list[Act]:
    return [
        Act(day + timedelta(minutes=15 * i), within_48h, regulated, f"rdv-{i}")
        for i in range(count)
    ]


def test_twenty_acts_in_a_week_are_all_paid():
    s = monthly_statement(acts_on(datetime(2026, 3, 10, 8, tzinfo=PARIS), 20), 2026, 3)
    assert (s.paid_acts, s.over_cap_acts) == (20, 0)
    assert s.total == Decimal("300.00")  # 20 × 15 €


def test_the_twenty_first_act_of_a_week_is_not_paid():
    s = monthly_statement(acts_on(datetime(2026, 3, 10, 8, tzinfo=PARIS), 21), 2026, 3)
    assert (s.eligible_acts, s.paid_acts, s.over_cap_acts) == (21, 20, 1)
    assert s.total == Decimal("300.00")


def test_the_cap_is_per_week_two_weeks_get_two_caps():
    acts = acts_on(datetime(2026, 3, 10, 8, tzinfo=PARIS), 21) + acts_on(
        datetime(2026, 3, 17, 8, tzinfo=PARIS), 21
    )
    s = monthly_statement(acts, 2026, 3)
    assert (s.paid_acts, s.over_cap_acts) == (40, 2)
    assert s.total == Decimal("600.00")
    weeks = {(line.iso_week, line.paid, line.over_cap) for line in s.lines if line.acts}
    assert weeks == {(11, 20, 1), (12, 20, 1)}


def test_a_week_across_two_months_is_capped_once_in_chronological_order():
    # ISO week 5 of 2026: Monday 26 January to Sunday 1 February.
    january = acts_on(datetime(2026, 1, 30, 8, tzinfo=PARIS), 15)  # Friday 30 January
    february = acts_on(datetime(2026, 2, 1, 8, tzinfo=PARIS), 10)  # Sunday 1 February
    everything = february + january  # order given does not matter, time does
    jan = monthly_statement(everything, 2026, 1)
    feb = monthly_statement(everything, 2026, 2)
    jan_week = next(line for line in jan.lines if line.iso_week == 5)
    feb_week = next(line for line in feb.lines if line.iso_week == 5)
    assert jan_week.spans_months and feb_week.spans_months
    assert (jan_week.paid, jan_week.over_cap) == (15, 0)  # the first 15 of the week
    assert (feb_week.paid, feb_week.over_cap) == (5, 5)  # ranks 16 to 25: 5 paid
    assert jan_week.eligible_in_week == feb_week.eligible_in_week == 25
    # Together the two months pay the week once: 20 acts.
    assert jan.paid_acts + feb.paid_acts == 20
    assert jan.total + feb.total == Decimal("300.00")


def test_acts_after_48_hours_or_unregulated_are_not_counted():
    acts = (
        acts_on(datetime(2026, 3, 10, 8, tzinfo=PARIS), 3)
        + acts_on(datetime(2026, 3, 11, 8, tzinfo=PARIS), 4, within_48h=False)
        + acts_on(datetime(2026, 3, 12, 8, tzinfo=PARIS), 2, regulated=False)
    )
    s = monthly_statement(acts, 2026, 3)
    assert (s.acts, s.eligible_acts, s.paid_acts) == (9, 3, 3)
    assert (s.late_acts, s.unregulated_acts) == (4, 2)
    assert s.total == Decimal("45.00")


def test_late_acts_do_not_use_the_cap():
    acts = acts_on(datetime(2026, 3, 9, 8, tzinfo=PARIS), 5, within_48h=False) + acts_on(
        datetime(2026, 3, 10, 8, tzinfo=PARIS), 20
    )
    s = monthly_statement(acts, 2026, 3)
    assert (s.paid_acts, s.over_cap_acts) == (20, 0)


def test_acts_outside_the_weeks_of_the_month_are_ignored():
    s = monthly_statement(acts_on(datetime(2026, 5, 20, 8, tzinfo=PARIS), 4), 2026, 3)
    assert s.acts == 0 and s.total == 0
    # March 2026: Monday 23 February to Sunday 5 April, 6 ISO weeks.
    assert [line.iso_week for line in s.lines] == [9, 10, 11, 12, 13, 14]
    assert s.lines[0].first_day == date(2026, 3, 1) and s.lines[-1].last_day == date(2026, 3, 31)


def test_the_total_says_it_rests_on_an_unconfirmed_amount():
    s = monthly_statement([], 2026, 3)
    assert s.confirmed is False  # the 15 € was not read in the NGAP
    figures = dict(s.figures)
    assert figures["Plafond de majorations SNP par médecin et par semaine"].confirmed
    assert figures["Plafond de majorations SNP par médecin et par semaine"].value == 20
    assert not figures["Forfait annuel de l'effecteur participant"].confirmed
    assert figures["Forfait annuel de l'effecteur participant"].value == 1400
    assert not figures["Rémunération horaire du médecin régulateur libéral"].confirmed
    for _, figure in s.figures:
        assert figure.source
        assert figure.confirmed or figure.note


def test_weeks_at_the_two_hour_threshold():
    hours = {(2026, 10): 2.0, (2026, 11): 1.99, (2026, 12): 5}
    s = monthly_statement([], 2026, 3, weekly_hours=hours)
    assert (s.weeks_at_threshold, s.weeks_with_hours) == (2, 6)


def test_48_hours_exactly_counts():
    call = datetime(2026, 3, 2, 9, 30, tzinfo=PARIS)
    assert v.within_window(call, call + timedelta(hours=48))
    assert not v.within_window(call, call + timedelta(hours=48, seconds=1))


def test_invalid_month_is_refused():
    with pytest.raises(ValueError, match="Mois invalide"):
        monthly_statement([], 2026, 13)


def test_unconfirmed_figure_needs_a_note():
    with pytest.raises(ValueError, match="note"):
        v.Figure(Decimal(1), "€", "source", False)


def test_statement_as_dict_is_plain_data():
    s = monthly_statement(acts_on(datetime(2026, 3, 10, 8, tzinfo=PARIS), 2), 2026, 3).as_dict()
    assert s["total"] == 30.0 and s["paid_acts"] == 2
    assert {f["label"] for f in s["figures"]} >= {"Majoration SNP par acte"}
