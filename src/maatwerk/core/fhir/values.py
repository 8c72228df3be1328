"""Numbers and JSON text for FHIR resources.

FHIR JSON carries numbers as JSON numbers. Resources built here hold ``int`` for whole
numbers and ``float`` otherwise; a definition number has few digits, so its shortest
``float`` text is the same decimal (``0.1`` stays ``0.1``). Readers take a float back
through that shortest text, as the scoring engine does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from maatwerk.core.instruments.model import Instrument


def json_number(value: Decimal | Fraction | int) -> int | float:
    """``Decimal('2')`` -> ``2``; ``Decimal('2.5')`` -> ``2.5``."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return int(fraction)
    return float(fraction)


def is_whole(value: Decimal | Fraction | int) -> bool:
    return Fraction(value).denominator == 1


def number_code(value: Decimal | Fraction | int) -> str:
    """The canonical text of a value, used as an answer code: ``2``, ``2.5``, ``0.25``."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return str(fraction.numerator)
    decimal = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return format(decimal.normalize(), "f")


def read_number(value: object) -> Decimal | None:
    """A JSON number (int, float or Decimal, not bool) as an exact Decimal, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _encode(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)  # finite: the model rejects NaN and infinity
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_encode(str(k))}:{_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def definition_json(instrument: Instrument) -> str:
    """The instrument definition as compact JSON text with exact numbers (``0.30`` stays
    ``0.30``); ``maatwerk.core.instruments.loading.load_instrument_json`` reads it back
    into an equal ``Instrument``. Defaults are left out, as in the data files."""
    data: dict[str, Any] = instrument.model_dump(mode="python", exclude_defaults=True)
    return _encode(data)
