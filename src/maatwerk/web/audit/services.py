"""Writing the audit trail. Every read or change of patient data goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from maatwerk.core.audit import GENESIS_HASH, AuditRecord, chain_hash
from maatwerk.web.audit.models import AuditChainHead, AuditEvent
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.prepared import PreparedQuery


@dataclass(frozen=True)
class AuditSubject:
    """What an event is about: the patient (if any) and the object touched."""

    object_type: str
    object_ref: str = ""
    patient_ref: str = ""
    organization_ref: str = ""


# Read under its row lock by every audited request: compiled once per process.
_LOCKED_HEAD = PreparedQuery(
    lambda: AuditChainHead.objects.select_for_update().filter(pk=1)[:1], {}
)


def audit_record(
    *,
    actor: Actor,
    action: str,
    subject: AuditSubject,
    outcome: str = "success",
    emergency: bool = False,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the hash chain.

    Runs inside the caller's transaction when there is one, so a change and its audit
    event are committed together or not at all. No savepoint of its own: nothing here is
    worth keeping apart from the caller's work (a failed write fails the whole
    transaction), and a savepoint costs two statements while the chain head is locked.
    """
    user = actor.user
    with transaction.atomic(savepoint=False):
        head = _LOCKED_HEAD.first()
        if head is None:  # the first event of a new installation
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(
                pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH}
            )
        record = AuditRecord(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            user_ref=str(user.public_id) if user is not None else "",
            user_display=str(user) if user is not None else "",
            role=actor.primary_role,
            on_behalf_of=actor.on_behalf_of,
            organization_ref=subject.organization_ref,
            patient_ref=subject.patient_ref,
            object_type=subject.object_type,
            object_ref=subject.object_ref,
            action=action,
            outcome=outcome,
            access_point=actor.access_point[:200],
            emergency=emergency,
            detail=detail[:300],
        )
        digest = chain_hash(head.hash, record)
        event = AuditEvent(
            sequence=record.sequence,
            occurred_at=record.occurred_at,
            user_ref=record.user_ref,
            user_display=record.user_display,
            role=record.role,
            on_behalf_of=record.on_behalf_of,
            organization_ref=record.organization_ref,
            patient_ref=record.patient_ref,
            object_type=record.object_type,
            object_ref=record.object_ref,
            action=record.action,
            outcome=record.outcome,
            access_point=record.access_point,
            emergency=record.emergency,
            detail=record.detail,
            previous_hash=head.hash,
            hash=digest,
        )
        _append(event, head)
    return event


def _append(event: AuditEvent, head: AuditChainHead) -> None:
    """Insert ``event`` and move the locked chain head to it.

    On PostgreSQL both happen in one statement (the insert in a WITH clause of the head's
    UPDATE): every audited request pays one round trip less while the head is locked.
    SQLite has no data-modifying WITH clause, so there they are two statements. Either
    way they are in the caller's transaction and stand or fall together."""
    if connection.vendor != "postgresql":
        event.save(force_insert=True)
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
        return
    fields, statement = _append_statement()
    values = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values, event.sequence, event.hash, head.pk])
        row = cursor.fetchone()
    if row is None or row[0] is None:  # the head row is locked by us: it cannot vanish
        raise DatabaseError("the audit chain head was not moved")
    event.pk = row[0]
    event._state.adding = False
    event._state.db = connection.alias
    head.sequence, head.hash = event.sequence, event.hash


@cache
def _append_statement() -> tuple[list[Field[Any, Any]], str]:
    """The event's columns and the PostgreSQL statement of :func:`_append`, built once:
    they depend only on the two models."""
    quote = connection.ops.quote_name
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    event_pk = quote(AuditEvent._meta.pk.column)
    head_table = quote(AuditChainHead._meta.db_table)
    # Only quoted names from the models are formatted in; every value is bound.
    statement = (
        f"WITH appended AS (INSERT INTO {quote(AuditEvent._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {event_pk}) "
        f"UPDATE {head_table} SET {quote('sequence')} = %s, {quote('hash')} = %s "
        f"WHERE {quote(AuditChainHead._meta.pk.column)} = %s "
        f"RETURNING (SELECT {event_pk} FROM appended)"
    )
    return fields, statement
