"""One way to load a content set: read, schema-check, cross-check, cache, publish a schema.

Every folder of ``maatwerk/content`` (and ``bibliography.json``) is a *content set*: one or
more JSON files, each described by a pydantic model, checked against that model and then
against the rest of the content (source ids, knowledge-base ids, instruments ...). Every
problem of every file is reported at once as a ``DefinitionProblem`` (``file: $.json.path:
message``) through the set's own error class, so callers can catch ``PlanningDefinitionError``
or ``ScreeningDefinitionError`` as before.

Three descriptions cover every set:

* :class:`FileSet` - one file with one model (planning ``rules.json``, safety-plan
  ``sections.json``, analysis ``monitoring.json``, ``bibliography.json``).
* :class:`FolderSet` - a folder of files of one model (modules, instruments), each
  loaded with :meth:`FolderSet.load_file`.
* :class:`CollectionSet` - a folder of files that each name their ``collection``
  (knowledge, screening, formulation); every collection exactly once.

Recipe for a new content set (a package ``core/<area>/``):

1. Write the pydantic model(s) of the file(s) and an error class: a subclass of
   ``ContentDefinitionError`` (``core/common/errors.py``) that names ``what`` is invalid.
2. Describe the set once at module level::

       RULES = FileSet(
           folder="area", file="rules.json", model=RulesFile, error=AreaDefinitionError,
           schema_id="https://maatwerk.example/schemas/area-rules-1.schema.json",
           title="Maatwerk area rules",
       )

3. Write the reference checks as a function ``(value, origin) -> Iterable[DefinitionProblem]``
   (helpers: :func:`provenance_problems`, :func:`duplicate_id_problems`) and keep the
   package's public entry points thin::

       def build_area_rules(text, *, knowledge, origin=RULES.file):
           return RULES.load(text, origin=origin, check=lambda rules, origin: ...)

       @cache
       def bundled_area_rules():
           return build_area_rules(RULES.bundled_text(), knowledge=bundled_knowledge())

4. Publish the schema under ``docs/<area>/`` with ``RULES.write_schema("docs/area")`` and
   add the set to ``SETS`` in ``tests/core/test_content_sets.py``, which checks that every
   bundled file belongs to a described set and that every schema is the checked-in one.

Prose for people (sentences the core puts together) is a content set too: see
``maatwerk.core.common.prose``. ``docs/content.md`` lists every set.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, cast

from pydantic import BaseModel, ValidationError

from maatwerk.core.common.errors import ContentDefinitionError, DefinitionProblem
from maatwerk.core.common.json_files import decode_json, schema_problems
from maatwerk.core.instruments.errors import InstrumentDefinitionError

__all__ = [
    "CONTENT_PACKAGE",
    "CollectionProblems",
    "CollectionSet",
    "FileSet",
    "FolderSet",
    "bundled_entries",
    "bundled_folder_texts",
    "content_folder",
    "duplicate_id_problems",
    "json_schema_document",
    "json_schema_text",
    "pick",
    "provenance_problems",
    "write_schema_texts",
]

CONTENT_PACKAGE = "maatwerk.content"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Model = TypeVar("Model", bound=BaseModel)
Check = Callable[[Model, str], Iterable[DefinitionProblem]]


class _Provenance(Protocol):
    @property
    def sources(self) -> tuple[str, ...]: ...

    @property
    def unverified(self) -> bool: ...


class _NotedProvenance(_Provenance, Protocol):
    @property
    def note(self) -> str | None: ...


# ------------------------------------------------------------------ reading


def content_folder(folder: str) -> Traversable:
    """The bundled folder (``""`` for the content package itself)."""
    root = files(CONTENT_PACKAGE)
    return root.joinpath(folder) if folder else root


def bundled_entries(folder: str) -> tuple[Traversable, ...]:
    """Every ``*.json`` file of a bundled folder, sorted by name."""
    entries = (entry for entry in content_folder(folder).iterdir() if entry.name.endswith(".json"))
    return tuple(sorted(entries, key=lambda entry: entry.name))


def bundled_folder_texts(folder: str) -> dict[str, bytes]:
    """File name -> bytes of every ``*.json`` file of a bundled folder, sorted by name."""
    return {entry.name: entry.read_bytes() for entry in bundled_entries(folder)}


def _decode(text: str | bytes, origin: str, error: type[ContentDefinitionError]) -> object:
    try:
        return decode_json(text, origin=origin)
    except InstrumentDefinitionError as undecodable:
        raise error(undecodable.problems) from None


def _validate(
    data: object, model: type[Model], origin: str, error: type[ContentDefinitionError]
) -> Model:
    if not isinstance(data, dict):
        raise error((DefinitionProblem(origin, "$", "the file must hold one JSON object"),))
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        raise error(schema_problems(invalid, origin)) from None


# ------------------------------------------------------------------ schemas


def json_schema_text(model: type[BaseModel], *, schema_id: str, title: str) -> str:
    """The JSON Schema of ``model`` as checked in under ``docs/`` (2-space JSON, UTF-8)."""
    return json_schema_document(model.model_json_schema(mode="validation"), schema_id, title)


def json_schema_document(schema: Mapping[str, Any], schema_id: str, title: str) -> str:
    document = {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id, **schema, "title": title}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_schema_texts(folder: str | Path, texts: Mapping[str, str]) -> None:
    """Write generated schema texts (file name -> text) into ``folder``."""
    for name, text in texts.items():
        Path(folder, name).write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ one model per file


@dataclass(frozen=True, kw_only=True)
class _ModelFiles(Generic[Model]):
    folder: str
    model: type[Model]
    error: type[ContentDefinitionError]
    schema_id: str
    title: str

    def parse(self, data: object, *, origin: str) -> Model:
        """Schema-check one decoded file."""
        return _validate(data, self.model, origin, self.error)

    def load_file(
        self, text: str | bytes, *, origin: str, check: Check[Model] | None = None
    ) -> Model:
        """Decode (exact decimals, no duplicate keys), schema-check, then run ``check``;
        raises the set's error with every problem found."""
        value = self.parse(_decode(text, origin, self.error), origin=origin)
        problems = tuple(check(value, origin)) if check is not None else ()
        if problems:
            raise self.error(problems)
        return value

    def schema_text(self) -> str:
        return json_schema_text(self.model, schema_id=self.schema_id, title=self.title)


