"""Monitoring prompts through the real worker: materialized ahead once, sent once by the
channel, reminded once, expired, answered; a lost send ends in a final state.

Like ``tests/web/test_background.py`` these switch to the database task backend and run
the worker loop of ``maatwerk worker`` in this process with an injected clock, committing
for real. The development file channel writes each message as a line in an outbox file,
so "sent once" is counted where the message went, not where we said we sent it.
"""

from __future__ import annotations

import json
import threading
import time as clock_time
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from maatwerk.core.monitoring.delivery import DeliveryEvent
from maatwerk.core.monitoring.ema import EmaSchedule, TimeWindow
from maatwerk.core.monitoring.rom import RomCourse, RomRule, rom_rule_to_data
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.background.once import claim_once
from maatwerk.web.background.scheduler import TickScheduler
from maatwerk.web.background.worker import run_worker
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.monitoring import selectors, services
from maatwerk.web.monitoring.delivery import record_event
from maatwerk.web.monitoring.jobs import materialize_prompts
from maatwerk.web.monitoring.models import (
    Channel,
    DeliveryLogEntry,
    MonitoringSchedule,
    Prompt,
    PromptState,
    RomDefault,
)
from maatwerk.web.monitoring.tasks import prompt_send, send_key
from maatwerk.web.patients.models import PrivacyConsent
from maatwerk.web.patients.opening import Audience, open_child, open_own_record, open_patient
from tests.web.test_background import (  # noqa: F401  (fixtures used by name)
    DATABASE_TASKS,
    Clock,
    _audit_triggers_restored,
    committed,
)
from tests.web.world import World

# Monday 1 June 2026, 06:00 UTC (08:00 in Amsterdam, summer time).
MONDAY = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
FIXED_NINE = EmaSchedule(
    start_date=date(2026, 6, 1),
    days=14,
    seed=7,
    fixed_times=(time(9, 0),),
    windows=(TimeWindow(time(12), time(14)), TimeWindow(time(17), time(20))),
    min_gap=timedelta(minutes=90),
    response_window=timedelta(minutes=60),
    reminder_after=timedelta(minutes=20),
)


