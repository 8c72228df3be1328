"""Experience-sampling (EMA) schedules: when a patient is asked to rate how things are.

An :class:`EmaSchedule` holds the rule values as data (all local times are wall-clock
times in the schedule's zone, Europe/Amsterdam unless the patient has their own):

- ``fixed_times`` - prompts at the same local times every day;
- ``windows`` - one prompt at a random moment inside each window (semi-random
  sampling), drawn from a generator seeded with ``(seed, local date)``: materializing
  the same day twice gives the same prompts;
- ``min_gap`` - the least real time between two prompts of one day, also across a
  daylight-saving change;
- ``response_window`` - how long a prompt can be answered before it expires; it is at
  most ``min_gap``, so two prompts are never open at once;
- ``reminder_after`` - one reminder this long after the prompt, unless it would fall in
  the quiet hours or the prompt is no longer open;
- ``quiet_hours`` - local times in which no prompt and no reminder is sent;
- ``pauses`` - periods (e.g. a holiday) in which no prompt falls due; a pause without
  an end is "paused until resumed";
- ``start_date`` and ``days`` - the study length, e.g. 14 or 28 days;
- ``event_contingent`` - whether the patient can start an entry themselves (a pain
  flare), at most ``max_events_per_day`` a day.

A schedule that cannot keep its own promises (a window inside the quiet hours, windows
too close together for the minimum gap on some day of the study) is refused when it is
made: :class:`ScheduleError` lists every problem.

How a day's moments are drawn: the day's fixed times and windows are put in order and
turned into real instants; a backward pass gives each one the latest moment that still
leaves room for the rest (``latest[i] = min(end[i], latest[i+1] - min_gap)``), then a
forward pass draws each window's moment between ``max(start[i], previous + min_gap)``
and ``latest[i]``. That interval is never empty when the day is feasible, so every day
gets exactly one prompt per fixed time and per window, in real time at least
``min_gap`` apart.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from maatwerk.core.common.errors import MaatwerkError
from maatwerk.core.monitoring.clock import (
    DEFAULT_ZONE,
    ZoneError,
    local_date,
    local_instant,
    local_time,
    zone,
)

__all__ = [
    "MAX_STUDY_DAYS",
    "EmaSchedule",
    "Pause",
    "PlannedPrompt",
    "QuietHours",
    "ScheduleError",
    "TimeWindow",
    "can_start_event_entry",
    "ema_prompts",
    "ema_schedule_from_data",
    "ema_schedule_to_data",
    "prompts_of_day",
    "study_dates",
]

# A study longer than a year is not experience sampling; the bound keeps validation
# (which checks every day) cheap. An operational limit, not a clinical value.
MAX_STUDY_DAYS = 366

PromptKind = Literal["fixed", "random"]


class ScheduleError(MaatwerkError):
    """The schedule cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Local wall-clock times within one day, ``start`` before ``end``."""

    start: time
    end: time

    def contains(self, at: time) -> bool:
        return self.start <= at <= self.end


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local times without prompts, from ``start`` up to ``end``; may run past midnight
    (22:00-08:00)."""

    start: time
    end: time

    def contains(self, at: time) -> bool:
        at = at.replace(tzinfo=None, fold=0)
        if self.start <= self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def overlaps(self, window: TimeWindow) -> bool:
        """True when some time of ``window`` (ends included) is quiet."""
        if self.contains(window.start) or self.contains(window.end):
            return True
        # A quiet stretch wholly inside the window.
        return window.start < self.start < window.end


@dataclass(frozen=True, slots=True)
class Pause:
    """No prompt falls due from ``start`` up to ``end`` (``None``: until resumed)."""

    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise ScheduleError(("a pause needs aware times",))
        if self.end is not None and self.end <= self.start:
            raise ScheduleError(("a pause must end after it starts",))

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True, slots=True)
class PlannedPrompt:
    """One prompt of a schedule: when it falls due, when its reminder goes (if any) and
    when it expires. ``slot`` numbers the prompts of one local day from 0."""

    day: date
    slot: int
    kind: PromptKind
    due_at: datetime
    expires_at: datetime
    reminder_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Anchor:
    kind: PromptKind
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class EmaSchedule:
    start_date: date
    days: int
    seed: int
    fixed_times: tuple[time, ...] = ()
    windows: tuple[TimeWindow, ...] = ()
    min_gap: timedelta = timedelta(minutes=60)
    response_window: timedelta = timedelta(minutes=30)
    reminder_after: timedelta | None = timedelta(minutes=10)
    quiet_hours: QuietHours | None = None
    pauses: tuple[Pause, ...] = ()
    zone: str = DEFAULT_ZONE
    event_contingent: bool = False
    max_events_per_day: int | None = None

    def __post_init__(self) -> None:
        problems = schedule_problems(self)
        if problems:
            raise ScheduleError(problems)

    @property
    def end_date(self) -> date:
        """The last local day of the study."""
        return self.start_date + timedelta(days=self.days - 1)

    @property
    def prompts_per_day(self) -> int:
        return len(self.fixed_times) + len(self.windows)

    def paused_at(self, moment: datetime) -> bool:
        return any(pause.covers(moment) for pause in self.pauses)


