"""Tamper-evident audit trail (NEN 7513): canonical event records in a SHA-256 hash chain.

Each event's hash covers its own fields and the previous event's hash, so altering,
inserting or removing an event breaks the chain at that point. The chain starts at
``GENESIS_HASH``. What the chain alone cannot detect is someone with write access to
the whole database who recomputes every later hash, or who cuts off the newest events
together with the chain head; that needs the latest hash anchored outside the database
(see docs/adr/0003-audit-hash-chain.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64

AUDIT_ACTIONS = (
    "read",
    "search",
    "create",
    "update",
    "delete",
    "export",
    "print",
    "emergency_access",
)
# "refused": invalid input, nothing saved (the one web path's refusal); "denied": no access.
AUDIT_OUTCOMES = ("success", "refused", "denied", "error")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit event exactly as it is hashed: every field a NEN 7513 log line holds."""

    sequence: int
    occurred_at: datetime
    user_ref: str
    user_display: str
    role: str
    on_behalf_of: str
    organization_ref: str
    patient_ref: str
    object_type: str
    object_ref: str
    action: str
    outcome: str
    access_point: str
    emergency: bool
    detail: str

    def canonical(self) -> bytes:
        """The deterministic byte form that is hashed (UTC, microsecond precision)."""
        offset = self.occurred_at.utcoffset()
        if offset is None:
            raise ValueError("audit times must be timezone-aware")
        utc = (self.occurred_at - offset).replace(tzinfo=None)
        payload = {
            "sequence": self.sequence,
            "occurred_at": utc.isoformat(timespec="microseconds") + "Z",
            "user_ref": self.user_ref,
            "user_display": self.user_display,
            "role": self.role,
            "on_behalf_of": self.on_behalf_of,
            "organization_ref": self.organization_ref,
            "patient_ref": self.patient_ref,
            "object_type": self.object_type,
            "object_ref": self.object_ref,
            "action": self.action,
            "outcome": self.outcome,
            "access_point": self.access_point,
            "emergency": self.emergency,
            "detail": self.detail,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(previous_hash: str, record: AuditRecord) -> str:
    """Hash of ``record`` linked to the hash of the event before it."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(record.canonical())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where and why verification failed."""

    sequence: int
    reason: str


@dataclass(frozen=True, slots=True)
class ChainVerification:
    events_checked: int
    breaks: tuple[ChainBreak, ...]

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_chain(
    stored: Iterable[tuple[AuditRecord, str, str]],
    *,
    max_breaks: int = 100,
) -> ChainVerification:
    """Verify ``(record, stored_previous_hash, stored_hash)`` triples in sequence order.

    Detects an altered event (its hash no longer matches its content), a removed or
    inserted event (a gap in the sequence or a previous-hash that does not link) and a
    rewritten tail whose hashes were recomputed from a forged start only if that start
    differs from the genesis value.
    """
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for record, stored_previous, stored_hash in stored:
        checked += 1
        if record.sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    record.sequence,
                    f"sequence gap: expected {expected_sequence}, found {record.sequence}",
                )
            )
        if stored_previous != expected_previous:
            breaks.append(ChainBreak(record.sequence, "previous hash does not link"))
        if chain_hash(stored_previous, record) != stored_hash:
            breaks.append(ChainBreak(record.sequence, "content does not match its hash"))
        expected_previous = stored_hash
        expected_sequence = record.sequence + 1
        if len(breaks) >= max_breaks:
            break
    return ChainVerification(events_checked=checked, breaks=tuple(breaks[:max_breaks]))


__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_OUTCOMES",
    "GENESIS_HASH",
    "AuditRecord",
    "ChainBreak",
    "ChainVerification",
    "chain_hash",
    "verify_chain",
]
