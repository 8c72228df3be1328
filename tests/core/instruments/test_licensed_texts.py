"""An organization adds the item texts it is licensed to use to a structure-only instrument."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest

from maatwerk.core.instruments.errors import InstrumentDefinitionError
from maatwerk.core.instruments.licensed_texts import apply_licensed_texts, load_licensed_texts_json
from maatwerk.core.instruments.loading import decode_json, parse_instrument
from maatwerk.core.instruments.registry import CONTENT_PACKAGE, get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response
from maatwerk.core.instruments.validation import validate_instrument


def tsk_texts(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": 1,
        "instrument": "tsk",
        "version": "1.0",
        "licence_holder": "Praktijk De Linde",
        "statement": "Licensed for use in patient care, agreement 2025-017.",
        "instructions": {"nl": "Geef aan in hoeverre je het eens bent."},
        "items": [{"id": f"tsk_{n}", "text": {"nl": f"Stelling {n}"}} for n in range(1, 18)],
        "option_labels": [
            {"response_set": "agree_1_4", "value": v, "label": {"nl": label}}
            for v, label in [
                (1, "helemaal oneens"),
                (2, "oneens"),
                (3, "eens"),
                (4, "helemaal eens"),
            ]
        ],
    }
    data.update(overrides)
    return data


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InstrumentDefinitionError) as caught:
        apply_licensed_texts(
            get_instrument("tsk"), load_licensed_texts_json(json.dumps(data), origin="org.json")
        )
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_texts_are_added_and_scoring_is_unchanged() -> None:
    bundled = get_instrument("tsk")
    texts = load_licensed_texts_json(json.dumps(tsk_texts()), origin="org.json")
    instrument = apply_licensed_texts(bundled, texts)
    assert instrument.item("tsk_3").text is not None
    assert instrument.item("tsk_3").text.get("nl") == "Stelling 3"
    assert instrument.instructions is not None
    assert instrument.licensed_texts is not None
    assert instrument.licensed_texts.licence_holder == "Praktijk De Linde"
    assert validate_instrument(instrument) == ()
    answers = {f"tsk_{n}": 2 for n in range(1, 18)}
    same = score_response(bundled, answers, respondent=Respondent())
    assert score_response(instrument, answers, respondent=Respondent()).scales == same.scales
    assert bundled.item("tsk_3").text is None  # the bundled definition is untouched


def test_every_item_needs_a_text() -> None:
    data = tsk_texts()
    del data["items"][16]
    assert "$.items[16].text: licensed texts are imported, but this item has none" in problems(data)


def test_unknown_items_and_options_are_reported() -> None:
    data = tsk_texts()
    data["items"].append({"id": "tsk_99", "text": {"nl": "?"}})
    data["option_labels"].append({"response_set": "agree_1_4", "value": 7, "label": {"nl": "?"}})
    found = problems(data)
    assert "org.json $.items[17].id: unknown item 'tsk_99'" in [
        f"org.json {line}" for line in found
    ]
    assert "$.option_labels[4].value: 7 is not an option of 'agree_1_4'" in found


def test_texts_must_be_for_this_instrument_version() -> None:
    found = problems(tsk_texts(version="2.0"))
    assert found == ["$.version: texts are for tsk 2.0, the instrument is tsk 1.0"]


def test_public_domain_instruments_need_no_import() -> None:
    texts = load_licensed_texts_json(json.dumps(tsk_texts(instrument="phq9")), origin="org.json")
    with pytest.raises(InstrumentDefinitionError, match="already ships its texts"):
        apply_licensed_texts(get_instrument("phq9"), texts)


def tfi_texts(**overrides: Any) -> dict[str, Any]:
    """Placeholder texts (not the real, licensed TFI) with the words at both ends of each
    item's rating."""
    data: dict[str, Any] = {
        "format": 1,
        "instrument": "tfi",
        "version": "1.0",
        "licence_holder": "Audiologisch centrum (test)",
        "statement": "Test licence statement",
        "items": [{"id": f"tfi_{n}", "text": {"nl": f"Vraag {n}"}} for n in range(1, 26)],
        "anchor_labels": [
            {
                "response_set": f"tfi_{n}_rating",
                "min_label": {"nl": f"laag {n}"},
                "max_label": {"nl": f"hoog {n}"},
            }
            for n in range(1, 26)
        ],
    }
    data.update(overrides)
    return data


def test_the_words_at_both_ends_of_each_rating_are_imported() -> None:
    texts = load_licensed_texts_json(json.dumps(tfi_texts()), origin="org.json")
    instrument = apply_licensed_texts(get_instrument("tfi"), texts)
    rating = instrument.response_set("tfi_3_rating")
    assert rating.min_label is not None and rating.min_label.get("nl") == "laag 3"
    assert rating.max_label is not None and rating.max_label.get("nl") == "hoog 3"
    assert validate_instrument(instrument) == ()


def test_anchors_for_an_unknown_or_option_set_are_refused() -> None:
    data = tsk_texts(
        anchor_labels=[
            {"response_set": "agree_1_4", "min_label": {"nl": "x"}, "max_label": {"nl": "y"}},
            {"response_set": "nope", "min_label": {"nl": "x"}, "max_label": {"nl": "y"}},
        ]
    )
    assert problems(data) == [
        "$.anchor_labels[0].response_set: no numeric rating 'agree_1_4'",
        "$.anchor_labels[1].response_set: no numeric rating 'nope'",
    ]


def test_a_bundled_licensed_file_may_not_ship_the_words_of_a_rating() -> None:
    bundled = (
        files(CONTENT_PACKAGE).joinpath("instruments", "tfi-1.0.json").read_text(encoding="utf-8")
    )
    data = decode_json(bundled, origin="tfi.json")
    data["response_sets"][0]["min_label"] = {"nl": "nooit"}
    with pytest.raises(InstrumentDefinitionError) as caught:
        parse_instrument(data, origin="tfi.json")
    assert [p.message for p in caught.value.problems] == [
        "the licence does not allow shipping the words at the ends of a rating"
    ]
