"""Reading instrument definitions from JSON: exact numbers, schema and semantic checks.

Every problem is reported with the file (``origin``), a JSON path such as
``$.scales[0].bands[2].min`` and a plain-language message, all at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from maatwerk.core.common.content_set import FolderSet
from maatwerk.core.common.json_files import decode_json, json_path, schema_problems
from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.validation import validate_instrument

__all__ = [
    "INSTRUMENTS",
    "SCHEMA_ID",
    "decode_json",
    "instrument_json_schema",
    "instrument_json_schema_text",
    "json_path",
    "load_instrument_json",
    "parse_instrument",
    "schema_problems",
]

INSTRUMENTS = FolderSet(
    folder="instruments",
    model=Instrument,
    error=InstrumentDefinitionError,
    schema_id="https://maatwerk.example/schemas/instrument-1.schema.json",
    title="Maatwerk instrument definition",
    schema_file="instrument.schema.json",
)
SCHEMA_ID = INSTRUMENTS.schema_id


def _semantic_problems(instrument: Instrument, origin: str) -> tuple[DefinitionProblem, ...]:
    return validate_instrument(instrument, origin=origin)


def parse_instrument(data: Mapping[str, object], *, origin: str = "<data>") -> Instrument:
    """Validate a decoded definition (schema, then semantics) into an ``Instrument``.

    Raises ``InstrumentDefinitionError`` listing every problem found.
    """
    instrument = INSTRUMENTS.parse(data, origin=origin)
    problems = _semantic_problems(instrument, origin)
    if problems:
        raise InstrumentDefinitionError(problems)
    return instrument


def load_instrument_json(text: str | bytes, *, origin: str) -> Instrument:
    """Parse and validate one instrument definition file's text."""
    return INSTRUMENTS.load_file(text, origin=origin, check=_semantic_problems)


def instrument_json_schema() -> dict[str, Any]:
    """The JSON Schema of a definition file (checked in as docs/instruments/...)."""
    schema: dict[str, Any] = json.loads(INSTRUMENTS.schema_text())
    return schema


def instrument_json_schema_text() -> str:
    return INSTRUMENTS.schema_text()
