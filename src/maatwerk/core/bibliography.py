"""The project's bibliography: every source id with its full citation.

The data is ``maatwerk/content/bibliography.json`` (schema:
``docs/bibliography.schema.json``); ``docs/sources.md`` is rendered from it by
:func:`render_markdown` and checked in, so readers of the repository and screens that
show a source can use the same record. The content sets keep their short citations
(``knowledge/sources.json``, each instrument's ``sources``); ``tests/core/test_sources.py``
checks that every source id used anywhere has an entry here and that every entry is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictBool, model_validator

from maatwerk.core.common.content_set import CONTENT_PACKAGE, FileSet
from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.base import Frozen, NonEmptyText, SourceId, Version

__all__ = [
    "CONTENT_PACKAGE",
    "Bibliography",
    "BibliographyDefinitionError",
    "BibliographyEntry",
    "BibliographyGroup",
    "bibliography_json_schema_text",
    "build_bibliography",
    "bundled_bibliography",
    "citations",
    "render_markdown",
    "short_citation",
    "write_generated_files",
]

BIBLIOGRAPHY_FILE = "bibliography.json"
MARKDOWN_FILE = "sources.md"


class BibliographyDefinitionError(ContentDefinitionError):
    """The bibliography file is invalid; ``problems`` lists every problem."""

    what = "bibliography"


class BibliographyEntry(Frozen):
    """One source: its id, the citation as far as it is known, and where it was read."""

    id: SourceId
    citation: NonEmptyText = Field(
        description="Authors, year, title, journal or publisher, volume and pages, DOI, as "
        "far as they were read; a detail that was not read is left out."
    )
    secondary: StrictBool = Field(
        default=False,
        description="True for a page that reports a primary source (a summary, a vendor "
        "page, a calculator site).",
    )
    read_at: tuple[NonEmptyText, ...] = Field(
        default=(), description="The web addresses of the copies that were actually read."
    )
    note: NonEmptyText | None = None


class BibliographyGroup(Frozen):
    title: NonEmptyText
    introduction: NonEmptyText | None = None
    entries: tuple[BibliographyEntry, ...] = Field(min_length=1)


class Bibliography(Frozen):
    """The whole bibliography, in groups; ids are unique across groups."""

    collection: Literal["bibliography"]
    version: Version
    groups: tuple[BibliographyGroup, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Bibliography:
        seen: set[str] = set()
        for group in self.groups:
            for entry in group.entries:
                if entry.id in seen:
                    raise ValueError(f"source id {entry.id!r} has two entries")
                seen.add(entry.id)
        return self

    @cached_property
    def entries(self) -> dict[str, BibliographyEntry]:
        """Source id -> entry, in the order of the file."""
        return {entry.id: entry for group in self.groups for entry in group.entries}


BIBLIOGRAPHY = FileSet(
    folder="",
    file=BIBLIOGRAPHY_FILE,
    model=Bibliography,
    error=BibliographyDefinitionError,
    schema_id="https://maatwerk.example/schemas/bibliography-1.schema.json",
    title="Maatwerk bibliography",
)
SCHEMA_FILE = BIBLIOGRAPHY.schema_file


def build_bibliography(text: str | bytes, *, origin: str = BIBLIOGRAPHY_FILE) -> Bibliography:
    """Decode and schema-check the bibliography file."""
    return BIBLIOGRAPHY.load(text, origin=origin)


@cache
def bundled_bibliography() -> Bibliography:
    return build_bibliography(BIBLIOGRAPHY.bundled_text())


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# "Olde Hartman TC, Blankenstein AH, ..." or "Douma WH. ...": a surname (with particles)
# followed by initials.
_AUTHOR = re.compile(
    r"^((?:[a-z]{1,3} )*[A-Z][\w'’\-]*(?: [a-z]{1,3})*(?: [A-Z][\w'’\-]+)*)"
    r" [A-Z]{1,4}(?=[,.]|$| et al)"
)
_AUTHOR_ET_AL = re.compile(r"^((?:[a-z]{1,3} )*[A-Z][\w'’\- ]*?),? et al\b")
_FIRST_SENTENCE = re.compile(r"(?<=[a-z)])\. (?=[A-Z])")
_SHORT_LENGTH = 60


def short_citation(source_id: str, bibliography: Bibliography | None = None) -> str:
    """A short readable citation for screens: "Olde Hartman et al. (2013)", "Hoedeman (2014)".

    The first author (with "et al." when there are more) or else the citation's first
    sentence, cut at about 60 characters, and the first year in the citation. An unknown
    id is returned as it is (content checks make that impossible for bundled content).
    """
    entry = (bibliography or bundled_bibliography()).entries.get(source_id)
    if entry is None:
        return source_id
    citation = " ".join(entry.citation.split())
    if found := _AUTHOR_ET_AL.match(citation):
        name = f"{found.group(1)} et al."
    elif found := _AUTHOR.match(citation):
        first = citation.split(". ", 1)[0]
        more = "," in first or " et al" in first
        name = found.group(1) + (" et al." if more else "")
    else:
        name = _FIRST_SENTENCE.split(citation, maxsplit=1)[0].rstrip(".")
        if len(name) > _SHORT_LENGTH:
            name = name[:_SHORT_LENGTH].rsplit(" ", 1)[0].rstrip(",:;") + "…"
    year = _YEAR.search(citation)
    if year is not None and year.group(0) not in name:
        name += f" ({year.group(0)})"
    return name


def citations(source_ids: Iterable[str], bibliography: Bibliography | None = None) -> str:
    """Short citations of ``source_ids`` joined by "; " (in the given order, no repeats)."""
    shown = dict.fromkeys(short_citation(source_id, bibliography) for source_id in source_ids)
    return "; ".join(shown)


def with_readable_citations(text: str, bibliography: Bibliography | None = None) -> str:
    """``text`` with every source id in it replaced by its short citation, for lines the
    core writes for its own reasoning ("change rule: … (gyani-2013)") that a screen
    shows as they are."""
    entries = (bibliography or bundled_bibliography()).entries
    found = _source_ids_in(tuple(sorted(entries, key=len, reverse=True)))
    return found.sub(lambda match: short_citation(match.group(0), bibliography), text)


@cache
def _source_ids_in(ids: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")


def bibliography_json_schema_text() -> str:
    """The JSON Schema of ``bibliography.json`` (checked in as docs/bibliography.schema.json)."""
    return BIBLIOGRAPHY.schema_text()


_INTRODUCTION = """\
# Sources

