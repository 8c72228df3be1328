"""Measurements as tables for the clinician: values, scores and change since the first
measurement, computed by the core (:mod:`maatwerk.core.instruments.personalized`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from maatwerk.core.bibliography import bundled_bibliography
from maatwerk.core.instruments.personalized import (
    ProblemRating,
    PskActivity,
    psk_change,
    psk_score,
    top_problems_change,
    top_problems_score,
)
from maatwerk.core.instruments.personalized_content import MeasureMetadata, measure_metadata
from maatwerk.web.personalized.models import MeasureItem, Measurement, MeasureSet


@dataclass(frozen=True)
class Cell:
    label: str  # the item's name
    value: int | None  # None when the item was not rated
    change: int | None  # since the first measurement; None in the first row


@dataclass(frozen=True)
class Row:
    measured_on: date
    entered_by: str
    cells: tuple[Cell, ...]  # in item order
    score: float
    score_change: float | None
    first: bool


@dataclass(frozen=True)
class Source:
    """A source of a measure as its bibliography entry gives it."""

    citation: str
    read_at: tuple[str, ...]  # web addresses of the copies that were read
    note: str  # in English, as the bibliography keeps it; "" when it has none


@dataclass(frozen=True)
class SetTable:
    measure_set: MeasureSet
    items: tuple[MeasureItem, ...]
    rows: tuple[Row, ...]
    metadata: MeasureMetadata
    name: str
    scoring: str
    notes: str
    sources: tuple[Source, ...]
    is_convention: bool


def _sources(metadata: MeasureMetadata) -> tuple[Source, ...]:
    entries = bundled_bibliography().entries
    return tuple(
        Source(
            citation=entries[source_id].citation,
            read_at=entries[source_id].read_at,
            note=entries[source_id].note or "",
        )
        for source_id in metadata.sources
    )


def _values(measurement: Measurement) -> dict[int, int]:
    return {value.item_id: value.value for value in measurement.values.all()}


def _changes(
    kind: str, items: tuple[MeasureItem, ...], first: dict[int, int], later: dict[int, int]
) -> tuple[dict[int, int], float | None]:
    """Per-item change (item pk → after − before) and the change of the total or mean."""
    by_key = {str(item.public_id): item.pk for item in items}
    if kind == MeasureSet.Kind.PSK:
        psk = psk_change(
            before=psk_score(
                [PskActivity(i.name, first[i.pk], str(i.public_id)) for i in items if i.pk in first]
            ),
            after=psk_score(
                [PskActivity(i.name, later[i.pk], str(i.public_id)) for i in items if i.pk in later]
            ),
        )
        per_item = {by_key[c.key]: c.change for c in psk.activities}
        return per_item, float(psk.total_change) if psk.total_change is not None else None
    if kind == MeasureSet.Kind.TOP_PROBLEMS:
        top = top_problems_change(
            before=top_problems_score(
                [
                    ProblemRating(i.name, first[i.pk], str(i.public_id))
                    for i in items
                    if i.pk in first
                ]
            ),
            after=top_problems_score(
                [
                    ProblemRating(i.name, later[i.pk], str(i.public_id))
                    for i in items
                    if i.pk in later
                ]
            ),
        )
        return {by_key[c.key]: c.change for c in top.problems}, top.mean_change
    # GAS: the change of each goal's level; the T-score change is taken by the caller.
    return {pk: later[pk] - first[pk] for pk in later if pk in first}, None


def set_table(
    measure_set: MeasureSet, measurements: list[Measurement], *, language: str
) -> SetTable:
    items = tuple(measure_set.items.all())
    metadata = measure_metadata(measure_set.kind)
    rows: list[Row] = []
    first_values: dict[int, int] | None = None
    first_score: float | None = None
    for measurement in measurements:
        values = _values(measurement)
        score = float(measurement.score)
        if first_values is None:
            first_values, first_score = values, score
            per_item: dict[int, int] = {}
            score_change: float | None = None
            is_first = True
        else:
            per_item, score_change = _changes(measure_set.kind, items, first_values, values)
            if measure_set.kind == MeasureSet.Kind.GAS and first_score is not None:
                score_change = score - first_score
            is_first = False
        rows.append(
            Row(
                measured_on=measurement.measured_on,
                entered_by=str(measurement.entered_by),
                cells=tuple(
                    Cell(label=item.name, value=values.get(item.pk), change=per_item.get(item.pk))
                    for item in items
                ),
                score=score,
                score_change=score_change,
                first=is_first,
            )
        )
    return SetTable(
        measure_set=measure_set,
        items=items,
        rows=tuple(rows),
        metadata=metadata,
        name=metadata.name.text(language),
        scoring=metadata.scoring.text(language),
        notes=metadata.notes.text(language),
        sources=_sources(metadata),
        is_convention=metadata.kind == "maatwerk_convention",
    )


@dataclass(frozen=True)
class Previous:
    """The last measurement of a set, shown when rating again (the PSK prescribes it)."""

    measured_on: date
    values: dict[str, int]  # item public id → value


def previous_of(measurements: list[Measurement]) -> Previous | None:
    if not measurements:
        return None
    last = measurements[-1]
    return Previous(
        measured_on=last.measured_on,
        values={str(value.item.public_id): value.value for value in last.values.all()},
    )
