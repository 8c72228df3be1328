"""Screening values (the core's frozen dataclasses) to JSON and back.

A profile snapshot must be shown later exactly as it was computed, even after the
knowledge base changed, so the core's values are stored whole. Decimals are kept as
text (no float rounding); members of a union of dataclasses carry their type name.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from maatwerk.core.screening import model

TYPE_KEY = "_type"
T = TypeVar("T")

_DATACLASSES: dict[str, type[Any]] = {
    name: value
    for name, value in vars(model).items()
    if isinstance(value, type) and dataclasses.is_dataclass(value)
}


def to_json(value: Any) -> Any:
    """A JSON-ready form of a screening value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {TYPE_KEY: type(value).__name__}
        for field in dataclasses.fields(value):
            data[field.name] = to_json(getattr(value, field.name))
        return data
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    return value


_HINTS: dict[str, dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls.__name__ not in _HINTS:
        _HINTS[cls.__name__] = typing.get_type_hints(cls, vars(model))
    return _HINTS[cls.__name__]


def _decode(annotation: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if isinstance(data, dict) and TYPE_KEY in data:
            return _from_dict(_DATACLASSES[data[TYPE_KEY]], data)
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is typing.Literal:
        return data
    if origin in (tuple, list):
        args = typing.get_args(annotation)
        return tuple(_decode(args[0], item) for item in data) if args else tuple(data)
    if origin in (Mapping, dict) or annotation in (Mapping, dict):
        args = typing.get_args(annotation)
        value_type = args[1] if len(args) == 2 else Any
        return {key: _decode(value_type, item) for key, item in data.items()}
    if annotation is Decimal:
        return Decimal(str(data))
    if annotation is date:
        return date.fromisoformat(data)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _from_dict(annotation, data)
    return data


def _from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs = {name: _decode(hints[name], data[name]) for name in names if name in data}
    return cls(**kwargs)


def from_json(cls: type[T], data: Mapping[str, Any]) -> T:
    """The value of type ``cls`` stored by :func:`to_json`."""
    return _from_dict(cls, data)
