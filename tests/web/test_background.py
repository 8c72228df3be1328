"""Background work through the real worker: the periodic tick runs each job once per
minute however often it is enqueued and however many workers process it, and the
notification e-mails go out from tasks that receive ids, once per event.

These tests switch from the test settings' immediate backend to the database backend
(and, once, RQ against the local Redis) and run the same worker loop as
``maatwerk worker``, in this process, with an injected clock. They commit for real
(``transaction=True``): a worker sees only what was committed.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maatwerk.web.background.jobs import task_results_prune
from maatwerk.web.background.models import DoneOnce, PeriodicJobRun, PeriodicTick
from maatwerk.web.background.once import claim_once
from maatwerk.web.background.periodic import tick
from maatwerk.web.background.scheduler import TickScheduler
from maatwerk.web.background.selectors import worker_status
from maatwerk.web.background.worker import run_worker
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.treatment import services
from maatwerk.web.treatment.models import NotificationSent
from maatwerk.web.treatment.notifications import notification_email_send
from tests.web.world import World

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
COUNTING_JOB = "tests.web.test_background.counting_job"
FAILING_JOB = "tests.web.test_background.failing_job"
# Friday 6 March 2026, 16:59:30 UTC (17:59:30 in Amsterdam): any fixed moment will do.
FRIDAY = datetime(2026, 3, 6, 16, 59, 30, tzinfo=UTC)


def _audit_triggers(*, present: bool) -> None:
    """Create or drop the append-only triggers of the audit table (audit migration 0002)."""
    triggers = importlib.import_module("maatwerk.web.audit.migrations.0002_append_only_triggers")
    vendor = "SQLITE" if connection.vendor == "sqlite" else "POSTGRES"
    with connection.cursor() as cursor:
        for statement in getattr(triggers, f"{vendor}_BACKWARD"):
            cursor.execute(statement)
        if present:
            for statement in getattr(triggers, f"{vendor}_FORWARD"):
                cursor.execute(statement)


@pytest.fixture(scope="module", autouse=True)
def _audit_triggers_restored(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Put the audit triggers back when this module is done (see ``committed``)."""
    yield
    with django_db_blocker.unblock():
        _audit_triggers(present=True)


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """A worker sees only committed rows, so these tests commit for real and the test
    database is emptied afterwards by deleting every row. The audit table is append-only
    by database triggers, which would refuse that clean-up: they are in force during the
    test and lifted just before the clean-up."""
    _audit_triggers(present=True)
    yield
    _audit_triggers(present=False)


def counting_job(now: datetime) -> int:
    """A periodic job whose every run leaves a row, so the test counts real runs (also
    runs made by another worker) in the database."""
    DoneOnce.objects.create(key=f"counting-job:{now.isoformat()}:{uuid.uuid4()}")
    return 1


def failing_job(now: datetime) -> int:
    DoneOnce.objects.create(key=f"failing-job:{now.isoformat()}")  # rolled back with it
    raise RuntimeError("this job always fails")


def _job_runs(minute: datetime) -> int:
    return DoneOnce.objects.filter(key__startswith=f"counting-job:{minute.isoformat()}").count()


