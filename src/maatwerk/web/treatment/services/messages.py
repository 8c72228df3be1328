"""The message thread between a patient and the care team."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import Message
from maatwerk.web.treatment.notifications import Kind, notify_care_team, notify_patient

MESSAGE_MAX_LENGTH = 5000


def thread_read(*, actor: Actor, access: PatientAccess) -> list[Message]:
    """The thread, read with one audit event; the other side's messages are marked read.
    A clinician reading on emergency access marks nothing, so the team still sees them."""
    now = timezone.now()
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(selectors.OBJECT_MESSAGES),
        emergency=access.emergency,
    ):
        if access.basis is AccessBasis.OWN_RECORD:
            Message.objects.filter(
                patient=access.patient, from_patient=False, read_by_patient_at__isnull=True
            ).update(read_by_patient_at=now)
        elif access.basis is AccessBasis.CARE_RELATIONSHIP:
            Message.objects.filter(
                patient=access.patient, from_patient=True, read_by_team_at__isnull=True
            ).update(read_by_team_at=now)
        return list(selectors.thread_for(access))


def message_send(
    *,
    actor: Actor,
    access: PatientAccess,
    text: str,
    login_url: str | None = None,
) -> Message:
    """A message from the patient to their care team, or from a clinician in care; the
    other side is told by e-mail that something waits (``login_url``: the link in it)."""
    from_patient = access.by_patient
    with audited(
        actor=actor,
        action="create",
        subject=access.subject(selectors.OBJECT_MESSAGES),
        emergency=access.emergency,
    ) as note:
        text = text.strip()
        if not text:
            raise InputRefused({"text": [_("Write a message before sending it.")]})
        if len(text) > MESSAGE_MAX_LENGTH:
            raise InputRefused(
                {
                    "text": [
                        _("Use at most %(max)s characters (now %(count)s).")
                        % {"max": MESSAGE_MAX_LENGTH, "count": len(text)}
                    ]
                }
            )
        if actor.user is None:  # pragma: no cover - the opener let only a user in
            raise InputRefused(_("Log in first."))
        now = timezone.now()
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
        note.about(object_ref=str(message.public_id))
        if from_patient:
            notify_care_team(access.patient, Kind.MESSAGE, login_url=login_url)
        else:
            notify_patient(access.patient, Kind.MESSAGE, login_url=login_url)
    return message
