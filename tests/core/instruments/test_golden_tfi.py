"""Golden tests for the Tinnitus Functional Index, worked out by hand.

TFI (OHSU form; secondary summaries of the OHSU scoring instructions): 25 items; items 1
and 3 are answered 0-100 % in steps of 10 and divided by 10, the others 0-10. A score is
the mean of the answered items times 10 (0-100): overall with at least 19 of 25 items,
a subscale with at least 2 of 3 (quality of life: 3 of 4). Bands 0-17 / 18-31 / 32-53 /
54-72 / 73-100 (AAA summary of Henry 2014). The scoring rule and the bands are marked
unverified in the file.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import InstrumentScore, Respondent, score_response

ANYONE = Respondent()


def score(answers: dict[int, int | None]) -> InstrumentScore:
    return score_response(
        get_instrument("tfi"),
        {f"tfi_{n}": value for n, value in answers.items()},
        respondent=ANYONE,
    )


def ratings(value: int) -> dict[int, int | None]:
    """Every 0-10 item at ``value`` and the two percentage items at ``value`` x 10 %."""
    return {n: value * 10 if n in (1, 3) else value for n in range(1, 26)}


def test_nothing_at_all_is_0_not_a_problem() -> None:
    overall = score(ratings(0)).scale("overall")
    assert (overall.value, overall.band_label("en")) == (0, "not a problem")


def test_everything_at_the_top_is_100_a_very_big_problem() -> None:
    result = score(ratings(10))
    assert (result.scale("overall").value, result.scale("overall").band_label("en")) == (
        100,
        "very big problem",
    )
    assert all(scale.value == 100 for scale in result.scales)


def test_a_realistic_case_is_the_mean_of_the_items_times_10() -> None:
    # Intrusive: item 1 = 80 % -> 8, item 2 = 6, item 3 = 90 % -> 9: (8+6+9)/3 x 10 = 76.67
    # Sense of control 7, 6, 5 -> 60; cognitive 3, 4, 2 -> 30; sleep 8, 7, 9 -> 80;
    # auditory 1, 0, 2 -> 10; relaxation 6, 6, 6 -> 60; quality of life 2, 3, 1, 2 -> 20;
    # emotional 5, 4, 6 -> 50.
    # Overall: 23 + 18 + 9 + 24 + 3 + 18 + 8 + 15 = 118 over 25 items -> 118/25 x 10 = 47.2
    answers = {
        1: 80, 2: 6, 3: 90, 4: 7, 5: 6, 6: 5, 7: 3, 8: 4, 9: 2, 10: 8, 11: 7, 12: 9,
        13: 1, 14: 0, 15: 2, 16: 6, 17: 6, 18: 6, 19: 2, 20: 3, 21: 1, 22: 2,
        23: 5, 24: 4, 25: 6,
    }  # fmt: skip
    result = score(answers)
    assert {scale.scale_id: scale.value for scale in result.scales} == {
        "overall": Fraction(236, 5),
        "intrusive": Fraction(230, 3),
        "sense_of_control": 60,
        "cognitive": 30,
        "sleep": 80,
        "auditory": 10,
        "relaxation": 60,
        "quality_of_life": 20,
        "emotional": 50,
    }
    overall = result.scale("overall")
    assert overall.rounded() == Decimal("47.2")
    assert overall.band_label("en") == "moderate problem"
    assert overall.band is not None and overall.band.unverified
    assert "tfi_1 80 → 8" in overall.explanation.text_en


@pytest.mark.parametrize(
    ("points", "band"),
    [
        (43, "not a problem"),  # 17.2
        (44, "not a problem"),  # 17.6: below the next threshold 18
        (45, "small problem"),  # 18.0
        (80, "moderate problem"),  # 32.0
        (135, "big problem"),  # 54.0
        (182, "big problem"),  # 72.8: above the printed 72 but below 73, so still 'big'
        (183, "very big problem"),  # 73.2
    ],
)
def test_band_edges_with_decimal_scores(points: int, band: str) -> None:
    answers = dict.fromkeys(range(1, 26), 0)
    remaining = points
    for n in range(2, 26):
        if n == 3:
            continue
        answers[n] = min(10, remaining)
        remaining -= answers[n] or 0
    assert remaining == 0
    overall = score(answers).scale("overall")
    assert overall.value == Fraction(points * 100, 250)
    assert overall.band_label("en") == band


def test_overall_needs_19_answers_and_is_prorated() -> None:
    # 19 items answered with 5 (items 1 and 3 as 50 %), 6 skipped:
    # sum 95 over 19 items -> mean 5 -> 50.
    answers: dict[int, int | None] = ratings(5)
    for n in (20, 21, 22, 23, 24, 25):
        answers[n] = None
    overall = score(answers).scale("overall")
    assert overall.value == 50
    assert overall.explanation.proration_factor == Fraction(25, 19)


def test_overall_with_18_answers_has_no_score() -> None:
    answers: dict[int, int | None] = ratings(5)
    for n in (19, 20, 21, 22, 23, 24, 25):
        answers[n] = None
    result = score(answers)
    assert result.scale("overall").value is None
    assert result.scale("overall").explanation.reason_unscored is not None
    assert result.scale("quality_of_life").value is None  # 0 of 4 answered
    assert result.scale("sleep").value == 50  # a complete subscale is still scored


def test_quality_of_life_needs_3_of_4_and_other_subscales_2_of_3() -> None:
    answers: dict[int, int | None] = ratings(4) | {19: None, 20: None, 10: None}
    result = score(answers)
    assert result.scale("quality_of_life").value is None
    assert result.scale("sleep").value == 40  # 2 of 3 answered
    answers[21] = None
    answers[11] = None
    result = score(answers)
    assert result.scale("sleep").value is None  # 1 of 3


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        (2, 11, r"tfi_2: 11 is outside 0-10"),
        (1, 55, r"tfi_1: 55 is not 0 plus a whole number of 10 steps"),
        (3, -10, r"tfi_3: -10 is outside 0-100"),
    ],
)
def test_invalid_answers_are_rejected(item: int, value: int, message: str) -> None:
    with pytest.raises(InvalidResponse, match=message):
        score(ratings(1) | {item: value})


def test_provenance_scoring_and_bands_are_unverified_and_no_texts_ship() -> None:
    instrument = get_instrument("tfi")
    assert all(scale.unverified and scale.missing.unverified for scale in instrument.scales)
    assert all(band.unverified for band in instrument.scale("overall").bands)
    assert all(item.text is None for item in instrument.items)
    assert instrument.licence.kind == "licensed"
    assert "Oregon Health and Science University" in instrument.licence.statement
