"""Dutch postcodes: ``1234 AB`` (PC6) and its four-digit area part (PC4).

A postcode has four digits, the first not 0, and two letters. The letter pairs SA, SD
and SS are not issued. Spaces and case do not matter on input; the written form is
``1234 AB``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PostcodeProblem = Literal["empty", "format", "leading_zero", "letters_not_issued"]

_PATTERN = re.compile(r"^(\d{4})\s*([A-Za-z]{2})?$")
_LETTERS_NOT_ISSUED = frozenset({"SA", "SD", "SS"})


class InvalidPostcode(ValueError):
    """The text is not a Dutch postcode; ``problem`` says why (for a translated message)."""

    def __init__(self, text: str, problem: PostcodeProblem) -> None:
        super().__init__(f"{text!r} is not a Dutch postcode ({problem})")
        self.text = text
        self.problem: PostcodeProblem = problem


@dataclass(frozen=True, slots=True)
class Postcode:
    pc4: str  # "3511"
    letters: str  # "AB", or "" when only the four digits are known

    @property
    def is_complete(self) -> bool:
        return bool(self.letters)

    def __str__(self) -> str:
        return f"{self.pc4} {self.letters}" if self.letters else self.pc4


def parse_postcode(text: str, *, allow_pc4: bool = False) -> Postcode:
    """Read ``text`` as a postcode (``1234 AB``, ``1234ab``, ``1234  AB``).

    With ``allow_pc4`` four digits alone are accepted too (a search by area). Raises
    :class:`InvalidPostcode` otherwise.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidPostcode(text, "empty")
    match = _PATTERN.match(cleaned)
    if match is None or (match.group(2) is None and not allow_pc4):
        raise InvalidPostcode(text, "format")
    digits, letters = match.group(1), (match.group(2) or "").upper()
    if digits.startswith("0"):
        raise InvalidPostcode(text, "leading_zero")
    if letters in _LETTERS_NOT_ISSUED:
        raise InvalidPostcode(text, "letters_not_issued")
    return Postcode(pc4=digits, letters=letters)


def normalize_postcode(text: str, *, allow_pc4: bool = False) -> str:
    """The written form ``1234 AB`` (or ``1234``) of ``text``; raises InvalidPostcode."""
    return str(parse_postcode(text, allow_pc4=allow_pc4))
