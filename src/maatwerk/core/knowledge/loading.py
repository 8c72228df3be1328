"""Reading knowledge-base files: schema checks per file, then checks across files.

Every problem is reported with the file (``origin``), a JSON path such as
``$.factors[3].measures[0].scale`` and a plain-language message, all at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from maatwerk.core.common.collection_files import load_collection_file, parse_collection_file
from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.knowledge.errors import KnowledgeDefinitionError
from maatwerk.core.knowledge.model import FILE_MODELS, CollectionFile, KnowledgeBase
from maatwerk.core.knowledge.validation import validate_knowledge

SCHEMA_ID = "https://maatwerk.example/schemas/knowledge-{collection}-1.schema.json"


def parse_collection(data: object, *, origin: str) -> CollectionFile:
    """Validate one decoded file against the schema of the collection it names."""
    return parse_collection_file(
        data, origin=origin, models=FILE_MODELS, error=KnowledgeDefinitionError
    )


def load_collection_json(text: str | bytes, *, origin: str) -> CollectionFile:
    """Decode (exact decimals, no duplicate keys) and schema-check one file's text."""
    return load_collection_file(
        text, origin=origin, models=FILE_MODELS, error=KnowledgeDefinitionError
    )


def build_knowledge_base(
    files: Mapping[str, str | bytes], instruments: Iterable[Instrument]
) -> KnowledgeBase:
    """Load every file (name -> text), check each and the whole; one error lists all problems.

    Each collection must appear exactly once. References to instruments are checked
    against ``instruments`` (normally the bundled ones).
    """
    problems: list[DefinitionProblem] = []
    loaded: dict[str, CollectionFile] = {}
    origins: dict[str, str] = {}
    for origin in sorted(files):
        try:
            collection_file = load_collection_json(files[origin], origin=origin)
        except KnowledgeDefinitionError as error:
            problems.extend(error.problems)
            continue
        name = collection_file.collection
        if name in loaded:
            message = f"collection {name!r} is also in {origins[name]}"
            problems.append(DefinitionProblem(origin, "$.collection", message))
            continue
        loaded[name] = collection_file
        origins[name] = origin
    if problems:
        raise KnowledgeDefinitionError(tuple(problems))
    missing = [name for name in FILE_MODELS if name not in loaded]
    if missing:
        problem = DefinitionProblem(
            "<knowledge base>", "$", f"missing collection(s): {', '.join(missing)}"
        )
        raise KnowledgeDefinitionError((problem,))
    knowledge = KnowledgeBase.model_validate({**loaded, "origins": origins})
    found = validate_knowledge(knowledge, instruments)
    if found:
        raise KnowledgeDefinitionError(found)
    return knowledge


def knowledge_json_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema for each collection (checked in under docs/knowledge/)."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, model in FILE_MODELS.items():
        schema = model.model_json_schema(mode="validation")
        schemas[f"{name}.schema.json"] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_ID.format(collection=name),
            **schema,
            "title": f"Maatwerk knowledge base: {name}",
        }
    return schemas


def knowledge_json_schema_texts() -> dict[str, str]:
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in knowledge_json_schemas().items()
    }


def write_json_schemas(folder: str | Path) -> None:
    """Regenerate the checked-in schemas: ``write_json_schemas("docs/knowledge")``."""
    for name, text in knowledge_json_schema_texts().items():
        Path(folder, name).write_text(text, encoding="utf-8")
