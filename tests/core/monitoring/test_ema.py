"""EMA schedules: exact counts, gaps, quiet hours and determinism, also across both
daylight-saving changes of Europe/Amsterdam, month ends and leap days.

The DST dates are the last Sundays of March and October (EU rule, Directive 2000/84/EC):
2026-03-29 and 2026-10-25, 2027-03-28 and 2027-10-31, 2028-03-26 and 2028-10-29.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core.monitoring.ema import (
    EmaSchedule,
    Pause,
    QuietHours,
    ScheduleError,
    TimeWindow,
    can_start_event_entry,
    ema_prompts,
    prompts_of_day,
    study_dates,
)

AMS = ZoneInfo("Europe/Amsterdam")
SPRING = (date(2026, 3, 29), date(2027, 3, 28), date(2028, 3, 26))
AUTUMN = (date(2026, 10, 25), date(2027, 10, 31), date(2028, 10, 29))
# Month ends and leap days: a study starting a few days before one of these crosses it.
EDGES = (*SPRING, *AUTUMN, date(2028, 2, 29), date(2026, 12, 31), date(2027, 2, 28))


def _start_dates() -> st.SearchStrategy[date]:
    return st.builds(
        lambda edge, back: edge - timedelta(days=back),
        st.sampled_from(EDGES),
        st.integers(min_value=0, max_value=10),
    )


@st.composite
def schedules(draw: st.DrawFn) -> EmaSchedule:
    """Schedules with 1-3 fixed times and 0-5 windows in the small hours too (so the
    DST gap and fold are hit), a gap and quiet hours; infeasible draws are skipped."""
    gap = timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90])))
    quiet_start = draw(st.sampled_from([time(21), time(22), time(23)]))
    quiet_end = draw(st.sampled_from([time(1, 30), time(7), time(8)]))
    quiet = QuietHours(quiet_start, quiet_end)
    hours = draw(
        st.lists(st.integers(min_value=1, max_value=22), min_size=1, max_size=8, unique=True)
    )
    hours.sort()
    fixed: list[time] = []
    windows: list[TimeWindow] = []
    for hour in hours:
        if draw(st.booleans()) and len(fixed) < 3:
            at = time(hour, draw(st.sampled_from([0, 15, 30, 45])))
            if not quiet.contains(at):
                fixed.append(at)
        else:
            window = TimeWindow(time(hour), time(hour, 59))
            if not quiet.overlaps(window):
                windows.append(window)
    response = gap if draw(st.booleans()) else timedelta(minutes=gap.seconds // 120)
    try:
        return EmaSchedule(
            start_date=draw(_start_dates()),
            days=draw(st.integers(min_value=1, max_value=21)),
            seed=draw(st.integers(min_value=0, max_value=2**32)),
            fixed_times=tuple(fixed),
            windows=tuple(windows),
            min_gap=gap,
            response_window=response,
            reminder_after=timedelta(minutes=max(1, response.seconds // 180)),
            quiet_hours=quiet,
        )
    except ScheduleError:
        from hypothesis import assume

        assume(False)
        raise


def _all(schedule: EmaSchedule) -> tuple:
    start = datetime.combine(schedule.start_date, time(0), AMS) - timedelta(days=1)
    end = datetime.combine(schedule.end_date, time(0), AMS) + timedelta(days=2)
    return ema_prompts(schedule, start.astimezone(UTC), end.astimezone(UTC))


@settings(max_examples=150, deadline=None)
@given(schedules())
def test_every_day_has_exactly_one_prompt_per_fixed_time_and_window(
    schedule: EmaSchedule,
) -> None:
    prompts = _all(schedule)
    per_day: dict[date, int] = {}
    for prompt in prompts:
        per_day[prompt.day] = per_day.get(prompt.day, 0) + 1
    assert per_day == dict.fromkeys(study_dates(schedule), schedule.prompts_per_day) or (
        schedule.prompts_per_day == 0 and not prompts
    )


@settings(max_examples=150, deadline=None)
@given(schedules())
def test_prompts_keep_the_minimum_gap_in_real_time_and_avoid_the_quiet_hours(
    schedule: EmaSchedule,
) -> None:
    prompts = _all(schedule)
    quiet = schedule.quiet_hours
    assert quiet is not None
    for earlier, later in itertools.pairwise(prompts):
        assert later.due_at - earlier.due_at >= schedule.min_gap
    for prompt in prompts:
        local = prompt.due_at.astimezone(AMS)
        assert not quiet.contains(local.time()), (prompt, local)
        assert local.date() == prompt.day
        if prompt.reminder_at is not None:
            assert not quiet.contains(prompt.reminder_at.astimezone(AMS).time())
            assert prompt.due_at < prompt.reminder_at < prompt.expires_at


@settings(max_examples=150, deadline=None)
@given(schedules())
def test_expiry_follows_the_prompt_and_windows_are_kept(schedule: EmaSchedule) -> None:
    for prompt in _all(schedule):
        assert prompt.expires_at - prompt.due_at == schedule.response_window
        local = prompt.due_at.astimezone(AMS).time()
        if prompt.kind == "random":
            shifted = (datetime.combine(prompt.day, local) - timedelta(hours=1)).time()
            assert any(
                window.contains(local)
                # On the spring day a window inside the gap starts an hour later.
                or (prompt.day in SPRING and window.contains(shifted))
                for window in schedule.windows
            ), (prompt, local)
        else:
            assert local in schedule.fixed_times or prompt.day in SPRING


@settings(max_examples=100, deadline=None)
@given(schedules())
def test_materializing_twice_gives_the_same_prompts(schedule: EmaSchedule) -> None:
    first = _all(schedule)
    again = EmaSchedule(**{f: getattr(schedule, f) for f in schedule.__dataclass_fields__})
    assert _all(again) == first
    # Day by day, and in two halves of the period, it is the same again.
    by_day = tuple(p for day in study_dates(schedule) for p in prompts_of_day(schedule, day))
    assert by_day == first
    if first:
        middle = first[len(first) // 2].due_at
        start = first[0].due_at
        end = first[-1].due_at + timedelta(seconds=1)
        assert ema_prompts(schedule, start, middle) + ema_prompts(schedule, middle, end) == first


def test_another_seed_moves_the_random_prompts_but_not_the_fixed_ones() -> None:
    base = {
        "start_date": date(2026, 3, 1),
        "days": 28,
        "fixed_times": (time(8, 30),),
        "windows": (TimeWindow(time(10), time(12)), TimeWindow(time(14), time(17))),
    }
    one, two = EmaSchedule(seed=1, **base), EmaSchedule(seed=2, **base)  # type: ignore[arg-type]
    a, b = _all(one), _all(two)
    assert [p.due_at for p in a if p.kind == "fixed"] == [p.due_at for p in b if p.kind == "fixed"]
    assert [p.due_at for p in a if p.kind == "random"] != [
        p.due_at for p in b if p.kind == "random"
    ]


def test_a_fixed_time_keeps_its_local_time_across_both_changes() -> None:
    schedule = EmaSchedule(start_date=date(2026, 3, 27), days=3, seed=0, fixed_times=(time(9, 0),))
    utc = [p.due_at for p in _all(schedule)]
    assert utc == [
        datetime(2026, 3, 27, 8, tzinfo=UTC),  # CET, UTC+1
        datetime(2026, 3, 28, 8, tzinfo=UTC),
        datetime(2026, 3, 29, 7, tzinfo=UTC),  # CEST, UTC+2
    ]
    autumn = EmaSchedule(start_date=date(2026, 10, 24), days=2, seed=0, fixed_times=(time(9),))
    assert [p.due_at.hour for p in _all(autumn)] == [7, 8]


def test_a_time_in_the_spring_gap_moves_forward_and_a_doubled_time_is_the_first() -> None:
    spring = EmaSchedule(start_date=date(2026, 3, 29), days=1, seed=0, fixed_times=(time(2, 30),))
    (prompt,) = _all(spring)
    assert prompt.due_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    autumn = EmaSchedule(start_date=date(2026, 10, 25), days=1, seed=0, fixed_times=(time(2, 30),))
    (prompt,) = _all(autumn)
    assert prompt.due_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # first 02:30 (CEST)


def test_the_minimum_gap_holds_in_real_time_on_the_spring_day() -> None:
    """01:30 and 03:10 local on 29 March 2026 are 40 real minutes apart: with a
    60-minute gap the schedule is refused, not quietly broken."""
    with pytest.raises(ScheduleError, match="2026-03-29"):
        EmaSchedule(
            start_date=date(2026, 3, 28),
            days=3,
            seed=0,
            fixed_times=(time(1, 30), time(3, 10)),
            min_gap=timedelta(minutes=60),
        )


def test_a_pause_skips_prompts_and_resuming_brings_them_back() -> None:
    pause = Pause(datetime(2026, 5, 3, 0, tzinfo=UTC), datetime(2026, 5, 5, 0, tzinfo=UTC))
    schedule = EmaSchedule(
        start_date=date(2026, 5, 1), days=7, seed=3, fixed_times=(time(12),), pauses=(pause,)
    )
    assert [p.day.day for p in _all(schedule)] == [1, 2, 5, 6, 7]
    open_ended = EmaSchedule(
        start_date=date(2026, 5, 1),
        days=7,
        seed=3,
        fixed_times=(time(12),),
        pauses=(Pause(datetime(2026, 5, 3, tzinfo=UTC)),),
    )
    assert [p.day.day for p in _all(open_ended)] == [1, 2]


def test_the_study_length_bounds_the_prompts() -> None:
    schedule = EmaSchedule(
        start_date=date(2028, 2, 15),
        days=14,
        seed=9,
        windows=(TimeWindow(time(9), time(11)), TimeWindow(time(13), time(15))),
        quiet_hours=QuietHours(time(22), time(8)),
    )
    prompts = _all(schedule)
    assert len(prompts) == 28
    assert prompts[0].day == date(2028, 2, 15) and prompts[-1].day == date(2028, 2, 28)
    assert date(2028, 2, 29) not in {p.day for p in prompts}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fixed_times": (time(23),)}, "quiet hours"),
        ({"windows": (TimeWindow(time(7), time(9)),)}, "overlaps the quiet hours"),
        ({"windows": (TimeWindow(time(10), time(10)),)}, "is empty"),
        ({"days": 0}, "1 to 366 days"),
        ({"response_window": timedelta(hours=2)}, "not be longer than the minimum gap"),
        ({"reminder_after": timedelta(minutes=30)}, "before it expires"),
        ({"fixed_times": (time(10), time(10, 30))}, "no room for the minimum gap"),
        ({"fixed_times": (), "windows": ()}, "no fixed times"),
        ({"zone": "Europe/Nowhere"}, "unknown time zone"),
        ({"reminder_after": timedelta(seconds=90)}, "whole minutes"),
    ],
)
def test_a_schedule_that_cannot_keep_its_promises_is_refused(
    changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "start_date": date(2026, 6, 1),
        "days": 14,
        "seed": 1,
        "fixed_times": (time(10),),
        "quiet_hours": QuietHours(time(22), time(8)),
    }
    values.update(changes)
    with pytest.raises(ScheduleError, match=message):
        EmaSchedule(**values)  # type: ignore[arg-type]


def test_own_entries_are_allowed_inside_the_study_up_to_the_daily_limit() -> None:
    schedule = EmaSchedule(
        start_date=date(2026, 6, 1),
        days=14,
        seed=1,
        event_contingent=True,
        max_events_per_day=2,
        pauses=(Pause(datetime(2026, 6, 10, tzinfo=UTC), datetime(2026, 6, 11, tzinfo=UTC)),),
    )
    noon = datetime(2026, 6, 3, 10, tzinfo=UTC)
    assert can_start_event_entry(schedule, noon, entries_today=1)
    assert not can_start_event_entry(schedule, noon, entries_today=2)
    assert not can_start_event_entry(schedule, datetime(2026, 6, 10, 12, tzinfo=UTC), 0)
    assert not can_start_event_entry(schedule, datetime(2026, 6, 20, 12, tzinfo=UTC), 0)
    fixed_only = EmaSchedule(start_date=date(2026, 6, 1), days=14, seed=1, fixed_times=(time(9),))
    assert not can_start_event_entry(fixed_only, noon, 0)


@settings(max_examples=50, deadline=None)
@given(schedules())
def test_a_schedule_round_trips_as_data(schedule: EmaSchedule) -> None:
    from maatwerk.core.monitoring.ema import ema_schedule_from_data, ema_schedule_to_data

    assert ema_schedule_from_data(ema_schedule_to_data(schedule)) == schedule


def test_bad_schedule_data_is_a_schedule_error() -> None:
    from maatwerk.core.monitoring.ema import ema_schedule_from_data

    with pytest.raises(ScheduleError, match="invalid schedule data"):
        ema_schedule_from_data({"days": 3})
    with pytest.raises(ScheduleError, match="invalid schedule data"):
        ema_schedule_from_data({"start_date": "2026-13-01", "days": 3, "seed": 1})
