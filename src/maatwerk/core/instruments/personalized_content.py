"""What is known about each personalized measure (GAS, PSK, top problems), as content.

One file, ``maatwerk/content/personalized/measures.json`` (schema:
``docs/personalized/measures.schema.json``): per measure its name, kind, score direction,
item range, scoring rule and notes (each text in Dutch and English) and its provenance:
source ids of ``content/bibliography.json``, or ``unverified: true`` when the scoring rule
was not read in a primary source. Clinicians see this next to the scores.
:func:`measure_metadata` returns one measure's record from the bundled file, which is
loaded and checked once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal

from pydantic import Field, StrictBool

from maatwerk.core.analysis.reliable_change import ScoreDirection
from maatwerk.core.bibliography import bundled_bibliography
from maatwerk.core.common.content_set import FileSet, provenance_problems
from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.base import Frozen, Identifier, NonEmptyText, SourceId, Version
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = [
    "MEASURE_CODES",
    "PERSONALIZED_MEASURES",
    "MeasureMetadata",
    "PersonalizedMeasuresDefinitionError",
    "PersonalizedMeasuresFile",
    "bundled_personalized_measures",
    "load_personalized_measures",
    "measure_metadata",
]

MEASURE_CODES = ("gas", "psk", "top_problems")
"""The measures the core scores; the file describes each exactly once."""


class PersonalizedMeasuresDefinitionError(ContentDefinitionError):
    """The personalized-measures file is invalid; ``problems`` lists every problem."""

    what = "personalized measures"


class Text(Frozen):
    """A text a clinician reads, in Dutch and in English."""

    nl: NonEmptyText
    en: NonEmptyText

    def text(self, language: str) -> str:
        """English for ``"en"`` (and ``"en-GB"``), Dutch otherwise."""
        return self.en if language.lower().startswith("en") else self.nl


class MeasureMetadata(Frozen):
    """Provenance of a personalized measure, shown to clinicians next to its scores."""

    code: Identifier
    name: Text
    kind: Literal["method", "instrument", "maatwerk_convention"] = Field(
        description="maatwerk_convention: Maatwerk's own rule, not a validated instrument."
    )
    direction: ScoreDirection
    item_range: Text
    scoring: Text
    sources: tuple[SourceId, ...] = ()
    unverified: StrictBool = Field(
        default=False, description="True when the scoring rule was not read in a primary source."
    )
    notes: Text


class PersonalizedMeasuresFile(Frozen):
    collection: Literal["personalized_measures"]
    version: Version
    measures: tuple[MeasureMetadata, ...] = Field(min_length=1)

    def measure(self, code: str) -> MeasureMetadata:
        for measure in self.measures:
            if measure.code == code:
                return measure
        raise KeyError(code)


PERSONALIZED_MEASURES = FileSet(
    folder="personalized",
    file="measures.json",
    model=PersonalizedMeasuresFile,
    error=PersonalizedMeasuresDefinitionError,
    schema_id="https://maatwerk.example/schemas/personalized-measures-1.schema.json",
    title="Maatwerk personalized measures",
)


def load_personalized_measures(
    text: str | bytes,
    *,
    source_ids: Iterable[str],
    origin: str = PERSONALIZED_MEASURES.file,
) -> PersonalizedMeasuresFile:
    """Decode (exact, no duplicate keys), schema-check and cross-check the file: every
    source id is in ``source_ids``, every measure of :data:`MEASURE_CODES` is described
    once and no other."""
    known = frozenset(source_ids)
    return PERSONALIZED_MEASURES.load(
        text, origin=origin, check=lambda measures, where: _problems(measures, known, where)
    )


def _problems(
    content: PersonalizedMeasuresFile, source_ids: frozenset[str], origin: str
) -> Iterable[DefinitionProblem]:
    yield from provenance_problems(
        [(f"$.measures[{i}]", measure) for i, measure in enumerate(content.measures)],
        source_ids,
        origin=origin,
    )
    codes = [measure.code for measure in content.measures]
    for index, code in enumerate(codes):
        path = f"$.measures[{index}].code"
        if code not in MEASURE_CODES:
            yield DefinitionProblem(origin, path, f"unknown measure {code!r}")
        elif code in codes[:index]:
            yield DefinitionProblem(origin, path, f"measure {code!r} is described twice")
    for code in MEASURE_CODES:
        if code not in codes:
            yield DefinitionProblem(origin, "$.measures", f"measure {code!r} is missing")


@cache
def bundled_personalized_measures() -> PersonalizedMeasuresFile:
    return load_personalized_measures(
        PERSONALIZED_MEASURES.bundled_text(), source_ids=bundled_bibliography().entries
    )


def measure_metadata(code: str) -> MeasureMetadata:
    """The bundled record of the measure ``code`` (one of :data:`MEASURE_CODES`).

    Raises ``KeyError`` for any other code.
    """
    return bundled_personalized_measures().measure(code)
