"""The rules of a destruction request (BW 7:455): deadline, who decides, refusal grounds."""

from __future__ import annotations

from datetime import date

import pytest

from maatwerk.core.records.destruction import (
    Decision,
    RefusalGround,
    add_months,
    days_left,
    decision_deadline,
    decision_problems,
    is_overdue,
    may_decide,
)


@pytest.mark.parametrize(
    ("requested", "deadline"),
    [
        (date(2026, 1, 15), date(2026, 4, 15)),
        (date(2026, 11, 30), date(2027, 2, 28)),  # February has no 30th
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2026, 10, 31), date(2027, 1, 31)),  # across the year
        (date(2026, 12, 31), date(2027, 3, 31)),
    ],
)
def test_the_decision_is_due_three_calendar_months_after_the_request(
    requested: date, deadline: date
) -> None:
    assert decision_deadline(requested) == deadline


def test_add_months_keeps_the_day_when_the_month_has_it() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert add_months(date(2026, 5, 1), 12) == date(2027, 5, 1)


def test_a_request_is_overdue_only_after_its_deadline_and_while_undecided() -> None:
    deadline = date(2026, 4, 15)
    assert not is_overdue(deadline=deadline, today=deadline, decided=False)
    assert is_overdue(deadline=deadline, today=date(2026, 4, 16), decided=False)
    assert not is_overdue(deadline=deadline, today=date(2026, 4, 16), decided=True)
    assert days_left(deadline=deadline, today=date(2026, 4, 10)) == 5
    assert days_left(deadline=deadline, today=date(2026, 4, 17)) == -2


def test_the_gp_decides_when_on_the_team_and_a_poh_ggz_never_does() -> None:
    gp_team = {"huisarts", "poh_ggz", "fysiotherapeut"}
    assert may_decide(discipline="huisarts", team_disciplines=gp_team)
    assert not may_decide(discipline="poh_ggz", team_disciplines=gp_team)
    assert not may_decide(discipline="fysiotherapeut", team_disciplines=gp_team)
    psychology_team = {"gz_psycholoog", "psycholoog"}
    assert may_decide(discipline="gz_psycholoog", team_disciplines=psychology_team)
    assert not may_decide(discipline="poh_ggz", team_disciplines={"poh_ggz"})
    assert not may_decide(discipline="", team_disciplines=psychology_team)


def test_a_refusal_needs_one_of_the_two_legal_grounds_and_a_reason() -> None:
    missing = decision_problems(decision=Decision.REFUSE, ground="", reason="", parts=["plan"])
    assert (missing.ground, missing.reason) == ("ground_missing", "reason_missing")
    invented = decision_problems(
        decision=Decision.REFUSE, ground="we_like_it", reason="Omdat het zo is.", parts=["plan"]
    )
    assert invented.ground == "ground_missing" and not invented.ok
    for ground in RefusalGround:
        fine = decision_problems(
            decision=Decision.REFUSE,
            ground=ground.value,
            reason="Erfelijke aandoening in de familie.",
            parts=["plan"],
        )
        assert fine.ok


def test_a_grant_needs_no_ground_but_at_least_one_part() -> None:
    assert decision_problems(decision=Decision.GRANT, ground="", reason="", parts=["plan"]).ok
    assert not decision_problems(decision=Decision.GRANT, ground="", reason="", parts=[]).ok
