"""The clinician reading a handed-in exercise and giving feedback on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseHandIn, ExerciseResponse, Feedback
from maatwerk.web.treatment.notifications import Kind, notify_patient
from maatwerk.web.treatment.selectors import OpenedResponse

FEEDBACK_MAX_LENGTH = 5000


@dataclass(frozen=True)
class Review:
    """A response as the clinician reads it: every handed-in version (latest first),
    whether the patient is changing it again, and the feedback given."""

    response: ExerciseResponse
    hand_ins: list[ExerciseHandIn]
    feedback: list[Feedback]

    @property
    def changed_after_hand_in(self) -> bool:
        return self.response.changed_after_hand_in


def review_read(*, actor: Actor, opened: OpenedResponse) -> Review:
    response = opened.object
    with audited(
        actor=actor,
        action="read",
        subject=opened.subject(selectors.OBJECT_RESPONSE),
        emergency=opened.emergency,
        detail=f"{response.assignment.module_id}/{response.exercise_id}#{response.entry}",
    ):
        return Review(
            response=response,
            hand_ins=selectors.hand_ins_of(response),
            feedback=selectors.feedback_of(response),
        )


def review_of(opened: OpenedResponse) -> Review:
    """The same, for showing the page again after refused feedback (the refusal is the
    request's one audit event)."""
    return Review(
        response=opened.object,
        hand_ins=selectors.hand_ins_of(opened.object),
        feedback=selectors.feedback_of(opened.object),
    )


def feedback_give(
    *,
    actor: Actor,
    opened: OpenedResponse,
    text: str,
    login_url: str | None = None,
) -> Feedback:
    """Written feedback on handed-in homework (guided online CBT), on its latest
    handed-in version; the patient is told by e-mail that something waits
    (``login_url``: the link in it)."""
    with audited(
        actor=actor,
        action="create",
        subject=opened.subject(selectors.OBJECT_FEEDBACK),
        emergency=opened.emergency,
    ) as note:
        text = text.strip()
        if not text:
            raise InputRefused({"text": [_("Write your feedback before sending it.")]})
        if len(text) > FEEDBACK_MAX_LENGTH:
            raise InputRefused(
                {
                    "text": [
                        _("Use at most %(max)s characters (now %(count)s).")
                        % {"max": FEEDBACK_MAX_LENGTH, "count": len(text)}
                    ]
                }
            )
        latest = opened.object.hand_ins.order_by("-number").first()
        if latest is None:
            raise InputRefused({"text": [_("This homework has not been handed in yet.")]})
        if actor.user is None:  # pragma: no cover - the opener let only a user in
            raise InputRefused(_("Log in first."))
        feedback = Feedback.objects.create(
            response=opened.object, hand_in=latest, author=actor.user, text=text
        )
        note.about(object_ref=str(feedback.public_id))
        notify_patient(opened.access.patient, Kind.FEEDBACK, login_url=login_url)
    return feedback
