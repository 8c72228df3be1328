"""The EMA item bank (content) and the item set proposed from the vicious circle."""

from __future__ import annotations

import json

import pytest

from maatwerk.core.bibliography import bundled_bibliography
from maatwerk.core.formulation.model import CircleGraph, Edge, Formulation, Node
from maatwerk.core.monitoring.items import (
    EMA_ITEMS,
    EmaItemsDefinitionError,
    SliderResponse,
    bundled_ema_items,
    load_ema_items,
    propose_items,
)

REQUIRED = {
    "pain",
    "fatigue",
    "mood",
    "worry",
    "activity",
    "avoidance",
    "catastrophizing",
    "sleep",
    "social_contact",
    "context",
}


def test_the_bank_covers_every_required_construct_in_both_languages() -> None:
    bank = bundled_ema_items()
    assert {item.measures for item in bank.items} >= REQUIRED
    for item in bank.items:
        assert item.text.get("nl") and item.text.get("en")
        assert item.own_wording and item.unverified and item.note
        assert item.note.startswith("Own wording (B1), not validated.")
    assert {item.id for item in bank.items if item.context} == {"where", "with_whom"}
    scales = {
        (i.response.min, i.response.max)
        for i in bank.items
        if isinstance(i.response, SliderResponse)
    }
    assert scales == {(0, 100), (0, 10)}


def _bank_data() -> dict:  # type: ignore[type-arg]
    return json.loads(EMA_ITEMS.bundled_text())


def _load(data: dict) -> None:  # type: ignore[type-arg]
    load_ema_items(json.dumps(data), source_ids=bundled_bibliography().entries.keys())


def test_an_unknown_source_an_unmarked_own_wording_and_a_missing_template_are_reported() -> None:
    data = _bank_data()
    data["items"][0]["sources"] = ["nobody-2020"]
    data["items"][1]["unverified"] = False
    data["personal_items"]["templates"] = data["personal_items"]["templates"][1:]
    with pytest.raises(EmaItemsDefinitionError) as raised:
        _load(data)
    messages = [f"{p.path}: {p.message}" for p in raised.value.problems]
    assert "$.items[0].sources[0]: unknown source 'nobody-2020'" in messages
    assert "$.items[1]: an own wording must be unverified: true with a note" in messages
    assert any("exactly one template for node kind 'complaint'" in m for m in messages)


def test_a_slider_must_run_to_10_or_100() -> None:
    data = _bank_data()
    data["items"][0]["response"]["max"] = 7
    with pytest.raises(EmaItemsDefinitionError, match="0 to 100 or from 0 to 10"):
        _load(data)


def _formulation() -> Formulation:
    nodes = (
        Node("pain", "complaint", "pijn in mijn rug"),
        Node("thought", "thought", "als ik beweeg, gaat het kapot"),
        Node("avoid", "behaviour", "niet meer fietsen"),
        Node("stiff", "physical", "stijve spieren"),
        Node("alone", "social", "ik zie mijn vrienden minder"),
    )
    edges = (
        Edge("pain", "thought"),
        Edge("thought", "avoid"),
        Edge("avoid", "stiff"),
        Edge("stiff", "pain"),
        Edge("avoid", "alone"),  # not in a circle: not proposed
    )
    return Formulation(circle=CircleGraph(nodes, edges))


def test_the_proposal_asks_about_the_circle_in_the_patients_own_words() -> None:
    proposed = propose_items(_formulation(), "nl")
    assert [p.key for p in proposed] == [
        "node:pain",
        "node:thought",
        "node:avoid",
        "node:stiff",
        "bank:with_whom",
        "bank:where",
    ]
    assert proposed[0].text == "Hoeveel last heb je nu van: pijn in mijn rug?"
    assert proposed[1].text == "Hoe sterk denk je nu: ‘als ik beweeg, gaat het kapot’?"
    assert proposed[2].text == "Hoeveel heb je dit gedaan sinds de vorige vraag: niet meer fietsen?"
    english = propose_items(_formulation(), "en")
    assert (
        english[1].text == "How strongly do you think right now: ‘als ik beweeg, gaat het kapot’?"
    )
    assert english[-1].text == "Where are you right now?"


def test_a_formulation_without_a_vicious_circle_gets_only_the_context_items() -> None:
    assert [p.key for p in propose_items(Formulation(), "en")] == ["bank:with_whom", "bank:where"]
