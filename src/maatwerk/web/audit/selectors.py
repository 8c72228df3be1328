"""Reading the audit trail: verification and the access overviews (NEN 7513 ch. 9)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from maatwerk.core.audit import AuditRecord, ChainBreak, ChainVerification, verify_chain
from maatwerk.web.audit.models import AuditChainHead, AuditEvent


def _stored_chain(batch_size: int = 2000) -> Iterator[tuple[AuditRecord, str, str]]:
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        yield event.to_record(), event.previous_hash, event.hash


def audit_chain_verify() -> ChainVerification:
    """Check every event's hash and link, and that the chain head matches the last event.

    The head check catches events removed from the end of the log.
    """
    result = verify_chain(_stored_chain())
    head = AuditChainHead.objects.filter(pk=1).first()
    last = AuditEvent.objects.order_by("-sequence").first()
    extra: list[ChainBreak] = []
    if (
        head is not None
        and head.sequence > 0
        and (last is None or last.sequence != head.sequence or last.hash != head.hash)
    ):
        extra.append(
            ChainBreak(
                head.sequence,
                "the chain head does not match the last event: events were removed",
            )
        )
    if not extra:
        return result
    return ChainVerification(result.events_checked, result.breaks + tuple(extra))


def audit_events_for_patient(*, patient_ref: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(patient_ref=patient_ref).order_by("-sequence")


def audit_events_for_user(*, user_ref: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(user_ref=user_ref).order_by("-sequence")
