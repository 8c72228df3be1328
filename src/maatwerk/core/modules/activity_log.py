"""Reading the patient's activity log rows (graded activity) into minutes per day.

The rows are the answers of a repeating group with a ``date`` and ``minutes`` field, as
the patient typed them; the graded-activity rules
(``maatwerk.core.planning.graded_activity``) work on whole days.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from maatwerk.core.modules.answers import as_number


def minutes_per_day(rows: object, *, today: date) -> dict[date, int]:
    """Minutes per calendar day (several activities on one day add up). Rows that are
    incomplete, not a whole number of minutes, negative or in the future are left out:
    a quota is compared with what was done, never with what is planned."""
    per_day: dict[date, int] = {}
    if not isinstance(rows, list):
        return per_day
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        minutes = as_number(row.get("minutes"))
        try:
            day = date.fromisoformat(str(row.get("date", "")).strip())
        except ValueError:
            continue
        if minutes is None or minutes < 0 or minutes != minutes.to_integral_value() or day > today:
            continue
        per_day[day] = per_day.get(day, 0) + int(minutes)
    return per_day


def schedule_weeks(start: date, today: date) -> int:
    """How many weeks of quotas to compute from ``start`` so that today and tomorrow are
    in the schedule (at least one week)."""
    return max(1, math.ceil(((today - start).days + 2) / 7))
