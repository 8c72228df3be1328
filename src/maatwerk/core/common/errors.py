"""Errors the core raises; adapters map them to user-facing messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["ContentDefinitionError", "DefinitionProblem", "MaatwerkError"]


class MaatwerkError(Exception):
    """Base class of every error raised by the core."""


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    """One problem in a content file: where it is and what is wrong."""

    origin: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.path}: {self.message}"


class ContentDefinitionError(MaatwerkError):
    """A content set is invalid; ``problems`` lists every problem (file, JSON path,
    message). Each content set has its own subclass naming ``what`` is invalid."""

    what: ClassVar[str] = "content"

    def __init__(self, problems: tuple[DefinitionProblem, ...]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"invalid {self.what} ({len(problems)} problem(s)):\n{lines}")
