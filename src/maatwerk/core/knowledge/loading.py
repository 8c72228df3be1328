"""Reading knowledge-base files: schema checks per file, then checks across files.

Every problem is reported with the file (``origin``), a JSON path such as
``$.factors[3].measures[0].scale`` and a plain-language message, all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from maatwerk.core.common.content_set import CollectionSet, write_schema_texts
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.knowledge.errors import KnowledgeDefinitionError
from maatwerk.core.knowledge.model import FILE_MODELS, CollectionFile, KnowledgeBase
from maatwerk.core.knowledge.validation import validate_knowledge

KNOWLEDGE = CollectionSet(
    folder="knowledge",
    name="knowledge base",
    models=FILE_MODELS,
    error=KnowledgeDefinitionError,
    schema_id="https://maatwerk.example/schemas/knowledge-{collection}-1.schema.json",
    title="Maatwerk knowledge base",
)
SCHEMA_ID = KNOWLEDGE.schema_id


def parse_collection(data: object, *, origin: str) -> CollectionFile:
    """Validate one decoded file against the schema of the collection it names."""
    return KNOWLEDGE.parse(data, origin=origin)


def load_collection_json(text: str | bytes, *, origin: str) -> CollectionFile:
    """Decode (exact decimals, no duplicate keys) and schema-check one file's text."""
    return KNOWLEDGE.load_file(text, origin=origin)


def build_knowledge_base(
    files: Mapping[str, str | bytes], instruments: Iterable[Instrument]
) -> KnowledgeBase:
    """Load every file (name -> text), check each and the whole; one error lists all problems.

    Each collection must appear exactly once. References to instruments are checked
    against ``instruments`` (normally the bundled ones).
    """
    loaded, origins = KNOWLEDGE.load(files)
    knowledge = KnowledgeBase.model_validate({**loaded, "origins": origins})
    found = validate_knowledge(knowledge, instruments)
    if found:
        raise KnowledgeDefinitionError(found)
    return knowledge


def knowledge_json_schema_texts() -> dict[str, str]:
    """File name -> JSON Schema text for each collection (checked in under docs/knowledge/)."""
    return KNOWLEDGE.schema_texts()


def write_json_schemas(folder: str | Path) -> None:
    """Regenerate the checked-in schemas: ``write_json_schemas("docs/knowledge")``."""
    write_schema_texts(folder, knowledge_json_schema_texts())
