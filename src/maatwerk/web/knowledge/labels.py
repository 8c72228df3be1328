"""Readable words for what the knowledge editor shows: every id with its name, every
source id as a citation, every questionnaire code with its name, every field and
coded value with a Dutch and English label.

The admin edits the content by its ids, so an id is never hidden: it is shown secondary,
marked as code, next to its readable label (:class:`Label`). Editorial notes are free
text written in English (as in the bundled content); they are shown as written, marked
as English, with their source ids as citations and the codes in them marked as code
(:meth:`Labeller.prose`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from maatwerk.core.bibliography import bundled_bibliography, short_citation
from maatwerk.core.instruments.registry import bundled_instruments
from maatwerk.web.knowledge import selectors
from maatwerk.web.knowledge.field_labels import FIELD_LABELS, VALUE_LABELS
from maatwerk.web.knowledge.opening import KnowledgeAccess

# Keys whose plain text is an editorial note (free text in English).
EDITORIAL_KEYS = frozenset({"note", "count_note", "reason", "skip_reason"})
# Keys whose plain text is a citation: shown as written (in no particular language).
CITATION_KEYS = frozenset({"citation"})
# Keys of an entry's readable name, most specific first.
NAME_KEYS = ("name", "clinician_name", "text", "patient_name", "maintaining_factor")
CODE_LIKE = re.compile(
    r"(?<![\w./-])(?:(?:[\w.-]+/)*[\w-]+(?:-\d+(?:\.\d+)*)?\.(?:json|md)"
    r"|[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+)"
    r"(?![\w-])"
)
WORD = re.compile(r"(?<![\w.-])[a-z][a-z0-9-]*[a-z0-9](?![\w-])")


@dataclass(frozen=True)
class Label:
    """A readable text and, when it stands for an id, that id (shown secondary as code).
    ``known`` is False for a code without a label: it is shown as code only."""

    text: str
    code: str = ""
    known: bool = True


@dataclass(frozen=True)
class Piece:
    """A part of an editorial note: words, or a code shown as code."""

    text: str
    is_code: bool = False


@dataclass(frozen=True)
class Prose:
    """Free text as written, in the language it was written in."""

    pieces: tuple[Piece, ...]
    language: str = "en"  # "": a citation, in whatever language its title has


def localized_text(value: object, language: str) -> str:
    """A ``{"nl": ..., "en": ...}`` text in ``language`` (else the other one); "" when
    ``value`` is not such a text."""
    if isinstance(value, dict) and ({"nl", "en"} & set(value)):
        for code in (language, "en", "nl"):
            text = value.get(code)
            if isinstance(text, dict):
                text = text.get("text")
            if isinstance(text, str):
                return text
    return ""


@cache
def _instrument_names(language: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for instrument in bundled_instruments():
        short = instrument.short_name or instrument.name.get(language, fallback=True) or ""
        names.setdefault(instrument.code, short or instrument.code)
    return names


@cache
def _instrument_labels(language: str) -> dict[str, str]:
    """Each bundled questionnaire's full name in ``language`` (the newest version's)."""
    labels: dict[str, str] = {}
    for instrument in sorted(bundled_instruments(), key=lambda i: i.version_key, reverse=True):
        label = instrument.name.get(language, fallback=True) or instrument.short_name
        labels.setdefault(instrument.code, label)
    return labels


def names_of(documents: Iterable[object], language: str) -> dict[str, str]:
    """Every identified entry's readable name, the first one found for an id."""
    names: dict[str, str] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            entry_id = value.get("id")
            if isinstance(entry_id, str) and entry_id not in names:
                for key in NAME_KEYS:
                    text = localized_text(value.get(key), language)
                    if text:
                        names[entry_id] = text
                        break
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for document in documents:
        walk(document)
    return names


