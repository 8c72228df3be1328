"""Errors of the safety-plan core; each says exactly what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.common.errors import ContentDefinitionError, MaatwerkError

__all__ = ["EntryProblem", "SafetyPlanContentError", "SafetyPlanError"]


class SafetyPlanContentError(ContentDefinitionError):
    """The safety-plan content file is invalid; ``problems`` lists every problem."""

    what = "safety-plan content"


@dataclass(frozen=True)
class EntryProblem:
    """One problem in a submitted plan. ``index`` is the entry's position in its section
    (None for the section as a whole); ``field`` is ``text`` or ``phone`` (or ""); the
    ``code`` is mapped to a sentence in the reader's language by the caller."""

    section: str
    index: int | None
    field: str
    code: str
    limit: int = 0

    def __str__(self) -> str:
        where = self.section if self.index is None else f"{self.section}[{self.index}]"
        return f"{where}{'.' + self.field if self.field else ''}: {self.code}"


class SafetyPlanError(MaatwerkError, ValueError):
    """A submitted plan breaks a rule; ``problems`` names each, all at once."""

    def __init__(self, problems: tuple[EntryProblem, ...]) -> None:
        self.problems = problems
        super().__init__("invalid safety plan: " + "; ".join(str(p) for p in problems))
