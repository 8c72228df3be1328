"""The scoring engine on small synthetic instruments: every method and missing-data rule.

Each expected value is worked out by hand in a comment next to the assertion.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

from .factories import SOURCE, build, definition, options, scale

ANYONE = Respondent()
ITEMS = ["q1", "q2", "q3", "q4"]


def demo(**scale_overrides: Any) -> Instrument:
    return build(definition(scales=[scale(ITEMS, **scale_overrides)]))


def answers(*values: int | float | None) -> dict[str, int | float | None]:
    return {f"q{i}": v for i, v in enumerate(values, start=1)}


class TestCompleteOnly:
    def test_sum_of_all_items(self) -> None:
        result = score_response(demo(), answers(0, 1, 2, 3), respondent=ANYONE)
        total = result.scale("total")
        assert total.value == 6  # 0 + 1 + 2 + 3
        assert (total.range_min, total.range_max) == (0, 12)
        assert total.explanation.items_used == ("q1", "q2", "q3", "q4")
        assert total.explanation.items_missing == ()
        assert total.explanation.proration_factor is None
        assert result.complete

    def test_one_missing_item_means_no_score(self) -> None:
        result = score_response(demo(), answers(0, None, 2, 3), respondent=ANYONE)
        total = result.scale("total")
        assert total.value is None
        assert total.band is None
        assert total.explanation.items_missing == ("q2",)
        assert "complete_only" in total.explanation.text_en
        assert not result.complete

    def test_absent_and_none_are_both_missing(self) -> None:
        result = score_response(demo(), {"q1": 1, "q2": 1, "q3": 1}, respondent=ANYONE)
        assert result.scale("total").explanation.items_missing == ("q4",)


PRORATE = {"rule": "prorate_min_k", "min_answered": 3, "source": SOURCE}


class TestProrateMinK:
    def test_prorates_exactly(self) -> None:
        result = score_response(demo(missing=PRORATE), answers(1, 1, 2, None), respondent=ANYONE)
        total = result.scale("total")
        # answered sum 1 + 1 + 2 = 4, 3 of 4 answered: 4 * 4/3 = 16/3 (5.333...)
        assert total.value == Fraction(16, 3)
        assert total.explanation.answered_sum == 4
        assert total.explanation.proration_factor == Fraction(4, 3)
        assert total.rounded() == Decimal("5")
        assert total.as_float() == pytest.approx(5.333333333)
        assert "16/3" in total.explanation.text_en

    def test_no_proration_when_complete(self) -> None:
        total = score_response(demo(missing=PRORATE), answers(1, 1, 2, 3), respondent=ANYONE).scale(
            "total"
        )
        assert total.value == 7
        assert total.explanation.proration_factor is None

    def test_fewer_than_k_answered_gives_no_score(self) -> None:
        total = score_response(
            demo(missing=PRORATE), answers(3, 3, None, None), respondent=ANYONE
        ).scale("total")
        assert total.value is None
        assert "2 of 4" in total.explanation.text_en
        assert "at least 3" in total.explanation.text_en


MEAN = {"rule": "mean_of_answered", "min_answered": 2, "source": SOURCE}


class TestMean:
    def test_mean_of_answered_items(self) -> None:
        instrument = demo(method="mean", range={"min": 0, "max": 3}, missing=MEAN)
        total = score_response(instrument, answers(1, 2, None, None), respondent=ANYONE).scale(
            "total"
        )
        assert total.value == Fraction(3, 2)  # (1 + 2) / 2
        assert total.explanation.items_missing == ("q3", "q4")

    def test_mean_needs_min_answered(self) -> None:
        instrument = demo(method="mean", range={"min": 0, "max": 3}, missing=MEAN)
        total = score_response(instrument, answers(1, None, None, None), respondent=ANYONE).scale(
            "total"
        )
        assert total.value is None

    def test_mean_complete_only(self) -> None:
        instrument = demo(method="mean", range={"min": 0, "max": 3})
        result = score_response(instrument, answers(1, 2, 2, 2), respondent=ANYONE)
        assert result.scale("total").value == Fraction(7, 4)  # (1 + 2 + 2 + 2) / 4
        result = score_response(instrument, answers(1, 2, 2, None), respondent=ANYONE)
        assert result.scale("total").value is None


class TestLinear0To100:
    def test_linear_transformation(self) -> None:
        instrument = demo(method="linear_0_100", range={"min": 0, "max": 100})
        total = score_response(instrument, answers(0, 1, 2, 3), respondent=ANYONE).scale("total")
        assert total.value == 50  # (6 - 0) / (12 - 0) * 100

    def test_linear_with_proration(self) -> None:
        instrument = demo(method="linear_0_100", range={"min": 0, "max": 100}, missing=PRORATE)
        total = score_response(instrument, answers(1, 0, 0, None), respondent=ANYONE).scale("total")
        # sum 1 prorated by 4/3 = 4/3; (4/3 - 0) / 12 * 100 = 100/9
        assert total.value == Fraction(100, 9)

    def test_linear_with_a_minimum_above_zero(self) -> None:
        data = definition(
            response_set=options(range(1, 5)),
            scales=[scale(ITEMS, method="linear_0_100", range={"min": 0, "max": 100})],
        )
        total = score_response(build(data), answers(1, 2, 3, 4), respondent=ANYONE).scale("total")
        assert total.value == 50  # raw 10, range 4-16: (10 - 4) / 12 * 100


class TestRecodesAndReversal:
    def test_value_recode_like_4dsq(self) -> None:
        # 4DSQ-style: answers 0-4, 3 and 4 count as 2.
        data = definition(
            response_set=options(range(5)),
            scales=[
                scale(
                    ITEMS,
                    range={"min": 0, "max": 8},
                    value_recode=[{"answer": 3, "score": 2}, {"answer": 4, "score": 2}],
                )
            ],
        )
        total = score_response(build(data), answers(4, 3, 2, 1), respondent=ANYONE).scale("total")
        assert total.value == 7  # 2 + 2 + 2 + 1
        steps = {t.item_id: (t.answer, t.used) for t in total.explanation.transformations}
        assert steps == {"q1": (4, 2), "q2": (3, 2)}

    def test_item_recode_tables_like_rand36(self) -> None:
        table = [{"answer": a, "score": s} for a, s in ((0, 0), (1, 25), (2, 75), (3, 100))]
        recodes = [{"item": item_id, "map": table} for item_id in ITEMS]
        instrument = demo(
            method="mean",
            range={"min": 0, "max": 100},
            item_recodes=recodes,
            missing={"rule": "mean_of_answered", "min_answered": 1, "source": SOURCE},
        )
        total = score_response(instrument, answers(1, 2, None, None), respondent=ANYONE).scale(
            "total"
        )
        assert total.value == 50  # (25 + 75) / 2

    def test_reverse_keyed_items(self) -> None:
        data = definition(
            response_set=options(range(1, 5)),
            scales=[
                scale(ITEMS, range={"min": 4, "max": 16}, reverse={"items": ["q2"], "constant": 5})
            ],
        )
        total = score_response(build(data), answers(1, 1, 1, 1), respondent=ANYONE).scale("total")
        assert total.value == 7  # 1 + (5 - 1) + 1 + 1
        [step] = total.explanation.transformations
        assert (step.item_id, step.answer, step.used) == ("q2", 1, 4)
        assert step.steps == ("reversed: 5 - 1 = 4",)


class TestBandsAndCutoffs:
    @staticmethod
    def banded(**overrides: Any) -> Instrument:
        bands = [
            {"min": 0, "max": 4, "label": {"en": "low", "nl": "laag"}, "source": SOURCE},
            {"min": 5, "max": 12, "label": {"en": "high", "nl": "hoog"}, "source": SOURCE},
        ]
        cutoffs = [
            {"id": "gt4", "operator": ">", "value": 4, "label": {"en": ">4"}, "source": SOURCE},
            {"id": "ge5", "operator": ">=", "value": 5, "label": {"en": ">=5"}, "source": SOURCE},
            {"id": "lt5", "operator": "<", "value": 5, "label": {"en": "<5"}, "source": SOURCE},
            {"id": "le4", "operator": "<=", "value": 4, "label": {"en": "<=4"}, "source": SOURCE},
            {"id": "eq5", "operator": "==", "value": 5, "label": {"en": "=5"}, "source": SOURCE},
        ]
        return demo(bands=bands, cutoffs=cutoffs, **overrides)

    @pytest.mark.parametrize(
        ("values", "band", "met"),
        [
            ((0, 0, 0, 0), "low", {"lt5", "le4"}),
            ((1, 1, 1, 1), "low", {"lt5", "le4"}),
            ((2, 1, 1, 1), "high", {"gt4", "ge5", "eq5"}),
            ((3, 3, 3, 3), "high", {"gt4", "ge5"}),
        ],
    )
    def test_band_and_cutoffs_at_the_edges(
        self, values: tuple[int, ...], band: str, met: set[str]
    ) -> None:
        total = score_response(self.banded(), answers(*values), respondent=ANYONE).scale("total")
        assert total.band is not None
        assert total.band.label.get("en") == band
        assert {cutoff.id for cutoff in total.cutoffs_met} == met

    def test_fractional_score_between_printed_bands_is_below_the_next_threshold(self) -> None:
        instrument = self.banded(missing=PRORATE)
        total = score_response(instrument, answers(1, 1, 1, None), respondent=ANYONE).scale("total")
        assert total.value == 4  # 3 * 4/3
        total = score_response(instrument, answers(2, 1, 1, None), respondent=ANYONE).scale("total")
        assert total.value == Fraction(16, 3)  # 4 * 4/3 = 5.33: above the threshold 5
        assert total.band is not None and total.band.label.get("en") == "high"
        total = score_response(instrument, answers(3, 0, 0, None), respondent=ANYONE).scale("total")
        assert total.value == 4  # 3 * 4/3
        data = definition(
            n_items=3,
            scales=[
                scale(
                    ["q1", "q2", "q3"],
                    range={"min": 0, "max": 9},
                    missing={"rule": "prorate_min_k", "min_answered": 2, "source": SOURCE},
                    bands=[
                        {"min": 0, "max": 4, "label": {"en": "low"}, "source": SOURCE},
                        {"min": 5, "max": 9, "label": {"en": "high"}, "source": SOURCE},
                    ],
                )
            ],
        )
        total = score_response(build(data), answers(3, None, 0), respondent=ANYONE).scale("total")
        assert total.value == Fraction(9, 2)  # 3 * 3/2 = 4.5: not yet 5, so "low"
        assert total.band is not None and total.band.label.get("en") == "low"


def safety_instrument() -> Instrument:
    rule = {
        "id": "q4_risk",
        "item": "q4",
        "operator": ">",
        "value": 0,
        "severity": "urgent",
        "patient_message": {"en": "Get help now", "nl": "Zoek nu hulp"},
        "clinician_message": {"en": "Assess risk", "nl": "Beoordeel het risico"},
        "source": SOURCE,
    }
    return build(definition(safety_rules=[rule]))


class TestSafety:
    def test_flag_when_rule_holds(self) -> None:
        result = score_response(safety_instrument(), answers(0, 0, 0, 2), respondent=ANYONE)
        [flag] = result.safety_flags
        assert (flag.rule_id, flag.item_id, flag.answer, flag.severity) == (
            "q4_risk",
            "q4",
            2,
            "urgent",
        )
        assert flag.patient_message.get("nl") == "Zoek nu hulp"

    def test_no_flag_when_rule_does_not_hold(self) -> None:
        result = score_response(safety_instrument(), answers(3, 3, 3, 0), respondent=ANYONE)
        assert result.safety_flags == ()
        assert result.safety_rules_not_evaluated == ()

    def test_flag_even_when_the_scale_cannot_be_scored(self) -> None:
        result = score_response(safety_instrument(), {"q4": 1}, respondent=ANYONE)
        assert result.scale("total").value is None
        assert [flag.rule_id for flag in result.safety_flags] == ["q4_risk"]

    def test_unanswered_safety_item_is_reported_as_not_evaluated(self) -> None:
        result = score_response(safety_instrument(), answers(1, 1, 1, None), respondent=ANYONE)
        assert result.safety_flags == ()
        assert result.safety_rules_not_evaluated == ("q4_risk",)


class TestNumericResponses:
    @staticmethod
    def slider() -> Instrument:
        step = Decimal("0.5")  # the JSON loader reads 0.5 as this exact Decimal
        rs = {"id": "r", "kind": "numeric", "min": 0, "max": 10, "step": step, "source": SOURCE}
        data = definition(
            n_items=2,
            response_set=rs,
            scales=[scale(["q1", "q2"], range={"min": 0, "max": 20}, display_decimals=1)],
        )
        return build(data)

    def test_half_steps_are_exact(self) -> None:
        total = score_response(self.slider(), {"q1": 2.5, "q2": 7}, respondent=ANYONE).scale(
            "total"
        )
        assert total.value == Fraction(19, 2)
        assert total.rounded() == Decimal("9.5")

    def test_binary_float_noise_is_read_as_the_decimal_the_user_meant(self) -> None:
        # 0.1 + 0.2 == 0.30000000000000004 in binary floating point; the answer 4.5 is
        # read through its shortest decimal representation, never as a binary fraction.
        total = score_response(self.slider(), {"q1": 4.5, "q2": 0.5}, respondent=ANYONE).scale(
            "total"
        )
        assert total.value == 5