@dataclass(frozen=True)
class Labeller:
    """Labels in one language, with the names of one organization's content."""

    language: str
    names: Mapping[str, str]  # content id -> readable name
    own_citations: Mapping[str, str]  # source id -> citation of the organization's sources

    # ------------------------------------------------------------------ texts and names

    def localized(self, value: object) -> str:
        return localized_text(value, self.language)

    def name(self, content_id: str) -> str:
        """The readable name of a content id (the id itself when it has none)."""
        if content_id in self.own_citations:
            return self.citation(content_id)
        return self.names.get(content_id) or self.instrument(content_id) or content_id

    def instrument(self, code: str) -> str:
        return _instrument_names(self.language).get(code, "")

    def citation(self, source_id: str) -> str:
        """A short readable citation of a source id."""
        if source_id in bundled_bibliography().entries:
            return short_citation(source_id)
        return self.own_citations.get(source_id, source_id)

    def source_ids(self) -> list[str]:
        """The source ids one may cite (the organization's sources collection)."""
        return sorted(self.own_citations)

    def field(self, key: str) -> Label:
        """A field of the content: its label, with the key as the code."""
        label = FIELD_LABELS.get(key)
        return Label(str(label), key) if label is not None else Label(key, key, known=False)

    def value(self, key: str, value: str) -> Label:
        """A coded value (an id, a source id, a questionnaire code, a choice) readable."""
        if key in ("source", "sources") or value in self.own_citations:
            return Label(self.citation(value), value)
        coded = VALUE_LABELS.get(value)
        if coded is not None:
            return Label(str(coded), value)
        named = self.name(value)
        if named != value:
            return Label(named, value)
        if CODE_LIKE.fullmatch(value):
            return Label(value, value, known=False)
        return Label(value)

    def measure_instrument(self, measure: Mapping[str, object]) -> str:
        """ "Patient Health Questionnaire-9 (PHQ-9) 1.0, total score" for an instrument
        measure: the questionnaire's full name in the reader's language, never its code."""
        code = str(measure.get("instrument") or "")
        version = measure.get("instrument_version")
        scale = str(measure.get("scale") or "")
        named = _instrument_labels(self.language).get(code) or self.instrument(code) or code
        scale_label = VALUE_LABELS.get(scale)
        return f"{named}{f' {version}' if version else ''}, {scale_label or scale}"

    # ------------------------------------------------------------------ editorial notes

    def prose(self, text: str, language: str = "en") -> Prose:
        """An editorial note (or a citation, ``language`` ""): its source ids as
        citations, codes in it marked as code."""
        pieces: list[Piece] = []
        position = 0
        for match in _tokens().finditer(text):
            token = match.group(0)
            replacement = self._token(token)
            if not replacement:
                continue
            pieces.append(Piece(text[position : match.start()]))
            pieces.extend(replacement)
            position = match.end()
        pieces.append(Piece(text[position:]))
        return Prose(tuple(piece for piece in pieces if piece.text), language)

    def _token(self, token: str) -> tuple[Piece, ...]:
        """A source id as its citation, a questionnaire code as its name, a content id
        as its name with the id as code, another code as code; other words as written."""
        if token in bundled_bibliography().entries or token in self.own_citations:
            return (Piece(self.citation(token)),)
        if self.instrument(token):
            return (Piece(self.instrument(token)),)
        if token in self.names:
            return (Piece(f"{self.names[token]} ("), Piece(token, is_code=True), Piece(")"))
        if CODE_LIKE.fullmatch(token):
            return (Piece(token, is_code=True),)
        return ()


@cache
def _tokens() -> re.Pattern[str]:
    return re.compile(f"{CODE_LIKE.pattern}|{WORD.pattern}")


_cache: dict[tuple[int, str], tuple[tuple[str, ...], Labeller]] = {}


def labeller_for(access: KnowledgeAccess, language: str) -> Labeller:
    """The labels of the organization's content in use (cached per set of versions)."""
    key, documents = selectors.documents_in_use(access)
    cached = _cache.get((access.organization_id, language))
    if cached is not None and cached[0] == key:
        return cached[1]
    sources = documents.get(("knowledge", "sources"))
    own: dict[str, str] = {}
    if isinstance(sources, dict):
        for source in sources.get("sources", []):
            if isinstance(source, dict) and isinstance(source.get("id"), str):
                own[source["id"]] = " ".join(str(source.get("citation") or source["id"]).split())
    labeller = Labeller(language, names_of(documents.values(), language), own)
    _cache[(access.organization_id, language)] = (key, labeller)
    return labeller
