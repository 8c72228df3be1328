"""Every source id resolves to a full citation in ``docs/sources.md``, and every entry there
is used.

Source ids are collected from three places:

* the content sets, through the project's loaders (the knowledge base's ``sources`` and
  each instrument's ``sources``) and by walking every bundled JSON file for ``source`` and
  ``sources`` fields (modules, formulation, planning and screening cite knowledge-base ids);
* code, tests and docs: every id of the publication form ``<first-author>-<year>``
  (``kroenke-2001``, ``visser-reinders-2015``) outside a web address. Such a token is a
  citation unless it is listed in ``NOT_CITATIONS`` with the reason it is not.

The bibliography is ``content/bibliography.json``; ``docs/sources.md`` is rendered from it
and must be current.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pytest

from maatwerk.core.bibliography import (
    BibliographyDefinitionError,
    BibliographyEntry,
    bibliography_json_schema_text,
    build_bibliography,
    bundled_bibliography,
    render_markdown,
)
from maatwerk.core.instruments.registry import CONTENT_PACKAGE, bundled_instruments
from maatwerk.core.knowledge.registry import bundled_knowledge

REPO = Path(__file__).resolve().parents[2]
BIBLIOGRAPHY = REPO / "docs" / "sources.md"
SCHEMA = REPO / "docs" / "bibliography.schema.json"
THIS_FILE = Path(__file__).resolve()

ENTRY_HEADING = re.compile(r"^### `([a-z0-9-]+)`$", re.MULTILINE)
# A publication id: lower-case name parts, then a year (1900-2099), as a whole token.
PUBLICATION_ID = re.compile(
    r"(?<![\w/.-])([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-(?:19|20)\d\d)(?![\w-])"
)
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")

# Tokens of the publication form that are not citations, each with the reason.
NOT_CITATIONS = {
    "kroenke-2099": "a deliberately unknown source id in an instrument validation test",
    "who-2020": "a deliberately unknown source id in a screening content test",
    "nobody-2020": "a deliberately unknown source id in a safety-plan content test",
    "demo-wachtwoord-2026": "the password of the demo accounts",
}

# Where code, tests and docs may cite a source.
SCANNED_SUFFIXES = {".py", ".md", ".html", ".txt", ".json", ".toml", ".po"}
SCANNED_FOLDERS = ("src", "tests", "docs")


def bibliography() -> dict[str, BibliographyEntry]:
    return bundled_bibliography().entries


def _content_files(folder: Traversable) -> Iterator[Traversable]:
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _content_files(entry)
        elif entry.name.endswith(".json"):
            yield entry


def _ids_in(value: Any) -> Iterator[str]:
    """Every source id a content value cites or defines, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "source" and isinstance(item, str):
                yield item
            elif key == "sources" and isinstance(item, list):
                for source in item:
                    if isinstance(source, str):
                        yield source
                    elif isinstance(source, dict) and isinstance(source.get("id"), str):
                        yield source["id"]
            yield from _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_in(item)


@cache
def content_ids() -> dict[str, set[str]]:
    """Source id -> the content files that cite or define it."""
    found: dict[str, set[str]] = {}
    for entry in _content_files(files(CONTENT_PACKAGE)):
        for source_id in _ids_in(json.loads(entry.read_bytes())):
            found.setdefault(source_id, set()).add(f"content/{entry.name}")
    return found


def loaded_ids() -> set[str]:
    """The source ids of the content sets as the loaders see them."""
    ids = {source.id for source in bundled_knowledge().sources.sources}
    for instrument in bundled_instruments():
        ids.update(source.id for source in instrument.sources)
    return ids


def _scanned_files() -> Iterator[Path]:
    for folder in SCANNED_FOLDERS:
        for path in sorted((REPO / folder).rglob("*")):
            if (
                path.suffix in SCANNED_SUFFIXES
                and path.is_file()
                and path.resolve() not in (BIBLIOGRAPHY.resolve(), THIS_FILE)
                and "content" not in path.relative_to(REPO).parts[:3]
                and "locale" not in path.parts
            ):
                yield path


@cache
def scanned_texts() -> dict[str, str]:
    """Relative path -> text, web addresses removed, of the code, tests and docs."""
    return {
        str(path.relative_to(REPO)): WEB_ADDRESS.sub(" ", path.read_text(encoding="utf-8"))
        for path in _scanned_files()
    }


