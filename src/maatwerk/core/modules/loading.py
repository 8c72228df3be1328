"""Reading module files: schema checks per file, then checks against the knowledge base.

Every problem is reported with the file (``origin``), a JSON path such as
``$.steps[1].exercises[0].form[2].max`` and a plain-language message, all at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from maatwerk.core.common.content_set import FolderSet
from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.modules.errors import ModuleDefinitionError
from maatwerk.core.modules.model import Module, ModuleCatalogue
from maatwerk.core.modules.validation import validate_module

MODULES = FolderSet(
    folder="modules",
    model=Module,
    error=ModuleDefinitionError,
    schema_id="https://maatwerk.example/schemas/module-1.schema.json",
    title="Maatwerk treatment module",
    schema_file="module.schema.json",
)
SCHEMA_ID = MODULES.schema_id
SCHEMA_FILE = MODULES.schema_file


def parse_module(data: object, *, origin: str) -> Module:
    """Schema-check one decoded module file."""
    return MODULES.parse(data, origin=origin)


def load_module_json(text: str | bytes, *, origin: str) -> Module:
    """Decode (exact decimals, no duplicate keys) and schema-check one file's text."""
    return MODULES.load_file(text, origin=origin)


def catalogue_version(modules: tuple[Module, ...]) -> str:
    """A short digest of every ``id@version``: a plan records it to know what it offered."""
    listing = "\n".join(sorted(f"{module.id}@{module.version}" for module in modules))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()[:12]


def build_catalogue(
    texts: Mapping[str, str | bytes], *, knowledge: KnowledgeBase
) -> ModuleCatalogue:
    """Load every module file (name -> text) and check it; one error lists all problems.

    A file is named after its module (``g_schema.json`` holds module ``g_schema``), and
    every factor, intervention and source id must exist in ``knowledge``.
    """
    problems: list[DefinitionProblem] = []
    modules: list[Module] = []
    origins: dict[str, str] = {}
    for origin in sorted(texts):
        try:
            module = load_module_json(texts[origin], origin=origin)
        except ModuleDefinitionError as error:
            problems.extend(error.problems)
            continue
        expected_name = f"{module.id}.json"
        if Path(origin).name != expected_name:
            problems.append(
                DefinitionProblem(origin, "$.id", f"the file must be named {expected_name}")
            )
        if module.id in origins:
            problems.append(
                DefinitionProblem(
                    origin, "$.id", f"module {module.id!r} is also in {origins[module.id]}"
                )
            )
            continue
        problems.extend(validate_module(module, knowledge, origin=origin))
        modules.append(module)
        origins[module.id] = origin
    if problems:
        raise ModuleDefinitionError(tuple(problems))
    ordered = tuple(sorted(modules, key=lambda module: module.id))
    return ModuleCatalogue(modules=ordered, version=catalogue_version(ordered), origins=origins)


def module_json_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(MODULES.schema_text())
    return schema


def module_json_schema_texts() -> dict[str, str]:
    """File name -> text of each checked-in schema (under ``docs/modules/``)."""
    return {SCHEMA_FILE: MODULES.schema_text()}


def write_json_schemas(folder: str | Path) -> None:
    """Regenerate the checked-in schema: ``write_json_schemas("docs/modules")``."""
    MODULES.write_schema(folder)
