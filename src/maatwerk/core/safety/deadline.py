"""When a safety signal must have been picked up: counted in working time.

A signal raised at ``raised_at`` must be picked up once ``pick_up_within`` of working
time has passed, counted only inside the working hours of the working days (local
wall-clock time in ``timezone``, so a change to or from daylight saving time moves
nothing). Raised outside working hours, the count starts when the next working day
opens: with working days Monday–Friday 08:00–17:00 and two working hours, a signal
raised on Friday at 17:00 must be picked up on Monday at 10:00.

These numbers are an organizational choice, not a clinical rule: each practice sets
them to the hours it actually staffs (see ``MAATWERK_SAFETY_PICK_UP`` in the settings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["PickUpPolicy", "pick_up_deadline"]

_LONGEST_SEARCH_DAYS = 366  # a policy without any working day would loop for ever


@dataclass(frozen=True)
class PickUpPolicy:
    """Working time in which a care team picks up a safety signal."""

    timezone: str = "Europe/Amsterdam"
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    opens: time = time(8, 0)
    closes: time = time(17, 0)
    pick_up_within: timedelta = timedelta(hours=2)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("working_days must hold at least one weekday number 0-6")
        if self.opens >= self.closes:
            raise ValueError("the working day must open before it closes")
        if self.pick_up_within <= timedelta(0):
            raise ValueError("pick_up_within must be positive")
        ZoneInfo(self.timezone)  # raises for an unknown zone

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays


def pick_up_deadline(raised_at: datetime, policy: PickUpPolicy) -> datetime:
    """The moment (in the policy's time zone) by which the signal must be picked up."""
    if raised_at.tzinfo is None:
        raise ValueError("raised_at must be timezone-aware")
    zone = ZoneInfo(policy.timezone)
    local = raised_at.astimezone(zone)
    remaining = policy.pick_up_within
    day = local.date()
    for _ in range(_LONGEST_SEARCH_DAYS * 2):
        if policy.is_working_day(day):
            opens = datetime.combine(day, policy.opens, tzinfo=zone)
            closes = datetime.combine(day, policy.closes, tzinfo=zone)
            start = max(opens, local) if day == local.date() else opens
            if start < closes:
                # Wall-clock arithmetic: the hours on the clock, also on a DST day.
                available = _wall(closes) - _wall(start)
                if remaining <= available:
                    return datetime.combine(day, (_wall(start) + remaining).time(), tzinfo=zone)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("no working day found within two years")


def _wall(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)
