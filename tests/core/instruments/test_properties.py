"""Properties of the scoring engine, checked with hypothesis on bundled and random instruments."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maatwerk.core.instruments.answers import Respondent, applies
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.core.instruments.scoring import score_response

from .factories import SOURCE, build, definition, options, scale

BUNDLED = bundled_instruments()
RESPONDENTS = [Respondent(sex="female"), Respondent(sex="male")]
Answers = dict[str, Any]


def _plain(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def answers_for(
    instrument: Instrument, respondent: Respondent, *, missing: bool
) -> st.SearchStrategy[Answers]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for item in instrument.items:
        if not applies(item, respondent):
            continue
        response_set = instrument.response_set(item.response_set)
        values = st.sampled_from([_plain(v) for v in response_set.values()])
        fields[item.id] = st.none() | values if missing else values
    return st.fixed_dictionaries(fields)


@pytest.mark.parametrize("instrument", BUNDLED, ids=lambda i: i.code)
@given(data=st.data())
@settings(max_examples=150, deadline=None)
def test_every_score_is_within_its_documented_range(instrument: Instrument, data: Any) -> None:
    respondent = data.draw(st.sampled_from(RESPONDENTS))
    answers = data.draw(answers_for(instrument, respondent, missing=True))
    result = score_response(instrument, answers, respondent=respondent)
    for scale_score in result.scales:
        scale = instrument.scale(scale_score.scale_id)
        documented = (Fraction(scale.range.min), Fraction(scale.range.max))
        # The respondent's range is never wider than the documented one ...
        assert documented[0] <= scale_score.range_min <= scale_score.range_max <= documented[1]
        if scale_score.value is not None:
            # ... and the score stays within the respondent's range.
            assert scale_score.range_min <= scale_score.value <= scale_score.range_max
            if scale.bands:
                assert scale_score.band is not None


@pytest.mark.parametrize("code", ["tsk", "pcs", "phq9", "gad7"])
@given(data=st.data())
@settings(max_examples=150, deadline=None)
def test_mirrored_answers_give_the_mirrored_score(code: str, data: Any) -> None:
    """Reverse keying is symmetric: answering every item with its mirror image
    (TSK x -> 5 - x, PCS x -> 4 - x) turns each contribution c into (lo + hi) - c, so
    the total becomes (min + max) - total. For the TSK that needs items 4, 8, 12 and 16
    to be reversed exactly as 5 - x."""
    instrument = get_instrument(code)
    respondent = Respondent(sex="female")
    answers = data.draw(answers_for(instrument, respondent, missing=False))
    mirrored: Answers = {}
    for item_id, value in answers.items():
        values = instrument.response_set(instrument.item(item_id).response_set).values()
        mirrored[item_id] = _plain(min(values) + max(values) - Decimal(value))
    original = score_response(instrument, answers, respondent=respondent)
    flipped = score_response(instrument, mirrored, respondent=respondent)
    for before, after in zip(original.scales, flipped.scales, strict=True):
        assert before.value is not None and after.value is not None
        assert after.value == before.range_min + before.range_max - before.value


@given(answer=st.integers(min_value=1, max_value=4))
def test_each_reversed_tsk_item_contributes_the_mirror_of_its_answer(answer: int) -> None:
    instrument = get_instrument("tsk")
    for reversed_item in ("tsk_4", "tsk_8", "tsk_12", "tsk_16"):
        base = {f"tsk_{n}": 1 for n in range(1, 18)}
        low = score_response(instrument, base | {reversed_item: answer}, respondent=Respondent())
        high = score_response(
            instrument, base | {reversed_item: 5 - answer}, respondent=Respondent()
        )
        [step_low] = [
            t for t in low.scale("total").explanation.transformations if t.item_id == reversed_item
        ]
        [step_high] = [
            t for t in high.scale("total").explanation.transformations if t.item_id == reversed_item
        ]
        assert step_low.used == step_high.answer
        assert step_high.used == step_low.answer


@st.composite
def prorated_instruments(draw: st.DrawFn) -> tuple[Instrument, int]:
    n_items = draw(st.integers(min_value=1, max_value=8))
    k = draw(st.integers(min_value=1, max_value=n_items))
    method = draw(st.sampled_from(["sum", "mean", "linear_0_100"]))
    rule = "mean_of_answered" if method == "mean" else "prorate_min_k"
    low = draw(st.integers(min_value=0, max_value=2))
    high = low + draw(st.integers(min_value=1, max_value=5))
    ids = [f"q{i}" for i in range(1, n_items + 1)]
    documented = {
        "sum": {"min": low * n_items, "max": high * n_items},
        "mean": {"min": low, "max": high},
        "linear_0_100": {"min": 0, "max": 100},
    }[method]
    data = definition(
        n_items=n_items,
        response_set=options(range(low, high + 1)),
        scales=[
            scale(
                ids,
                method=method,
                range=documented,
                missing={"rule": rule, "min_answered": k, "source": SOURCE},
            )
        ],
    )
    return build(data), k


@given(drawn=prorated_instruments(), data=st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_proration_never_scores_with_fewer_than_k_answers(
    drawn: tuple[Instrument, int], data: Any
) -> None:
    instrument, k = drawn
    answers = data.draw(answers_for(instrument, Respondent(), missing=True))
    answered = sum(value is not None for value in answers.values())
    total = score_response(instrument, answers, respondent=Respondent()).scale("total")
    if answered < k:
        assert total.value is None
        assert total.explanation.reason_unscored
    else:
        assert total.value is not None
        assert total.range_min <= total.value <= total.range_max
        if total.explanation.proration_factor is not None:
            assert total.explanation.proration_factor == Fraction(len(answers), answered)


@pytest.mark.parametrize("instrument", BUNDLED, ids=lambda i: i.code)
@given(data=st.data())
@settings(max_examples=100, deadline=None)
def test_scoring_is_deterministic_and_independent_of_answer_order(
    instrument: Instrument, data: Any
) -> None:
    respondent = data.draw(st.sampled_from(RESPONDENTS))
    answers = data.draw(answers_for(instrument, respondent, missing=True))
    keys = list(answers)
    random.Random(data.draw(st.integers())).shuffle(keys)
    shuffled = {key: answers[key] for key in keys}
    first = score_response(instrument, answers, respondent=respondent)
    assert score_response(instrument, answers, respondent=respondent) == first
    assert score_response(instrument, shuffled, respondent=respondent) == first
