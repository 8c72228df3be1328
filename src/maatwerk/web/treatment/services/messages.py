"""The message thread between a patient and the care team."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import Message
from maatwerk.web.treatment.notifications import Kind, notify_care_team, notify_patient
from maatwerk.web.treatment.services._common import _clinician_membership, _subject

MESSAGE_MAX_LENGTH = 5000


def thread_read(*, actor: Actor, access: PatientAccess) -> list[Message]:
    """The thread, read with one audit event; the other side's messages are marked read.
    A clinician reading on emergency access marks nothing, so the team still sees them."""
    now = timezone.now()
    with transaction.atomic():
        if access.basis is AccessBasis.OWN_RECORD:
            Message.objects.filter(
                patient=access.patient, from_patient=False, read_by_patient_at__isnull=True
            ).update(read_by_patient_at=now)
        elif access.basis is AccessBasis.CARE_RELATIONSHIP:
            Message.objects.filter(
                patient=access.patient, from_patient=True, read_by_team_at__isnull=True
            ).update(read_by_team_at=now)
        audit_record(
            actor=actor,
            action="read",
            subject=_subject(access, selectors.OBJECT_MESSAGES),
            emergency=access.emergency,
        )
    return list(selectors.thread_for(access))


def message_send(
    *, actor: Actor, access: PatientAccess, text: str, login_url: str | None = None
) -> Message:
    """A message from the patient to their care team, or from a clinician in care; the
    other side is told by e-mail that something waits (``login_url``: the link in it)."""
    from_patient = access.basis is AccessBasis.OWN_RECORD
    if not from_patient:
        _clinician_membership(actor, access)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a message before sending it.")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": [
                    _("Use at most %(max)s characters (now %(count)s).")
                    % {"max": MESSAGE_MAX_LENGTH, "count": len(text)}
                ]
            }
        )
    if actor.user is None:
        raise PermissionDenied(_("Log in first."))
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            patient=access.patient,
            author=actor.user,
            from_patient=from_patient,
            text=text,
            created_at=now,
            # Your own message counts as read on your side.
            read_by_patient_at=now if from_patient else None,
            read_by_team_at=None if from_patient else now,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(access, selectors.OBJECT_MESSAGES, str(message.public_id)),
            emergency=access.emergency,
        )
        if from_patient:
            notify_care_team(access.patient, Kind.MESSAGE, login_url=login_url)
        else:
            notify_patient(access.patient, Kind.MESSAGE, login_url=login_url)
    return message
