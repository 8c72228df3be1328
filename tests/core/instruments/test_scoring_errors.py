"""Invalid answers: every problem is reported at once, per item, with a typed code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

from .factories import SOURCE, build, definition, scale

ANYONE = Respondent()


def problems(
    instrument: Instrument, answers: Any, respondent: Respondent = ANYONE
) -> list[tuple[str, str]]:
    with pytest.raises(InvalidResponse) as caught:
        score_response(instrument, answers, respondent=respondent)
    return [(p.item_id, p.code) for p in caught.value.problems]


@pytest.fixture
def demo() -> Instrument:
    return build(definition())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (True, "wrong_type"),
        (False, "wrong_type"),
        ("2", "wrong_type"),
        ([2], "wrong_type"),
        (Decimal("NaN"), "not_finite"),
        (float("nan"), "not_finite"),
        (float("inf"), "not_finite"),
        (4, "not_an_option"),
        (-1, "not_an_option"),
        (1.5, "not_an_option"),
    ],
)
def test_one_bad_value(demo: Instrument, value: object, code: str) -> None:
    assert problems(demo, {"q1": value, "q2": 0, "q3": 0, "q4": 0}) == [("q1", code)]


def test_floats_and_decimals_equal_to_an_option_are_accepted(demo: Instrument) -> None:
    answers = {"q1": 2.0, "q2": Decimal("1"), "q3": 0, "q4": 0}
    result = score_response(demo, answers, respondent=ANYONE)
    assert result.scale("total").value == 3


def test_all_problems_are_collected_in_item_order(demo: Instrument) -> None:
    found = problems(demo, {"zz": 1, "q3": "x", "q1": 9, "q4": True, "extra": 0})
    assert found == [
        ("q1", "not_an_option"),
        ("q3", "wrong_type"),
        ("q4", "wrong_type"),
        ("extra", "unknown_item"),
        ("zz", "unknown_item"),
    ]


def test_the_error_message_lists_every_problem(demo: Instrument) -> None:
    with pytest.raises(InvalidResponse) as caught:
        score_response(demo, {"q1": 9, "q2": "x"}, respondent=ANYONE)
    message = str(caught.value)
    assert "invalid answers for demo 1.0 (2 problem(s))" in message
    assert "q1: 9 is not one of the options 0, 1, 2, 3" in message
    assert "q2: expected a number, got str" in message


def test_required_item_missing() -> None:
    data = definition()
    data["items"][0]["required"] = True
    instrument = build(data)
    assert problems(instrument, {"q2": 1, "q3": 1, "q4": 1}) == [("q1", "required_missing")]
    assert problems(instrument, {"q1": None, "q2": 1}) == [("q1", "required_missing")]


def test_numeric_answers_out_of_range_or_off_step() -> None:
    step = Decimal("0.5")
    rs = {"id": "r", "kind": "numeric", "min": 0, "max": 10, "step": step, "source": SOURCE}
    data = definition(
        n_items=2, response_set=rs, scales=[scale(["q1", "q2"], range={"min": 0, "max": 20})]
    )
    instrument = build(data)
    assert problems(instrument, {"q1": 10.5, "q2": 0.25}) == [
        ("q1", "out_of_range"),
        ("q2", "off_step"),
    ]


class TestApplicability:
    @staticmethod
    def women_only_item() -> Instrument:
        data = definition(scales=[scale(["q1", "q2", "q3", "q4"])])
        data["items"][3]["applies_to"] = {"sex": ["female"]}
        return build(data)

    def test_answer_to_an_item_that_does_not_apply(self) -> None:
        found = problems(
            self.women_only_item(), {"q1": 0, "q2": 0, "q3": 0, "q4": 1}, Respondent(sex="male")
        )
        assert found == [("q4", "not_applicable")]

    def test_none_for_an_item_that_does_not_apply_is_fine(self) -> None:
        result = score_response(
            self.women_only_item(),
            {"q1": 1, "q2": 1, "q3": 1, "q4": None},
            respondent=Respondent(sex="male"),
        )
        total = result.scale("total")
        assert total.value == 3
        assert (total.range_min, total.range_max) == (0, 9)
        assert total.explanation.items_not_applicable == ("q4",)

    def test_with_the_sex_unknown_an_answer_decides_applicability(self) -> None:
        result = score_response(
            self.women_only_item(), {"q1": 0, "q2": 0, "q3": 0, "q4": 1}, respondent=Respondent()
        )
        assert result.scale("total").value == 1
        assert (result.scale("total").range_min, result.scale("total").range_max) == (0, 12)

    def test_for_a_woman_the_item_counts(self) -> None:
        result = score_response(
            self.women_only_item(),
            {"q1": 1, "q2": 1, "q3": 1, "q4": 3},
            respondent=Respondent(sex="female"),
        )
        assert result.scale("total").value == 6