def test_docs_sources_md_is_rendered_from_the_bibliography() -> None:
    # Regenerate with write_generated_files("docs") (see the top of docs/sources.md).
    assert BIBLIOGRAPHY.read_text(encoding="utf-8") == render_markdown(bundled_bibliography())
    assert SCHEMA.read_text(encoding="utf-8") == bibliography_json_schema_text()


def test_docs_sources_md_has_one_heading_per_entry() -> None:
    headings = ENTRY_HEADING.findall(BIBLIOGRAPHY.read_text(encoding="utf-8"))
    assert headings == list(bibliography())
    assert len(headings) > 50


def test_every_publication_entry_names_its_year() -> None:
    missing = sorted(
        source_id
        for source_id, entry in bibliography().items()
        if PUBLICATION_ID.fullmatch(source_id) and source_id[-4:] not in entry.citation
    )
    assert not missing, f"entries whose citation does not give the year of their id: {missing}"


def test_a_source_id_with_two_entries_is_refused() -> None:
    entry = {"id": "kroenke-2001", "citation": "Kroenke K, et al. 2001."}
    text = json.dumps(
        {
            "collection": "bibliography",
            "version": "1.0",
            "groups": [
                {"title": "One", "entries": [entry]},
                {"title": "Two", "entries": [entry]},
            ],
        }
    )
    with pytest.raises(BibliographyDefinitionError, match="'kroenke-2001' has two entries"):
        build_bibliography(text)


def test_an_entry_without_a_citation_is_refused_with_its_path() -> None:
    text = json.dumps(
        {
            "collection": "bibliography",
            "version": "1.0",
            "groups": [{"title": "One", "entries": [{"id": "kroenke-2001", "citation": ""}]}],
        }
    )
    with pytest.raises(BibliographyDefinitionError) as raised:
        build_bibliography(text)
    [problem] = raised.value.problems
    assert problem.path == "$.groups[0].entries[0].citation"


def test_the_loaders_and_the_file_walk_agree() -> None:
    # The walk must see at least every id the loaders define, or it misses a content shape.
    assert loaded_ids() <= set(content_ids())


def test_every_source_id_in_content_has_a_citation() -> None:
    unresolved = {
        source_id: sorted(where)
        for source_id, where in content_ids().items()
        if source_id not in bibliography()
    }
    assert not unresolved, (
        f"source ids in content without an entry in docs/sources.md: {unresolved}"
    )


def test_every_publication_id_in_code_tests_and_docs_has_a_citation() -> None:
    unresolved: dict[str, list[str]] = {}
    for path, text in scanned_texts().items():
        for source_id in set(PUBLICATION_ID.findall(text)):
            if source_id not in bibliography() and source_id not in NOT_CITATIONS:
                unresolved.setdefault(source_id, []).append(path)
    assert not unresolved, f"source ids without an entry in docs/sources.md: {unresolved}"


def test_every_entry_is_used() -> None:
    texts = scanned_texts().values()
    unused = sorted(
        source_id
        for source_id in bibliography()
        if source_id not in content_ids()
        and not any(
            re.search(rf"(?<![\w-]){re.escape(source_id)}(?![\w-])", text) for text in texts
        )
    )
    assert not unused, f"entries in docs/sources.md that nothing cites: {unused}"


@pytest.mark.parametrize("token", sorted(NOT_CITATIONS))
def test_a_token_that_is_not_a_citation_is_not_in_the_bibliography(token: str) -> None:
    assert token not in bibliography()
    assert any(token in text for text in scanned_texts().values()), (
        f"{token} no longer occurs; remove it from NOT_CITATIONS"
    )


# Research notes that live beside the repository, never in a user's clone. Spelled in two
# parts so that this file does not match itself.
NOTES_OUTSIDE_THE_REPOSITORY = tuple(
    name + ".md" for name in ("domain", "n1-" + "stats", "instrument-" + "sources", "design")
)


def test_nothing_cites_a_file_outside_the_repository() -> None:
    found = {
        path: [name for name in NOTES_OUTSIDE_THE_REPOSITORY if name in text]
        for path, text in scanned_texts().items()
    }
    found = {path: names for path, names in found.items() if names}
    assert not found, (
        f"cite the publication (docs/sources.md), not a note outside the repository: {found}"
    )
