"""Reading content JSON exactly and reporting schema errors with a JSON path.

Shared by every content set (see ``content_set``): numbers are decoded as exact
decimals, a repeated key is an error, and each pydantic error becomes a
``DefinitionProblem`` (file, ``$.json.path``, plain message).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from maatwerk.core.common.untrusted_input import ensure_shallow_json
from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError

__all__ = ["decode_json", "json_path", "schema_problems"]


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r} in an object")
        result[key] = value
    return result


def json_path(location: tuple[int | str, ...]) -> str:
    """``('scales', 0, 'range', 'max')`` -> ``$.scales[0].range.max`` (union tags dropped)."""
    path = "$"
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not part.startswith("~"):
            path += f".{part}"
    return path


def _message(error: Mapping[str, Any]) -> str:
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if error["type"] in ("literal_error", "string_pattern_mismatch", "enum"):
        message += f" (got {error['input']!r})"
    return message


def schema_problems(error: ValidationError, origin: str) -> tuple[DefinitionProblem, ...]:
    errors = error.errors()
    locations = [tuple(item["loc"]) for item in errors]

    def is_echo(index: int) -> bool:
        # A list whose element failed is also reported as "too short" (the failed
        # element is not counted); that second report only confuses, so drop it.
        here = locations[index]
        return errors[index]["type"] == "too_short" and any(
            len(other) > len(here) and other[: len(here)] == here for other in locations
        )

    return tuple(
        DefinitionProblem(origin, json_path(locations[index]), _message(item))
        for index, item in enumerate(errors)
        if not is_echo(index)
    )


def decode_json(text: str | bytes, *, origin: str) -> object:
    """Decode JSON with exact decimals (``0.1`` -> ``Decimal('0.1')``), no duplicate keys."""
    try:
        # A content file (or an organization's imported file) nested deep enough would
        # exhaust the recursion of json.loads: refused first, as invalid JSON.
        ensure_shallow_json(text)
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_no_duplicate_keys,
        )
    except _DuplicateKey as error:
        problem = DefinitionProblem(origin, "$", str(error))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        problem = DefinitionProblem(origin, "$", f"invalid JSON: {error.msg} ({where})")
    except UnicodeDecodeError as error:
        problem = DefinitionProblem(origin, "$", f"not UTF-8 text: {error.reason}")
    raise InstrumentDefinitionError((problem,))
