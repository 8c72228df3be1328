"""Which steps of a screening battery this patient gets (the skip logic).

The intake (complaints and priorities) always comes first and is not a step. A step
without a condition is always included; a step with a condition is included or skipped
on the patient's complaints, and is ``pending`` while the intake is not done.
"""

from __future__ import annotations

from functools import cache

from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.definitions import Battery, BatteryStep, ComplaintAny, ComplaintWith
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import PatientPriorities, StepDecision
from maatwerk.core.screening.texts import localized

__all__ = ["StepDecision", "plan_battery", "step_applies"]

# Why a step waits is prose in ``content/prose/battery_steps.json``.
PROSE_FILE = "battery_steps.json"


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


def plan_battery(
    battery: Battery | str,
    priorities: PatientPriorities | None,
    *,
    content: ScreeningContent,
) -> tuple[StepDecision, ...]:
    """One decision per step, in battery order. ``priorities`` is ``None`` until the
    patient has done the intake. Raises ``KeyError`` for an unknown battery id and
    ``ScreeningInputError`` for complaint ids the content does not know."""
    definition = content.battery(battery) if isinstance(battery, str) else battery
    if priorities is not None:
        unknown = [c for c in priorities.complaints if c not in _complaint_ids(content)]
        if unknown:
            raise ScreeningInputError(
                tuple(f"complaints: unknown complaint {c!r}" for c in unknown)
            )
    return tuple(_decide(step, priorities, content) for step in definition.steps)


def _complaint_ids(content: ScreeningContent) -> frozenset[str]:
    return frozenset(complaint.id for complaint in content.complaints)


def step_applies(step: BatteryStep, complaints: tuple[str, ...], content: ScreeningContent) -> bool:
    """Whether a step's condition holds for these complaint ids (no condition: always)."""
    condition = step.when
    if condition is None:
        return True
    if isinstance(condition, ComplaintWith):
        return any(content.complaint(c).pain for c in complaints)
    if isinstance(condition, ComplaintAny):
        return any(c in condition.complaint_any for c in complaints)
    raise TypeError(f"unknown step condition {condition!r}")  # pragma: no cover


def _decide(
    step: BatteryStep, priorities: PatientPriorities | None, content: ScreeningContent
) -> StepDecision:
    if step.when is None:
        return StepDecision(step.instrument, "include", localized(step.reason))
    if priorities is None:
        return StepDecision(step.instrument, "pending", _prose().bilingual("pending"))
    if step_applies(step, priorities.complaints, content):
        return StepDecision(step.instrument, "include", localized(step.reason))
    return StepDecision(step.instrument, "skip", localized(step.skip_reason))
