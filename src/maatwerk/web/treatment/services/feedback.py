"""The clinician reading a handed-in exercise and giving feedback on it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, Feedback
from maatwerk.web.treatment.notifications import Kind, notify_patient
from maatwerk.web.treatment.selectors import ResponseAccess
from maatwerk.web.treatment.services._common import _clinician_membership, _subject

FEEDBACK_MAX_LENGTH = 5000


def review_read(*, actor: Actor, opened: ResponseAccess) -> None:
    _clinician_membership(actor, opened.access)
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(opened.access, selectors.OBJECT_RESPONSE, str(opened.response.public_id)),
        emergency=opened.access.emergency,
        detail=f"{opened.response.assignment.module_id}/{opened.response.exercise_id}",
    )


def feedback_give(
    *, actor: Actor, opened: ResponseAccess, text: str, login_url: str | None = None
) -> Feedback:
    """Written feedback on handed-in homework (guided online CBT); the patient is told
    by e-mail that something waits (``login_url``: the link in it)."""
    _clinician_membership(actor, opened.access)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write your feedback before sending it.")]})
    if len(text) > FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            {
                "text": [
                    _("Use at most %(max)s characters (now %(count)s).")
                    % {"max": FEEDBACK_MAX_LENGTH, "count": len(text)}
                ]
            }
        )
    if opened.response.status != ExerciseResponse.Status.SUBMITTED:
        raise ValidationError({"text": [_("This homework has not been handed in yet.")]})
    if actor.user is None:
        raise PermissionDenied(_("Log in first."))
    with transaction.atomic():
        feedback = Feedback.objects.create(response=opened.response, author=actor.user, text=text)
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(opened.access, selectors.OBJECT_FEEDBACK, str(feedback.public_id)),
            emergency=opened.access.emergency,
        )
        notify_patient(opened.access.patient, Kind.FEEDBACK, login_url=login_url)
    return feedback
