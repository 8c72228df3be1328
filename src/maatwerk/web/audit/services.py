"""Writing the audit trail. Every read or change of patient data goes through here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from maatwerk.core.audit import GENESIS_HASH, AuditRecord, chain_hash
from maatwerk.web.audit.models import AuditChainHead, AuditEvent
from maatwerk.web.common.actor import Actor


@dataclass(frozen=True)
class AuditSubject:
    """What an event is about: the patient (if any) and the object touched."""

    object_type: str
    object_ref: str = ""
    patient_ref: str = ""
    organization_ref: str = ""


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
        event = AuditEvent.objects.create(
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
        head.sequence = record.sequence
        head.hash = digest
        head.save(update_fields=["sequence", "hash"])
    return event
