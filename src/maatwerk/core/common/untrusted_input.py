"""Reading numbers and JSON typed by people or sent by clients, without surprises.

``str.isdigit`` is true for superscripts and other digit-like characters that ``int``
cannot read (``"²".isdigit()`` but ``int("²")`` raises), and ``int`` itself accepts
Arabic-Indic digits, underscores and thousands of digits. ``json.loads`` recurses once
per nesting level, so a body of a hundred thousand ``[`` ends in ``RecursionError``, and
it accepts ``\\u0000``, which PostgreSQL refuses to store. The readers here accept only
what a form or an API of this platform means, and refuse the rest with an ordinary error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# Deeper than any FHIR resource or exercise answer here (a FHIR Questionnaire with nested
# groups is about 12 levels deep), far below Python's recursion limit.
MAX_JSON_DEPTH = 64
MAX_WHOLE_NUMBER_DIGITS = 9

_ASCII_DIGITS = re.compile(r"[0-9]+")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
# C0 control characters other than tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def whole_number(text: str) -> int | None:
    """The number written with ASCII digits only (surrounding spaces allowed), else None.

    >>> whole_number(" 12 "), whole_number("²"), whole_number("١٢"), whole_number("-1")
    (12, None, None, None)
    """
    stripped = text.strip()
    if len(stripped) > MAX_WHOLE_NUMBER_DIGITS or not _ASCII_DIGITS.fullmatch(stripped):
        return None
    return int(stripped)


def has_control_character(text: str) -> bool:
    """Whether ``text`` holds a control character no form field or answer needs."""
    return CONTROL_CHARACTERS.search(text) is not None


class UntrustedJSONError(json.JSONDecodeError):
    """JSON that parses, or would, but is too deep or carries control characters.

    A ``JSONDecodeError``, so every caller that already handles invalid JSON handles
    this too, with the reason in ``msg``.
    """


def load_json(
    content: str | bytes,
    *,
    max_depth: int = MAX_JSON_DEPTH,
    parse_float: Callable[[str], Any] | None = None,
) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` and control characters
    (other than tab, line feed and carriage return) in any string, before they cause a
    ``RecursionError`` or a database error. Raises ``json.JSONDecodeError`` (also for
    these two refusals) or ``UnicodeDecodeError``.
    """
    text = _text(content)
    ensure_shallow_json(text, max_depth=max_depth)
    value = json.loads(text, parse_float=parse_float)
    if _has_control_character(value):
        raise UntrustedJSONError("a text contains a control character", text, 0)
    return value


def ensure_shallow_json(content: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise ``UntrustedJSONError`` when arrays and objects nest deeper than ``max_depth``;
    call before ``json.loads``, which would recurse once per level."""
    depth = 0
    without_strings = _JSON_STRING.sub('""', _text(content))
    for bracket in _JSON_BRACKET.finditer(without_strings):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > max_depth:
            raise UntrustedJSONError(
                f"nested more than {max_depth} levels deep", without_strings, bracket.start()
            )


def _text(content: str | bytes) -> str:
    if isinstance(content, bytes):
        return content.decode(json.detect_encoding(content), "surrogatepass")
    return content


def _has_control_character(value: Any) -> bool:
    # Recursion is safe: the depth was bounded before parsing.
    if isinstance(value, str):
        return has_control_character(value)
    if isinstance(value, dict):
        return any(has_control_character(k) or _has_control_character(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_control_character(item) for item in value)
    return False
