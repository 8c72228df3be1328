"""The periodic tick: time-based background work, run once a minute.

``maatwerk worker`` enqueues :func:`tick` at the start of every minute (see
:mod:`maatwerk.web.background.scheduler`) with that minute as ``now_iso``. The tick calls
every job listed in the ``MAATWERK_PERIODIC_JOBS`` setting. Several workers may each
enqueue the same minute, and a queue may deliver a task twice: the tick still runs each
job at most once per minute.

The contract for a periodic job
-------------------------------
A job is a module-level function ``def job(now: datetime) -> int`` listed by dotted path
in ``MAATWERK_PERIODIC_JOBS``. ``now`` is the tick's minute (aware, UTC); the job returns
how many things it did (0 when nothing was due).

1. **Once per minute, in one transaction.** The tick claims the pair (job, minute) by
   inserting a :class:`~maatwerk.web.background.models.PeriodicJobRun` row and calls the
   job inside that same transaction: the job's database writes and the claim commit
   together. A second worker with the same minute waits for that commit and then skips
   the job. When the job raises, everything it wrote is rolled back and the failure is
   recorded on the run (it is tried again at the next minute).
2. **Catch up, do not count on every minute.** Minutes are missed when no worker runs
   (a deploy, a crash). A job acts on everything due *at or before* ``now`` that is not
   done yet (``due_at <= now`` and ``done_at is null``), never on "what is due in this
   exact minute", and marks what it did in the database so the next minute does not do
   it again. A job that should run less often decides from ``now`` itself
   (e.g. ``if now.minute != 0: return 0``).
3. **Only database work inside.** Anything that leaves the database (an e-mail, a push
   message) is a task of its own, enqueued with ids through
   ``transaction.on_commit(lambda: some_task.enqueue(...))``: it goes out only when the
   job's work has committed. That task makes its effect happen once with
   :func:`maatwerk.web.background.once.claim_once`.
4. **Rows, not objects; no clock of its own.** A job reads the time only from ``now``,
   so tests drive it with any time they like, and it passes ids to the tasks it enqueues.
5. **Short.** The claim holds a lock until the job commits; a job that has a lot to do
   handles a bounded batch (e.g. 500 rows) and leaves the rest for the next minute.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from maatwerk.web.background.models import PeriodicJobRun, PeriodicTick

logger = logging.getLogger(__name__)

PeriodicJob = Callable[[datetime], int]


def tick_slot(moment: datetime) -> datetime:
    """The minute ``moment`` falls in, in UTC (the identity of a tick)."""
    if moment.tzinfo is None:
        raise ValueError("the tick needs an aware time, not a naive one")
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def periodic_jobs() -> list[str]:
    return list(settings.MAATWERK_PERIODIC_JOBS)


def load_job(path: str) -> PeriodicJob:
    job = import_string(path)
    if not callable(job):
        raise TypeError(f"{path} is not a function")
    return job  # type: ignore[no-any-return]


@task()
def tick(now_iso: str) -> int:
    """Run every periodic job for the minute of ``now_iso`` that has not run for it yet.
    Returns how many things the jobs did together."""
    now = tick_slot(datetime.fromisoformat(now_iso))
    tick_row, _ = PeriodicTick.objects.get_or_create(slot=now)
    done = sum(_run_job(tick_row, path, now) for path in periodic_jobs())
    PeriodicTick.objects.filter(pk=tick_row.pk).update(finished_at=timezone.now())
    return done


def _run_job(tick_row: PeriodicTick, path: str, now: datetime) -> int:
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = PeriodicJobRun.objects.create(tick=tick_row, job=path)
            except IntegrityError:
                return 0  # another worker ran (or is running) this job for this minute
            done = load_job(path)(now)
            if not isinstance(done, int) or isinstance(done, bool) or done < 0:
                raise TypeError(f"{path} must return how many things it did, got {done!r}")
            run.done = done
            run.finished_at = timezone.now()
            run.save(update_fields=["done", "finished_at"])
    except Exception as error:
        logger.exception("Periodic job %s failed for %s", path, now.isoformat())
        _record_failure(tick_row, path, error)
        return 0
    if done:
        logger.info("Periodic job %s did %d thing(s) for %s", path, done, now.isoformat())
    return done


def _record_failure(tick_row: PeriodicTick, path: str, error: Exception) -> None:
    try:
        PeriodicJobRun.objects.get_or_create(
            tick=tick_row,
            job=path,
            defaults={"finished_at": timezone.now(), "error": type(error).__name__[:200]},
        )
    except Exception:
        logger.exception("Could not record the failure of periodic job %s", path)