def _outbox(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def _tick(clock: Clock, worker: str = "worker-a") -> None:
    run_worker(scheduler=TickScheduler(clock=clock), batch=True, worker_id=worker, interval=0)


def _ema_schedule(world: World, *, channel: str = Channel.FILE) -> MonitoringSchedule:
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_patient(
        actor=clinician,
        patient_id=str(world.patient_a.public_id),
        action="create",
        audience=Audience.CARE_TEAM,
    )
    return services.create_ema_schedule(
        clinician,
        opened,
        schedule=FIXED_NINE,
        items=[{"key": "bank:pain"}],
        channel=channel,
        now=MONDAY - timedelta(hours=1),
    )


def _events(prompt: Prompt) -> list[str]:
    return list(prompt.log.order_by("pk").values_list("event", flat=True))


def _first_prompt_delivered(world: World, outbox: Path) -> tuple[Prompt, Clock]:
    """Today's first prompt of a fixed-time schedule, sent and delivered by the worker;
    the clock stands five minutes after it was due."""
    with override_settings(TASKS=DATABASE_TASKS, MAATWERK_MONITORING_OUTBOX=str(outbox)):
        schedule = _ema_schedule(world)
        clock = Clock(MONDAY)
        _tick(clock)
        first = schedule.prompts.order_by("due_at").first()
        assert first is not None
        clock.now = first.due_at + timedelta(minutes=5)
        _tick(clock)
    return first, clock


def _opened_by_patient(world: World, prompt: Prompt) -> Any:
    """The prompt as the patient's answer page opens it (the scoped opener)."""
    return open_child(
        actor=actor_for_user(world.users["patient_a"], access_point="test"),
        model=Prompt,
        object_id=str(prompt.public_id),
        action="update",
        object_type="monitoring_prompt",
        audience=Audience.PATIENT,
    )


@pytest.mark.usefixtures("committed")
def test_a_prompt_is_materialized_sent_reminded_and_expired_once_each(
    world: World, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    with override_settings(TASKS=DATABASE_TASKS, MAATWERK_MONITORING_OUTBOX=str(outbox)):
        schedule = _ema_schedule(world)
        clock = Clock(MONDAY)
        _tick(clock)
        # 24 hours ahead (to 08:00 local tomorrow): today's three prompts; none sent.
        prompts = list(schedule.prompts.order_by("due_at"))
        assert [p.key for p in prompts] == ["2026-06-01:0", "2026-06-01:1", "2026-06-01:2"]
        assert prompts[0].due_at == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 local
        assert _outbox(outbox) == []
        # Another worker and the next minute materialize nothing new.
        clock.now += timedelta(minutes=1)
        _tick(clock, "worker-b")
        assert schedule.prompts.count() == 3

        # 09:00 local: sent by the file channel, which confirms delivery.
        clock.now = prompts[0].due_at
        _tick(clock)
        first = Prompt.objects.get(pk=prompts[0].pk)
        assert first.state == PromptState.DELIVERED
        assert _events(first) == ["scheduled", "send", "deliver"]
        assert [line["prompt"] for line in _outbox(outbox)] == [str(first.public_id)]

        # The same send task again (a redelivery, a second worker): no second message.
        prompt_send.enqueue(first.pk)
        _tick(clock, "worker-b")
        assert len(_outbox(outbox)) == 1

        # The reminder 20 minutes later, once, then the expiry after an hour.
        clock.now = first.due_at + timedelta(minutes=20)
        _tick(clock)
        clock.now += timedelta(minutes=1)
        _tick(clock, "worker-b")
        assert [line["reminder"] for line in _outbox(outbox)] == [False, True]
        clock.now = first.expires_at
        _tick(clock)
        first.refresh_from_db()
        assert first.state == PromptState.EXPIRED and first.reminded
        assert _events(first) == ["scheduled", "send", "deliver", "remind", "expire"]


@pytest.mark.usefixtures("committed")
def test_the_patient_opens_and_answers_once_and_compliance_counts_it(
    world: World, tmp_path: Path
) -> None:
    first, clock = _first_prompt_delivered(world, tmp_path / "outbox.jsonl")
    with override_settings(
        TASKS=DATABASE_TASKS, MAATWERK_MONITORING_OUTBOX=str(tmp_path / "outbox.jsonl")
    ):
        patient = actor_for_user(world.users["patient_a"], access_point="test")

        def opened() -> Any:
            return _opened_by_patient(world, first)

        services.open_prompt(patient, opened(), now=clock.now)
        answered = services.answer_prompt(
            patient,
            opened(),
            {"pain": 40},
            now=clock.now + timedelta(minutes=1),
        )
        assert answered.state == PromptState.ANSWERED and answered.answers == {"pain": 40}
        # The same answer again (an offline retry): refused, stored once, audited.
        with pytest.raises(InputRefused):
            services.answer_prompt(patient, opened(), {"pain": 41}, now=clock.now)
        answered.refresh_from_db()
        assert answered.answers == {"pain": 40}
        assert _events(answered) == ["scheduled", "send", "deliver", "open", "answer"]
        assert list(
            AuditEvent.objects.filter(object_type="monitoring_prompt")
            .order_by("pk")
            .values_list("action", "outcome")
        ) == [("read", "success"), ("update", "success"), ("update", "refused")]

        # Later that day the noon prompt expires unanswered.
        clock.now = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
        _tick(clock)
        access = open_own_record(actor=patient, action="read")
        day = selectors.compliance(
            access, since=MONDAY, until=datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
        )
        assert (day.due, day.answered, day.expired, day.undelivered) == (2, 1, 1, 0)
        assert day.rate == 0.5


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_a_send_whose_worker_died_ends_as_failed_and_is_never_sent_again(
    world: World, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    with override_settings(MAATWERK_MONITORING_OUTBOX=str(outbox)):
        schedule = _ema_schedule(world)
        clock = Clock(MONDAY)
        _tick(clock)
        first = schedule.prompts.order_by("due_at").first()
        assert first is not None
        # A worker claimed the send and died before it finished (the claim has no end).
        assert claim_once(send_key(first.pk))
        Prompt.objects.filter(pk=first.pk).update(send_enqueued_at=first.due_at)
        clock.now = first.due_at + timedelta(minutes=5)
        _tick(clock)
        first.refresh_from_db()
        assert first.state == PromptState.SCHEDULED  # still within the grace period
        clock.now = first.due_at + timedelta(minutes=11)
        _tick(clock)
        first.refresh_from_db()
        assert first.state == PromptState.FAILED
        fail = first.log.get(event=DeliveryLogEntry.Event.FAIL)
        assert "not known whether it went out" in fail.detail
        assert _outbox(outbox) == []


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_an_email_prompt_without_an_address_fails_and_a_pause_cancels(world: World) -> None:
    schedule = _ema_schedule(world, channel=Channel.EMAIL)
    # The patient agreed to e-mails (without that nothing is e-mailed at all), but the
    # account has no address.
    PrivacyConsent.objects.create(
        patient=world.patient_a, statement_version="1", email_notifications=True, research_use=False
    )
    user = world.users["patient_a"]
    user.email = ""
    user.save(update_fields=["email"])
    clock = Clock(MONDAY)
    _tick(clock)
    prompts = list(schedule.prompts.order_by("due_at"))
    clock.now = prompts[0].due_at
    _tick(clock)
    prompts[0].refresh_from_db()
    assert prompts[0].state == PromptState.FAILED
    assert prompts[0].log.get(event="fail").detail == "no_email_address"

    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_child(
        actor=clinician,
        model=MonitoringSchedule,
        object_id=str(schedule.public_id),
        action="update",
        object_type="monitoring_schedule",
        audience=Audience.CARE_TEAM,
    )
    services.pause_schedule(clinician, opened, start=clock.now, end=None)
    clock.now = prompts[1].due_at
    _tick(clock)
    prompts[1].refresh_from_db()
    assert prompts[1].state == PromptState.CANCELLED
    with pytest.raises(InputRefused):
        services.pause_schedule(clinician, opened, start=clock.now, end=None)


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_rom_follows_the_organizations_defaults_with_the_patients_adaptation(
    world: World, tmp_path: Path
) -> None:
    RomDefault.objects.create(
        organization=world.org_a,
        care_level="basic",
        rules=[
            rom_rule_to_data(RomRule("phq9", every_weeks=4)),
            rom_rule_to_data(RomRule("gad7", every_weeks=4)),
        ],
    )
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_patient(
        actor=clinician,
        patient_id=str(world.patient_a.public_id),
        action="create",
        audience=Audience.CARE_TEAM,
    )
    schedule = services.create_rom_schedule(
        clinician,
        opened,
        care_level="basic",
        course=RomCourse(started_on=date(2026, 6, 1), anchors=(date(2026, 6, 1),)),
        channel=Channel.FILE,
        now=MONDAY - timedelta(hours=1),
    )
    with override_settings(MAATWERK_MONITORING_OUTBOX=str(tmp_path / "outbox.jsonl")):
        clock = Clock(MONDAY)
        _tick(clock)
        clock.now = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 local
        _tick(clock)
    baseline = list(schedule.prompts.order_by("instrument").values_list("key", "state"))
    assert baseline == [
        ("rom:gad7:baseline:1", PromptState.DELIVERED),
        ("rom:phq9:baseline:1", PromptState.DELIVERED),
    ]
    with pytest.raises(InputRefused):
        services.create_rom_schedule(
            clinician,
            opened,
            care_level="intensive",
            course=RomCourse(started_on=date(2026, 6, 1), anchors=(date(2026, 6, 1),)),
            now=MONDAY,
        )


def _event_schedule(world: World) -> MonitoringSchedule:
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_patient(
        actor=clinician,
        patient_id=str(world.patient_a.public_id),
        action="create",
        audience=Audience.CARE_TEAM,
    )
    return services.create_ema_schedule(
        clinician,
        opened,
        schedule=EmaSchedule(
            start_date=date(2026, 6, 1),
            days=14,
            seed=1,
            fixed_times=(time(9),),
            event_contingent=True,
            max_events_per_day=1,
        ),
        items=[{"key": "bank:pain"}],
        channel=Channel.FILE,
        now=MONDAY,
    )


def test_own_entries_pause_resume_and_a_device_subscription(world: World) -> None:
    schedule = _event_schedule(world)
    patient = actor_for_user(world.users["patient_a"], access_point="test")

    def schedule_opened(actor: object) -> object:
        return open_child(
            actor=actor,  # type: ignore[arg-type]
            model=MonitoringSchedule,
            object_id=str(schedule.public_id),
            action="update",
            object_type="monitoring_schedule",
        )

    entry = services.start_event_entry(patient, schedule_opened(patient), now=MONDAY)  # type: ignore[arg-type]
    assert (entry.kind, entry.state) == (Prompt.Kind.EVENT, PromptState.OPENED)
    assert _events(entry) == ["open"]
    with pytest.raises(InputRefused):  # one own entry a day
        services.start_event_entry(
            patient,
            schedule_opened(patient),  # type: ignore[arg-type]
            now=MONDAY + timedelta(hours=1),
        )
    answered = services.answer_prompt(
        patient,
        open_child(
            actor=patient,
            model=Prompt,
            object_id=str(entry.public_id),
            action="update",
            object_type="monitoring_prompt",
            audience=Audience.PATIENT,
        ),
        {"pain": 80},
        now=MONDAY + timedelta(minutes=2),
    )
    assert answered.state == PromptState.ANSWERED

    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    with pytest.raises(InputRefused):
        services.resume_schedule(clinician, schedule_opened(clinician), at=MONDAY)  # type: ignore[arg-type]
    services.pause_schedule(clinician, schedule_opened(clinician), start=MONDAY, end=None)  # type: ignore[arg-type]
    resumed = services.resume_schedule(
        clinician,
        schedule_opened(clinician),  # type: ignore[arg-type]
        at=MONDAY + timedelta(days=2),
    )
    assert resumed.rules["pauses"] == [
        [MONDAY.isoformat(), (MONDAY + timedelta(days=2)).isoformat()]
    ]

    access = open_own_record(actor=patient, action="create")
    with pytest.raises(InputRefused):
        services.subscribe_push(patient, access, endpoint="http://insecure", p256dh="x", auth="y")
    device = services.subscribe_push(
        patient, access, endpoint="https://push.example.org/abc", p256dh="key", auth="secret"
    )
    assert device.patient == world.patient_a and device.gone_at is None


@pytest.mark.usefixtures("committed")
@pytest.mark.parametrize("meanwhile", ["remind", "expire"])
def test_an_answer_to_a_prompt_that_changed_since_it_was_opened_follows_the_new_state(
    world: World, tmp_path: Path, meanwhile: str
) -> None:
    """The answer is written with one conditional UPDATE when the prompt still has the
    state it was opened with; a reminder or expiry in between sends it the locking way,
    where the state machine decides on the state the row has now."""
    first, clock = _first_prompt_delivered(world, tmp_path / "outbox.jsonl")
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    opened = _opened_by_patient(world, first)
    state_when_opened = opened.object.state
    # Between the patient opening the prompt and sending the answer, the worker acts.
    event = {"remind": DeliveryEvent.REMIND, "expire": DeliveryEvent.EXPIRE}[meanwhile]
    assert record_event(first.pk, event, at=clock.now)
    assert opened.object.state == state_when_opened, "the opened copy is now stale"
    if meanwhile == "remind":
        answered = services.answer_prompt(
            patient, opened, {"pain": 40}, now=clock.now + timedelta(minutes=1)
        )
        assert answered.state == PromptState.ANSWERED
        first.refresh_from_db()
        assert (first.state, first.reminded, first.answers) == (
            PromptState.ANSWERED,
            True,
            {"pain": 40},
        )
        assert _events(first)[-2:] == ["remind", "answer"]
    else:
        with pytest.raises(InputRefused):
            services.answer_prompt(
                patient, opened, {"pain": 40}, now=clock.now + timedelta(minutes=1)
            )
        first.refresh_from_db()
        assert (first.state, first.answers) == (PromptState.EXPIRED, None)
        assert _events(first)[-1] == "expire"


@pytest.mark.usefixtures("committed")
def test_the_same_answer_sent_twice_at_once_is_stored_once(world: World, tmp_path: Path) -> None:
    """Two copies of one answer (the same answer id: an offline retry while the first is
    still on its way) opened the prompt in the same state. The second's conditional
    UPDATE waits for the first's transaction, then finds the row changed and goes the
    locking way, which sees the stored answer with its id: same answer, stored once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite runs one writer at a time, so there is no race there")
    first, clock = _first_prompt_delivered(world, tmp_path / "outbox.jsonl")
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    answer_id = uuid.uuid4()
    copy_a, copy_b = _opened_by_patient(world, first), _opened_by_patient(world, first)
    a_has_written = threading.Event()
    b_is_sending = threading.Event()

    def first_copy() -> None:
        try:
            with transaction.atomic():
                services.answer_prompt(
                    patient, copy_a, {"pain": 40}, now=clock.now, answer_id=answer_id
                )
                a_has_written.set()
                # Keep the row locked while B sends, so B's UPDATE waits on it.
                b_is_sending.wait(timeout=10)
                clock_time.sleep(0.5)
        finally:
            connection.close()

    thread = threading.Thread(target=first_copy)
    thread.start()
    try:
        assert a_has_written.wait(timeout=30)
        b_is_sending.set()
        second = services.answer_prompt(
            patient, copy_b, {"pain": 40}, now=clock.now, answer_id=answer_id
        )
    finally:
        b_is_sending.set()
        thread.join()
    first.refresh_from_db()
    assert second.answer_id == answer_id and first.answer_id == answer_id
    assert _events(first).count("answer") == 1
    assert first.answers == {"pain": 40}


@pytest.mark.usefixtures("committed")
def test_two_workers_topping_up_the_same_schedule_at_once_create_each_prompt_once(
    world: World,
) -> None:
    """Worker A tops up a schedule and has not committed yet when worker B's tick (the
    next minute) gets to the same schedule: B skips it instead of planning the same
    prompts and failing on their unique due time (seen in the RQ month simulation)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite runs one writer at a time, so there is no race there")
    schedule = _ema_schedule(world)
    a_has_materialized = threading.Event()
    b_is_done = threading.Event()
    created_by_a: list[int] = []

    def worker_a() -> None:
        try:
            with transaction.atomic():
                created_by_a.append(materialize_prompts(MONDAY))
                a_has_materialized.set()
                # Keep the transaction (and the row lock) open until B has run; a B
                # that waits for the lock instead of skipping fails this wait.
                b_is_done.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_a)
    thread.start()
    try:
        assert a_has_materialized.wait(timeout=30)
        with transaction.atomic():
            created_by_b = materialize_prompts(MONDAY + timedelta(minutes=1))
    finally:
        b_is_done.set()
        thread.join()
    assert created_by_a == [3] and created_by_b == 0
    # Once A has committed, the schedule is topped up: nothing more to create.
    with transaction.atomic():
        assert materialize_prompts(MONDAY + timedelta(minutes=2)) == 0
    assert schedule.prompts.count() == 3
    assert DeliveryLogEntry.objects.filter(prompt__schedule=schedule).count() == 3
