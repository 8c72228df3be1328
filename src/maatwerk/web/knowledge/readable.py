"""A collection document as readable rows for the admin pages.

Works on the JSON document itself rather than on the typed model, so every collection
(and the screening content) is shown the same way: each identified entry with its name,
its other fields, its sources and whether it is unverified. Instrument thresholds of
factors are shown as measures. Every field, id, source and coded value is shown with its
label (:mod:`maatwerk.web.knowledge.labels`), the id itself secondary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from maatwerk.core.instruments.explain import condition_text
from maatwerk.web.knowledge.labels import CITATION_KEYS, EDITORIAL_KEYS, Label, Labeller, Prose

SHOWN_APART = {"id", "name", "sources", "unverified", "note", "measures"}
# Keys that name a list item when it has no id of its own, most telling first.
ITEM_KEYS = ("care_level", "level", "modality", "wants_help_now", "from_level", "factor")


@dataclass(frozen=True)
class Node:
    """One field: its label (the key as code), its values or editorial text, or the
    fields below it."""

    label: Label
    values: list[Label] = field(default_factory=list)
    prose: Prose | None = None
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    position: int
    kind: str
    text: str  # e.g. "Tampa Scale ... (TSK) 1.0, total score more than 37", or guidance
    source: Label | None
    unverified: bool
    note: Prose | None


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    details: list[Node] = field(default_factory=list)
    sources: list[Label] = field(default_factory=list)
    unverified: bool = False
    note: Prose | None = None
    measures: list[Measure] = field(default_factory=list)

    @property
    def has_thresholds(self) -> bool:
        return any(measure.kind == "instrument_scale" for measure in self.measures)


@dataclass(frozen=True)
class Section:
    key: str
    label: Label
    entries: list[Entry]


def _is_text(value: object) -> bool:
    return (
        isinstance(value, dict) and bool({"nl", "en"} & set(value)) and set(value) <= {"nl", "en"}
    )


def _scalar(key: str, value: object, labels: Labeller) -> Label:
    if isinstance(value, bool):
        return Label(_("yes") if value else _("no"))
    if value is None:
        return Label("")
    if isinstance(value, int | Decimal | float):
        return Label(str(value))
    text = str(value)
    if any(character.isspace() for character in text) or "://" in text:
        return Label(text)  # plain text (a citation, a web address): shown as written
    return labels.value(key, text)


def _item_label(item: object, position: int, labels: Labeller) -> Label:
    if isinstance(item, dict):
        item_id = item.get("id")
        if isinstance(item_id, str):
            return Label(labels.name(item_id), item_id)
        for key in ITEM_KEYS:
            if isinstance(item.get(key), str):
                shown = labels.value(key, str(item[key]))
                return Label(f"{labels.field(key).text}: {shown.text}", shown.code)
    return Label(str(position))


def node(key: str, value: object, labels: Labeller) -> Node:
    """A field of the document as a tree of labelled values."""
    label = labels.field(key)
    if _is_text(value):
        return Node(label, [Label(labels.localized(value))])
    if isinstance(value, dict):
        return Node(label, children=[node(k, item, labels) for k, item in value.items()])
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        children = []
        for position, item in enumerate(value, start=1):
            inner = node(key, item, labels)
            children.append(
                Node(_item_label(item, position, labels), inner.values, inner.prose, inner.children)
            )
        return Node(label, children=children)
    if isinstance(value, list):
        return Node(label, [_scalar(key, item, labels) for item in value])
    if key in EDITORIAL_KEYS and isinstance(value, str):
        return Node(label, prose=labels.prose(value))
    if key in CITATION_KEYS and isinstance(value, str):
        return Node(label, prose=labels.prose(value, language=""))
    return Node(label, [_scalar(key, value, labels)])


def _condition(measure: dict[str, object], language: str) -> str:
    """The measure's condition in words ("40 or more"); as written when the document
    holds no known operator or no number (the checks on saving report it)."""
    operator, threshold = measure.get("operator"), measure.get("threshold")
    try:
        return condition_text(str(operator), Decimal(str(threshold)), language)
    except (KeyError, ArithmeticError, ValueError):
        return f"{operator} {threshold}"


def _measure(position: int, measure: dict[str, object], labels: Labeller) -> Measure:
    kind = str(measure.get("kind", ""))
    if kind == "instrument_scale":
        text = f"{labels.measure_instrument(measure)} {_condition(measure, labels.language)}"
    else:
        text = labels.localized(measure.get("guidance"))
    source = measure.get("source")
    note = measure.get("note")
    return Measure(
        position,
        kind,
        text,
        labels.value("source", source) if isinstance(source, str) and source else None,
        measure.get("unverified") is True,
        labels.prose(note) if isinstance(note, str) and note else None,
    )


def _entry(item: dict[str, object], labels: Labeller) -> Entry:
    measures = item.get("measures")
    note = item.get("note")
    sources = item.get("sources")
    entry_id = str(item["id"])
    return Entry(
        id=entry_id,
        name=labels.localized(item.get("name")) or _unnamed(entry_id, item, labels),
        details=[
            node(key, value, labels)
            for key, value in item.items()
            if key not in SHOWN_APART and value not in (None, "", [], {})
        ],
        sources=[
            labels.value("sources", source)
            for source in (sources if isinstance(sources, list) else [])
            if isinstance(source, str)
        ],
        unverified=item.get("unverified") is True,
        note=labels.prose(note) if isinstance(note, str) and note else None,
        measures=[
            _measure(position, measure, labels)
            for position, measure in enumerate(measures)
            if isinstance(measure, dict)
        ]
        if isinstance(measures, list)
        else [],
    )


def _unnamed(entry_id: str, item: dict[str, object], labels: Labeller) -> str:
    """An entry without a name of its own: its maintaining factor (a link between
    factors and interventions), else what it links, else the name its id has elsewhere."""
    named = labels.localized(item.get("maintaining_factor")) or labels.name(entry_id)
    factors = item.get("factors")
    if named == entry_id and isinstance(factors, list) and factors:
        names = ", ".join(labels.name(str(factor)) for factor in factors)
        return _("Link for %(factors)s") % {"factors": names}
    return named


def _entries(value: object) -> list[dict[str, object]] | None:
    """A top-level list of identified entries (None: some other field)."""
    if isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("id"), str) for item in value
    ):
        return [item for item in value if isinstance(item, dict)]
    return None


def readable_sections(document: object, labels: Labeller) -> list[Section]:
    """One section per top-level list of identified entries (``factors``; ``interventions``
    and ``links``; ...)."""
    if not isinstance(document, dict):
        return []
    sections: list[Section] = []
    for key, value in document.items():
        entries = _entries(value)
        if entries is not None:
            sections.append(
                Section(key, labels.field(key), [_entry(item, labels) for item in entries])
            )
    return sections


def other_fields(document: object, labels: Labeller) -> list[Node]:
    """Top-level fields that are not lists of entries (settings and rules), as trees."""
    if not isinstance(document, dict):
        return []
    return [
        node(key, value, labels)
        for key, value in document.items()
        if key not in {"collection", "version"} and _entries(value) is None
    ]
