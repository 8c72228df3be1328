"""Errors raised while loading the module catalogue; each lists every problem found."""

from __future__ import annotations

from maatwerk.core.common.errors import MaatwerkError
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = ["DefinitionProblem", "ModuleDefinitionError"]


class ModuleDefinitionError(MaatwerkError):
    """One or more module files are invalid; ``problems`` lists every problem."""

    def __init__(self, problems: tuple[DefinitionProblem, ...]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        count = len(problems)
        super().__init__(f"invalid module catalogue ({count} problem(s)):\n{lines}")
