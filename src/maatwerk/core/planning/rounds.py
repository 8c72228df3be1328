"""Rounds of a plan: at most a few modules are worked on at once.

A plan's modules, in plan order, are grouped in rounds of ``max_at_once`` (the same
grouping :func:`maatwerk.core.planning.duration.plan_weeks` uses for the duration and
:func:`maatwerk.core.planning.matching.recommend_modules` for the ``wave``). Round 1 opens
when the plan is activated; a later round opens when every module of the rounds before
it is done (completed or stopped). A clinician may open a waiting module earlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from maatwerk.core.planning.errors import PlanningInputError

RoundState = Literal["waiting", "open", "done"]


def round_of(position: int, max_at_once: int) -> int:
    """The round (1 first) of the module at ``position`` (0 first) in the plan.

    >>> [round_of(p, 3) for p in range(7)]
    [1, 1, 1, 2, 2, 2, 3]
    """
    if max_at_once < 1:
        raise PlanningInputError((f"max_at_once must be at least 1 (got {max_at_once})",))
    if position < 0:
        raise PlanningInputError((f"position must be 0 or more (got {position})",))
    return position // max_at_once + 1


@dataclass(frozen=True, slots=True)
class RoundModule:
    """One module of a plan as the rounds see it."""

    key: str
    plan_round: int
    state: RoundState


def modules_to_open(modules: Sequence[RoundModule]) -> tuple[str, ...]:
    """The waiting modules that open now: those of the first round that still waits,
    once no module of an earlier round is open. Nothing opens while an earlier round is
    being worked on.

    >>> modules_to_open([RoundModule("a", 1, "done"), RoundModule("b", 2, "waiting")])
    ('b',)
    >>> modules_to_open([RoundModule("a", 1, "open"), RoundModule("b", 2, "waiting")])
    ()
    """
    waiting = [m for m in modules if m.state == "waiting"]
    if not waiting:
        return ()
    next_round = min(m.plan_round for m in waiting)
    if any(m.state == "open" and m.plan_round < next_round for m in modules):
        return ()
    return tuple(m.key for m in waiting if m.plan_round == next_round)
