"""The delivery state machine: every legal path, and every other pair refused."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.monitoring.delivery import (
    FINAL_STATES,
    DeliveryEvent,
    DeliveryState,
    DeliveryStatus,
    IllegalTransition,
    advance,
)

E, S = DeliveryEvent, DeliveryState


def _run(*events: DeliveryEvent) -> DeliveryStatus:
    status = DeliveryStatus()
    for event in events:
        status = advance(status, event)
    return status


def test_the_happy_path_and_its_short_cuts() -> None:
    assert _run(E.SEND, E.DELIVER, E.OPEN, E.ANSWER).state is S.ANSWERED
    assert _run(E.SEND, E.ANSWER).state is S.ANSWERED
    assert _run(E.SEND, E.REMIND, E.OPEN, E.ANSWER) == DeliveryStatus(S.ANSWERED, reminded=True)
    assert _run(E.SEND, E.DELIVER, E.REMIND, E.EXPIRE).state is S.EXPIRED
    assert _run(E.SEND, E.BOUNCE).state is S.BOUNCED
    assert _run(E.FAIL).state is S.FAILED
    assert _run(E.CANCEL).state is S.CANCELLED
    assert _run(E.EXPIRE).state is S.EXPIRED


def test_one_reminder_only() -> None:
    with pytest.raises(IllegalTransition, match="already reminded"):
        _run(E.SEND, E.REMIND, E.REMIND)


@pytest.mark.parametrize(
    "events",
    [
        (E.ANSWER,),  # never sent
        (E.OPEN,),
        (E.REMIND,),
        (E.SEND, E.SEND),  # sent twice
        (E.SEND, E.ANSWER, E.ANSWER),
        (E.SEND, E.EXPIRE, E.ANSWER),  # answered after expiry
        (E.SEND, E.OPEN, E.DELIVER),  # receipt after opening
        (E.SEND, E.OPEN, E.REMIND),
    ],
)
def test_impossible_stories_are_refused(events: tuple[DeliveryEvent, ...]) -> None:
    with pytest.raises(IllegalTransition):
        _run(*events)


@given(st.lists(st.sampled_from(list(E)), max_size=12))
def test_final_states_accept_nothing_and_send_happens_at_most_once(
    events: list[DeliveryEvent],
) -> None:
    status = DeliveryStatus()
    sends = 0
    for event in events:
        try:
            new = advance(status, event)
        except IllegalTransition:
            continue
        assert not status.final
        sends += event is E.SEND
        status = new
    assert sends <= 1
    for state, event in itertools.product(FINAL_STATES, E):
        with pytest.raises(IllegalTransition):
            advance(DeliveryStatus(state), event)
