"""The goal checks of step 3: which are still open or failed, with a hint for each.

A goal is good when it is feasible, concrete and in small steps (a product rule for step 3). A
check answered ``None`` is open (not asked yet), ``False`` failed; each issue carries a
short B1 hint in Dutch and English from ``explanation_texts.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from maatwerk.core.formulation.content import FormulationContent
from maatwerk.core.formulation.model import Goal
from maatwerk.core.instruments.base import Language

__all__ = ["GOAL_CHECKS", "GoalCheck", "GoalIssue", "goal_issues"]

GoalCheck = Literal["feasible", "concrete", "small_steps"]
GOAL_CHECKS: tuple[GoalCheck, ...] = ("feasible", "concrete", "small_steps")


@dataclass(frozen=True, slots=True)
class GoalIssue:
    check: GoalCheck
    state: Literal["open", "failed"]
    hint: str


def goal_issues(
    goal: Goal, *, content: FormulationContent, language: Language
) -> tuple[GoalIssue, ...]:
    """The checks of ``goal`` that are open or failed, in the order feasible, concrete,
    small steps; empty when all three are met."""
    hints = content.texts.goal_hints
    issues: list[GoalIssue] = []
    for check in GOAL_CHECKS:
        answer: bool | None = getattr(goal, check)
        if answer is True:
            continue
        state: Literal["open", "failed"] = "open" if answer is None else "failed"
        hint = getattr(hints, f"{check}_{state}").get(language)
        issues.append(GoalIssue(check, state, hint))
    return tuple(issues)
