"""Writing the scores: CSV and JSON writers and the plain-text parts of a row."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from maatwerk.cli.instruments import (
    _text,
)

if TYPE_CHECKING:
    from maatwerk.core.instruments.model import Instrument
    from maatwerk.core.instruments.scoring import InstrumentScore, SafetyFlag, ScaleScore
from maatwerk.cli.score_file.rows import _Row


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(str(value))


@dataclass(slots=True)
class _Outcome:
    row: _Row
    result: InstrumentScore | None
    errors: list[str]
    flags: tuple[SafetyFlag, ...] = ()


def _band(scale_score: ScaleScore, language: str) -> str:
    band = scale_score.band
    if band is None:
        return ""
    label = _text(band.label, language, mark=False)
    return label + (" (unverified)" if band.unverified else "")


def _cutoff_ids(scale_score: ScaleScore) -> list[str]:
    return [c.id + (" (unverified)" if c.unverified else "") for c in scale_score.cutoffs_met]


class _CsvWriter:
    def __init__(self, handle: TextIO, instrument: Instrument, has_id: bool, language: str):
        self.instrument = instrument
        self.has_id = has_id
        self.language = language
        self.writer = csv.writer(handle, lineterminator="\n")
        header = ["row", *(["id"] if has_id else [])]
        for scale in instrument.scales:
            header.append(scale.id)
            if scale.bands:
                header.append(f"{scale.id}_band")
            if scale.cutoffs:
                header.append(f"{scale.id}_cutoffs")
        if instrument.safety_rules:
            header.append("safety_flags")
        header.append("error")
        self.writer.writerow(header)

    def write(self, outcome: _Outcome) -> None:
        record: list[object] = [outcome.row.number]
        if self.has_id:
            record.append(outcome.row.respondent_id or "")
        result = outcome.result
        for scale in self.instrument.scales:
            scale_score = result.scale(scale.id) if result is not None else None
            rounded = scale_score.rounded() if scale_score is not None else None
            record.append("" if rounded is None else str(rounded))
            if scale.bands:
                record.append(_band(scale_score, self.language) if scale_score else "")
            if scale.cutoffs:
                record.append(";".join(_cutoff_ids(scale_score)) if scale_score else "")
        if self.instrument.safety_rules:
            record.append(";".join(flag.rule_id for flag in outcome.flags))
        record.append("; ".join(outcome.errors))
        self.writer.writerow(record)

    def close(self) -> None:
        pass


class _JsonWriter:
    def __init__(self, handle: TextIO, instrument: Instrument, has_id: bool, language: str):
        self.handle = handle
        self.has_id = has_id
        self.language = language
        self.first = True
        handle.write(
            f'{{"instrument": {json.dumps(instrument.code)}, '
            f'"version": {json.dumps(instrument.version)}, "results": ['
        )

    def write(self, outcome: _Outcome) -> None:
        record: dict[str, Any] = {"row": outcome.row.number}
        if self.has_id:
            record["id"] = outcome.row.respondent_id
        result = outcome.result
        record["safety_flags"] = [flag.rule_id for flag in outcome.flags]
        if result is None:
            record["scores"] = None
        else:
            scores: dict[str, Any] = {}
            for scale_score in result.scales:
                rounded = scale_score.rounded()
                scores[scale_score.scale_id] = {
                    "value": None if rounded is None else _plain_number(rounded),
                    "exact": None if scale_score.value is None else str(scale_score.value),
                    "band": _band(scale_score, self.language) or None,
                    "cutoffs_met": _cutoff_ids(scale_score),
                    "reason_unscored": scale_score.explanation.reason_unscored,
                }
            record["scores"] = scores
        record["error"] = "; ".join(outcome.errors) or None
        self.handle.write(("\n  " if self.first else ",\n  ") + json.dumps(record))
        self.first = False

    def close(self) -> None:
        self.handle.write("\n]}\n")
