"""Reading a content file that names its own collection (knowledge base, screening,
formulation): decode it exactly, pick the schema by its ``collection`` and validate it.
Every problem is reported as a ``DefinitionProblem`` (file, JSON path, message) through
the caller's error type, so each content set keeps its own error class."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.loading import decode_json, schema_problems

FileModel = TypeVar("FileModel", bound=BaseModel)
ProblemsError = Callable[[tuple[DefinitionProblem, ...]], Exception]


def parse_collection_file(
    data: object,
    *,
    origin: str,
    models: Mapping[str, type[FileModel]],
    error: ProblemsError,
) -> FileModel:
    """Validate one decoded file against the schema of the collection it names."""
    if not isinstance(data, dict):
        raise error((DefinitionProblem(origin, "$", "the file must hold one JSON object"),))
    collection = data.get("collection")
    model = models.get(collection) if isinstance(collection, str) else None
    if model is None:
        names = ", ".join(repr(name) for name in models)
        raise error(
            (
                DefinitionProblem(
                    origin, "$.collection", f"must be one of {names} (got {collection!r})"
                ),
            )
        )
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        raise error(schema_problems(invalid, origin)) from None


def load_collection_file(
    text: str | bytes,
    *,
    origin: str,
    models: Mapping[str, type[FileModel]],
    error: ProblemsError,
) -> FileModel:
    """Decode (exact decimals, no duplicate keys) and schema-check one file's text."""
    try:
        data = decode_json(text, origin=origin)
    except InstrumentDefinitionError as undecodable:
        raise error(undecodable.problems) from None
    return parse_collection_file(data, origin=origin, models=models, error=error)
