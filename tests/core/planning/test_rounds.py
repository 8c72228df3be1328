"""Rounds of a plan (``maatwerk.core.planning.rounds``): modules in plan order are grouped
by ``max_at_once``; a later round opens only when the earlier rounds are done."""

from __future__ import annotations

import pytest

from maatwerk.core.planning.errors import PlanningInputError
from maatwerk.core.planning.rounds import RoundModule, modules_to_open, round_of


def test_nine_modules_three_at_once_make_three_rounds() -> None:
    assert [round_of(p, 3) for p in range(9)] == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_one_at_once_is_one_module_per_round() -> None:
    assert [round_of(p, 1) for p in range(3)] == [1, 2, 3]


def test_an_invalid_max_at_once_is_refused() -> None:
    with pytest.raises(PlanningInputError):
        round_of(0, 0)


def test_the_next_round_waits_while_an_earlier_module_is_open() -> None:
    modules = [
        RoundModule("a", 1, "done"),
        RoundModule("b", 1, "open"),
        RoundModule("c", 2, "waiting"),
    ]
    assert modules_to_open(modules) == ()


def test_the_next_round_opens_whole_when_the_earlier_rounds_are_done() -> None:
    modules = [
        RoundModule("a", 1, "done"),
        RoundModule("b", 1, "done"),
        RoundModule("c", 2, "waiting"),
        RoundModule("d", 2, "waiting"),
        RoundModule("e", 3, "waiting"),
    ]
    assert modules_to_open(modules) == ("c", "d")


def test_a_module_the_clinician_opened_early_does_not_hold_back_its_own_round() -> None:
    # "e" of round 3 was opened by hand; round 2 still opens after round 1.
    modules = [
        RoundModule("a", 1, "done"),
        RoundModule("c", 2, "waiting"),
        RoundModule("e", 3, "open"),
    ]
    assert modules_to_open(modules) == ("c",)


def test_nothing_waits_nothing_opens() -> None:
    assert modules_to_open([RoundModule("a", 1, "open")]) == ()