@dataclass(frozen=True, kw_only=True)
class FileSet(_ModelFiles[Model]):
    """A content set of one file, ``folder/file``, validated by ``model``."""

    file: str

    @property
    def schema_file(self) -> str:
        return self.file.removesuffix(".json") + ".schema.json"

    def bundled_text(self) -> bytes:
        return content_folder(self.folder).joinpath(self.file).read_bytes()

    def load(
        self, text: str | bytes, *, origin: str | None = None, check: Check[Model] | None = None
    ) -> Model:
        """``load_file`` with the set's own file name as the default origin."""
        return self.load_file(text, origin=origin or self.file, check=check)

    def write_schema(self, folder: str | Path) -> None:
        write_schema_texts(folder, {self.schema_file: self.schema_text()})


@dataclass(frozen=True, kw_only=True)
class FolderSet(_ModelFiles[Model]):
    """A folder of files of one shape (one module or instrument per file); the package
    checks each file with ``load_file`` and the folder as a whole itself."""

    schema_file: str

    def bundled_texts(self) -> dict[str, bytes]:
        return bundled_folder_texts(self.folder)

    def write_schema(self, folder: str | Path) -> None:
        write_schema_texts(folder, {self.schema_file: self.schema_text()})


# ------------------------------------------------------------------ a folder of collections


@dataclass(frozen=True, kw_only=True)
class CollectionSet(Generic[Model]):
    """A folder whose files each name their ``collection`` (one model per collection);
    ``schema_id`` has a ``{collection}`` placeholder, ``title`` prefixes each schema's."""

    folder: str
    name: str  # how problems about the whole set name it, e.g. "knowledge base"
    models: Mapping[str, type[Model]]
    error: type[ContentDefinitionError]
    schema_id: str
    title: str

    def bundled_texts(self) -> dict[str, bytes]:
        return bundled_folder_texts(self.folder)

    def parse(self, data: object, *, origin: str) -> Model:
        """Validate one decoded file against the schema of the collection it names."""
        if not isinstance(data, dict):
            raise self.error(
                (DefinitionProblem(origin, "$", "the file must hold one JSON object"),)
            )
        collection = data.get("collection")
        model = self.models.get(collection) if isinstance(collection, str) else None
        if model is None:
            names = ", ".join(repr(name) for name in self.models)
            message = f"must be one of {names} (got {collection!r})"
            raise self.error((DefinitionProblem(origin, "$.collection", message),))
        return _validate(data, model, origin, self.error)

    def load_file(self, text: str | bytes, *, origin: str) -> Model:
        return self.parse(_decode(text, origin, self.error), origin=origin)

    def load(self, texts: Mapping[str, str | bytes]) -> tuple[dict[str, Model], dict[str, str]]:
        """Every file (name -> text); every collection exactly once. Returns (collection ->
        file, collection -> file name) or raises with every problem of every file."""
        problems: list[DefinitionProblem] = []
        loaded: dict[str, Model] = {}
        origins: dict[str, str] = {}
        for origin in sorted(texts):
            try:
                parsed = self.load_file(texts[origin], origin=origin)
            except self.error as invalid:
                problems.extend(invalid.problems)
                continue
            name = str(getattr(parsed, "collection", ""))
            if name in loaded:
                message = f"collection {name!r} is also in {origins[name]}"
                problems.append(DefinitionProblem(origin, "$.collection", message))
                continue
            loaded[name] = parsed
            origins[name] = origin
        if problems:
            raise self.error(tuple(problems))
        missing = [name for name in self.models if name not in loaded]
        if missing:
            message = f"missing collection(s): {', '.join(missing)}"
            raise self.error((DefinitionProblem(f"<{self.name}>", "$", message),))
        return loaded, origins

    def schema_texts(self) -> dict[str, str]:
        """File name -> JSON Schema text per collection."""
        return {
            f"{name}.schema.json": json_schema_text(
                model,
                schema_id=self.schema_id.format(collection=name),
                title=f"{self.title}: {name}",
            )
            for name, model in self.models.items()
        }


