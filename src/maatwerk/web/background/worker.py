"""Run the background worker for the configured task backend (``maatwerk worker``).

- ``database`` (django_tasks_db): the package's own worker loop, which claims each task
  row with ``SELECT … FOR UPDATE SKIP LOCKED`` (an exclusive transaction on SQLite), so
  several workers never run the same task.
- ``rq`` (django_tasks_rq): an RQ worker on the configured queues with the job class of
  django_tasks_rq. It runs tasks in its own process (``SimpleWorker``, no fork per task):
  the tick scheduler thread lives in this process, and forking a process with threads
  can deadlock.

Beside either, a :class:`~maatwerk.web.background.scheduler.TickScheduler` thread
enqueues the periodic tick every minute. ``batch`` runs what is queued (after one tick
of the scheduler, when there is one) and returns: for tests and for cron-style use.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.base import BaseTaskBackend

from maatwerk.web.background.scheduler import TickScheduler

logger = logging.getLogger(__name__)

DEFAULT_QUEUES = ("default",)


class WorkerError(Exception):
    """The worker cannot run with this configuration."""


def backend_kind(backend: BaseTaskBackend | None = None) -> str:
    """``database`` or ``rq``: which worker the configured backend needs."""
    backend = backend or task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    from django_tasks_db import DatabaseBackend

    if isinstance(backend, DatabaseBackend):
        return "database"
    from django_tasks_rq import RQBackend

    if isinstance(backend, RQBackend):
        return "rq"
    raise WorkerError(
        f"The task backend {type(backend).__name__} has no worker: tasks run when they are "
        "enqueued. Set MAATWERK_TASK_BACKEND to database or rq."
    )


def run_worker(
    *,
    scheduler: TickScheduler | None,
    batch: bool = False,
    queues: Sequence[str] = DEFAULT_QUEUES,
    worker_id: str | None = None,
    interval: float = 1.0,
    stop_with_parent: bool = False,
) -> None:
    """Run tasks until stopped (SIGINT/SIGTERM), or until the queue is empty in ``batch``."""
    kind = backend_kind()
    worker_id = worker_id or f"{os.uname().nodename[:20]}-{os.getpid()}-{get_random_string(8)}"
    stop = threading.Event()
    if scheduler is not None:
        if batch:
            scheduler.run_pending()
        else:
            scheduler.start_thread(stop)
    if stop_with_parent:
        _watch_parent(stop)
    logger.info(
        "Maatwerk worker %s running (%s backend, queues %s%s)",
        worker_id,
        kind,
        ",".join(queues),
        ", periodic tick every minute" if scheduler is not None and not batch else "",
    )
    try:
        with _signal_handlers_restored():
            if kind == "database":
                _run_database_worker(
                    batch=batch, queues=queues, worker_id=worker_id, interval=interval
                )
            else:
                _run_rq_worker(batch=batch, queues=queues, worker_id=worker_id)
    finally:
        stop.set()


def _run_database_worker(
    *, batch: bool, queues: Sequence[str], worker_id: str, interval: float
) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=list(queues),
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id[:64],
        excluded_queue_names=[],
    )
    if not batch:
        worker.configure_signals()
    worker.run()


def _run_rq_worker(*, batch: bool, queues: Sequence[str], worker_id: str) -> None:
    from django_rq.workers import get_worker
    from django_tasks.signals import task_started
    from rq.worker import SimpleWorker

    worker = get_worker(
        *queues,
        job_class="django_tasks_rq.Job",
        worker_class=SimpleWorker,  # type: ignore[arg-type]  # django-rq's hint is too narrow
        name=worker_id,
    )
    # A long-running process: drop database connections that broke or aged out before
    # each task, as Django does before each request (never inside a test's transaction,
    # hence only for a real worker).
    if not batch:
        task_started.connect(_fresh_connections, weak=False)
    try:
        worker.work(burst=batch, with_scheduler=not batch)
    finally:
        task_started.disconnect(_fresh_connections)


def _fresh_connections(**_: object) -> None:
    close_old_connections()


@contextmanager
def _signal_handlers_restored() -> Iterator[None]:
    """The worker loops install their own SIGINT/SIGTERM handlers; put the previous ones
    back afterwards (matters when the worker runs inside another program, e.g. tests)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _watch_parent(stop: threading.Event) -> None:
    """Stop this worker when the process that started it is gone (``maatwerk demo``
    killed without a chance to stop its children): no orphaned worker keeps running."""
    parent = os.getppid()

    def watch() -> None:
        while not stop.wait(2.0):
            if os.getppid() != parent:
                logger.warning("The parent process %s is gone; stopping the worker", parent)
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="maatwerk-parent-watch", daemon=True).start()
