"""Phone numbers as written by people, parsed into one normalized form for ``tel:`` links.

Accepted: Dutch numbers written nationally (``06-12345678``, ``020-1234567``,
``0800-0113``) or internationally (``+31 6 1234 5678``, ``0031 20 123 4567``,
``+31 (0)20 123 4567``), and any international number in E.164 form (``+32 470 12 34 56``).
Spaces, hyphens, dots, slashes and brackets are ignored; anything else is refused.

The rules follow the published numbering plans, not a guess:

* ITU-T Recommendation E.164 (11/2010), §6: an international number has at most 15
  digits, and a country code never starts with 0.
* Nummerplan voor telefoon- en ISDN-diensten (the Dutch numbering plan, published by
  the Ministry of Economic Affairs on wetten.overheid.nl): Dutch numbers are 9 digits
  after the trunk prefix 0 (mobile ``6``, geographic ``1``-``5``/``7``, 85/88/91
  nomadic and corporate); the information numbers 0800 and 0900/0906/0909 have 4 or 7
  digits after the 4-digit prefix.
* The area codes with two digits after the 0 are the ones listed in that plan (010,
  013, 015, 020, 023, 024, 026, 030, 033, 035, 036, 038, 040, 043, 045, 046, 050, 053,
  055, 058, 070 to 079); they are only used to write a number the way Dutch people read
  it (``020-1234567`` rather than ``0201-234567``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["InvalidPhoneNumber", "PhoneNumber", "PhoneProblem", "parse_phone_number"]

PhoneProblem = Literal[
    "empty",
    "characters",
    "too_short",
    "too_long",
    "country_code",
    "dutch_length",
    "dutch_prefix",
]

NETHERLANDS = "31"
E164_MAX_DIGITS = 15
# The shortest numbers in use (small island states) have 7 digits with the country code.
E164_MIN_DIGITS = 7
DUTCH_NATIONAL_DIGITS = 9  # after the trunk prefix 0
DUTCH_INFORMATION_PREFIXES = ("800", "900", "906", "909")
DUTCH_INFORMATION_DIGITS = (7, 10)  # the prefix (3 digits after 0) + 4 or 7 digits
DUTCH_TWO_DIGIT_AREAS = frozenset(
    {"10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43"}
    | {"45", "46", "50", "53", "55", "58"}
    | {f"7{digit}" for digit in "0123456789"}
)
_SEPARATORS = re.compile(r"[\s\-./()]")
_TRUNK_IN_BRACKETS = re.compile(r"^\+(\d{1,3})\s*\(0\)")


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number we can call; ``problem`` says why."""

    def __init__(self, problem: PhoneProblem, text: str) -> None:
        super().__init__(f"{problem}: {text!r}")
        self.problem: PhoneProblem = problem


@dataclass(frozen=True)
class PhoneNumber:
    """A callable number: ``e164`` is ``+`` and the digits, as stored and dialled."""

    e164: str

    @property
    def is_dutch(self) -> bool:
        return self.e164.startswith("+" + NETHERLANDS)

    @property
    def tel_uri(self) -> str:
        """For a link that dials the number on a phone (RFC 3966 global number)."""
        return f"tel:{self.e164}"

    @property
    def written(self) -> str:
        """The number as people read it: Dutch numbers nationally (``06-12345678``,
        ``020-1234567``, ``0800-0113``), other numbers in E.164 form."""
        if not self.is_dutch:
            return self.e164
        national = self.e164[1 + len(NETHERLANDS) :]
        if national.startswith("6"):
            split = 1
        elif national.startswith(DUTCH_INFORMATION_PREFIXES):
            split = 3
        elif national[:2] in DUTCH_TWO_DIGIT_AREAS or national.startswith(("85", "88", "91")):
            split = 2
        else:
            split = 3
        return f"0{national[:split]}-{national[split:]}"


def parse_phone_number(text: str) -> PhoneNumber:
    """Parse a written phone number; raises :class:`InvalidPhoneNumber` with the problem."""
    stripped = text.strip()
    if not stripped:
        raise InvalidPhoneNumber("empty", text)
    # "+31 (0)20 ..." repeats the trunk prefix inside brackets: drop it before the rest.
    stripped = _TRUNK_IN_BRACKETS.sub(r"+\1", stripped)
    compact = _SEPARATORS.sub("", stripped)
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not digits:
        raise InvalidPhoneNumber("too_short", text)
    if not digits.isdigit() or not digits.isascii():
        raise InvalidPhoneNumber("characters", text)
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    if international:
        return _international(digits, text)
    if not digits.startswith("0"):
        # Without a country code or trunk prefix we cannot know where to call.
        raise InvalidPhoneNumber("dutch_prefix", text)
    return _dutch(digits[1:], text)


def _international(digits: str, text: str) -> PhoneNumber:
    if not digits or digits.startswith("0"):
        raise InvalidPhoneNumber("country_code", text)
    if digits.startswith(NETHERLANDS):
        return _dutch(digits[len(NETHERLANDS) :], text)
    if len(digits) > E164_MAX_DIGITS:
        raise InvalidPhoneNumber("too_long", text)
    if len(digits) < E164_MIN_DIGITS:
        raise InvalidPhoneNumber("too_short", text)
    return PhoneNumber("+" + digits)


def _dutch(national: str, text: str) -> PhoneNumber:
    """``national``: the digits after the trunk prefix 0 (or after +31)."""
    if not national or national.startswith("0"):
        raise InvalidPhoneNumber("dutch_prefix", text)
    if national.startswith(DUTCH_INFORMATION_PREFIXES):
        if len(national) not in DUTCH_INFORMATION_DIGITS:
            raise InvalidPhoneNumber("dutch_length", text)
    elif len(national) != DUTCH_NATIONAL_DIGITS:
        raise InvalidPhoneNumber(
            "too_short" if len(national) < DUTCH_NATIONAL_DIGITS else "too_long", text
        )
    return PhoneNumber(f"+{NETHERLANDS}{national}")
