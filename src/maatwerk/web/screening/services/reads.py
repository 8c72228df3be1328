"""Page reads of the screening: one ``read`` audit event each."""

from __future__ import annotations

from maatwerk.web.audit.audited import record_read
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.screening.models import (
    Screening,
)
from maatwerk.web.screening.selectors import (
    OBJECT_SCREENING,
)


def screenings_read(*, actor: Actor, access: PatientAccess, detail: str) -> None:
    """A page about the patient's screenings was read (one ``read`` event)."""
    record_read(actor=actor, opened=access, object_type=OBJECT_SCREENING, detail=detail)


def screening_read(
    *, actor: Actor, opened: Opened[Screening], object_type: str, detail: str = ""
) -> None:
    """A page of one screening was read (one ``read`` event)."""
    record_read(actor=actor, opened=opened, object_type=object_type, detail=detail)
