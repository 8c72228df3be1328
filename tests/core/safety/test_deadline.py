"""The pick-up deadline of a safety signal, counted in working time.

Golden values are worked out by hand from the calendar (weekdays checked against the
Gregorian calendar) and the EU summer-time rule (Directive 2000/84/EC: summer time
starts on the last Sunday of March and ends on the last Sunday of October at 01:00 UTC):
in 2026 it ends on Sunday 25 October, in 2027 it starts on Sunday 28 March.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from maatwerk.core.safety.deadline import PickUpPolicy, pick_up_deadline

DEFAULT = PickUpPolicy()  # Monday-Friday 08:00-17:00 Europe/Amsterdam, two working hours


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_friday_at_closing_time_is_picked_up_on_monday_at_ten() -> None:
    # Friday 4 December 2026 17:00 CET = 16:00 UTC; Monday 7 December 10:00 CET = 09:00 UTC.
    assert pick_up_deadline(utc(2026, 12, 4, 16, 0), DEFAULT) == utc(2026, 12, 7, 9, 0)


def test_saturday_night_is_picked_up_on_monday_at_ten() -> None:
    assert pick_up_deadline(utc(2026, 12, 5, 22, 30), DEFAULT) == utc(2026, 12, 7, 9, 0)


def test_during_working_hours_two_hours_later() -> None:
    # Wednesday 9 December 2026 09:30 CET -> 11:30 CET.
    assert pick_up_deadline(utc(2026, 12, 9, 8, 30), DEFAULT) == utc(2026, 12, 9, 10, 30)


def test_late_afternoon_carries_the_rest_into_the_next_working_day() -> None:
    # Wednesday 16:00 CET: one hour left that day, one hour on Thursday from 08:00.
    assert pick_up_deadline(utc(2026, 12, 9, 15, 0), DEFAULT) == utc(2026, 12, 10, 8, 0)


def test_friday_afternoon_carries_over_the_weekend() -> None:
    # Friday 16:30 CET: half an hour on Friday, one and a half on Monday -> 09:30 CET.
    assert pick_up_deadline(utc(2026, 12, 4, 15, 30), DEFAULT) == utc(2026, 12, 7, 8, 30)


def test_early_morning_counts_from_opening_time() -> None:
    assert pick_up_deadline(utc(2026, 12, 9, 5, 0), DEFAULT) == utc(2026, 12, 9, 9, 0)


def test_weekend_with_end_of_summer_time() -> None:
    # Friday 23 October 2026 17:00 CEST = 15:00 UTC; summer time ends Sunday 25 October;
    # Monday 26 October 10:00 CET = 09:00 UTC.
    assert pick_up_deadline(utc(2026, 10, 23, 15, 0), DEFAULT) == utc(2026, 10, 26, 9, 0)


def test_weekend_with_start_of_summer_time() -> None:
    # Friday 26 March 2027 17:00 CET = 16:00 UTC; summer time starts Sunday 28 March;
    # Monday 29 March 10:00 CEST = 08:00 UTC.
    assert pick_up_deadline(utc(2027, 3, 26, 16, 0), DEFAULT) == utc(2027, 3, 29, 8, 0)


def test_a_holiday_is_not_a_working_day() -> None:
    # Thursday 24 December 2026 17:00 CET; Friday 25 December (Christmas) is a holiday.
    policy = PickUpPolicy(holidays=frozenset({date(2026, 12, 25)}))
    assert pick_up_deadline(utc(2026, 12, 24, 16, 0), policy) == utc(2026, 12, 28, 9, 0)


def test_a_longer_pick_up_time_spans_working_days() -> None:
    # Ten working hours from Monday 08:00 CET: nine on Monday, one on Tuesday -> 09:00.
    policy = PickUpPolicy(pick_up_within=timedelta(hours=10))
    assert pick_up_deadline(utc(2026, 12, 7, 7, 0), policy) == utc(2026, 12, 8, 8, 0)


def test_a_seven_day_service_counts_the_weekend() -> None:
    policy = PickUpPolicy(working_days=frozenset(range(7)))
    assert pick_up_deadline(utc(2026, 12, 4, 16, 0), policy) == utc(2026, 12, 5, 9, 0)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        pick_up_deadline(datetime(2026, 12, 4, 17, 0), DEFAULT)  # noqa: DTZ001


@pytest.mark.parametrize(
    "kwargs",
    [
        {"working_days": frozenset()},
        {"working_days": frozenset({7})},
        {"opens": time(17, 0), "closes": time(8, 0)},
        {"pick_up_within": timedelta(0)},
    ],
)
def test_an_impossible_policy_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PickUpPolicy(**kwargs)  # type: ignore[arg-type]
