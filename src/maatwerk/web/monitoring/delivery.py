"""Moving prompts through the delivery state machine and materializing them.

Every change of a prompt's state goes through :func:`record_event`: it locks the row,
asks the core state machine (:func:`maatwerk.core.monitoring.delivery.advance`) and
writes the new state and one :class:`~maatwerk.web.monitoring.models.DeliveryLogEntry`
in one transaction. An event the state machine refuses changes nothing and returns
False, so the log only ever tells a possible story.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field, Model, QuerySet

from maatwerk.core.monitoring.delivery import (
    DeliveryEvent,
    DeliveryState,
    DeliveryStatus,
    IllegalTransition,
    advance,
)
from maatwerk.core.monitoring.ema import ema_prompts, ema_schedule_from_data
from maatwerk.core.monitoring.rom import RomCourse, rom_occasions, rom_rule_from_data
from maatwerk.web.monitoring.models import (
    DeliveryLogEntry,
    MonitoringSchedule,
    Prompt,
)

logger = logging.getLogger(__name__)


def ahead() -> timedelta:
    """How far ahead prompts are materialized (``MAATWERK_MONITORING_AHEAD_HOURS``)."""
    return timedelta(hours=settings.MAATWERK_MONITORING_AHEAD_HOURS)


def record_event(
    prompt_id: int,
    event: DeliveryEvent,
    *,
    at: datetime,
    channel: str = "",
    detail: str = "",
    answers: object = None,
    answer_id: uuid.UUID | None = None,
    as_read: Prompt | None = None,
) -> bool:
    """Apply ``event`` to the prompt and log it; False (nothing written) when the prompt
    is gone or the state machine refuses the event. An answer is stored with its
    ``answers`` and the ``answer_id`` the device gave it, in the same row write. Inside
    the caller's transaction without a savepoint: nothing is written before a refusal,
    and an error fails the caller's transaction as a whole.

    ``as_read`` is the prompt as the caller read it a moment ago (the patient's answer:
    the opener read it). The event is then applied to that state and written only if the
    row still has it - one conditional UPDATE instead of a locking read and a write (on
    PostgreSQL the same statement writes the log entry). When the row changed meanwhile
    (a reminder, an expiry, the same answer from a second tab), nothing is written that
    way and the event goes the locking way below."""
    rows = Prompt.objects.filter(pk=prompt_id)

    def changes(new: DeliveryStatus) -> dict[str, object]:
        values: dict[str, object] = {"state": new.state.value, "reminded": new.reminded}
        if event is DeliveryEvent.ANSWER:
            values |= {"answered_at": at, "answers": answers, "answer_id": answer_id}
        return values

    def written(new: DeliveryStatus | None, to: QuerySet[Prompt]) -> DeliveryStatus | None:
        """``new`` once it is written to the one row of ``to`` (None: nothing written)."""
        if new is None:
            return None
        return new if to.update(**changes(new)) == 1 else None

    entry: dict[str, object] = {
        "event": event.value,
        "at": at,
        "channel": channel,
        "detail": detail[:200],
    }
    with transaction.atomic(savepoint=False):
        new = None
        if as_read is not None and as_read.pk == prompt_id:
            new = _advanced(as_read, event)
            if new is not None and connection.vendor == "postgresql":
                if _moved_and_logged(
                    as_read, changes(new), entry | {"state_after": new.state.value}
                ):
                    return True
                new = None
            else:
                unchanged = rows.filter(state=as_read.state, reminded=as_read.reminded)
                new = written(new, unchanged)
        if new is None:
            prompt = rows.select_for_update().first()
            if prompt is None:
                return False
            new = written(_advanced(prompt, event), rows)
            if new is None:
                return False
        DeliveryLogEntry.objects.create(prompt_id=prompt_id, state_after=new.state.value, **entry)
    return True


def _moved_and_logged(
    as_read: Prompt, changes: dict[str, object], entry: dict[str, object]
) -> bool:
    """PostgreSQL: write ``changes`` to the prompt if it still has the state it was read
    with, and its log entry, in one statement (the update in a WITH clause of the log's
    INSERT); False when the row had changed (nothing written)."""
    set_fields = _concrete_fields(Prompt, changes)
    entry_fields = _concrete_fields(DeliveryLogEntry, entry)
    statement = _moved_and_logged_statement(
        tuple(f.column for f in set_fields), tuple(f.column for f in entry_fields)
    )
    params = [
        *(f.get_db_prep_save(changes[f.name], connection) for f in set_fields),
        as_read.pk,
        as_read.state,
        as_read.reminded,
        *(f.get_db_prep_save(entry[f.name], connection) for f in entry_fields),
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone() is not None


def _concrete_fields(model: type[Model], names: Iterable[str]) -> list[Field[Any, Any]]:
    by_name = {field.name: field for field in model._meta.concrete_fields}
    return [by_name[name] for name in names]


@cache
def _moved_and_logged_statement(
    set_columns: tuple[str, ...], entry_columns: tuple[str, ...]
) -> str:
    quote = connection.ops.quote_name
    prompt_pk = quote(Prompt._meta.pk.column)
    log_prompt = quote(DeliveryLogEntry._meta.get_field("prompt").column)
    # Only quoted names from the models are formatted in; every value is bound.
    return (
        f"WITH moved AS (UPDATE {quote(Prompt._meta.db_table)} SET "  # noqa: S608
        f"{', '.join(f'{quote(column)} = %s' for column in set_columns)} "
        f"WHERE {prompt_pk} = %s AND {quote('state')} = %s AND {quote('reminded')} = %s "
        f"RETURNING {prompt_pk}) "
        f"INSERT INTO {quote(DeliveryLogEntry._meta.db_table)} "
        f"({log_prompt}, {', '.join(quote(column) for column in entry_columns)}) "
        f"SELECT {prompt_pk}, {', '.join(['%s'] * len(entry_columns))} FROM moved "
        f"RETURNING {quote(DeliveryLogEntry._meta.pk.column)}"
    )


def _advanced(prompt: Prompt, event: DeliveryEvent) -> DeliveryStatus | None:
    """The status after ``event``, or None when the state machine refuses it."""
    status = DeliveryStatus(DeliveryState(prompt.state), reminded=prompt.reminded)
    try:
        return advance(status, event)
    except IllegalTransition as refused:
        logger.info("Prompt %s: %s", prompt.pk, refused)
        return None


def materialize_schedule(schedule: MonitoringSchedule, *, now: datetime) -> int:
    """Create the schedule's prompts from where it was materialized up to ``now`` plus
    :func:`ahead`; returns how many were created. Prompts that exist already (same key
    or due time) are left alone, so running this twice creates nothing new. Runs inside
    the caller's transaction."""
    start = schedule.materialized_until or schedule.created_at
    until = now + ahead()
    if until <= start:
        return 0
    planned = list(_planned(schedule, start, until))
    existing = set(
        Prompt.objects.filter(schedule=schedule, key__in=[key for key, *_ in planned]).values_list(
            "key", flat=True
        )
    )
    created: list[Prompt] = []
    for key, kind, instrument, due_at, reminder_at, expires_at in planned:
        if key in existing:
            continue
        created.append(
            Prompt(
                schedule=schedule,
                patient_id=schedule.patient_id,
                kind=kind,
                key=key,
                instrument=instrument,
                due_at=due_at,
                reminder_at=reminder_at,
                expires_at=expires_at,
                channel=schedule.channel,
            )
        )
    for prompt in created:
        prompt.save()
        DeliveryLogEntry.objects.create(
            prompt=prompt,
            event=DeliveryLogEntry.Event.SCHEDULED,
            state_after=prompt.state,
            at=now,
            channel=prompt.channel,
        )
    MonitoringSchedule.objects.filter(pk=schedule.pk).update(materialized_until=until)
    return len(created)


