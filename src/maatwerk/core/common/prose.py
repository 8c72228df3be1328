"""Prose for people, kept as content: texts looked up by key and language.

Sentences that the core puts together for a patient or a clinician (a screening
summary's lines, the names of severities and domains) are data, not code: each lives in
a prose file ``maatwerk/content/prose/<area>.json``::

    {"collection": "prose", "version": "1",
     "texts": {"patient.complaints": {"nl": "Je hebt veel last van: {items}.",
                                      "en": "You are bothered a lot by: {items}."}}}

Every text has Dutch and English and both use the same ``{placeholders}`` (checked on
load). :meth:`Prose.text` picks the reader's language the way every localized text
does (``nl-BE`` reads ``nl``; else English) and fills the placeholders. Translators edit
the JSON file; the web layer keeps using gettext for its own screens.

A new area: add the file, describe it with :func:`prose_set` and load it once with
``@cache`` (see ``core/screening/summary.py``).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import Field, StrictStr

from maatwerk.core.common.content_set import FileSet
from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.base import Frozen, NonEmptyText
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = ["Prose", "ProseContentError", "ProseFile", "load_prose", "prose_set"]

Key = StrictStr
AnyText = StrictStr  # may start with a space: a marker appended to a line


class ProseContentError(ContentDefinitionError):
    """A prose file is invalid; ``problems`` lists every problem."""

    what = "prose"


class Bilingual(Frozen):
    nl: AnyText = Field(min_length=1)
    en: AnyText = Field(min_length=1)


class ProseFile(Frozen):
    collection: Literal["prose"]
    version: NonEmptyText
    texts: dict[Key, Bilingual] = Field(min_length=1)


def prose_set(file: str) -> FileSet[ProseFile]:
    """The content set of ``content/prose/<file>``."""
    return FileSet(
        folder="prose",
        file=file,
        model=ProseFile,
        error=ProseContentError,
        schema_id=f"https://maatwerk.example/schemas/prose-{file.removesuffix('.json')}-1.schema.json",
        title=f"Maatwerk prose: {file.removesuffix('.json')}",
    )


def _placeholders(text: str) -> set[str] | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def prose_problems(prose: ProseFile, origin: str) -> Iterable[DefinitionProblem]:
    """Broken braces, and a translation that uses other placeholders than the Dutch."""
    for key, text in prose.texts.items():
        dutch, english = _placeholders(text.nl), _placeholders(text.en)
        for language, found in (("nl", dutch), ("en", english)):
            if found is None:
                yield DefinitionProblem(origin, f"$.texts.{key}.{language}", "broken braces")
        if dutch is not None and english is not None and dutch != english:
            message = f"placeholders differ: nl has {sorted(dutch)}, en has {sorted(english)}"
            yield DefinitionProblem(origin, f"$.texts.{key}", message)


class Prose:
    """The texts of one prose file, looked up by key and language."""

    def __init__(self, texts: Mapping[str, Bilingual]) -> None:
        self._texts = texts

    def __contains__(self, key: str) -> bool:
        return key in self._texts

    def text(self, key: str, language: str, **values: str) -> str:
        """The text ``key`` in ``language`` (``"nl-BE"`` counts as ``"nl"``; any other
        language reads English), with its placeholders filled from ``values``."""
        entry = self._texts[key]
        base = language.replace("_", "-").split("-")[0].lower()
        chosen = entry.nl if base == "nl" else entry.en
        return chosen.format(**values)

    def bilingual(self, key: str, **values: str) -> dict[str, str]:
        """``{"nl": …, "en": …}`` of the text ``key``, the form in which the core hands
        texts to the web layer (a ``RuleReason``'s or a ``StepDecision``'s text)."""
        return {language: self.text(key, language, **values) for language in ("nl", "en")}


def load_prose(file: str) -> Prose:
    """The bundled prose file ``content/prose/<file>``, checked."""
    content_set = prose_set(file)
    loaded = content_set.load(content_set.bundled_text(), check=prose_problems)
    return Prose(loaded.texts)
