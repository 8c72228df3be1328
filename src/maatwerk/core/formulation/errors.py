"""Errors of the formulation core: every problem has a stable code, a path and a message.

Adapters translate a problem by its ``code`` (the message is English, for logs and
developers); ``path`` points at the field, e.g. ``circle.edges[2].target``, so a form can
show the error next to the input it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from maatwerk.core.common.errors import ContentDefinitionError, MaatwerkError
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = [
    "DefinitionProblem",
    "DiagramRenderError",
    "FormulationContentError",
    "FormulationError",
    "Problem",
    "ProblemCode",
]

ProblemCode = Literal[
    "invalid_id",
    "duplicate_id",
    "empty_text",
    "empty_label",
    "unknown_node",
    "self_loop",
    "duplicate_edge",
    "unknown_consequence",
    "unknown_goal",
    "unknown_complaint",
    "unknown_factor",
    "invalid_document",
    "unsupported_format_version",
    "too_complex",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One invalid input: a stable ``code``, where it is (``path``) and what is wrong."""

    code: ProblemCode
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


class FormulationError(MaatwerkError, ValueError):
    """A formulation (or a part of it) is invalid; ``problems`` lists every problem and
    ``code`` is the code of the first."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        if not problems:
            raise ValueError("a FormulationError needs at least one problem")
        self.problems = problems
        self.code: ProblemCode = problems[0].code
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"invalid formulation ({len(problems)} problem(s)):\n{lines}")


class FormulationContentError(ContentDefinitionError):
    """The formulation content files are invalid; ``problems`` lists every problem."""

    what = "formulation content"


class DiagramRenderError(MaatwerkError):
    """Graphviz ``dot`` is missing, timed out or failed; the message says which."""