Picked = TypeVar("Picked")


def pick(loaded: Mapping[str, object], name: str, model: type[Picked]) -> Picked:
    """The loaded collection ``name``, typed as ``model``."""
    found = loaded[name]
    if not isinstance(found, model):  # pragma: no cover - the set maps name to model
        raise TypeError(f"collection {name!r} is not a {model.__name__}")
    return found


# ------------------------------------------------------------------ reference checks


class CollectionProblems:
    """Semantic problems found across the collections of a content set, each reported
    against the file its collection came from (``origins``: collection -> file name)."""

    def __init__(self, origins: Mapping[str, str]) -> None:
        self.origins = origins
        self.found: list[DefinitionProblem] = []

    def add(self, collection: str, path: str, message: str) -> None:
        origin = self.origins.get(collection, f"{collection}.json")
        self.found.append(DefinitionProblem(origin, path, message))

    def provenance(
        self, items: Iterable[tuple[str, str, _Provenance]], source_ids: Iterable[str]
    ) -> None:
        """Every ``(collection, path, entry)`` needs known sources or ``unverified``."""
        known = set(source_ids)
        for collection, path, entry in items:
            origin = self.origins.get(collection, f"{collection}.json")
            self.found.extend(provenance_problems([(path, entry)], known, origin=origin))

    def single_source(
        self,
        collection: str,
        path: str,
        source: str | None,
        unverified: bool,
        source_ids: Collection[str],
    ) -> None:
        """An entry with one optional ``source``: known, or ``unverified: true``."""
        if source is None and not unverified:
            message = "no source; give a source id or mark it unverified: true"
            self.add(collection, path, message)
        elif source is not None and source not in source_ids:
            self.add(collection, f"{path}.source", f"unknown source {source!r}")

    def unknown_ids(
        self, collection: str, path: str, ids: Iterable[str], known: Collection[str], kind: str
    ) -> None:
        """``path[i]: unknown <kind> 'x'`` for every id of ``ids`` not in ``known``."""
        for position, item_id in enumerate(ids):
            if item_id not in known:
                self.add(collection, f"{path}[{position}]", f"unknown {kind} {item_id!r}")

    def duplicates(self, collection: str, path: str, ids: Iterable[str]) -> None:
        """``path[i]: duplicate id 'x'`` for every repeated id."""
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                self.add(collection, f"{path}[{index}]", f"duplicate id {item_id!r}")
            seen.add(item_id)


def provenance_problems(
    entries: Iterable[tuple[str, _Provenance]],
    source_ids: Iterable[str],
    *,
    origin: str,
    no_source: str = "no source; list source ids or mark it unverified: true",
    unknown_source: str = "unknown source {source!r}",
    unverified_without_note: str | None = None,
) -> Iterable[DefinitionProblem]:
    """Every entry (JSON path, provenance) needs a known source or ``unverified: true``;
    ``unknown_source`` is formatted with ``source``. With ``unverified_without_note`` an
    unverified entry must also say why in its ``note``."""
    known = set(source_ids)
    for path, entry in entries:
        if not entry.sources and not entry.unverified:
            yield DefinitionProblem(origin, path, no_source)
        if unverified_without_note and entry.unverified and not _note(entry):
            yield DefinitionProblem(origin, path, unverified_without_note)
        for position, source in enumerate(entry.sources):
            if source not in known:
                message = unknown_source.format(source=source)
                yield DefinitionProblem(origin, f"{path}.sources[{position}]", message)


def _note(entry: _Provenance) -> str | None:
    return cast(_NotedProvenance, entry).note if hasattr(entry, "note") else None


def duplicate_id_problems(
    lists: Iterable[tuple[str, Iterable[str]]],
    *,
    origin: str,
    message: str = "duplicate id {id!r}",
) -> Iterable[DefinitionProblem]:
    """Each (key, ids) list must have unique ids: a repeat is ``$.key[i].id: message``."""
    for key, ids in lists:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                yield DefinitionProblem(origin, f"$.{key}[{index}].id", message.format(id=item_id))
            seen.add(item_id)
