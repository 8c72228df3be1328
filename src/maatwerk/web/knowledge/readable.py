"""A collection document as readable rows for the admin pages.

Works on the JSON document itself rather than on the typed model, so every collection
(and the screening content) is shown the same way: each identified entry with its name,
its other fields, its sources and whether it is unverified. Instrument thresholds of
factors are shown as measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHOWN_APART = {"id", "name", "sources", "unverified", "note", "measures"}


@dataclass(frozen=True)
class Measure:
    position: int
    kind: str
    text: str  # e.g. "tsk total > 37" or the clinician-judgement guidance
    source: str
    unverified: bool
    note: str


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    details: list[tuple[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unverified: bool = False
    note: str = ""
    measures: list[Measure] = field(default_factory=list)

    @property
    def has_thresholds(self) -> bool:
        return any(measure.kind == "instrument_scale" for measure in self.measures)


@dataclass(frozen=True)
class Section:
    key: str
    entries: list[Entry]


def localized(value: Any, language: str) -> str:
    """A ``{"nl": ..., "en": ...}`` text in ``language`` (else the other one)."""
    if isinstance(value, dict) and ({"nl", "en"} & set(value)):
        for code in (language, "en", "nl"):
            text = value.get(code)
            if isinstance(text, dict):
                text = text.get("text")
            if isinstance(text, str):
                return text
    return shown_value(value, language)


def shown_value(value: Any, language: str) -> str:
    if isinstance(value, dict):
        if {"nl", "en"} & set(value):
            return localized(value, language)
        return "; ".join(f"{key}: {shown_value(item, language)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(shown_value(item, language) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _measure(position: int, measure: dict[str, Any], language: str) -> Measure:
    kind = str(measure.get("kind", ""))
    if kind == "instrument_scale":
        version = measure.get("instrument_version")
        instrument = f"{measure.get('instrument')}{' ' + version if version else ''}"
        rule = f"{measure.get('operator')} {measure.get('threshold')}"
        text = f"{instrument} {measure.get('scale')} {rule}"
    else:
        text = localized(measure.get("guidance"), language) if measure.get("guidance") else ""
    return Measure(
        position,
        kind,
        text,
        str(measure.get("source") or ""),
        measure.get("unverified") is True,
        str(measure.get("note") or ""),
    )


def _entry(item: dict[str, Any], language: str) -> Entry:
    measures = item.get("measures")
    return Entry(
        id=str(item["id"]),
        name=localized(item.get("name"), language) if "name" in item else "",
        details=[
            (key, shown_value(value, language))
            for key, value in item.items()
            if key not in SHOWN_APART and value not in (None, "", [], {})
        ],
        sources=[str(source) for source in item.get("sources", ()) if isinstance(source, str)],
        unverified=item.get("unverified") is True,
        note=str(item.get("note") or ""),
        measures=[
            _measure(position, measure, language)
            for position, measure in enumerate(measures)
            if isinstance(measure, dict)
        ]
        if isinstance(measures, list)
        else [],
    )


def readable_sections(document: Any, language: str) -> list[Section]:
    """One section per top-level list of identified entries (``factors``; ``interventions``
    and ``links``; ...), plus the other top-level fields as a section of their own."""
    if not isinstance(document, dict):
        return []
    sections: list[Section] = []
    for key, value in document.items():
        if isinstance(value, list) and all(
            isinstance(item, dict) and isinstance(item.get("id"), str) for item in value
        ):
            sections.append(Section(key, [_entry(item, language) for item in value]))
    return sections


@dataclass(frozen=True)
class Node:
    """One field of a nested setting: a text, or the fields below it."""

    label: str
    text: str = ""
    children: list[Node] = field(default_factory=list)


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool({"nl", "en"} & set(value))
        and set(value)
        <= {
            "nl",
            "en",
        }
    )


def tree(label: str, value: Any, language: str) -> Node:
    """A nested value as a tree of labelled fields (texts in the user's language)."""
    if _is_text(value):
        return Node(label, localized(value, language))
    if isinstance(value, dict):
        return Node(label, children=[tree(key, item, language) for key, item in value.items()])
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return Node(
            label,
            children=[
                tree(
                    str(item.get("id") or item.get("level") or item.get("care_level") or n)
                    if isinstance(item, dict)
                    else str(n),
                    item,
                    language,
                )
                for n, item in enumerate(value, start=1)
            ],
        )
    return Node(label, shown_value(value, language))


def other_fields(document: Any, language: str) -> list[Node]:
    """Top-level fields that are not lists of entries (settings and rules), as trees."""
    if not isinstance(document, dict):
        return []
    return [
        tree(key, value, language)
        for key, value in document.items()
        if key not in {"collection", "version"}
        and not (
            isinstance(value, list)
            and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
        )
    ]
