"""The EMA item bank as content, and the item set proposed from a patient's formulation.

One file, ``maatwerk/content/monitoring/ema_items.json`` (collection ``ema_items``):

- ``items`` - general items (pain, fatigue, mood, worry, activity, avoidance, a
  catastrophizing thought, sleep, social contact, context: where and with whom), each a
  0-100 or 0-10 slider with its two end labels, or a short choice; Dutch and English at
  B1; ``node_kinds`` says which kinds of vicious-circle node the item can measure;
- ``personal_items`` - one question template per node kind, to ask about a node of the
  patient's own vicious circle in the patient's own words (``{words}``).

Every item names ``sources`` (ids in ``bibliography.json``: studies that measured the
construct this way in daily life) or is ``unverified``; a wording the project wrote
itself is ``own_wording: true`` and then must also be ``unverified: true`` with a note
("own wording, not validated"). :func:`load_ema_items` checks all of it at once.

:func:`propose_items` turns the nodes of a formulation's vicious circles into personal
items (in circle order, each node once) followed by the context items; the clinician
picks from the proposal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import Field, StrictBool, StrictInt, model_validator

from maatwerk.core.common.content_set import FileSet, provenance_problems
from maatwerk.core.common.errors import ContentDefinitionError, DefinitionProblem
from maatwerk.core.formulation.model import NODE_KINDS, Formulation, NodeKind, vicious_circles
from maatwerk.core.instruments.base import Frozen, Identifier, Language, Version
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import Provenance

__all__ = [
    "EMA_ITEMS",
    "ChoiceOption",
    "ChoiceResponse",
    "EmaItem",
    "EmaItemBank",
    "EmaItemsDefinitionError",
    "PersonalItems",
    "ProposedItem",
    "SliderResponse",
    "bundled_ema_items",
    "load_ema_items",
    "propose_items",
]

WORDS = "{words}"


class EmaItemsDefinitionError(ContentDefinitionError):
    what = "EMA item bank"


class SliderResponse(Frozen):
    kind: Literal["slider"]
    min: StrictInt
    max: StrictInt
    low: LocalizedText
    high: LocalizedText

    @model_validator(mode="after")
    def _range(self) -> SliderResponse:
        if (self.min, self.max) not in ((0, 100), (0, 10)):
            raise ValueError("a slider runs from 0 to 100 or from 0 to 10")
        return self


class ChoiceOption(Frozen):
    id: Identifier
    label: LocalizedText


class ChoiceResponse(Frozen):
    kind: Literal["choice"]
    options: tuple[ChoiceOption, ...] = Field(min_length=2, max_length=8)


Response = SliderResponse | ChoiceResponse


class EmaItem(Provenance):
    id: Identifier
    measures: Identifier  # the construct: pain, fatigue, mood, worry ...
    moment: Literal["momentary", "morning"] = "momentary"
    text: LocalizedText
    response: SliderResponse | ChoiceResponse = Field(discriminator="kind")
    node_kinds: tuple[NodeKind, ...] = ()
    context: StrictBool = False
    own_wording: StrictBool


class PersonalTemplate(Frozen):
    node_kind: NodeKind
    text: LocalizedText


class PersonalItems(Provenance):
    templates: tuple[PersonalTemplate, ...]
    response: SliderResponse
    own_wording: StrictBool

    def template(self, kind: str) -> PersonalTemplate:
        for template in self.templates:
            if template.node_kind == kind:
                return template
        raise KeyError(kind)


class EmaItemBank(Frozen):
    collection: Literal["ema_items"]
    version: Version
    personal_items: PersonalItems
    items: tuple[EmaItem, ...] = Field(min_length=1)

    def item(self, item_id: str) -> EmaItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


EMA_ITEMS = FileSet(
    folder="monitoring",
    file="ema_items.json",
    model=EmaItemBank,
    error=EmaItemsDefinitionError,
    schema_id="https://maatwerk.example/schemas/monitoring-ema_items-1.schema.json",
    title="Maatwerk EMA item bank",
)


def _problems(
    bank: EmaItemBank, origin: str, source_ids: frozenset[str]
) -> Iterable[DefinitionProblem]:
    entries: list[tuple[str, Provenance]] = [("$.personal_items", bank.personal_items)]
    entries += [(f"$.items[{i}]", item) for i, item in enumerate(bank.items)]
    yield from provenance_problems(entries, source_ids, origin=origin)
    seen: set[str] = set()
    for index, item in enumerate(bank.items):
        path = f"$.items[{index}]"
        if item.id in seen:
            yield DefinitionProblem(origin, f"{path}.id", f"duplicate id {item.id!r}")
        seen.add(item.id)
        if item.own_wording and not (item.unverified and item.note):
            yield DefinitionProblem(
                origin, path, "an own wording must be unverified: true with a note"
            )
        if item.text.nl is None or item.text.en is None:
            yield DefinitionProblem(origin, f"{path}.text", "an item needs Dutch and English")
        if isinstance(item.response, ChoiceResponse):
            ids = [option.id for option in item.response.options]
            if len(set(ids)) != len(ids):
                yield DefinitionProblem(origin, f"{path}.response", "duplicate option id")
    personal = bank.personal_items
    kinds = [template.node_kind for template in personal.templates]
    for kind in NODE_KINDS:
        if kinds.count(kind) != 1:
            message = f"needs exactly one template for node kind {kind!r}"
            yield DefinitionProblem(origin, "$.personal_items.templates", message)
    for index, template in enumerate(personal.templates):
        for language in ("nl", "en"):
            text = template.text.get(language)
            if text is None or text.count(WORDS) != 1:
                message = f"the {language} text needs {WORDS} exactly once"
                yield DefinitionProblem(origin, f"$.personal_items.templates[{index}]", message)
    if personal.own_wording and not (personal.unverified and personal.note):
        message = "an own wording must be unverified: true with a note"
        yield DefinitionProblem(origin, "$.personal_items", message)


def load_ema_items(
    text: str | bytes, *, source_ids: Iterable[str], origin: str = EMA_ITEMS.file
) -> EmaItemBank:
    """Decode, schema-check and cross-check the item bank; raises
    :class:`EmaItemsDefinitionError` listing every problem."""
    known = frozenset(source_ids)
    return EMA_ITEMS.load(text, origin=origin, check=lambda bank, o: _problems(bank, o, known))


@cache
def bundled_ema_items() -> EmaItemBank:
    from maatwerk.core.bibliography import bundled_bibliography

    return load_ema_items(
        EMA_ITEMS.bundled_text(), source_ids=bundled_bibliography().entries.keys()
    )


# ------------------------------------------------------------------ the proposal


@dataclass(frozen=True, slots=True)
class ProposedItem:
    """One item proposed for a patient's set. ``key`` is stable: ``node:<node id>`` for a
    personal item, ``bank:<item id>`` for an item of the bank."""

    key: str
    text: str
    node_id: str | None
    bank_item: str | None
    response: SliderResponse | ChoiceResponse
    own_wording: bool


def propose_items(
    formulation: Formulation, language: Language, bank: EmaItemBank | None = None
) -> tuple[ProposedItem, ...]:
    """Personal items for every node of the formulation's vicious circles (circle
    order, each node once, the patient's words in the question), then the bank's
    context items (where, with whom)."""
    bank = bank or bundled_ema_items()
    graph = formulation.circle
    proposed: list[ProposedItem] = []
    seen: set[str] = set()
    for circle in vicious_circles(graph):
        for node_id in circle:
            if node_id in seen:
                continue
            seen.add(node_id)
            node = graph.node(node_id)
            template = bank.personal_items.template(node.kind).text.get(language, fallback=True)
            if template is None:  # pragma: no cover - both languages are checked on load
                continue
            proposed.append(
                ProposedItem(
                    key=f"node:{node.id}",
                    text=template.replace(WORDS, node.label.strip()),
                    node_id=node.id,
                    bank_item=None,
                    response=bank.personal_items.response,
                    own_wording=True,
                )
            )
    proposed.extend(
        ProposedItem(
            key=f"bank:{item.id}",
            text=item.text.get(language, fallback=True) or item.id,
            node_id=None,
            bank_item=item.id,
            response=item.response,
            own_wording=item.own_wording,
        )
        for item in bank.items
        if item.context
    )
    return tuple(proposed)
