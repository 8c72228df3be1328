"""The core's values (frozen dataclasses) to JSON and back, for storing them whole.

A screening profile, an advice or a plan's recommendation must be shown later exactly as
it was computed, even after the content changed, so the web layer stores the value
itself in a JSON column. One codec does it for every value type, guided by the
dataclass's type hints:

* a dataclass becomes an object of its fields plus ``"_type": <class name>``, so a
  member of a union of dataclasses (``ScaleEvidence | JudgementEvidence``) reads back
  as the right class;
* ``Decimal`` is kept as text (no float rounding), ``date``/``datetime`` as ISO 8601;
* tuples and lists become arrays, mappings objects (keys as text); ``None``, ``bool``,
  ``int``, ``str`` and ``Literal`` values stay as they are.

Reading is lenient the way stored rows need: a missing field takes the dataclass's
default, and an object without ``_type`` in a union takes the union's first dataclass
(rows written before the type was recorded). A formulation is stored differently, as a
validated and versioned document (``core.formulation.document``), because a clinician
edits it and it must be checked on every read.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

__all__ = ["TYPE_KEY", "JsonValue", "from_json", "to_json"]

TYPE_KEY = "_type"
T = TypeVar("T")
JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def to_json(value: object) -> Any:
    """A JSON-ready form of a core value (see the module docstring for the mapping)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {TYPE_KEY: type(value).__name__}
        for field in dataclasses.fields(value):
            data[field.name] = to_json(getattr(value, field.name))
        return data
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    return value


def from_json(cls: type[T], data: Mapping[str, Any]) -> T:
    """The value of dataclass ``cls`` stored by :func:`to_json`."""
    return _from_dict(cls, data)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _is_dataclass_type(value: object) -> typing.TypeGuard[type[Any]]:
    return isinstance(value, type) and dataclasses.is_dataclass(value)


def _from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    hints = _hints(cls)
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]
    values = {name: _decode(hints[name], data[name]) for name in names if name in data}
    return cls(**values)


def _union_member(options: tuple[Any, ...], data: Mapping[str, Any]) -> type[Any] | None:
    classes = [option for option in options if _is_dataclass_type(option)]
    named = data.get(TYPE_KEY)
    for option in classes:
        if option.__name__ == named:
            return option
    return classes[0] if classes else None


def _decode(annotation: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = tuple(a for a in typing.get_args(annotation) if a is not type(None))
        if isinstance(data, Mapping):
            member = _union_member(options, data)
            if member is not None:
                return _from_dict(member, data)
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is typing.Literal or annotation is Any:
        return data
    if origin is tuple:
        args = typing.get_args(annotation)
        if not args:
            return tuple(data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in data)
        return tuple(_decode(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is list:
        args = typing.get_args(annotation)
        return [_decode(args[0], item) for item in data] if args else list(data)
    if origin in (Mapping, dict) or annotation in (Mapping, dict):
        args = typing.get_args(annotation)
        value_type = args[1] if len(args) == 2 else Any
        return {key: _decode(value_type, item) for key, item in data.items()}
    if annotation is Decimal:
        return Decimal(str(data))
    if annotation is datetime:
        return datetime.fromisoformat(data)
    if annotation is date:
        return date.fromisoformat(data)
    if _is_dataclass_type(annotation):
        return _from_dict(annotation, data)
    return data
