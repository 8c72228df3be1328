"""A clinician's inbox: handed-in exercises and messages waiting for an answer."""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.web.audit.audited import audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, Message


@dataclass(frozen=True)
class Inbox:
    homework: list[ExerciseResponse]
    messages: list[Message]

    @property
    def count(self) -> int:
        return len(self.homework) + len(self.messages)


def inbox_read(*, actor: Actor) -> Inbox:
    """New homework and unread messages of the clinician's own patients; the list shows
    patient names, so it is audited like a caseload search."""
    with audited(
        actor=actor, action="search", subject=AuditSubject(object_type=selectors.OBJECT_INBOX)
    ) as note:
        inbox = Inbox(
            homework=list(selectors.homework_waiting_for(actor)),
            messages=list(selectors.unread_messages_for(actor)),
        )
        note.detail = f"{len(inbox.homework)} homework, {len(inbox.messages)} messages shown"
    return inbox
