"""Reading instrument definitions from JSON: exact numbers, schema and semantic checks.

Every problem is reported with the file (``origin``), a JSON path such as
``$.scales[0].bands[2].min`` and a plain-language message, all at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from maatwerk.core.common.untrusted_input import ensure_shallow_json
from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.validation import validate_instrument

SCHEMA_ID = "https://maatwerk.example/schemas/instrument-1.schema.json"


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


def parse_instrument(data: Mapping[str, object], *, origin: str = "<data>") -> Instrument:
    """Validate a decoded definition (schema, then semantics) into an ``Instrument``.

    Raises ``InstrumentDefinitionError`` listing every problem found.
    """
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as error:
        raise InstrumentDefinitionError(schema_problems(error, origin)) from None
    problems = validate_instrument(instrument, origin=origin)
    if problems:
        raise InstrumentDefinitionError(problems)
    return instrument


def decode_json(text: str | bytes, *, origin: str) -> object:
    """Decode JSON with exact decimals (``0.1`` -> ``Decimal('0.1')``), no duplicate keys."""
    try:
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


def load_instrument_json(text: str | bytes, *, origin: str) -> Instrument:
    """Parse and validate one instrument definition file's text."""
    data = decode_json(text, origin=origin)
    if not isinstance(data, dict):
        problem = DefinitionProblem(origin, "$", "the file must hold one JSON object")
        raise InstrumentDefinitionError((problem,))
    return parse_instrument(data, origin=origin)


def instrument_json_schema() -> dict[str, Any]:
    """The JSON Schema of a definition file (checked in as docs/instruments/...)."""
    schema = Instrument.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Maatwerk instrument definition",
    }


def instrument_json_schema_text() -> str:
    return json.dumps(instrument_json_schema(), indent=2, ensure_ascii=False) + "\n"
