"""What reading, writing and the command share: limits, the words read for sex and
not-applicable, the row and column types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maatwerk.core.instruments.model import Sex

EXIT_ROWS_FAILED = 1
PROGRESS_THRESHOLD = 1_000
"""Files with more rows than this get a progress bar on stderr."""
MAX_UNSCORED_NOTES = 20
MAX_PROBLEM_LINES = 20
"""At most this many problem lines on stderr; the rest are counted (every row's problems
are in the output's error column). 148,000 bad rows once gave 1.3 million lines."""
MAX_SAFETY_LINES = 20
"""At most this many SAFETY lines on stderr; the summary counts them all and every flag is
in the output's safety_flags column."""

SEX_WORDS: dict[str, Sex] = {
    "female": "female",
    "f": "female",
    "vrouw": "female",
    "v": "female",
    "male": "male",
    "m": "male",
    "man": "male",
}
SEX_UNKNOWN_WORDS = frozenset({"other", "anders", "x", "unknown", "onbekend"})
"""Neither female nor male, or not recorded: items for one sex are then asked like any
other (an answer counts; "nvt" marks the item as not applying)."""
NOT_APPLICABLE_WORDS = frozenset(
    {"nvt", "n.v.t.", "n.v.t", "na", "n/a", "not applicable", "niet van toepassing"}
)
DEFAULT_ENCODING = "utf-8"
CSV_UTF8_HINT = (
    "In Excel choose Save As > 'CSV UTF-8 (door komma's gescheiden) (*.csv)' "
    "(English Excel: 'CSV UTF-8 (Comma delimited)') and run again"
)
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


class InputError(Exception):
    """The input cannot be used at all (exit code 2)."""


@dataclass(slots=True)
class _Row:
    """One response as read: its answers and any problems found while reading it."""

    number: int
    respondent_id: str | None = None
    sex: Sex | None = None
    answers: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(column or item, message); column "" for a problem with the whole row."""
    problem_items: set[str] = field(default_factory=set)
    declared_not_applicable: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Columns:
    id_column: str | None
    sex_column: str | None
    ignored: frozenset[str]
