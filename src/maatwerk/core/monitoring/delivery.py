"""The delivery state machine of one prompt (an EMA prompt or a ROM questionnaire).

::

    scheduled --send--> sent --deliver--> delivered --open--> opened --answer--> answered
        |                 |  \\--open/answer--------------^          |
        |                 |                                          `--expire--> expired
        |--fail--> failed `--bounce--> bounced
        |--cancel--> cancelled    (a pause or a schedule change before it was sent)
        `--expire--> expired      (never sent before it expired: the worker was away)

``remind`` keeps a sent or delivered prompt in its state and may happen once. The
final states (answered, expired, bounced, failed, cancelled) accept nothing.
:func:`advance` is the only way to move: it refuses every other pair with
:class:`IllegalTransition`, so the delivery log can only tell a possible story.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from maatwerk.core.common.errors import MaatwerkError

__all__ = [
    "FINAL_STATES",
    "DeliveryEvent",
    "DeliveryState",
    "DeliveryStatus",
    "IllegalTransition",
    "advance",
    "allowed_events",
]


class DeliveryState(StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    DELIVERED = "delivered"
    OPENED = "opened"
    ANSWERED = "answered"
    EXPIRED = "expired"
    BOUNCED = "bounced"
    FAILED = "failed"
    CANCELLED = "cancelled"


class DeliveryEvent(StrEnum):
    SEND = "send"
    DELIVER = "deliver"
    OPEN = "open"
    ANSWER = "answer"
    REMIND = "remind"
    EXPIRE = "expire"
    BOUNCE = "bounce"
    FAIL = "fail"
    CANCEL = "cancel"


S, E = DeliveryState, DeliveryEvent

FINAL_STATES = frozenset({S.ANSWERED, S.EXPIRED, S.BOUNCED, S.FAILED, S.CANCELLED})

_MOVES: dict[DeliveryState, dict[DeliveryEvent, DeliveryState]] = {
    S.SCHEDULED: {E.SEND: S.SENT, E.FAIL: S.FAILED, E.CANCEL: S.CANCELLED, E.EXPIRE: S.EXPIRED},
    S.SENT: {
        E.DELIVER: S.DELIVERED,
        E.OPEN: S.OPENED,
        E.ANSWER: S.ANSWERED,
        E.REMIND: S.SENT,
        E.EXPIRE: S.EXPIRED,
        E.BOUNCE: S.BOUNCED,
    },
    S.DELIVERED: {
        E.OPEN: S.OPENED,
        E.ANSWER: S.ANSWERED,
        E.REMIND: S.DELIVERED,
        E.EXPIRE: S.EXPIRED,
    },
    S.OPENED: {E.ANSWER: S.ANSWERED, E.EXPIRE: S.EXPIRED},
}


class IllegalTransition(MaatwerkError):
    def __init__(self, status: DeliveryStatus, event: DeliveryEvent) -> None:
        self.status = status
        self.event = event
        extra = " (already reminded)" if event is E.REMIND and status.reminded else ""
        super().__init__(f"a prompt that is {status.state.value}{extra} cannot {event.value}")


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    state: DeliveryState = DeliveryState.SCHEDULED
    reminded: bool = False

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def open(self) -> bool:
        """Whether the patient can still answer."""
        return self.state in (S.SENT, S.DELIVERED, S.OPENED)


def allowed_events(status: DeliveryStatus) -> frozenset[DeliveryEvent]:
    events = set(_MOVES.get(status.state, {}))
    if status.reminded:
        events.discard(E.REMIND)
    return frozenset(events)


def advance(status: DeliveryStatus, event: DeliveryEvent) -> DeliveryStatus:
    """The status after ``event``; raises :class:`IllegalTransition` when the event
    cannot happen to a prompt in this status."""
    if event not in allowed_events(status):
        raise IllegalTransition(status, event)
    target = _MOVES[status.state][event]
    return replace(status, state=target, reminded=status.reminded or event is E.REMIND)
