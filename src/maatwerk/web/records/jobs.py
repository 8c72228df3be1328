"""Periodic work of the records app (run by the tick; see web/background/periodic.py)."""

from __future__ import annotations

from datetime import datetime

from maatwerk.web.records.models import RecordCopy


def expired_copies_purge(now: datetime) -> int:
    """Remove the content of every copy past its expiry; idempotent (an expired copy has
    no content left to remove). Returns how many copies were emptied."""
    return (
        RecordCopy.objects.filter(expires_at__lte=now)
        .exclude(status=RecordCopy.Status.EXPIRED)
        .update(status=RecordCopy.Status.EXPIRED, fhir_bundle=None, pdf=None)
    )
