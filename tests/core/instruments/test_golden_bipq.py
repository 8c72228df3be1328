"""Golden tests for the Brief IPQ: per-item scores, no total.

broadbent-2006 and the English form (bipq-form): items 1-8 are rated 0-10
(consequences, timeline, personal control, treatment control, identity, concern,
coherence, emotional response); per-item use is standard; a total score (items 3, 4, 7
reversed) was not verified, so none is computed. Item 9 (causes, free text) is not part of
the definition.
"""

from __future__ import annotations

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

ANYONE = Respondent()
DIMENSIONS = (
    "consequences",
    "timeline",
    "personal_control",
    "treatment_control",
    "identity",
    "concern",
    "coherence",
    "emotional_response",
)


def bipq(*values: int | None) -> dict[str, int | None]:
    return {f"bipq_{n}": value for n, value in enumerate(values, start=1)}


def scores(*values: int | None) -> dict[str, object]:
    result = score_response(get_instrument("bipq"), bipq(*values), respondent=ANYONE)
    return {s.scale_id: s.value for s in result.scales}


def test_all_minimum() -> None:
    assert scores(*[0] * 8) == dict.fromkeys(DIMENSIONS, 0)


def test_all_maximum() -> None:
    assert scores(*[10] * 8) == dict.fromkeys(DIMENSIONS, 10)


def test_each_item_is_its_own_score_in_form_order() -> None:
    assert scores(7, 9, 3, 6, 8, 7, 4, 6) == {
        "consequences": 7,
        "timeline": 9,
        "personal_control": 3,
        "treatment_control": 6,
        "identity": 8,
        "concern": 7,
        "coherence": 4,
        "emotional_response": 6,
    }


def test_there_is_no_total_score() -> None:
    instrument = get_instrument("bipq")
    assert [scale.id for scale in instrument.scales] == list(DIMENSIONS)
    assert all(len(scale.items) == 1 for scale in instrument.scales)
    assert "bipq_9" not in {item.id for item in instrument.items}


def test_a_missing_item_leaves_only_its_own_score_empty() -> None:
    result = scores(7, 9, None, 6, 8, 7, 4, 6)
    assert result["personal_control"] is None
    assert result["consequences"] == 7
    assert sum(value is None for value in result.values()) == 1


def test_directions_follow_the_anchors_and_timeline_is_marked_unverified() -> None:
    instrument = get_instrument("bipq")
    better = {s.id for s in instrument.scales if s.direction == "higher_is_better"}
    assert better == {"personal_control", "treatment_control", "coherence"}
    assert [s.id for s in instrument.scales if s.unverified] == ["timeline"]


@pytest.mark.parametrize(("value", "code"), [(11, "out_of_range"), (-1, "out_of_range")])
def test_answers_outside_0_to_10_are_rejected(value: int, code: str) -> None:
    with pytest.raises(InvalidResponse) as caught:
        scores(value, 0, 0, 0, 0, 0, 0, 0)
    assert [(p.item_id, p.code) for p in caught.value.problems] == [("bipq_1", code)]
