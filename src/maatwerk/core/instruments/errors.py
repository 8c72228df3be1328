"""Errors raised by the instrument library; each collects every problem it found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from maatwerk.core.common.errors import ContentDefinitionError, MaatwerkError
from maatwerk.core.common.errors import DefinitionProblem as DefinitionProblem  # re-exported

AnswerProblemCode = Literal[
    "unknown_item",
    "wrong_type",
    "not_finite",
    "not_an_option",
    "out_of_range",
    "off_step",
    "required_missing",
    "not_applicable",
    "respondent_attribute_missing",
]


class InstrumentDefinitionError(ContentDefinitionError):
    """An instrument definition (data file) is invalid; ``problems`` lists every problem."""

    what = "instrument definition"


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """One problem with one answer (or with the respondent data an item needs)."""

    item_id: str
    code: AnswerProblemCode
    message: str

    def __str__(self) -> str:
        return f"{self.item_id}: {self.message}"


class InvalidResponse(MaatwerkError):
    """A set of answers cannot be scored; ``problems`` lists every problem, one per item."""

    def __init__(self, instrument: str, problems: tuple[AnswerProblem, ...]) -> None:
        self.instrument = instrument
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        count = len(problems)
        super().__init__(f"invalid answers for {instrument} ({count} problem(s)):\n{lines}")


class UnknownInstrument(MaatwerkError, LookupError):
    """No bundled instrument has this code (and version)."""

    def __init__(self, code: str, version: str | None = None) -> None:
        self.code = code
        self.version = version
        what = code if version is None else f"{code} version {version}"
        super().__init__(f"no instrument {what}")