def schedule_problems(schedule: EmaSchedule) -> tuple[str, ...]:
    """Every reason the schedule cannot be used (empty: it can)."""
    problems: list[str] = []
    try:
        zone(schedule.zone)
    except ZoneError as error:
        return (str(error),)
    if not 1 <= schedule.days <= MAX_STUDY_DAYS:
        problems.append(f"the study lasts 1 to {MAX_STUDY_DAYS} days, not {schedule.days}")
    if schedule.prompts_per_day == 0 and not schedule.event_contingent:
        problems.append("the schedule has no fixed times, no windows and no own entries")
    spans = (schedule.min_gap, schedule.response_window, schedule.reminder_after)
    if any(span is not None and span % timedelta(minutes=1) for span in spans):
        problems.append("the gap, the response window and the reminder are whole minutes")
    if schedule.min_gap <= timedelta(0):
        problems.append("the minimum gap between prompts must be positive")
    if schedule.response_window <= timedelta(0):
        problems.append("the response window must be positive")
    if schedule.response_window > schedule.min_gap:
        problems.append("the response window must not be longer than the minimum gap")
    if schedule.reminder_after is not None and not (
        timedelta(0) < schedule.reminder_after < schedule.response_window
    ):
        problems.append("the reminder must come after the prompt and before it expires")
    if schedule.max_events_per_day is not None and schedule.max_events_per_day < 1:
        problems.append("the most own entries per day must be at least 1")
    if len(set(schedule.fixed_times)) != len(schedule.fixed_times):
        problems.append("a fixed time is listed twice")
    problems.extend(
        f"the window {_hm(window.start)}-{_hm(window.end)} is empty"
        for window in schedule.windows
        if not window.start < window.end
    )
    quiet = schedule.quiet_hours
    if quiet is not None:
        problems.extend(
            f"the fixed time {_hm(at)} is in the quiet hours"
            for at in schedule.fixed_times
            if quiet.contains(at)
        )
        problems.extend(
            f"the window {_hm(window.start)}-{_hm(window.end)} overlaps the quiet hours"
            for window in schedule.windows
            if quiet.overlaps(window)
        )
    if problems:
        return tuple(problems)
    for day in study_dates(schedule):
        if _latest_moments(_anchors(schedule, day), schedule.min_gap) is None:
            problems.append(
                f"on {day.isoformat()} the fixed times and windows leave no room for the "
                "minimum gap"
            )
            break
    return tuple(problems)


def study_dates(schedule: EmaSchedule) -> Iterator[date]:
    for offset in range(schedule.days):
        yield schedule.start_date + timedelta(days=offset)


def _hm(at: time) -> str:
    return at.strftime("%H:%M")


def _anchors(schedule: EmaSchedule, day: date) -> list[_Anchor]:
    anchors = [
        _Anchor("fixed", instant, instant)
        for instant in (local_instant(day, at, schedule.zone) for at in schedule.fixed_times)
    ]
    anchors += [
        _Anchor(
            "random",
            local_instant(day, window.start, schedule.zone),
            local_instant(day, window.end, schedule.zone),
        )
        for window in schedule.windows
    ]
    return sorted(anchors, key=lambda anchor: (anchor.start, anchor.end))


def _latest_moments(anchors: list[_Anchor], gap: timedelta) -> list[datetime] | None:
    """Backward pass: the latest moment of each anchor that leaves room for the later
    ones; None when some anchor cannot be placed at all (also checks the forward pass)."""
    latest: list[datetime] = [anchor.end for anchor in anchors]
    for index in range(len(anchors) - 2, -1, -1):
        latest[index] = min(latest[index], latest[index + 1] - gap)
    earliest: datetime | None = None
    for anchor, last in zip(anchors, latest, strict=True):
        first = anchor.start if earliest is None else max(anchor.start, earliest + gap)
        if first > last:
            return None
        earliest = first
    return latest


def prompts_of_day(schedule: EmaSchedule, day: date) -> tuple[PlannedPrompt, ...]:
    """The prompts of one local day of the study (none outside it; pauses applied).
    The same schedule and day always give the same prompts."""
    if not schedule.start_date <= day <= schedule.end_date:
        return ()
    anchors = _anchors(schedule, day)
    latest = _latest_moments(anchors, schedule.min_gap)
    if latest is None:  # pragma: no cover - refused when the schedule was made
        raise ScheduleError((f"no room for the minimum gap on {day.isoformat()}",))
    # Not for secrets: a reproducible draw, the same for the same seed and day.
    generator = random.Random(f"maatwerk-ema:{schedule.seed}:{day.isoformat()}")  # noqa: S311
    prompts: list[PlannedPrompt] = []
    previous: datetime | None = None
    for slot, (anchor, last) in enumerate(zip(anchors, latest, strict=True)):
        first = anchor.start if previous is None else max(anchor.start, previous + schedule.min_gap)
        if anchor.kind == "fixed":
            due = anchor.start
        else:
            minutes = int((last - first).total_seconds()) // 60  # whole minutes
            due = first + timedelta(minutes=generator.randint(0, minutes))
        previous = due
        if schedule.paused_at(due):
            continue
        prompts.append(_planned(schedule, day, slot, anchor.kind, due))
    return tuple(prompts)


