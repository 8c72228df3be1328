"""Periodic jobs of the background machinery itself (see ``MAATWERK_PERIODIC_JOBS``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django_tasks_db.models import DBTaskResult

from maatwerk.web.background.models import DoneOnce, PeriodicTick

# How long the bookkeeping of finished work is kept: long enough to look into a problem
# reported days later, short enough that the tables stay small (one tick a minute is
# 10,080 rows a week). Operational choices, not clinical values.
FINISHED_TASKS_KEPT = timedelta(days=7)
FAILED_TASKS_KEPT = timedelta(days=30)
TICKS_KEPT = timedelta(days=7)
# A claim must outlive every copy of its task that could still arrive; queues redeliver
# within minutes, so a month is far on the safe side.
CLAIMS_KEPT = timedelta(days=30)


def task_results_prune(now: datetime) -> int:
    """Once an hour (at minute 0), delete old finished task results, ticks and claims.
    Returns how many rows were deleted."""
    if now.minute != 0:
        return 0
    deleted = 0
    deleted += (
        DBTaskResult.objects.successful()
        .filter(finished_at__lt=now - FINISHED_TASKS_KEPT)
        .delete()[0]
    )
    deleted += (
        DBTaskResult.objects.failed().filter(finished_at__lt=now - FAILED_TASKS_KEPT).delete()[0]
    )
    deleted += PeriodicTick.objects.filter(slot__lt=now - TICKS_KEPT).delete()[0]
    deleted += DoneOnce.objects.filter(claimed_at__lt=now - CLAIMS_KEPT).delete()[0]
    return deleted
