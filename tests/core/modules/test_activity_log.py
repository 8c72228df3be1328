"""Activity log rows to minutes per day, and how far the quota schedule must reach."""

from __future__ import annotations

from datetime import date

from maatwerk.core.modules.activity_log import minutes_per_day, schedule_weeks

TODAY = date(2026, 3, 11)


def test_activities_on_one_day_add_up() -> None:
    rows = [
        {"date": "2026-03-09", "minutes": "20"},
        {"date": "2026-03-09", "minutes": 15},
        {"date": "2026-03-10", "minutes": "30"},
    ]
    # 20 + 15 = 35 on the 9th; 30 on the 10th.
    assert minutes_per_day(rows, today=TODAY) == {date(2026, 3, 9): 35, date(2026, 3, 10): 30}


def test_incomplete_wrong_and_future_rows_are_left_out() -> None:
    rows = [
        {"date": "", "minutes": "20"},  # no date
        {"date": "2026-03-09"},  # no minutes
        {"date": "2026-03-09", "minutes": "-5"},  # negative
        {"date": "2026-03-09", "minutes": "2,5"},  # not whole minutes
        {"date": "2026-03-12", "minutes": "40"},  # tomorrow: planned, not done
        {"date": "9 maart", "minutes": "40"},  # not a date
        "not a row",
        {"date": "2026-03-11", "minutes": "10"},  # today counts
    ]
    assert minutes_per_day(rows, today=TODAY) == {TODAY: 10}


def test_no_rows_gives_no_days() -> None:
    assert minutes_per_day(None, today=TODAY) == {}
    assert minutes_per_day({"date": "2026-03-09"}, today=TODAY) == {}


def test_the_schedule_reaches_today_and_tomorrow() -> None:
    # Starting today: today and tomorrow are days 0 and 1, one week covers them.
    assert schedule_weeks(TODAY, TODAY) == 1
    # Started 5 days ago: today is day 5, tomorrow day 6, still the first week.
    assert schedule_weeks(date(2026, 3, 6), TODAY) == 1
    # Started 6 days ago: tomorrow is day 7, the first day of the second week.
    assert schedule_weeks(date(2026, 3, 5), TODAY) == 2
    # Not started yet: still one week, so the start shows.
    assert schedule_weeks(date(2026, 3, 20), TODAY) == 1
