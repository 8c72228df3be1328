"""Errors of the screening core; each lists every problem found."""

from __future__ import annotations

from maatwerk.core.common.errors import ContentDefinitionError, MaatwerkError
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = ["DefinitionProblem", "ScreeningDefinitionError", "ScreeningInputError"]


class ScreeningDefinitionError(ContentDefinitionError):
    """One or more screening content files are invalid; ``problems`` lists every problem."""

    what = "screening content"


class ScreeningInputError(MaatwerkError, ValueError):
    """A screening refers to ids the content does not know; ``problems`` names each one
    (e.g. ``"complaints: unknown complaint 'elbow'"``)."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"invalid screening input ({len(problems)} problem(s)):\n{lines}")
