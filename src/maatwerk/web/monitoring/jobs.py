"""The periodic jobs of monitoring (listed in ``MAATWERK_PERIODIC_JOBS``).

Each follows the contract of :mod:`maatwerk.web.background.periodic`: it acts on
everything due at or before ``now`` that is not done yet, reads the time only from
``now``, writes only to the database and enqueues tasks with ids after commit, and
handles a bounded batch per minute.

- :func:`materialize_prompts` - prompts exist :func:`~.delivery.ahead` (24 h) in
  advance; a schedule is topped up when less than half of that is left.
- :func:`dispatch_due_prompts` - enqueues the send of every due, unexpired, unsent
  prompt, again after ``RESEND_AFTER`` when it is still unsent and unclaimed (the task
  was lost with a worker); a send claimed but never finished for ``LOST_AFTER`` ends as
  ``failed`` ("worker stopped while sending").
- :func:`send_due_reminders` - the one reminder of an open prompt.
- :func:`expire_prompts` - every prompt not answered by its expiry ends as ``expired``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from maatwerk.core.monitoring.delivery import DeliveryEvent
from maatwerk.core.monitoring.ema import Pause
from maatwerk.web.background.models import DoneOnce
from maatwerk.web.monitoring.delivery import ahead, materialize_schedule, record_event
from maatwerk.web.monitoring.models import MonitoringSchedule, Prompt, PromptState
from maatwerk.web.monitoring.tasks import prompt_remind, prompt_send, remind_key, send_key

BATCH = 500
SCHEDULE_BATCH = 100
# A send enqueued this long ago and still neither claimed nor done was lost (a queue
# that lost the task, a worker killed before it began): enqueue it again.
RESEND_AFTER = timedelta(minutes=3)
# A send claimed this long ago and never finished: the worker stopped while sending.
LOST_AFTER = timedelta(minutes=10)
OPEN_STATES = (PromptState.SENT, PromptState.DELIVERED, PromptState.OPENED)


def materialize_prompts(now: datetime) -> int:
    refill = now + ahead() / 2
    schedules = MonitoringSchedule.objects.filter(active=True).filter(
        Q(materialized_until__isnull=True) | Q(materialized_until__lt=refill)
    )
    # Two ticks may run at once (two workers, two minutes). Each schedule is topped up
    # under its row lock, held until the job's transaction commits; a schedule another
    # worker is topping up right now is skipped, not waited for: that worker creates its
    # prompts, and once it commits the schedule is no longer due. Without the lock both
    # planned the same prompts and the second failed on the unique due time.
    locked = schedules.select_for_update(skip_locked=True).order_by("materialized_until", "pk")
    created = 0
    for schedule in locked[:SCHEDULE_BATCH]:
        created += materialize_schedule(schedule, now=now)
    return created


def dispatch_due_prompts(now: datetime) -> int:
    due = Prompt.objects.filter(
        state=PromptState.SCHEDULED, due_at__lte=now, expires_at__gt=now
    ).filter(Q(send_enqueued_at__isnull=True) | Q(send_enqueued_at__lt=now - RESEND_AFTER))
    candidates = list(
        due.order_by("due_at").values_list("pk", "send_enqueued_at", "due_at", "schedule_id")[
            :BATCH
        ]
    )
    pauses = _pauses({schedule_id for *_, schedule_id in candidates})
    claims = {
        claim.key: claim
        for claim in DoneOnce.objects.filter(key__in=[send_key(c[0]) for c in candidates])
    }
    enqueue: list[int] = []
    lost = 0
    for pk, enqueued_at, due_at, schedule_id in candidates:
        claim = claims.get(send_key(pk))
        if claim is None and any(pause.covers(due_at) for pause in pauses.get(schedule_id, ())):
            # Paused after it was materialized: it is not sent (a pause set later than
            # the send is too late for it).
            lost += record_event(pk, DeliveryEvent.CANCEL, at=now, detail="paused")
        elif claim is None:
            enqueue.append(pk)
        elif (
            claim.finished_at is None and enqueued_at is not None and enqueued_at < now - LOST_AFTER
        ):
            lost += record_event(
                pk,
                DeliveryEvent.FAIL,
                at=now,
                detail="worker stopped while sending; not known whether it went out",
            )
    if enqueue:
        Prompt.objects.filter(pk__in=enqueue).update(send_enqueued_at=now)
        transaction.on_commit(lambda: [prompt_send.enqueue(pk) for pk in enqueue])
    return len(enqueue) + lost


def _pauses(schedule_ids: set[int]) -> dict[int, tuple[Pause, ...]]:
    found: dict[int, tuple[Pause, ...]] = {}
    for schedule_id, rules in MonitoringSchedule.objects.filter(pk__in=schedule_ids).values_list(
        "pk", "rules"
    ):
        pauses = rules.get("pauses") if isinstance(rules, dict) else None
        if pauses:
            found[schedule_id] = tuple(
                Pause(
                    datetime.fromisoformat(start),
                    None if end is None else datetime.fromisoformat(end),
                )
                for start, end in pauses
            )
    return found


def send_due_reminders(now: datetime) -> int:
    due = Prompt.objects.filter(
        state__in=(PromptState.SENT, PromptState.DELIVERED),
        reminded=False,
        reminder_at__lte=now,
        expires_at__gt=now,
    ).filter(Q(reminder_enqueued_at__isnull=True) | Q(reminder_enqueued_at__lt=now - RESEND_AFTER))
    candidates = list(due.order_by("reminder_at").values_list("pk", flat=True)[:BATCH])
    claimed = set(
        DoneOnce.objects.filter(key__in=[remind_key(pk) for pk in candidates]).values_list(
            "key", flat=True
        )
    )
    enqueue = [pk for pk in candidates if remind_key(pk) not in claimed]
    if enqueue:
        Prompt.objects.filter(pk__in=enqueue).update(reminder_enqueued_at=now)
        transaction.on_commit(lambda: [prompt_remind.enqueue(pk) for pk in enqueue])
    return len(enqueue)


def expire_prompts(now: datetime) -> int:
    overdue = Prompt.objects.filter(
        state__in=(PromptState.SCHEDULED, *OPEN_STATES), expires_at__lte=now
    )
    expired = 0
    for pk in overdue.order_by("expires_at").values_list("pk", flat=True)[:BATCH]:
        expired += record_event(pk, DeliveryEvent.EXPIRE, at=now)
    return expired
