"""What a safety signal needs before it can close: a complete, recorded follow-up.

A signal closes only when someone spoke with the patient (when, how, by whom) and
recorded the structured risk assessment of ``follow_up.json`` and the actions taken
(safety plan, GP, acute or crisis GGZ, the next contact agreed); or, when the patient
could not be reached, the attempts and the hand-over to someone who can act. An answer
of the assessment can require an action (a high risk requires the crisis GGZ). Every
missing or impossible value is one :class:`ClosureProblem` naming its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from maatwerk.core.safety.content import BOOLEAN_ACTIONS, FollowUpContent

__all__ = ["ClosureProblem", "FollowUpRecord", "ProblemCode", "closure_problems"]

ProblemCode = Literal[
    "required",
    "unknown_option",
    "in_future",
    "before_signal",
    "not_after_contact",
    "required_when_not_reached",
    "required_by_answer",
]


@dataclass(frozen=True)
class FollowUpRecord:
    """A follow-up as recorded; ``None`` or empty means not filled in."""

    contact_outcome: Literal["reached", "not_reached"] | None = None
    contact_at: datetime | None = None
    contact_method: str | None = None
    contact_by: str = ""
    attempts: str = ""
    assessment: Mapping[str, str] = field(default_factory=dict)
    safety_plan: str | None = None
    gp_informed: bool | None = None
    crisis_ggz_involved: bool | None = None
    next_contact_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class ClosureProblem:
    field: str
    code: ProblemCode
    # For required_by_answer / required_when_not_reached: the actions of which one is needed.
    actions: tuple[str, ...] = ()


def closure_problems(
    record: FollowUpRecord,
    content: FollowUpContent,
    *,
    raised_at: datetime,
    now: datetime,
) -> tuple[ClosureProblem, ...]:
    """Every reason ``record`` does not yet allow the signal to close (empty: it may)."""
    problems: list[ClosureProblem] = []
    if record.contact_outcome is None:
        problems.append(ClosureProblem("contact_outcome", "required"))
    if record.contact_at is None:
        problems.append(ClosureProblem("contact_at", "required"))
    elif record.contact_at > now:
        problems.append(ClosureProblem("contact_at", "in_future"))
    elif record.contact_at < raised_at.replace(second=0, microsecond=0):
        # Times are entered to the minute: a call in the minute of the signal counts.
        problems.append(ClosureProblem("contact_at", "before_signal"))
    methods = {option.id for option in content.contact_methods.options}
    if not record.contact_method:
        problems.append(ClosureProblem("contact_method", "required"))
    elif record.contact_method not in methods:
        problems.append(ClosureProblem("contact_method", "unknown_option"))
    if not record.contact_by.strip():
        problems.append(ClosureProblem("contact_by", "required"))

    actions_taken = {
        "gp_informed": record.gp_informed is True,
        "crisis_ggz_involved": record.crisis_ggz_involved is True,
    }
    problems.extend(
        ClosureProblem(action, "required")
        for action in BOOLEAN_ACTIONS
        if getattr(record, action) is None
    )

    if record.contact_outcome == "reached":
        for question in content.assessment:
            answer = (record.assessment.get(question.id) or "").strip()
            if not answer:
                problems.append(ClosureProblem(question.id, "required"))
                continue
            if question.kind != "choice":
                continue
            chosen = next((o for o in question.options if o.id == answer), None)
            if chosen is None:
                problems.append(ClosureProblem(question.id, "unknown_option"))
            elif chosen.requires_any_action and not any(
                actions_taken.get(action) for action in chosen.requires_any_action
            ):
                problems.append(
                    ClosureProblem(
                        chosen.requires_any_action[0],
                        "required_by_answer",
                        chosen.requires_any_action,
                    )
                )
        plans = {option.id for option in content.safety_plan.options}
        if not record.safety_plan:
            problems.append(ClosureProblem("safety_plan", "required"))
        elif record.safety_plan not in plans:
            problems.append(ClosureProblem("safety_plan", "unknown_option"))
        if record.next_contact_at is None:
            problems.append(ClosureProblem("next_contact_at", "required"))
        elif record.contact_at is not None and record.next_contact_at <= record.contact_at:
            problems.append(ClosureProblem("next_contact_at", "not_after_contact"))
    elif record.contact_outcome == "not_reached":
        if not record.attempts.strip():
            problems.append(ClosureProblem("attempts", "required_when_not_reached"))
        needed = content.not_reached.requires_any_action
        if needed and not any(actions_taken.get(action) for action in needed):
            problems.append(ClosureProblem(needed[0], "required_when_not_reached", needed))
    return tuple(problems)
