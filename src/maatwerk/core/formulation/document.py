"""A formulation as a stable, versioned JSON document, and what changed between two.

The document is what the web layer stores per version::

    {"format": "maatwerk.formulation", "format_version": 1,
     "complaints": [...], "consequences": [...], "goals": [...],
     "functional_analyses": [...], "tagged_factors": [...],
     "circle": {"nodes": [...], "edges": [...]}}

Every field is always written (``null`` for an absent optional value), keys in a fixed
order, so two versions compare line by line. Reading checks the format, the version,
unknown keys and types, then validates the formulation; every problem is a
``FormulationError`` with code ``invalid_document``, ``unsupported_format_version`` or
the code of the formulation problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from maatwerk.core.formulation.errors import FormulationError, Problem
from maatwerk.core.formulation.model import Formulation

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "FormulationChanges",
    "changes",
    "document_json_schema",
    "formulation_from_json",
    "formulation_to_json",
]

FORMAT = "maatwerk.formulation"
FORMAT_VERSION = 1

_ADAPTER: TypeAdapter[Formulation] = TypeAdapter(Formulation)


def document_json_schema() -> dict[str, Any]:
    """The JSON Schema of the stored document (checked in under docs/formulation/)."""
    schema: dict[str, Any] = _ADAPTER.json_schema(mode="validation")
    properties = {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        **schema["properties"],
    }
    return {
        **schema,
        "properties": properties,
        "required": ["format", "format_version", *schema.get("required", [])],
    }


def formulation_to_dict(formulation: Formulation) -> dict[str, Any]:
    body: dict[str, Any] = _ADAPTER.dump_python(formulation, mode="json")
    return {"format": FORMAT, "format_version": FORMAT_VERSION, **body}


def formulation_to_json(formulation: Formulation) -> str:
    """The document as JSON text (UTF-8 characters kept, two-space indent)."""
    return json.dumps(formulation_to_dict(formulation), ensure_ascii=False, indent=2) + "\n"


def _path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "$"


def formulation_from_json(text: str | bytes) -> Formulation:
    """The formulation in a document written by ``formulation_to_json``."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FormulationError((Problem("invalid_document", "$", f"not JSON: {error}"),)) from None
    if not isinstance(data, dict):
        raise FormulationError((Problem("invalid_document", "$", "must be a JSON object"),))
    if data.get("format") != FORMAT:
        message = f"format must be {FORMAT!r} (got {data.get('format')!r})"
        raise FormulationError((Problem("invalid_document", "format", message),))
    version = data.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        message = (
            f"format_version {version!r} is not supported (this version reads {FORMAT_VERSION})"
        )
        raise FormulationError((Problem("unsupported_format_version", "format_version", message),))
    body = {key: value for key, value in data.items() if key not in ("format", "format_version")}
    try:
        return _ADAPTER.validate_json(json.dumps(body))
    except ValidationError as error:
        problems: list[Problem] = []
        for item in error.errors():
            cause = item.get("ctx", {}).get("error")
            if isinstance(cause, FormulationError):
                # Problem paths are already relative to the formulation (a graph only
                # ever sits at ``circle``).
                problems.extend(cause.problems)
            else:
                problems.append(Problem("invalid_document", _path(tuple(item["loc"])), item["msg"]))
        raise FormulationError(tuple(problems)) from None


@dataclass(frozen=True, slots=True)
class FormulationChanges:
    """What changed from one version to the next, by id (edges by source and target)."""

    added_nodes: tuple[str, ...]
    removed_nodes: tuple[str, ...]
    changed_nodes: tuple[str, ...]
    added_consequences: tuple[str, ...]
    removed_consequences: tuple[str, ...]
    changed_consequences: tuple[str, ...]
    added_edges: tuple[tuple[str, str], ...]
    removed_edges: tuple[tuple[str, str], ...]
    changed_edges: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def _diff(old: dict[Any, Any], new: dict[Any, Any]) -> tuple[tuple[Any, ...], ...]:
    added = tuple(key for key in new if key not in old)
    removed = tuple(key for key in old if key not in new)
    changed = tuple(key for key in new if key in old and old[key] != new[key])
    return added, removed, changed


def changes(old: Formulation, new: Formulation) -> FormulationChanges:
    """Added, removed and changed nodes, consequences and edges (in the order they
    appear in ``new``, removed ones in the order of ``old``)."""
    nodes = _diff({n.id: n for n in old.circle.nodes}, {n.id: n for n in new.circle.nodes})
    consequences = _diff({c.id: c for c in old.consequences}, {c.id: c for c in new.consequences})
    edges = _diff(
        {(e.source, e.target): e for e in old.circle.edges},
        {(e.source, e.target): e for e in new.circle.edges},
    )
    return FormulationChanges(*nodes, *consequences, *edges)