def _planned(
    schedule: EmaSchedule, day: date, slot: int, kind: PromptKind, due: datetime
) -> PlannedPrompt:
    reminder: datetime | None = None
    if schedule.reminder_after is not None:
        reminder = due + schedule.reminder_after
        quiet = schedule.quiet_hours
        if quiet is not None and quiet.contains(local_time(reminder, schedule.zone)):
            reminder = None
    return PlannedPrompt(
        day=day,
        slot=slot,
        kind=kind,
        due_at=due.astimezone(UTC),
        expires_at=(due + schedule.response_window).astimezone(UTC),
        reminder_at=reminder.astimezone(UTC) if reminder is not None else None,
    )


def ema_prompts(schedule: EmaSchedule, start: datetime, end: datetime) -> tuple[PlannedPrompt, ...]:
    """Every prompt that falls due at or after ``start`` and before ``end`` (aware
    instants), in order."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("the period needs aware times")
    if end <= start:
        return ()
    first = max(local_date(start, schedule.zone) - timedelta(days=1), schedule.start_date)
    last = min(local_date(end, schedule.zone) + timedelta(days=1), schedule.end_date)
    found: list[PlannedPrompt] = []
    day = first
    while day <= last:
        found.extend(p for p in prompts_of_day(schedule, day) if start <= p.due_at < end)
        day += timedelta(days=1)
    return tuple(sorted(found, key=lambda prompt: prompt.due_at))


def can_start_event_entry(schedule: EmaSchedule, at: datetime, entries_today: int) -> bool:
    """Whether the patient may start an entry of their own now (a pain flare): the
    schedule allows it, ``at`` is inside the study and not paused, and today's limit is
    not reached. Quiet hours do not apply: the patient chose the moment."""
    if not schedule.event_contingent or schedule.paused_at(at):
        return False
    if not schedule.start_date <= local_date(at, schedule.zone) <= schedule.end_date:
        return False
    return schedule.max_events_per_day is None or entries_today < schedule.max_events_per_day


# ------------------------------------------------------------------ as data


def ema_schedule_to_data(schedule: EmaSchedule) -> dict[str, Any]:
    """The schedule's rule values as JSON-able data (how the web layer stores them)."""
    return {
        "start_date": schedule.start_date.isoformat(),
        "days": schedule.days,
        "seed": schedule.seed,
        "fixed_times": [_hm(at) for at in schedule.fixed_times],
        "windows": [[_hm(w.start), _hm(w.end)] for w in schedule.windows],
        "min_gap_minutes": _minutes(schedule.min_gap),
        "response_window_minutes": _minutes(schedule.response_window),
        "reminder_after_minutes": (
            None if schedule.reminder_after is None else _minutes(schedule.reminder_after)
        ),
        "quiet_hours": (
            None
            if schedule.quiet_hours is None
            else [_hm(schedule.quiet_hours.start), _hm(schedule.quiet_hours.end)]
        ),
        "pauses": [
            [p.start.isoformat(), None if p.end is None else p.end.isoformat()]
            for p in schedule.pauses
        ],
        "zone": schedule.zone,
        "event_contingent": schedule.event_contingent,
        "max_events_per_day": schedule.max_events_per_day,
    }


def ema_schedule_from_data(data: Mapping[str, Any]) -> EmaSchedule:
    """The inverse of :func:`ema_schedule_to_data`; raises :class:`ScheduleError`."""
    try:
        reminder = data.get("reminder_after_minutes", 10)
        quiet = data.get("quiet_hours")
        return EmaSchedule(
            start_date=date.fromisoformat(data["start_date"]),
            days=int(data["days"]),
            seed=int(data["seed"]),
            fixed_times=tuple(time.fromisoformat(t) for t in data.get("fixed_times", ())),
            windows=tuple(
                TimeWindow(time.fromisoformat(a), time.fromisoformat(b))
                for a, b in data.get("windows", ())
            ),
            min_gap=timedelta(minutes=int(data.get("min_gap_minutes", 60))),
            response_window=timedelta(minutes=int(data.get("response_window_minutes", 30))),
            reminder_after=None if reminder is None else timedelta(minutes=int(reminder)),
            quiet_hours=(
                None
                if quiet is None
                else QuietHours(time.fromisoformat(quiet[0]), time.fromisoformat(quiet[1]))
            ),
            pauses=tuple(
                Pause(
                    datetime.fromisoformat(start),
                    None if end is None else datetime.fromisoformat(end),
                )
                for start, end in data.get("pauses", ())
            ),
            zone=str(data.get("zone", DEFAULT_ZONE)),
            event_contingent=bool(data.get("event_contingent", False)),
            max_events_per_day=(
                None if data.get("max_events_per_day") is None else int(data["max_events_per_day"])
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ScheduleError((f"invalid schedule data: {error}",)) from error


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds()) // 60