The bibliography of Maatwerk. Every source id used in the content files
(`src/maatwerk/content/`), in code, in tests and in these docs has one entry here, under a
`### ` heading with the id in backticks. `tests/core/test_sources.py` checks both ways: every
id used resolves to an entry, and every entry is used somewhere.

This page is generated from `src/maatwerk/content/bibliography.json` (schema:
[bibliography.schema.json](bibliography.schema.json)). Edit the JSON file, then run

```sh
.venv/bin/python -c 'from maatwerk.core.bibliography import write_generated_files as w; w("docs")'
```

How to read an entry:

* The first paragraph is the citation: authors, year, title, journal or publisher, volume
  and pages, DOI, as far as they are known. A detail that was not read is left out, not
  guessed.
* **Read at** is the copy that was actually read (often a publisher abstract, an archived
  copy or a secondary page), not necessarily the publisher's page.
* **Secondary source** marks a page that reports a primary source (a summary, a vendor
  page, a calculator site). Content that rests only on a secondary source is marked
  `unverified` or says so in its note.

The content files keep a short citation with each source (`knowledge/sources.json` and the
`sources` of each instrument file); this page is the full record. To add a source: add the
entry to `bibliography.json` and to the content file that uses it, in the same change.

Cite a source in code, tests and docs by its id, for example `(kroenke-2001)`. Ids of
publications have the form `<first-author>-<year>`; the test checks every such id it finds.
"""


def _entry_markdown(entry: BibliographyEntry) -> str:
    paragraphs = [f"### `{entry.id}`", entry.citation]
    addresses = " and ".join(f"<{address}>" for address in entry.read_at)
    where = ("Secondary source. " if entry.secondary else "") + (
        f"Read at: {addresses}" if addresses else ""
    )
    if where:
        paragraphs.append(where.strip())
    if entry.note:
        paragraphs.append(entry.note)
    return "\n\n".join(paragraphs)


def render_markdown(bibliography: Bibliography) -> str:
    """``docs/sources.md``: the introduction, then one section per group."""
    parts = [_INTRODUCTION.rstrip()]
    for group in bibliography.groups:
        parts.append(f"## {group.title}")
        if group.introduction:
            parts.append(group.introduction)
        parts.extend(_entry_markdown(entry) for entry in group.entries)
    return "\n\n".join(parts) + "\n"


def write_generated_files(folder: str | Path) -> None:
    """Regenerate ``sources.md`` and the schema: ``write_generated_files("docs")``."""
    Path(folder, MARKDOWN_FILE).write_text(
        render_markdown(bundled_bibliography()), encoding="utf-8"
    )
    BIBLIOGRAPHY.write_schema(folder)
