"""The pick-up policy of this installation, read from the settings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings

from maatwerk.core.safety.deadline import PickUpPolicy, pick_up_deadline


def pick_up_policy() -> PickUpPolicy:
    return PickUpPolicy(
        timezone=settings.TIME_ZONE,
        working_days=frozenset(day - 1 for day in settings.MAATWERK_SAFETY_WORKING_DAYS),
        opens=time.fromisoformat(settings.MAATWERK_SAFETY_OPENS),
        closes=time.fromisoformat(settings.MAATWERK_SAFETY_CLOSES),
        pick_up_within=timedelta(minutes=settings.MAATWERK_SAFETY_PICK_UP_MINUTES),
        holidays=frozenset(date.fromisoformat(day) for day in settings.MAATWERK_SAFETY_HOLIDAYS),
    )


def deadline_for(raised_at: datetime) -> datetime:
    return pick_up_deadline(raised_at, pick_up_policy())
