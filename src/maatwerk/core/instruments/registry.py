"""The instruments bundled with Maatwerk (``maatwerk/content/instruments/*.json``).

Files are read with ``importlib.resources``, so this works from a wheel as well as from
a source checkout. Each file is validated on load (schema and semantics); an invalid
bundled file is a programming error and raises ``InstrumentDefinitionError`` naming the
file, the JSON path and the problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from importlib.resources.abc import Traversable
from typing import Protocol

from maatwerk.core.common.content_set import CONTENT_PACKAGE, bundled_entries
from maatwerk.core.instruments.errors import (
    DefinitionProblem,
    InstrumentDefinitionError,
    UnknownInstrument,
)
from maatwerk.core.instruments.loading import INSTRUMENTS, load_instrument_json
from maatwerk.core.instruments.model import Instrument

__all__ = [
    "CONTENT_FOLDER",
    "CONTENT_PACKAGE",
    "bundled_files",
    "bundled_instruments",
    "get_instrument",
    "load_bundled_file",
    "scale_label",
    "select_instrument",
    "threshold_problem",
]

CONTENT_FOLDER = INSTRUMENTS.folder


def bundled_files() -> tuple[Traversable, ...]:
    return bundled_entries(CONTENT_FOLDER)


def load_bundled_file(entry: Traversable) -> Instrument:
    """Load one bundled file; its name must be ``<code>-<version>.json``."""
    instrument = load_instrument_json(entry.read_bytes(), origin=entry.name)
    expected = f"{instrument.code}-{instrument.version}.json"
    if entry.name != expected:
        problem = DefinitionProblem(
            entry.name, "$", f"file name must be {expected!r} (code and version inside)"
        )
        raise InstrumentDefinitionError((problem,))
    if instrument.licensed_texts is not None:
        problem = DefinitionProblem(
            entry.name,
            "$.licensed_texts",
            "bundled files never hold an organization's licensed texts",
        )
        raise InstrumentDefinitionError((problem,))
    return instrument


@cache
def bundled_instruments() -> tuple[Instrument, ...]:
    """Every bundled instrument version, ordered by code, then version."""
    instruments = [load_bundled_file(entry) for entry in bundled_files()]
    return tuple(sorted(instruments, key=lambda i: (i.code, i.version_key)))


def select_instrument(
    instruments: Iterable[Instrument], code: str, version: str | None = None
) -> Instrument:
    """``code`` at ``version`` from ``instruments``, or its latest version (numerically:
    1.10 is after 1.9). Raises ``UnknownInstrument`` when there is none."""
    versions = [i for i in instruments if i.code == code]
    if version is not None:
        versions = [i for i in versions if i.version == version]
    if not versions:
        raise UnknownInstrument(code, version)
    return max(versions, key=lambda i: i.version_key)


class ScaleThreshold(Protocol):
    """A content entry that compares a score of a bundled instrument's scale."""

    @property
    def instrument(self) -> str: ...
    @property
    def instrument_version(self) -> str | None: ...
    @property
    def scale(self) -> str: ...
    @property
    def threshold(self) -> Decimal: ...


def threshold_problem(
    instruments: Iterable[Instrument], threshold: ScaleThreshold
) -> tuple[str, str] | None:
    """``(field, message)`` when the threshold's instrument, scale or value does not
    exist among ``instruments``; ``None`` when it does."""
    try:
        instrument = select_instrument(
            instruments, threshold.instrument, threshold.instrument_version
        )
    except UnknownInstrument as error:
        return "instrument", f"{error} is bundled"
    if not any(scale.id == threshold.scale for scale in instrument.scales):
        return "scale", (
            f"instrument {instrument.code} {instrument.version} has no scale {threshold.scale!r}"
        )
    score_range = instrument.scale(threshold.scale).range
    if not score_range.min <= threshold.threshold <= score_range.max:
        return "threshold", (
            f"threshold {threshold.threshold} is outside the scale's range "
            f"{score_range.min}-{score_range.max}"
        )
    return None


def get_instrument(code: str, version: str | None = None) -> Instrument:
    """The bundled instrument ``code`` at ``version``, or its latest version.

    Raises ``UnknownInstrument`` when there is no such instrument (version).
    """
    return select_instrument(bundled_instruments(), code, version)


def scale_label(code: str, version: str | None, scale_id: str, language: str) -> str:
    """A scale as a person reads it: "PHQ-9 totaalscore", never "phq9 total".

    The scale's own name, preceded by the instrument's short name unless the name starts
    with it; an unknown instrument or scale shows its code in capitals with the scale id.
    """
    try:
        instrument = get_instrument(code, version)
        scale = instrument.scale(scale_id)
    except (UnknownInstrument, KeyError):
        return f"{code.upper()} {scale_id}"
    name = scale.name.get(language, fallback=True) or scale_id
    return name if name.startswith(instrument.short_name) else f"{instrument.short_name} {name}"
