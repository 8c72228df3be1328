"""Golden tests for the EQ-5D-5L profile and EQ VAS (no utility index).

camcops-eq5d5l and awell-eq5d5l: five dimensions, each a level
1 (no problems) ... 5 (extreme problems); the 5-digit health state lists them in the order
mobility, self-care, usual activities, pain/discomfort, anxiety/depression (11111 best,
55555 worst); EQ VAS 0-100, higher is better. No Dutch value set coefficients are shipped.
"""

from __future__ import annotations

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


def score(levels: str, vas: int | None) -> InstrumentScore:
    return score_response(get_instrument("eq5d5l"), eq5d(levels, vas), respondent=ANYONE)


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


def test_no_utility_index_is_computed() -> None:
    instrument = get_instrument("eq5d5l")
    assert {scale.id for scale in instrument.scales} == {*DIMENSIONS, "vas"}
    assert any("No utility" in note for note in instrument.notes)


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