class Clock:
    """The injected clock: the time the test says it is."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _tick_results() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="maatwerk.web.background.periodic.tick").order_by(
            "enqueued_at"
        )
    )


# --- the scheduler --------------------------------------------------------------------


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_the_scheduler_enqueues_one_tick_per_minute_of_its_clock() -> None:
    clock = Clock(FRIDAY)
    scheduler = TickScheduler(clock=clock)
    assert scheduler.run_pending() == datetime(2026, 3, 6, 16, 59, tzinfo=UTC)
    assert scheduler.seconds_to_next_minute() == 30
    clock.now += timedelta(seconds=29)
    assert scheduler.run_pending() is None  # still the same minute
    clock.now += timedelta(seconds=1)
    assert scheduler.run_pending() == datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    clock.now -= timedelta(minutes=5)  # a clock set back never enqueues an old minute again
    assert scheduler.run_pending() is None
    assert [r.args_kwargs["args"] for r in _tick_results()] == [
        ["2026-03-06T16:59:00+00:00"],
        ["2026-03-06T17:00:00+00:00"],
    ]


# --- the tick through the database worker ---------------------------------------------


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS, MAATWERK_PERIODIC_JOBS=[COUNTING_JOB])
def test_two_workers_run_a_periodic_job_once_per_minute_with_the_database_backend() -> None:
    clock = Clock(FRIDAY)
    minute = datetime(2026, 3, 6, 16, 59, tzinfo=UTC)
    # Two worker processes, each with its own scheduler, both enqueue this minute's tick;
    # a retry enqueues it a third time.
    TickScheduler(clock=clock).run_pending()
    TickScheduler(clock=clock).run_pending()
    tick.enqueue(FRIDAY.isoformat())
    run_worker(scheduler=None, batch=True, worker_id="worker-a", interval=0)
    # The second worker starts later and enqueues the same minute once more itself.
    run_worker(scheduler=TickScheduler(clock=clock), batch=True, worker_id="worker-b", interval=0)

    results = _tick_results()
    assert len(results) == 4
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert {worker for r in results for worker in r.worker_ids} == {"worker-a", "worker-b"}
    assert sorted(r.return_value for r in results) == [0, 0, 0, 1]  # one tick did the job
    assert _job_runs(minute) == 1
    run = PeriodicJobRun.objects.get()
    assert (run.job, run.tick.slot, run.done, run.error) == (COUNTING_JOB, minute, 1, "")

    # The next minute is a new tick: the job runs again, once.
    clock.now += timedelta(minutes=1)
    run_worker(scheduler=TickScheduler(clock=clock), batch=True, worker_id="worker-a", interval=0)
    run_worker(scheduler=TickScheduler(clock=clock), batch=True, worker_id="worker-b", interval=0)
    assert _job_runs(minute + timedelta(minutes=1)) == 1
    assert PeriodicJobRun.objects.count() == 2
    assert worker_status(clock.now).last_tick == minute + timedelta(minutes=1)


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS, MAATWERK_PERIODIC_JOBS=[FAILING_JOB, COUNTING_JOB])
def test_a_failing_job_is_rolled_back_and_recorded_and_the_others_still_run() -> None:
    run_worker(scheduler=TickScheduler(clock=Clock(FRIDAY)), batch=True, interval=0)
    minute = datetime(2026, 3, 6, 16, 59, tzinfo=UTC)
    failed = PeriodicJobRun.objects.get(job=FAILING_JOB)
    assert (failed.error, failed.done) == ("RuntimeError", None)
    assert not DoneOnce.objects.filter(key__startswith="failing-job:").exists()
    assert _job_runs(minute) == 1
    assert worker_status(FRIDAY).failed_runs_last_day == 1
    # The failure claimed this minute: a second tick for it does not try again...
    tick.enqueue(FRIDAY.isoformat())
    run_worker(scheduler=None, batch=True, interval=0)
    assert PeriodicJobRun.objects.filter(job=FAILING_JOB).count() == 1
    # ...the next minute does.
    run_worker(scheduler=TickScheduler(clock=Clock(FRIDAY + timedelta(minutes=1))), batch=True)
    assert PeriodicJobRun.objects.filter(job=FAILING_JOB).count() == 2


def slow_counting_job(now: datetime) -> int:
    """Like ``counting_job``, but takes long enough that two workers overlap in it."""
    time.sleep(0.5)
    return counting_job(now)


@pytest.mark.postgres_only
@pytest.mark.usefixtures("committed")
@override_settings(
    TASKS=DATABASE_TASKS, MAATWERK_PERIODIC_JOBS=["tests.web.test_background.slow_counting_job"]
)
def test_two_workers_at_the_same_time_run_a_periodic_job_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two workers at the same time need PostgreSQL (SQLite has one writer)")
    tick.enqueue(FRIDAY.isoformat())
    tick.enqueue(FRIDAY.isoformat())
    failures: list[BaseException] = []

    def work(name: str) -> None:
        try:
            run_worker(scheduler=None, batch=True, worker_id=name, interval=0)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(name,)) for name in ("w-1", "w-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    results = _tick_results()
    # Each worker took one of the two ticks (SKIP LOCKED), at the same time...
    assert sorted(worker for r in results for worker in r.worker_ids) == ["w-1", "w-2"]
    assert sorted(r.return_value for r in results) == [0, 1]
    # ...and the job ran once: the second worker waited for the first one's claim.
    assert _job_runs(datetime(2026, 3, 6, 16, 59, tzinfo=UTC)) == 1


@pytest.mark.django_db
def test_the_tick_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="aware"):
        tick.call("2026-03-06T16:59:00")


# --- the tick through an RQ worker against the local Redis -----------------------------


def _redis_url_or_skip() -> str:
    url = os.environ.get("MAATWERK_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        message = (
            f"REDIS NOT REACHABLE at {url} ({error}): the RQ backend test did not run. "
            "Start Redis or set MAATWERK_TEST_REDIS_URL."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.mark.usefixtures("committed")
def test_two_rq_workers_run_a_periodic_job_once_per_minute() -> None:
    url = _redis_url_or_skip()
    rq_tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(
        TASKS=rq_tasks,
        RQ_QUEUES={"default": {"URL": url}},
        MAATWERK_PERIODIC_JOBS=[COUNTING_JOB],
    ):
        import django_rq

        queue = django_rq.get_queue("default")
        queue.empty()
        clock = Clock(FRIDAY)
        # Two enqueues of the same minute (two workers' schedulers), then two workers.
        first = tick.enqueue(FRIDAY.isoformat())
        second = tick.enqueue((FRIDAY + timedelta(seconds=20)).isoformat())
        assert queue.count == 2
        run_worker(scheduler=None, batch=True, worker_id=f"rq-a-{uuid.uuid4().hex[:8]}")
        # The second worker enqueues the same minute once more with its own scheduler.
        run_worker(
            scheduler=TickScheduler(clock=clock),
            batch=True,
            worker_id=f"rq-b-{uuid.uuid4().hex[:8]}",
        )
        assert queue.count == 0
        results = [tick.get_result(first.id), tick.get_result(second.id)]
        assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 2
        assert [r.return_value for r in results] == [1, 0]
    assert _job_runs(datetime(2026, 3, 6, 16, 59, tzinfo=UTC)) == 1
    assert PeriodicJobRun.objects.get().done == 1


# --- e-mail notifications through the worker ------------------------------------------


def _patient_sends(world: World, text: str) -> None:
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    access = open_patient(actor=patient, patient_id=str(world.patient_a.public_id), action="create")
    services.message_send(actor=patient, access=access, text=text)


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_a_message_notification_is_sent_by_the_worker_once(world: World) -> None:
    _patient_sends(world, "Mijn buikpijn is erger.")
    # Committed and enqueued with ids only; nothing is sent before a worker runs it.
    (queued,) = DBTaskResult.objects.filter(
        task_path="maatwerk.web.treatment.notifications.notification_email_send"
    )
    user = world.users["clinician_treating"]
    sent = NotificationSent.objects.get(user=user)
    assert queued.args_kwargs["args"] == [
        user.pk,
        "message",
        sent.last_sent_at.isoformat(),
        "/accounts/login/",
    ]
    assert mail.outbox == []

    run_worker(scheduler=None, batch=True, interval=0)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "buikpijn" not in message.body and world.patient_a.full_name not in message.body

    # The same task again (a redelivery, a second worker): no second e-mail.
    notification_email_send.enqueue(*queued.args_kwargs["args"])
    run_worker(scheduler=None, batch=True, interval=0)
    assert len(mail.outbox) == 1
    claim = DoneOnce.objects.get(key__startswith=f"notification:{user.pk}:message:")
    assert claim.outcome == "sent" and claim.finished_at is not None


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_send_is_recorded_and_never_repeated(world: World) -> None:
    _patient_sends(world, "Hallo")
    with override_settings(EMAIL_BACKEND="tests.web.test_background.BrokenEmailBackend"):
        run_worker(scheduler=None, batch=True, interval=0)
    (result,) = DBTaskResult.objects.filter(task_path__endswith="notification_email_send")
    assert result.status == TaskResultStatus.FAILED
    claim = DoneOnce.objects.get(key__startswith="notification:")
    assert claim.outcome == "failed: ConnectionRefusedError"
    assert mail.outbox == []


class BrokenEmailBackend:
    """An e-mail backend whose server refuses the connection, as a down SMTP relay does."""

    def __init__(self, **_: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("the mail server refused the connection")


# --- claims and housekeeping ----------------------------------------------------------


@pytest.mark.django_db
def test_a_claim_is_granted_once() -> None:
    assert claim_once("reminder:prompt-1") is True
    assert claim_once("reminder:prompt-1") is False
    assert claim_once("reminder:prompt-2") is True
    with pytest.raises(ValueError, match="1 to 200"):
        claim_once("")


@pytest.mark.django_db
def test_housekeeping_deletes_old_bookkeeping_once_an_hour() -> None:
    now = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    old = PeriodicTick.objects.create(slot=now - timedelta(days=8))
    recent = PeriodicTick.objects.create(slot=now - timedelta(days=6))
    DoneOnce.objects.create(key="old", claimed_at=now - timedelta(days=31))
    DoneOnce.objects.create(key="recent", claimed_at=now - timedelta(days=29))
    assert task_results_prune(now + timedelta(minutes=1)) == 0  # not at minute 0
    assert task_results_prune(now) == 2
    assert list(PeriodicTick.objects.all()) == [recent]
    assert not PeriodicTick.objects.filter(pk=old.pk).exists()
    assert list(DoneOnce.objects.values_list("key", flat=True)) == ["recent"]


# --- safety-signal escalation through the worker ---------------------------------------

ESCALATION_JOB = "maatwerk.web.safety.services.escalate_overdue_signals"


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS, MAATWERK_PERIODIC_JOBS=[ESCALATION_JOB])
def test_a_friday_evening_signal_escalates_on_monday_at_the_business_time(world: World) -> None:
    """Open on Friday 17:00 (Amsterdam); with the default working hours (Mon-Fri 08:00-17:00,
    two working hours to pick up) it escalates at Monday 10:00 - not over the weekend -
    exactly once, by the worker's own tick, and the backup clinician is e-mailed once."""
    from maatwerk.web.questionnaires.models import SafetyAlert
    from maatwerk.web.safety.services import raise_from_rule
    from tests.web.test_safety import add_backup_clinician

    add_backup_clinician(world)
    SafetyAlert.objects.filter(pk=world.alert.pk).update(status=SafetyAlert.Status.CLOSED)
    friday_five = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # 17:00 in Amsterdam
    alert, _created = raise_from_rule(
        assignment=world.assignment,
        rule_id="phq9_item9_self_harm",
        severity="urgent",
        message="PHQ-9 item 9",
        evidence_item="item",
        evidence_answer="2 – meer dan de helft van de dagen",
        at=friday_five,
    )
    monday_ten = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    mail.outbox.clear()

    # Saturday noon and Monday 09:59 (Amsterdam): two workers tick, nothing escalates.
    for moment in (datetime(2026, 12, 5, 11, 0, tzinfo=UTC), monday_ten - timedelta(minutes=1)):
        for worker in ("worker-a", "worker-b"):
            scheduler = TickScheduler(clock=Clock(moment))
            run_worker(scheduler=scheduler, batch=True, worker_id=worker, interval=0)
        alert.refresh_from_db()
        assert alert.status == SafetyAlert.Status.OPEN

    # Monday 10:00: both workers tick the same minute; the signal escalates once.
    for worker in ("worker-a", "worker-b"):
        run_worker(
            scheduler=TickScheduler(clock=Clock(monday_ten)),
            batch=True,
            worker_id=worker,
            interval=0,
        )
    alert.refresh_from_db()
    assert (alert.status, alert.escalated_at) == (SafetyAlert.Status.ESCALATED, monday_ten)
    assert list(alert.events.values_list("status", flat=True)) == ["open", "escalated"]
    run = PeriodicJobRun.objects.get(job=ESCALATION_JOB, tick__slot=monday_ten)
    assert run.done == 1
    # The e-mail went out from its own task (enqueued after the tick committed): once,
    # without clinical content.
    run_worker(scheduler=None, batch=True, interval=0)
    (message,) = mail.outbox
    assert message.to == ["backup@a.test"]
    for secret in (world.patient_a.full_name, "dood", "PHQ", "meer dan de helft"):
        assert secret not in message.body and secret not in message.subject

    # A later minute finds nothing left to do.
    later = monday_ten + timedelta(minutes=1)
    run_worker(scheduler=TickScheduler(clock=Clock(later)), batch=True, interval=0)
    assert PeriodicJobRun.objects.get(job=ESCALATION_JOB, tick__slot=later).done == 0
    assert len(mail.outbox) == 1
