"""Local wall-clock times in a patient's time zone, turned into instants without surprises
at the daylight-saving changes.

A schedule speaks in local times ("09:30", "between 12:00 and 14:00"), a prompt is sent
at an instant. Two local times need a rule:

- a time that does not exist (02:30 on the last Sunday of March in Europe/Amsterdam) is
  moved forward by the gap: 02:30 becomes 03:30 local, the instant the clock would have
  shown 02:30 without the change (what ``zoneinfo`` does for ``fold=0``);
- a time that exists twice (02:30 on the last Sunday of October) is its first occurrence
  (``fold=0``).

Instants are kept in UTC; nothing here reads the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from maatwerk.core.common.errors import MaatwerkError

__all__ = [
    "DEFAULT_ZONE",
    "ZoneError",
    "local_date",
    "local_instant",
    "local_time",
    "zone",
]

# The platform's default zone; a patient's own zone replaces it where it is set.
DEFAULT_ZONE = "Europe/Amsterdam"


class ZoneError(MaatwerkError):
    """The name is not a time zone this system knows."""


@cache
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ZoneError(f"unknown time zone {name!r}") from error


def local_instant(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of the local wall-clock time ``at`` on ``day`` (see the module's
    rules for times that do not exist or exist twice)."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone(zone_name))
    return wall.astimezone(UTC)


def local_date(moment: datetime, zone_name: str) -> date:
    return _aware(moment).astimezone(zone(zone_name)).date()


def local_time(moment: datetime, zone_name: str) -> time:
    return _aware(moment).astimezone(zone(zone_name)).time().replace(fold=0)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an instant needs a time zone, not a naive datetime")
    return moment


def days(start: date, count: int) -> tuple[date, ...]:
    return tuple(start + timedelta(days=offset) for offset in range(count))
