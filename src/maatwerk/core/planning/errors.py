"""Errors of the planning core; each says exactly what is wrong and where."""

from __future__ import annotations

from maatwerk.core.common.errors import ContentDefinitionError, MaatwerkError

__all__ = [
    "BaselineError",
    "DecisionError",
    "DecisionWithoutReason",
    "GradedActivityError",
    "PlanError",
    "PlanningDefinitionError",
    "PlanningInputError",
    "TooFewBaselineDays",
]


class PlanningDefinitionError(ContentDefinitionError):
    """The planning rules file is invalid; ``problems`` lists every problem."""

    what = "planning rules"


class PlanningInputError(MaatwerkError, ValueError):
    """Input to the planning refers to unknown ids or breaks a rule; ``problems`` names
    each (e.g. ``"excluded module 'yoga' is not in the catalogue"``)."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"invalid planning input ({len(problems)} problem(s)):\n{lines}")


class DecisionError(MaatwerkError, ValueError):
    """A clinician's plan decision cannot be applied (unknown module, conflicting or
    duplicate decisions). ``module_id`` names the module the decision is about, so a
    caller never has to read it out of the message."""

    def __init__(self, message: str, *, module_id: str) -> None:
        self.module_id = module_id
        super().__init__(message)


class DecisionWithoutReason(DecisionError):
    """A decision deviates from the recommendation but gives no reason."""

    def __init__(self, module_id: str, action: str, why_deviation: str) -> None:
        self.action = action
        super().__init__(
            f"{action} module {module_id!r}: a reason is required, because {why_deviation}",
            module_id=module_id,
        )


class GradedActivityError(MaatwerkError, ValueError):
    """Invalid graded-activity input: a baseline, parameters or a log entry."""


class BaselineError(GradedActivityError):
    """The baseline log cannot be summarized (negative minutes, a day logged twice)."""


class TooFewBaselineDays(BaselineError):
    """Fewer days were logged than the baseline needs."""

    def __init__(self, logged: int, required: int) -> None:
        self.logged = logged
        self.required = required
        super().__init__(
            f"the baseline has {logged} logged day(s); at least {required} are needed "
            "before quotas can be set"
        )


class PlanError(MaatwerkError, ValueError):
    """A plan value is inconsistent (duplicate module, goal levels missing, dates)."""
