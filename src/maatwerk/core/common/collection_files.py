"""Reading a content file that names its own collection (knowledge base, screening,
formulation): decode it exactly, pick the schema by its ``collection`` and validate it.
Every problem is reported as a ``DefinitionProblem`` (file, JSON path, message) through
the caller's error type, so each content set keeps its own error class."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, TypeVar, cast

from pydantic import BaseModel, ValidationError

from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.loading import decode_json, schema_problems

FileModel = TypeVar("FileModel", bound=BaseModel)
ProblemsError = Callable[[tuple[DefinitionProblem, ...]], Exception]


class _Problems(Protocol):
    problems: tuple[DefinitionProblem, ...]


class CollectionProblems:
    """Semantic problems found across the collections of a content set, each reported
    against the file its collection came from (``origins``: collection -> file name)."""

    def __init__(self, origins: Mapping[str, str]) -> None:
        self.origins = origins
        self.found: list[DefinitionProblem] = []

    def add(self, collection: str, path: str, message: str) -> None:
        origin = self.origins.get(collection, f"{collection}.json")
        self.found.append(DefinitionProblem(origin, path, message))


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


def load_collections(
    texts: Mapping[str, str | bytes],
    *,
    models: Mapping[str, type[FileModel]],
    error: type[Exception],
    content_set: str,
) -> tuple[dict[str, FileModel], dict[str, str]]:
    """Every file (name -> text) of a content set, each naming its collection; every
    collection exactly once. Returns (collection -> file, collection -> file name) or
    raises ``error`` with every problem of every file at once."""
    problems: list[DefinitionProblem] = []
    loaded: dict[str, FileModel] = {}
    origins: dict[str, str] = {}
    for origin in sorted(texts):
        try:
            parsed = load_collection_file(texts[origin], origin=origin, models=models, error=error)
        except error as invalid:
            problems.extend(cast(_Problems, invalid).problems)
            continue
        name = str(getattr(parsed, "collection", ""))
        if name in loaded:
            message = f"collection {name!r} is also in {origins[name]}"
            problems.append(DefinitionProblem(origin, "$.collection", message))
            continue
        loaded[name] = parsed
        origins[name] = origin
    if problems:
        raise error(tuple(problems))
    missing = [name for name in models if name not in loaded]
    if missing:
        raise error(
            (
                DefinitionProblem(
                    f"<{content_set}>", "$", f"missing collection(s): {', '.join(missing)}"
                ),
            )
        )
    return loaded, origins


def collection_json_schema_texts(
    models: Mapping[str, type[BaseModel]], *, schema_id: str, title: str
) -> dict[str, str]:
    """File name -> JSON Schema text per collection (``schema_id`` has ``{collection}``;
    ``title`` is prefixed to the collection name)."""
    texts: dict[str, str] = {}
    for name, model in models.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": schema_id.format(collection=name),
            **model.model_json_schema(mode="validation"),
            "title": f"{title}: {name}",
        }
        texts[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return texts


def write_schema_texts(folder: str | Path, texts: Mapping[str, str]) -> None:
    """Write generated schema texts (file name -> text) into ``folder``."""
    for name, text in texts.items():
        Path(folder, name).write_text(text, encoding="utf-8")
