"""Opening a partner's or parent's view: the one opener for access that rests on a
relative's consented grant rather than on the patient record rule
(``maatwerk.web.patients.opening`` opens everything else)."""

from __future__ import annotations

from maatwerk.web.audit.audited import record_denial
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientNotAccessible, is_uuid
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import RelativeAccess


def open_shared(*, actor: Actor, relative_id: str) -> RelativeAccess:
    """The partner's or parent's own active access (the service audits the read).
    Anything else — another person's access, a revoked one, an unknown id — is audited
    as denied and raises :class:`PatientNotAccessible` (404)."""
    found = (
        selectors.shared_with(actor).filter(public_id=relative_id).first()
        if is_uuid(relative_id)
        else None
    )
    if found is None:
        record_denial(
            actor=actor,
            action="read",
            subject=AuditSubject(
                object_type=selectors.OBJECT_SHARED, object_ref=str(relative_id)[:64]
            ),
        )
        raise PatientNotAccessible(relative_id)
    return found
