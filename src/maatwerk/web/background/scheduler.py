"""Enqueue the periodic tick once a minute, from inside ``maatwerk worker``.

Every worker process runs one scheduler thread. With several workers the same minute is
enqueued several times; the tick itself makes sure each job runs once per minute (see
:mod:`maatwerk.web.background.periodic`), so no single "scheduler" process is needed
and losing a worker never stops the clock.

The clock is injectable: tests pass a function that returns the time they want.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import connections
from django.utils import timezone

from maatwerk.web.background.periodic import tick, tick_slot

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# How long the thread sleeps at most between looks at the clock: short enough to notice
# a stop quickly and to follow a clock that jumps, long enough to cost nothing.
MAX_SLEEP_SECONDS = 5.0


class TickScheduler:
    def __init__(self, *, clock: Clock = timezone.now) -> None:
        self.clock = clock
        self.last_slot: datetime | None = None

    def run_pending(self) -> datetime | None:
        """Enqueue the tick of the current minute unless this scheduler already did;
        returns the minute enqueued, or None."""
        slot = tick_slot(self.clock())
        if self.last_slot is not None and slot <= self.last_slot:
            return None
        tick.enqueue(slot.isoformat())
        self.last_slot = slot
        return slot

    def seconds_to_next_minute(self) -> float:
        now = self.clock()
        next_minute = tick_slot(now) + timedelta(minutes=1)
        return max(0.0, (next_minute - now).total_seconds())

    def run_until(self, stop: threading.Event) -> None:
        """The thread's loop: enqueue each minute's tick until ``stop`` is set. A failure
        to enqueue (database or Redis briefly away) is logged and tried again."""
        while not stop.is_set():
            try:
                slot = self.run_pending()
                if slot is not None:
                    logger.debug("Enqueued the periodic tick for %s", slot.isoformat())
            except Exception:
                logger.exception("Could not enqueue the periodic tick; trying again")
            finally:
                # This thread's own database connection: never keep it open between
                # minutes (it would go stale, and SQLite prefers few connections).
                connections.close_all()
            stop.wait(min(MAX_SLEEP_SECONDS, self.seconds_to_next_minute() + 0.01))

    def start_thread(self, stop: threading.Event) -> threading.Thread:
        """Run :meth:`run_until` in a daemon thread until ``stop`` is set."""
        thread = threading.Thread(
            target=self.run_until, args=(stop,), name="maatwerk-tick-scheduler", daemon=True
        )
        thread.start()
        return thread