Planned = tuple[str, str, str, datetime, datetime | None, datetime]


def _planned(schedule: MonitoringSchedule, start: datetime, until: datetime) -> list[Planned]:
    if schedule.kind == MonitoringSchedule.Kind.EMA:
        ema = ema_schedule_from_data({**schedule.rules, "zone": schedule.time_zone})
        return [
            (
                f"{p.day.isoformat()}:{p.slot}",
                Prompt.Kind.EMA,
                "",
                p.due_at,
                p.reminder_at,
                p.expires_at,
            )
            for p in ema_prompts(ema, start, until)
        ]
    course_data = schedule.rules["course"]
    course = RomCourse(
        started_on=date.fromisoformat(course_data["started_on"]),
        anchors=tuple(date.fromisoformat(d) for d in course_data["anchors"]),
        ended_on=(
            date.fromisoformat(course_data["ended_on"]) if course_data.get("ended_on") else None
        ),
        zone=schedule.time_zone,
    )
    rules = [rom_rule_from_data(rule) for rule in schedule.rules["rules"]]
    occasions = rom_occasions(rules, course, until=until.date() + timedelta(days=1))
    return [
        (o.key, Prompt.Kind.ROM, o.instrument, o.due_at, o.reminder_at, o.expires_at)
        for o in occasions
        if start <= o.due_at < until
    ]
