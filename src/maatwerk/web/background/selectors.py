"""What the background worker has been doing, for ``maatwerk worker-status`` and checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from maatwerk.web.background.models import PeriodicJobRun, PeriodicTick


@dataclass(frozen=True)
class WorkerStatus:
    last_tick: datetime | None  # the latest minute whose tick finished
    failed_runs_last_day: int


def worker_status(now: datetime) -> WorkerStatus:
    last = PeriodicTick.objects.filter(finished_at__isnull=False).order_by("-slot").first()
    failed = (
        PeriodicJobRun.objects.filter(tick__slot__gte=now - timedelta(days=1))
        .exclude(error="")
        .count()
    )
    return WorkerStatus(last_tick=last.slot if last else None, failed_runs_last_day=failed)
