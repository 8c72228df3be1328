"""Every field, id and coded value the knowledge editor shows has a readable label
(issue 12 item 10): checked on the bundled content, without a database."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation

from maatwerk.web.knowledge.content import bundled_files, content_sets
from maatwerk.web.knowledge.field_labels import FIELD_LABELS
from maatwerk.web.knowledge.labels import Labeller, names_of
from maatwerk.web.knowledge.readable import Node, other_fields, readable_sections

SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def _documents() -> dict[tuple[str, str], object]:
    return {
        (content_set, collection): json.loads(item.text)
        for content_set in content_sets()
        for collection, item in bundled_files(content_set).items()
    }


def _labeller(language: str) -> Labeller:
    documents = _documents()
    sources = documents[("knowledge", "sources")]
    assert isinstance(sources, dict)
    citations = {s["id"]: s["citation"] for s in sources["sources"]}
    return Labeller(language, names_of(documents.values(), language), citations)


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        if value and set(value) <= {"nl", "en"}:
            return set()
        return set(value) | {k for item in value.values() for k in _keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in _keys(item)}
    return set()


def test_every_field_of_the_bundled_content_has_a_label() -> None:
    keys = {key for document in _documents().values() for key in _keys(document)}
    assert sorted(keys - set(FIELD_LABELS)) == []


def _codes_without_label(nodes: list[Node]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        for label in (node.label, *node.values):
            if not label.known:
                found.append(label.code)
            elif SNAKE.match(label.text):
                found.append(label.text)
        found += _codes_without_label(node.children)
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_id_and_coded_value_shown_has_a_readable_label(language: str) -> None:
    labels = _labeller(language)
    unlabelled: list[str] = []
    with translation.override(language):
        for (content_set, collection), document in _documents().items():
            nodes = other_fields(document, labels)
            for section in readable_sections(document, labels):
                nodes.append(Node(section.label))
                for entry in section.entries:
                    if entry.name == entry.id:
                        unlabelled.append(f"{collection}: entry {entry.id}")
                    nodes += entry.details
                    for source in entry.sources:
                        assert source.text != source.code, source
            unlabelled += [f"{content_set}/{collection}: {c}" for c in _codes_without_label(nodes)]
    assert unlabelled == []


def test_source_ids_become_citations_and_codes_in_notes_are_marked() -> None:
    labels = _labeller("en")
    prose = labels.prose("As in pcs-1.1.json and the NHG (nhg-m102); phq9 >= 10.")
    shown = [(piece.text, piece.is_code) for piece in prose.pieces]
    assert ("pcs-1.1.json", True) in shown
    assert ("Olde Hartman et al. (2013)", False) in shown
    assert ("PHQ-9", False) in shown
    assert prose.language == "en"
