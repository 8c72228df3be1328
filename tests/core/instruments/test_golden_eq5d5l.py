"""Golden tests for the EQ-5D-5L profile, EQ VAS and (from 1.1) the Dutch utility.

camcops-eq5d5l and awell-eq5d5l: five dimensions, each a level
1 (no problems) ... 5 (extreme problems); the 5-digit health state lists them in the order
mobility, self-care, usual activities, pain/discomfort, anxiety/depression (11111 best,
55555 worst); EQ VAS 0-100, higher is better.

Dutch utility (Versteegh MM et al. Dutch tariff for the five-level version of EQ-5D. Value
Health 2016;19(4):343-352): 1 - 0.047 (once, when any dimension is above level 1) - one
decrement per dimension level. The expected utilities below are the test states of the R
package eq5d (fragla/eq5d, MIT licence, tests/testthat/test-eq5d5l.R, commit bfdc7ca),
computed there from the published Dutch value set; they are not computed from our file.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import InstrumentScore, Respondent, score_response

ANYONE = Respondent()
DIMENSIONS = ("mobility", "self_care", "usual_activities", "pain_discomfort", "anxiety_depression")


def eq5d(levels: str, vas: int | None) -> dict[str, int | None]:
    """``"11223"`` -> one level per dimension, in profile order."""
    answers: dict[str, int | None] = {
        f"eq5d5l_{dim}": (None if level == "-" else int(level))
        for dim, level in zip(DIMENSIONS, levels, strict=True)
    }
    answers["eq5d5l_vas"] = vas
    return answers


def profile(result: InstrumentScore) -> str:
    values: list[Fraction | None] = [result.scale(dim).value for dim in DIMENSIONS]
    return "".join("-" if value is None else str(value) for value in values)


def score(levels: str, vas: int | None, version: str | None = None) -> InstrumentScore:
    return score_response(get_instrument("eq5d5l", version), eq5d(levels, vas), respondent=ANYONE)


def test_best_state_11111_and_vas_100() -> None:
    result = score("11111", 100)
    assert profile(result) == "11111"
    assert result.scale("vas").value == 100


def test_worst_state_55555_and_vas_0() -> None:
    result = score("55555", 0)
    assert profile(result) == "55555"
    assert result.scale("vas").value == 0


def test_mixed_state_is_reported_level_by_level() -> None:
    result = score("11223", 65)
    assert {dim: result.scale(dim).value for dim in DIMENSIONS} == {
        "mobility": 1,
        "self_care": 1,
        "usual_activities": 2,
        "pain_discomfort": 2,
        "anxiety_depression": 3,
    }
    assert profile(result) == "11223"
    assert result.scale("vas").value == 65


def test_an_unanswered_dimension_has_no_level_and_the_others_stand() -> None:
    result = score("12-45", None)
    assert profile(result) == "12-45"
    assert result.scale("vas").value is None
    assert not result.complete


def test_version_1_0_computes_no_utility_index() -> None:
    instrument = get_instrument("eq5d5l", "1.0")
    assert {scale.id for scale in instrument.scales} == {*DIMENSIONS, "vas"}
    assert any("No utility" in note for note in instrument.notes)


@pytest.mark.parametrize(
    ("state", "utility"),
    [
        ("11111", "1"),
        ("21111", "0.918"),
        ("55511", "0.390"),
        ("44444", "-0.289"),
        ("55555", "-0.446"),
    ],
)
def test_dutch_utility_of_the_published_test_states(state: str, utility: str) -> None:
    value = score(state, 70).scale("utility_nl")
    assert value.value == Fraction(utility)  # exact, not just after rounding
    assert value.rounded() == Decimal(utility).quantize(Decimal("0.001"))


def test_the_constant_is_taken_off_once_and_only_above_level_1() -> None:
    # By hand from the Dutch value set: 11112 = 1 - 0.047 - 0.070 = 0.883;
    # 12345 = 1 - 0.047 - 0.038 (SC2) - 0.087 (UA3) - 0.360 (PD4) - 0.421 (AD5) = 0.047.
    assert score("11112", None).scale("utility_nl").value == Fraction("0.883")
    result = score("12345", None).scale("utility_nl")
    assert result.value == Fraction("0.047")
    assert "1 − 0.047 − 0.038 (eq5d5l_self_care 2) − 0.087" in result.explanation.text_en
    assert "= 0,047" in result.explanation.text_nl
    assert (result.range_min, result.range_max) == (Fraction("-0.446"), 1)


def test_no_utility_when_a_dimension_is_missing() -> None:
    result = score("1234-", 50).scale("utility_nl")
    assert result.value is None
    assert "eq5d5l_anxiety_depression" in result.explanation.items_missing


def test_the_utility_is_recorded_with_its_arithmetic() -> None:
    record = score("21111", None).scale("utility_nl").explanation_dict()
    assert record["value"] == "459/500"
    assert record["utility"] == {
        "constant": "47/1000",
        "decrements": [{"item": "eq5d5l_mobility", "answer": "2", "decrement": "7/200"}],
    }


@pytest.mark.parametrize(
    ("levels", "vas", "item", "code"),
    [
        ("01111", 50, "eq5d5l_mobility", "not_an_option"),
        ("11116", 50, "eq5d5l_anxiety_depression", "not_an_option"),
        ("11111", 101, "eq5d5l_vas", "out_of_range"),
    ],
)
def test_invalid_answers(levels: str, vas: int, item: str, code: str) -> None:
    answers: dict[str, int | None] = {
        f"eq5d5l_{dim}": int(level) for dim, level in zip(DIMENSIONS, levels, strict=True)
    }
    answers["eq5d5l_vas"] = vas
    with pytest.raises(InvalidResponse) as caught:
        score_response(get_instrument("eq5d5l"), answers, respondent=ANYONE)
    assert [(p.item_id, p.code) for p in caught.value.problems] == [(item, code)]


def test_vas_is_recorded_in_whole_points() -> None:
    with pytest.raises(InvalidResponse, match=r"50\.5 is not 0 plus a whole number of 1 steps"):
        score_response(get_instrument("eq5d5l"), {"eq5d5l_vas": 50.5}, respondent=ANYONE)


def test_structure_only() -> None:
    instrument = get_instrument("eq5d5l")
    assert instrument.licence.kind == "licensed"
    assert all(item.text is None for item in instrument.items)
