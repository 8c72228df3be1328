"""The content sets an organization can edit, and building them with its own versions.

A content set is a folder of bundled JSON files, one collection per file. An
organization's version of a collection replaces that file's text; the whole set is then
validated by the same core function that validates the bundled files
(``build_knowledge_base``), so an edit can never bypass a check the bundled content has
to pass. The screening content is validated against the organization's knowledge
base, so a change to either is checked against both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import cast

from maatwerk.core.common.codec import JsonValue
from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.loading import decode_json
from maatwerk.core.instruments.registry import bundled_instruments
from maatwerk.core.knowledge.errors import KnowledgeDefinitionError
from maatwerk.core.knowledge.loading import build_knowledge_base
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.knowledge.registry import bundled_knowledge, bundled_texts
from maatwerk.core.screening.content import (
    ScreeningContent,
    build_screening_content,
    bundled_screening_content,
)
from maatwerk.core.screening.content import bundled_files as bundled_screening_texts
from maatwerk.core.screening.errors import ScreeningDefinitionError

KNOWLEDGE = "knowledge"
SCREENING = "screening"

# (content set, collection) -> the JSON text that replaces the bundled file.
Replacements = Mapping[tuple[str, str], str]


@dataclass(frozen=True)
class ContentProblem:
    """One problem found while validating, in the set and file it was found in."""

    content_set: str
    origin: str
    path: str
    message: str


class ContentInvalid(Exception):
    """The content with these replacements does not validate; ``problems`` lists all."""

    def __init__(self, problems: tuple[ContentProblem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.origin}: {p.path}: {p.message}" for p in problems))


@dataclass(frozen=True)
class BuiltContent:
    knowledge: KnowledgeBase
    screening: ScreeningContent


@dataclass(frozen=True)
class BundledFile:
    content_set: str
    collection: str
    file_name: str
    text: bytes
    version: str


@cache
def bundled_files(content_set: str) -> dict[str, BundledFile]:
    """Collection -> its bundled file, in the order of the files."""
    texts = {KNOWLEDGE: bundled_texts, SCREENING: bundled_screening_texts}.get(content_set)
    if texts is None:
        return {}
    found: dict[str, BundledFile] = {}
    for name, text in texts().items():
        data = json.loads(text)
        found[data["collection"]] = BundledFile(
            content_set, data["collection"], name, text, data["version"]
        )
    return found


def content_sets() -> tuple[str, ...]:
    """The content sets that exist in this release."""
    return tuple(name for name in (KNOWLEDGE, SCREENING) if bundled_files(name))


def bundled_file(content_set: str, collection: str) -> BundledFile | None:
    return bundled_files(content_set).get(collection)


def _texts(content_set: str, replacements: Replacements) -> dict[str, str | bytes]:
    return {
        item.file_name: replacements.get((content_set, collection), item.text)
        for collection, item in bundled_files(content_set).items()
    }


def _problems(content_set: str, found: tuple[DefinitionProblem, ...]) -> tuple[ContentProblem, ...]:
    return tuple(ContentProblem(content_set, p.origin, p.path, p.message) for p in found)


def build_content(replacements: Replacements) -> BuiltContent:
    """Every content set with ``replacements`` in place of the bundled files, validated as
    a whole (the screening content refers to the knowledge base, and both to the
    bundled instruments). Raises ``ContentInvalid`` listing every problem."""
    instruments = bundled_instruments()
    try:
        knowledge = build_knowledge_base(_texts(KNOWLEDGE, replacements), instruments)
    except KnowledgeDefinitionError as error:
        raise ContentInvalid(_problems(KNOWLEDGE, error.problems)) from None
    try:
        screening = build_screening_content(
            _texts(SCREENING, replacements), knowledge=knowledge, instruments=instruments
        )
    except ScreeningDefinitionError as error:
        raise ContentInvalid(_problems(SCREENING, error.problems)) from None
    return BuiltContent(knowledge=knowledge, screening=screening)


def bundled_content() -> BuiltContent:
    """The content as shipped (validated once per process by the core registries)."""
    return BuiltContent(knowledge=bundled_knowledge(), screening=bundled_screening_content())


# ----------------------------------------------------------------- documents as data


Document = None | bool | int | Decimal | str | list["Document"] | dict[str, "Document"]
"""A collection document as the core decodes it: JSON whose numbers are exact."""
DocumentObject = dict[str, "Document"]


def parse_document(text: str | bytes, *, origin: str) -> Document:
    """Decode a document as the core does (exact decimals, no duplicate keys)."""
    try:
        # JSON with non-integral numbers as Decimal holds nothing but these types.
        return cast(Document, decode_json(text, origin=origin))
    except InstrumentDefinitionError as error:
        raise ContentInvalid(_problems("", error.problems)) from None


def _exact(value: Document) -> JsonValue:
    if isinstance(value, Decimal):
        # Integral values stay integers; others as the shortest float that reads back as
        # the same decimal (checked by the caller, which decodes the result again).
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value


def dump_document(document: Document) -> str:
    """A document (as parsed by ``parse_document``) as JSON text that reads back the same."""
    text = json.dumps(_exact(document), indent=2, ensure_ascii=False) + "\n"
    if parse_document(text, origin="<dump>") != document:
        raise ValueError("a number cannot be written exactly")  # pragma: no cover
    return text
