"""Golden tests for the Checklist Individual Strength (CIS), worked out by hand.

Answers 1 ('yes, that is true') to 7 ('no, that is not true') (NINDS CDE). Subscales
(KU Leuven scoring code; Dutch survey forms): fatigue severity 1, 4, 6, 9, 12, 14, 16,
20 (8-56); concentration 3, 8, 11, 13, 19 (5-35); motivation 2, 5, 15, 18 (4-28);
physical activity 7, 10, 17 (3-21). The negatively worded items 1, 3, 4, 9, 10, 13, 14,
16, 17, 18, 19 count as 8 - x, so a higher score means more complaints. Fatigue severity
>= 35 is severe fatigue (Worm-Smeitink 2017).
"""

from __future__ import annotations

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import InstrumentScore, Respondent, score_response

ANYONE = Respondent()
NEGATIVE = (1, 3, 4, 9, 10, 13, 14, 16, 17, 18, 19)


def score(answers: dict[int, int | None]) -> InstrumentScore:
    return score_response(
        get_instrument("cis"),
        {f"cis_{n}": value for n, value in answers.items()},
        respondent=ANYONE,
    )


def values(result: InstrumentScore) -> dict[str, object]:
    return {scale.scale_id: scale.value for scale in result.scales}


def fittest() -> dict[int, int | None]:
    """'No' (7) to every complaint and 'yes' (1) to every positive statement."""
    return {n: 7 if n in NEGATIVE else 1 for n in range(1, 21)}


def most_fatigued() -> dict[int, int | None]:
    return {n: 1 if n in NEGATIVE else 7 for n in range(1, 21)}


def test_someone_without_complaints_scores_the_minimum() -> None:
    result = score(fittest())
    assert values(result) == {
        "fatigue_severity": 8,
        "concentration": 5,
        "motivation": 4,
        "physical_activity": 3,
    }
    assert result.scale("fatigue_severity").band_label("en") == "normal"
    assert result.scale("fatigue_severity").cutoffs_met == ()


def test_someone_with_every_complaint_scores_the_maximum() -> None:
    result = score(most_fatigued())
    assert values(result) == {
        "fatigue_severity": 56,
        "concentration": 35,
        "motivation": 28,
        "physical_activity": 21,
    }
    fatigue = result.scale("fatigue_severity")
    assert fatigue.band_label("en") == "severe fatigue"
    assert [c.id for c in fatigue.cutoffs_met] == ["severe_fatigue"]


def test_answering_yes_to_everything_is_not_the_maximum() -> None:
    # Acquiescence: 'yes' (1) to every statement. Fatigue: five negative items 8 - 1 = 7
    # (35) plus three positive items at 1 (3) = 38. Concentration: 3 x 7 + 2 x 1 = 23;
    # motivation: 7 + 3 x 1 = 10; activity: 2 x 7 + 1 = 15.
    result = score(dict.fromkeys(range(1, 21), 1))
    assert values(result) == {
        "fatigue_severity": 38,
        "concentration": 23,
        "motivation": 10,
        "physical_activity": 15,
    }


def test_a_realistic_patient_with_chronic_fatigue() -> None:
    # Fatigue: 1 tired = 2 -> 6; 4 exhausted = 3 -> 5; 6 fit = 6; 9 weak = 2 -> 6;
    #          12 rested = 5; 14 bad condition = 3 -> 5; 16 tire easily = 1 -> 7;
    #          20 excellent condition = 6 -> 6 + 5 + 6 + 6 + 5 + 5 + 7 + 6 = 46 (severe)
    # Concentration: 3 = 4 -> 4; 8 = 3; 11 = 4; 13 = 5 -> 3; 19 = 4 -> 4: 4+3+4+3+4 = 18
    # Motivation: 2 = 5; 5 = 4; 15 = 3; 18 = 5 -> 3: 5+4+3+3 = 15
    # Activity: 7 = 6; 10 = 2 -> 6; 17 = 3 -> 5: 6+6+5 = 17
    answers: dict[int, int | None] = {
        1: 2, 4: 3, 6: 6, 9: 2, 12: 5, 14: 3, 16: 1, 20: 6,
        3: 4, 8: 3, 11: 4, 13: 5, 19: 4,
        2: 5, 5: 4, 15: 3, 18: 5,
        7: 6, 10: 2, 17: 3,
    }  # fmt: skip
    result = score(answers)
    assert values(result) == {
        "fatigue_severity": 46,
        "concentration": 18,
        "motivation": 15,
        "physical_activity": 17,
    }
    fatigue = result.scale("fatigue_severity")
    assert "cis_16 1 → 7 (reversed: 8 - 1 = 7)" in fatigue.explanation.text_en


@pytest.mark.parametrize(
    ("total", "band", "severe"),
    [(26, "normal", False), (27, "heightened fatigue", False), (34, "heightened fatigue", False),
     (35, "severe fatigue", True)],
)  # fmt: skip
def test_fatigue_band_and_cut_off_edges(total: int, band: str, severe: bool) -> None:
    # Start from the minimum (8) and add complaint points item by item (at most 6 each).
    answers = fittest()
    extra = total - 8
    for item in (1, 4, 6, 9, 12, 14, 16, 20):
        step = min(6, extra)
        answers[item] = (7 - step) if item in NEGATIVE else (1 + step)
        extra -= step
    fatigue = score(answers).scale("fatigue_severity")
    assert fatigue.value == total
    assert fatigue.band_label("en") == band
    assert bool(fatigue.cutoffs_met) is severe


def test_a_missing_item_leaves_only_its_subscale_unscored() -> None:
    result = score(fittest() | {18: None})
    assert result.scale("motivation").value is None
    assert result.scale("fatigue_severity").value == 8


def test_an_answer_of_0_or_8_is_rejected() -> None:
    with pytest.raises(InvalidResponse, match=r"cis_3: 0 is not one of the options 1, 2, 3"):
        score(fittest() | {3: 0})
    with pytest.raises(InvalidResponse, match=r"cis_3: 8 is not one of the options"):
        score(fittest() | {3: 8})


def test_reversal_is_symmetric() -> None:
    # Mirroring every answer (x -> 8 - x) mirrors every subscale within its range.
    for answers in (fittest(), most_fatigued(), dict.fromkeys(range(1, 21), 3)):
        mirrored = {n: 8 - v for n, v in answers.items() if v is not None}
        for original, flipped in zip(
            score(answers).scales, score(dict(mirrored)).scales, strict=True
        ):
            assert original.value is not None and flipped.value is not None
            assert original.value + flipped.value == original.range_min + original.range_max


def test_provenance_the_key_is_marked_unverified_the_severe_cut_off_is_sourced() -> None:
    instrument = get_instrument("cis")
    assert all(scale.unverified for scale in instrument.scales)
    fatigue = instrument.scale("fatigue_severity")
    assert [c.source for c in fatigue.cutoffs] == ["worm-smeitink-2017"]
    assert [band.unverified for band in fatigue.bands] == [True, True, False]
    assert all(item.text is None for item in instrument.items)
