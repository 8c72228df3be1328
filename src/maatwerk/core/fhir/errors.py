"""Errors of the FHIR mapping; each lists every problem with where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from maatwerk.core.common.errors import MaatwerkError

IssueType = Literal["structure", "required", "value", "invalid", "not-found", "not-supported"]
"""The FHIR ``OperationOutcome.issue.code`` a problem maps to."""


@dataclass(frozen=True, slots=True)
class FhirProblem:
    """One problem: a FHIRPath-like location (``QuestionnaireResponse.item[2].linkId``),
    a plain-language message and the FHIR issue type."""

    location: str
    message: str
    issue: IssueType = "invalid"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class FhirMappingError(MaatwerkError, ValueError):
    """A FHIR resource is invalid or cannot be mapped; ``problems`` lists every problem."""

    def __init__(self, what: str, problems: tuple[FhirProblem, ...]) -> None:
        self.what = what
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{what} ({len(problems)} problem(s)):\n{lines}")
