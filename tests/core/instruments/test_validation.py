"""Semantic checks of instrument definitions beyond the schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from maatwerk.core.instruments.errors import InstrumentDefinitionError
from maatwerk.core.instruments.loading import parse_instrument

from .factories import SOURCE, build, definition, options, scale


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InstrumentDefinitionError) as caught:
        parse_instrument(data, origin="demo.json")
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def band(low: int, high: int, label: str = "x", **extra: Any) -> dict[str, Any]:
    return {"min": low, "max": high, "label": {"en": label}, "source": SOURCE, **extra}


def with_bands(*bands: dict[str, Any], **scale_overrides: Any) -> dict[str, Any]:
    ids = ["q1", "q2", "q3", "q4"]
    return definition(scales=[scale(ids, bands=list(bands), **scale_overrides)])


def test_a_valid_definition_has_no_problems() -> None:
    build(with_bands(band(0, 4), band(5, 12)))


def test_duplicate_ids_are_reported() -> None:
    data = definition()
    data["items"][1]["id"] = "q1"
    found = problems_of(data)
    assert "$.items[1].id: duplicate item id 'q1'" in found


def test_unknown_response_set() -> None:
    data = definition()
    data["items"][0]["response_set"] = "nope"
    assert "$.items[0].response_set: unknown response set 'nope'" in problems_of(data)


def test_scale_items_must_exist_and_be_scored() -> None:
    data = definition(scales=[scale(["q1", "q2", "q3", "q9"], range={"min": 0, "max": 9})])
    found = problems_of(data)
    assert "$.scales[0].items[3]: unknown item 'q9'" in found
    assert "$.items[3]: scored item 'q4' is in no scale (set scored: false)" in found


def test_unscored_items_must_not_be_in_a_scale() -> None:
    data = definition()
    data["items"][3]["scored"] = False
    found = problems_of(data)
    assert "$.scales[0].items[3]: item 'q4' is marked scored: false" in found


def test_documented_range_must_match_the_items() -> None:
    data = definition(scales=[scale(["q1", "q2", "q3", "q4"], range={"min": 0, "max": 10})])
    found = problems_of(data)
    assert "$.scales[0].range: documented range 0-10 but the items give 0-12" in found


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        ([band(0, 4), band(6, 12)], "$.scales[0].bands[1].min: gap: 5 is in no band"),
        ([band(0, 5), band(5, 12)], "$.scales[0].bands[1].min: overlaps the band before it"),
        ([band(1, 4), band(5, 12)], "$.scales[0].bands[0].min: first band starts at 1, range at 0"),
        ([band(0, 4), band(5, 11)], "$.scales[0].bands[1].max: last band ends at 11, range at 12"),
        ([band(0, 4), band(9, 8)], "$.scales[0].bands[1]: min 9 is above max 8"),
    ],
)
def test_bands_cover_the_range_without_gaps_or_overlaps(
    bands: list[dict[str, Any]], expected: str
) -> None:
    assert expected in problems_of(with_bands(*bands))


def test_fractional_scores_fall_into_the_lower_band_so_printed_gaps_are_fine() -> None:
    # With proration a score can be 4.5: the printed bands 0-4 and 5-12 still cover it
    # (4.5 is below the threshold 5, so it belongs to the lower band).
    missing = {"rule": "prorate_min_k", "min_answered": 3, "source": SOURCE}
    build(with_bands(band(0, 4), band(5, 12), missing=missing))


def test_fractional_scores_need_touching_or_unit_gaps() -> None:
    missing = {"rule": "prorate_min_k", "min_answered": 3, "source": SOURCE}
    found = problems_of(with_bands(band(0, 4), band(7, 12), missing=missing))
    assert "$.scales[0].bands[1].min: gap between 4 and 7" in found


def test_every_number_needs_a_source_or_unverified() -> None:
    data = with_bands(band(0, 4), band(5, 12))
    del data["scales"][0]["bands"][1]["source"]
    found = problems_of(data)
    assert "$.scales[0].bands[1]: no source; give a source id or mark it unverified: true" in found
    data["scales"][0]["bands"][1]["unverified"] = True
    build(data)


def test_source_ids_must_exist() -> None:
    cutoff = {
        "id": "high",
        "operator": ">=",
        "value": 10,
        "label": {"en": "high"},
        "source": "kroenke-2099",
    }
    data = definition(scales=[scale(["q1", "q2", "q3", "q4"], cutoffs=[cutoff])])
    found = problems_of(data)
    assert "$.scales[0].cutoffs[0].source: unknown source 'kroenke-2099'" in found


def test_cutoff_outside_the_range() -> None:
    cutoff = {"id": "high", "operator": ">", "value": 40, "label": {"en": "h"}, "source": SOURCE}
    data = definition(scales=[scale(["q1", "q2", "q3", "q4"], cutoffs=[cutoff])])
    assert "$.scales[0].cutoffs[0].value: 40 is outside the range 0-12" in problems_of(data)


def test_safety_rules_refer_to_existing_items_and_possible_values() -> None:
    rule = {
        "id": "risk",
        "item": "q7",
        "operator": ">",
        "value": 0,
        "severity": "urgent",
        "patient_message": {"en": "Get help"},
        "clinician_message": {"en": "Check risk"},
        "source": SOURCE,
    }
    data = definition(safety_rules=[rule])
    assert "$.safety_rules[0].item: unknown item 'q7'" in problems_of(data)


def test_reverse_keyed_items_must_be_in_the_scale_and_map_into_the_range() -> None:
    data = definition(
        scales=[scale(["q1", "q2", "q3", "q4"], reverse={"items": ["q2", "q5"], "constant": 4})]
    )
    found = problems_of(data)
    assert "$.scales[0].reverse.items[1]: 'q5' is not an item of this scale" in found
    assert (
        "$.scales[0].reverse.constant: reversing 'q2' gives 4 - 0 = 4, outside its values 0-3"
        in found
    )


@pytest.mark.parametrize(
    ("method", "missing", "expected"),
    [
        (
            "sum",
            {"rule": "prorate_min_k"},
            "missing.min_answered: prorate_min_k needs min_answered",
        ),
        ("sum", {"rule": "prorate_min_k", "min_answered": 5}, "min_answered 5 exceeds the 4 items"),
        (
            "sum",
            {"rule": "complete_only", "min_answered": 2},
            "complete_only takes no min_answered",
        ),
        ("sum", {"rule": "mean_of_answered", "min_answered": 2}, "use prorate_min_k for sums"),
        ("mean", {"rule": "prorate_min_k", "min_answered": 2}, "use mean_of_answered for means"),
        ("sum", {"rule": "prorate_min_k", "min_answered": 0}, "min_answered must be at least 1"),
    ],
)
def test_missing_rules_fit_the_method(method: str, missing: dict[str, Any], expected: str) -> None:
    rng = {"min": 0, "max": 12} if method == "sum" else {"min": 0, "max": 3}
    missing = {**missing, "source": SOURCE}
    data = definition(
        scales=[scale(["q1", "q2", "q3", "q4"], method=method, range=rng, missing=missing)]
    )
    assert any(expected in p for p in problems_of(data))


def test_structure_only_licence_forbids_item_texts() -> None:
    data = definition()
    data["items"][0]["text"] = {"en": "A copyrighted item"}
    found = problems_of(data)
    assert "$.items[0].text: the licence does not allow shipping item texts" in found


def test_shipped_texts_must_be_complete() -> None:
    data = definition()
    data["licence"] = {
        "kind": "public_domain",
        "statement": "No permission required.",
        "item_texts_shipped": True,
        "source": SOURCE,
    }
    found = problems_of(data)
    assert "$.items[0].text: item texts are shipped, but this item has none" in found
    assert (
        "$.response_sets[0].options[0].label: option labels are shipped, but this has none" in found
    )


def test_licence_needing_credit_has_a_credit_line() -> None:
    data = definition()
    data["licence"]["kind"] = "free_with_credit"
    assert "$.licence.credit_line: a free_with_credit licence needs a credit line" in problems_of(
        data
    )


def test_item_recodes_cover_every_option() -> None:
    recode = {"item": "q1", "map": [{"answer": 0, "score": 0}, {"answer": 1, "score": 50}]}
    data = definition(scales=[scale(["q1"], method="mean", item_recodes=[recode])], n_items=1)
    found = problems_of(data)
    assert "$.scales[0].item_recodes[0].map: no score for answer(s) 2, 3" in found


def test_value_recode_answers_must_be_possible() -> None:
    recode = [{"answer": 7, "score": 2}]
    data = definition(scales=[scale(["q1", "q2", "q3", "q4"], value_recode=recode)])
    assert "$.scales[0].value_recode[0].answer: 7 is not a possible answer" in problems_of(data)


def test_numeric_response_sets_need_a_whole_number_of_steps() -> None:
    rs = {"id": "r", "kind": "numeric", "min": 0, "max": 10, "step": 3, "source": SOURCE}
    data = definition(
        response_set=rs, n_items=1, scales=[scale(["q1"], range={"min": 0, "max": 9})]
    )
    assert any("(max - min) must be a whole number of steps" in p for p in problems_of(data))


def test_option_values_are_unique() -> None:
    data = definition(response_set=options([0, 1, 1, 2]))
    assert "$.response_sets[0].options[2].value: duplicate option value 1" in problems_of(data)


def test_reliability_and_norms_are_plausible() -> None:
    rel = {"kind": "cronbach_alpha", "value": Decimal("1.5"), "source": SOURCE}
    norm = {"population": "x", "mean": 1, "sd": 0, "source": SOURCE}
    data = definition(scales=[scale(["q1", "q2", "q3", "q4"], reliability=[rel], norms=[norm])])
    found = problems_of(data)
    assert "$.scales[0].reliability[0].value: a reliability must be above 0 and at most 1" in found
    assert "$.scales[0].norms[0].sd: an SD must be above 0" in found


def _utility_definition(**scale_overrides: Any) -> dict[str, Any]:
    """Two items answered 1-3; full health 11 = 1; constant 0.1; decrements 0.2 / 0.3."""
    utility = {
        "constant": Decimal("0.1"),
        "decrements": [
            {"item": "q1", "answer": 2, "decrement": Decimal("0.2")},
            {"item": "q1", "answer": 3, "decrement": Decimal("0.3")},
            {"item": "q2", "answer": 2, "decrement": Decimal("0.2")},
            {"item": "q2", "answer": 3, "decrement": Decimal("0.3")},
        ],
        "source": SOURCE,
    }
    overrides: dict[str, Any] = {
        "method": "utility",
        "utility": utility,
        "range": {"min": Decimal("0.3"), "max": 1},
        "direction": "higher_is_better",
    }
    overrides.update(scale_overrides)
    return definition(
        n_items=2,
        response_set=options(range(1, 4)),
        scales=[scale(["q1", "q2"], **overrides)],
    )


def test_a_utility_scale_with_a_complete_value_set_is_valid() -> None:
    utility = build(_utility_definition()).scale("total").utility
    assert utility is not None and len(utility.decrements) == 4


def test_a_utility_scale_needs_its_value_set_and_every_level() -> None:
    data = _utility_definition()
    data["scales"][0]["utility"]["decrements"][3]["answer"] = 1  # q2 3 -> the lowest answer
    data["scales"][0]["utility"]["decrements"].append(
        {"item": "q9", "answer": 2, "decrement": Decimal("0.1")}
    )
    messages = "\n".join(problems_of(data))
    assert "$.scales[0].utility.decrements[3].answer" in messages
    assert "the lowest answer (full health) has no decrement" in messages
    assert "'q9' is not an item of this scale" in messages
    assert "no decrement for 'q2' 3" in messages
    without = _utility_definition()
    del without["scales"][0]["utility"]
    assert "method 'utility' needs a value set (utility)" in "\n".join(problems_of(without))


def test_a_utility_scale_takes_answers_as_they_are_and_needs_every_answer() -> None:
    data = _utility_definition(
        reverse={"items": ["q1"], "constant": 4},
        missing={"rule": "prorate_min_k", "min_answered": 1, "source": SOURCE},
    )
    messages = "\n".join(problems_of(data))
    assert "a utility scale takes the answers as they are" in messages
    assert "a value set needs every answer: use complete_only" in messages
    summed = definition(
        n_items=2,
        scales=[scale(["q1", "q2"], utility=_utility_definition()["scales"][0]["utility"])],
    )
    assert "a value set needs method 'utility'" in "\n".join(problems_of(summed))


def test_a_utility_scale_range_is_checked() -> None:
    # 1 - 0.1 - 0.3 - 0.3 = 0.3 at worst; a documented 0.2 is wrong.
    data = _utility_definition(range={"min": Decimal("0.2"), "max": 1})
    assert "documented range 0.2-1 but the items give 0.3-1" in "\n".join(problems_of(data))
