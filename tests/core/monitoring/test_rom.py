"""ROM occasions: baseline, every N weeks from activation and revisions, end, follow-ups;
organization defaults per care level with per-patient adaptations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core.monitoring.rom import (
    RomAdaptation,
    RomCourse,
    RomRule,
    RomRuleError,
    add_months,
    rom_occasions,
    rom_rule_from_data,
    rom_rule_to_data,
    rom_rules,
)

PHQ = RomRule("phq9", every_weeks=4, follow_up_months=(3, 6))


def test_baseline_every_four_weeks_end_and_follow_ups() -> None:
    course = RomCourse(
        started_on=date(2026, 1, 5), anchors=(date(2026, 1, 12),), ended_on=date(2026, 4, 20)
    )
    occasions = rom_occasions([PHQ], course, until=date(2027, 1, 1))
    assert [(o.kind, o.number, o.due_on) for o in occasions] == [
        ("baseline", 1, date(2026, 1, 5)),
        ("interval", 1, date(2026, 2, 9)),
        ("interval", 2, date(2026, 3, 9)),
        ("interval", 3, date(2026, 4, 6)),
        ("end", 1, date(2026, 4, 20)),
        ("follow_up", 3, date(2026, 7, 20)),
        ("follow_up", 6, date(2026, 10, 20)),
    ]
    # 09:00 local in winter and in summer (DST), open for 7 days.
    assert occasions[0].due_at == datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert occasions[4].due_at == datetime(2026, 4, 20, 7, tzinfo=UTC)
    assert occasions[4].expires_at == datetime(2026, 4, 27, 7, tzinfo=UTC)
    assert len({o.key for o in occasions}) == len(occasions)


def test_a_revision_restarts_the_count_and_keeps_what_came_before() -> None:
    course = RomCourse(started_on=date(2026, 1, 5), anchors=(date(2026, 1, 5), date(2026, 2, 16)))
    occasions = rom_occasions([PHQ], course, until=date(2026, 4, 30))
    assert [o.due_on for o in occasions if o.kind == "interval"] == [
        date(2026, 2, 2),  # 4 weeks after activation
        date(2026, 3, 16),  # 4 weeks after the revision (2 March is no longer due)
        date(2026, 4, 13),
    ]
    assert [o.number for o in occasions if o.kind == "interval"] == [1, 2, 3]


def test_an_open_treatment_stops_at_until_and_has_no_end_or_follow_up() -> None:
    course = RomCourse(started_on=date(2026, 1, 5), anchors=(date(2026, 1, 5),))
    kinds = {o.kind for o in rom_occasions([PHQ], course, until=date(2026, 12, 31))}
    assert kinds == {"baseline", "interval"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    weeks=st.integers(min_value=1, max_value=12),
    length=st.integers(min_value=0, max_value=400),
    revision=st.one_of(st.none(), st.integers(min_value=1, max_value=300)),
)
def test_occasions_are_ordered_unique_inside_the_course_and_at_nine_local(
    start: date, weeks: int, length: int, revision: int | None
) -> None:
    end = start + timedelta(days=length)
    anchors = (start,)
    if revision is not None and start + timedelta(days=revision) <= end:
        anchors = (start, start + timedelta(days=revision))
    if len(set(anchors)) != len(anchors):
        anchors = (start,)
    course = RomCourse(started_on=start, anchors=anchors, ended_on=end)
    rule = RomRule("phq9", every_weeks=weeks, follow_up_months=(3, 6))
    occasions = rom_occasions([rule], course, until=end + timedelta(days=400))
    assert [o.due_at for o in occasions] == sorted(o.due_at for o in occasions)
    assert len({o.key for o in occasions}) == len(occasions)
    for occasion in occasions:
        local = occasion.due_at.astimezone(course_zone())
        assert local.time() == time(9) and local.date() == occasion.due_on
        assert occasion.expires_at > occasion.due_at
        if occasion.kind == "interval":
            assert start < occasion.due_on < end
    assert sum(o.kind == "follow_up" for o in occasions) == 2


def course_zone():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Amsterdam")


def test_defaults_per_care_level_with_the_patients_adaptations() -> None:
    defaults = {
        "basic": (RomRule("phq9", every_weeks=4), RomRule("gad7", every_weeks=4)),
        "intensive": (RomRule("phq9", every_weeks=2),),
    }
    assert [r.every_weeks for r in rom_rules(defaults, "intensive")] == [2]
    adapted = rom_rules(
        defaults,
        "basic",
        [
            RomAdaptation("gad7", removed=True),
            RomAdaptation("phq15", rule=RomRule("phq15", every_weeks=6)),
            RomAdaptation("phq9", rule=RomRule("phq9", every_weeks=2)),
        ],
    )
    assert [(r.instrument, r.every_weeks) for r in adapted] == [("phq15", 6), ("phq9", 2)]
    assert rom_rules(defaults, "unknown") == ()


def test_rules_round_trip_as_data_and_bad_data_is_refused() -> None:
    rule = RomRule("phq9", every_weeks=4, follow_up_months=(3, 6), due_time=time(18, 30))
    assert rom_rule_from_data(rom_rule_to_data(rule)) == rule
    with pytest.raises(RomRuleError):
        rom_rule_from_data({"instrument": "phq9", "every_weeks": 0})
    with pytest.raises(RomRuleError):
        rom_rule_from_data({"every_weeks": 4})
    with pytest.raises(RomRuleError):
        RomAdaptation("phq9")
    with pytest.raises(RomRuleError):
        RomCourse(started_on=date(2026, 2, 1), anchors=(date(2026, 1, 1),))


def test_a_reminder_days_after_due_at_the_same_local_time_across_dst() -> None:
    rule = RomRule("phq9", every_weeks=4, open_days=7, reminder_days=3)
    # Due Friday 27 March 2026 09:00 CET; the clocks go forward on Sunday 29 March.
    course = RomCourse(started_on=date(2026, 3, 27), anchors=(date(2026, 3, 27),))
    baseline = rom_occasions([rule], course, until=date(2026, 3, 28))[0]
    assert baseline.due_at == datetime(2026, 3, 27, 8, tzinfo=UTC)
    assert baseline.reminder_at == datetime(2026, 3, 30, 7, tzinfo=UTC)  # 09:00 CEST
    assert baseline.due_at < baseline.reminder_at < baseline.expires_at
    assert rom_occasions([PHQ], course, until=date(2026, 3, 28))[0].reminder_at is None
    assert rom_rule_from_data(rom_rule_to_data(rule)) == rule


@pytest.mark.parametrize("days", [0, 7, 8])
def test_a_reminder_must_fall_inside_the_open_days(days: int) -> None:
    with pytest.raises(RomRuleError, match="reminder_days"):
        RomRule("phq9", open_days=7, reminder_days=days)
