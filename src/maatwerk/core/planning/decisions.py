"""The clinician's decisions on the recommendation: accept, remove or add a module.

The software supports clinical judgement and never replaces it (a product principle): every
recommendation can be overruled, and an override is recorded with its reason. A
decision that deviates from the recommendation — removing a recommended module, adding
one that was not recommended, accepting one the patient excluded — needs a reason;
:func:`apply_decisions` refuses it otherwise (``DecisionWithoutReason``). A recommended
module without a decision stays in: the recommendation stands until it is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from maatwerk.core.planning.errors import DecisionError, DecisionWithoutReason
from maatwerk.core.planning.matching import ModuleRecommendation

__all__ = ["AcceptedModule", "DecisionAction", "PlanDecision", "apply_decisions"]

DecisionAction = Literal["accept", "remove", "add"]


@dataclass(frozen=True, slots=True)
class PlanDecision:
    module_id: str
    action: DecisionAction
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AcceptedModule:
    """A module in the plan, in order, with why it is there."""

    module_id: str
    order: int  # 1-based
    recommendation: ModuleRecommendation | None  # None: added by the clinician
    decision: PlanDecision | None  # None: the recommendation stood without a decision

    @property
    def deviates(self) -> bool:
        return self.recommendation is None or self.recommendation.status != "recommended"


_Row = tuple[str, ModuleRecommendation | None, PlanDecision | None]


def apply_decisions(
    recommendations: Sequence[ModuleRecommendation], decisions: Sequence[PlanDecision]
) -> tuple[AcceptedModule, ...]:
    """The accepted modules in plan order: the recommended order without the removed
    modules, with added modules (and excluded modules the clinician accepted) placed
    before the modules the rules put last (relapse prevention), in decision order.

    Raises ``DecisionWithoutReason`` for a deviation without a reason and
    ``DecisionError`` for two decisions on one module, removing a module that is not in
    the recommendation, or adding one that already is.
    """
    by_module = {rec.module_id: rec for rec in recommendations}
    decided: dict[str, PlanDecision] = {}
    for decision in decisions:
        if decision.module_id in decided:
            raise DecisionError(
                f"module {decision.module_id!r} has more than one decision",
                module_id=decision.module_id,
            )
        decided[decision.module_id] = decision
        _check(decision, by_module.get(decision.module_id))

    kept: list[_Row] = []
    last: list[_Row] = []
    for rec in recommendations:
        choice = decided.get(rec.module_id)
        if rec.status == "recommended" and (choice is None or choice.action == "accept"):
            (last if rec.placement == "last" else kept).append((rec.module_id, rec, choice))
    extra: list[_Row] = [
        (d.module_id, by_module.get(d.module_id), d)
        for d in decisions
        if d.action == "add"
        or (d.action == "accept" and by_module[d.module_id].status != "recommended")
    ]
    return tuple(
        AcceptedModule(module_id, order, rec, decision)
        for order, (module_id, rec, decision) in enumerate(kept + extra + last, start=1)
    )


def _check(decision: PlanDecision, rec: ModuleRecommendation | None) -> None:
    reason_given = bool(decision.reason.strip())
    module_id = decision.module_id
    if decision.action == "add":
        if rec is not None and rec.status == "recommended":
            raise DecisionError(
                f"module {module_id!r} is already recommended: accept it instead of adding it",
                module_id=module_id,
            )
        if rec is not None:
            raise DecisionError(
                f"module {module_id!r} was excluded by the patient: accept it with a reason "
                "instead of adding it",
                module_id=module_id,
            )
        if not reason_given:
            raise DecisionWithoutReason(module_id, "add", "it was not recommended")
        return
    if rec is None:
        raise DecisionError(
            f"cannot {decision.action} module {module_id!r}: it is not in the recommendation",
            module_id=module_id,
        )
    if decision.action == "remove":
        if rec.status != "recommended":
            raise DecisionError(
                f"module {module_id!r} is not recommended, so it cannot be removed",
                module_id=module_id,
            )
        if not reason_given:
            raise DecisionWithoutReason(module_id, "remove", "it was recommended")
    elif rec.status != "recommended" and not reason_given:
        raise DecisionWithoutReason(module_id, "accept", "the patient did not want it")
