"""Golden tests for the RAND-36, worked out by hand from RAND's scoring instructions.

RAND 36-Item Health Survey 1.0 scoring (rand.org, "Scoring Rules for the RAND 36-Item
Health Survey (Version 1.0)", rand-scoring; camcops-rand36):

Table 1, precoded answer -> score:
  items 1, 2, 20, 22, 34, 36:   1 -> 100, 2 -> 75, 3 -> 50, 4 -> 25, 5 -> 0
  items 3-12:                   1 -> 0, 2 -> 50, 3 -> 100
  items 13-19:                  1 -> 0, 2 -> 100
  items 21, 23, 26, 27, 30:     1 -> 100, 2 -> 80, 3 -> 60, 4 -> 40, 5 -> 20, 6 -> 0
  items 24, 25, 28, 29, 31:     1 -> 0, 2 -> 20, 3 -> 40, 4 -> 60, 5 -> 80, 6 -> 100
  items 32, 33, 35:             1 -> 0, 2 -> 25, 3 -> 50, 4 -> 75, 5 -> 100
Table 2, scale = mean of the answered items:
  physical functioning 3-12; role physical 13-16; role emotional 17-19;
  energy/fatigue 23, 27, 29, 31; emotional well-being 24, 25, 26, 28, 30;
  social functioning 20, 32; pain 21, 22; general health 1, 33, 34, 35, 36.
Item 2 (health change) is in none of RAND's eight scales. From version 1.1 it is the ninth
scale of the Dutch RAND-36, health change (van der Zee & Sanderman 1993, the Dutch manual;
not read, so the scale is marked unverified), recoded with Table 1 (1 -> 100 ... 5 -> 0).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

ANYONE = Respondent()

# Table 1, transcribed here independently of the data file.
DOWN_5 = {1: 100, 2: 75, 3: 50, 4: 25, 5: 0}
UP_3 = {1: 0, 2: 50, 3: 100}
UP_2 = {1: 0, 2: 100}
DOWN_6 = {1: 100, 2: 80, 3: 60, 4: 40, 5: 20, 6: 0}
UP_6 = {1: 0, 2: 20, 3: 40, 4: 60, 5: 80, 6: 100}
UP_5 = {1: 0, 2: 25, 3: 50, 4: 75, 5: 100}
TABLE_1: dict[int, dict[int, int]] = (
    dict.fromkeys((1, 2, 20, 22, 34, 36), DOWN_5)
    | dict.fromkeys(range(3, 13), UP_3)
    | dict.fromkeys(range(13, 20), UP_2)
    | dict.fromkeys((21, 23, 26, 27, 30), DOWN_6)
    | dict.fromkeys((24, 25, 28, 29, 31), UP_6)
    | dict.fromkeys((32, 33, 35), UP_5)
)
TABLE_2 = {
    "physical_functioning": tuple(range(3, 13)),
    "role_physical": (13, 14, 15, 16),
    "role_emotional": (17, 18, 19),
    "energy_fatigue": (23, 27, 29, 31),
    "emotional_wellbeing": (24, 25, 26, 28, 30),
    "social_functioning": (20, 32),
    "pain": (21, 22),
    "general_health": (1, 33, 34, 35, 36),
}


def rand(answers: dict[int, int | None]) -> dict[str, int | None]:
    return {f"rand36_{n}": value for n, value in answers.items()}


def answer_scoring(target: int) -> dict[int, int]:
    """For every item, the answer that Table 1 recodes to ``target`` (0 or 100)."""
    return {
        n: next(answer for answer, score in table.items() if score == target)
        for n, table in TABLE_1.items()
    }


def scores(answers: dict[int, int | None], version: str = "1.0") -> dict[str, Fraction | None]:
    """The eight RAND scales (version 1.0; 1.1 adds the Dutch health-change scale)."""
    result = score_response(get_instrument("rand36", version), rand(answers), respondent=ANYONE)
    return {s.scale_id: s.value for s in result.scales}


def test_the_eight_scales_hold_the_items_of_table_2_and_item_2_is_not_scored() -> None:
    instrument = get_instrument("rand36", "1.0")
    assert {s.id: tuple(int(i.split("_")[1]) for i in s.items) for s in instrument.scales} == (
        TABLE_2
    )
    assert not instrument.item("rand36_2").scored
    assert instrument.licence.kind == "free_with_credit"
    assert instrument.licence.credit_line
    assert not instrument.licence.item_texts_shipped


@pytest.mark.parametrize("item", sorted(set(TABLE_1) - {2}))
def test_every_answer_is_recoded_as_in_table_1(item: int) -> None:
    # With one item answered, its scale is that item's recoded value.
    [scale_id] = [sid for sid, items in TABLE_2.items() if item in items]
    for answer, expected in TABLE_1[item].items():
        assert scores({item: answer})[scale_id] == expected, (item, answer)


def test_all_answers_scoring_worst_give_0_on_every_scale() -> None:
    assert set(scores(answer_scoring(0)).values()) == {0}


def test_all_answers_scoring_best_give_100_on_every_scale() -> None:
    assert set(scores(answer_scoring(100)).values()) == {100}


def test_all_answers_1_shows_which_items_run_the_other_way() -> None:
    result = scores(dict.fromkeys(range(1, 37), 1))
    assert result == {
        "physical_functioning": 0,  # 10 x (1 -> 0)
        "role_physical": 0,
        "role_emotional": 0,
        "energy_fatigue": 50,  # 23: 100, 27: 100, 29: 0, 31: 0 -> 200 / 4
        "emotional_wellbeing": 40,  # 24: 0, 25: 0, 26: 100, 28: 0, 30: 100 -> 200 / 5
        "social_functioning": 50,  # 20: 100, 32: 0
        "pain": 100,  # 21: 100, 22: 100
        "general_health": 60,  # 1: 100, 33: 0, 34: 100, 35: 0, 36: 100 -> 300 / 5
    }


def test_realistic_mixed_case_worked_out_by_hand() -> None:
    answers = {
        # physical functioning 3-12
        3: 1, 4: 2, 5: 2, 6: 2, 7: 3, 8: 2, 9: 1, 10: 2, 11: 3, 12: 3,
        13: 1, 14: 1, 15: 2, 16: 1,  # role physical
        17: 2, 18: 1, 19: 2,  # role emotional
        23: 4, 27: 5, 29: 2, 31: 2,  # energy/fatigue
        24: 4, 25: 5, 26: 3, 28: 4, 30: 3,  # emotional well-being
        20: 3, 32: 3,  # social functioning
        21: 4, 22: 3,  # pain
        1: 4, 33: 2, 34: 4, 35: 3, 36: 4,  # general health
        2: 3,  # health change: asked, not scored
    }  # fmt: skip
    result = score_response(get_instrument("rand36"), rand(answers), respondent=ANYONE)
    # PF: 0 + 50 + 50 + 50 + 100 + 50 + 0 + 50 + 100 + 100 = 550; / 10 = 55
    assert result.scale("physical_functioning").value == 55
    # RP: 0 + 0 + 100 + 0 = 100; / 4 = 25
    assert result.scale("role_physical").value == 25
    # RE: 100 + 0 + 100 = 200; / 3 = 66.67, shown as 66.7
    assert result.scale("role_emotional").value == Fraction(200, 3)
    assert str(result.scale("role_emotional").rounded()) == "66.7"
    # VT: 23=4 -> 40, 27=5 -> 20, 29=2 -> 20, 31=2 -> 20; 100 / 4 = 25
    assert result.scale("energy_fatigue").value == 25
    # MH: 24=4 -> 60, 25=5 -> 80, 26=3 -> 60, 28=4 -> 60, 30=3 -> 60; 320 / 5 = 64
    assert result.scale("emotional_wellbeing").value == 64
    # SF: 20=3 -> 50, 32=3 -> 50; 50
    assert result.scale("social_functioning").value == 50
    # BP: 21=4 -> 40, 22=3 -> 50; 45
    assert result.scale("pain").value == 45
    # GH: 1=4 -> 25, 33=2 -> 25, 34=4 -> 25, 35=3 -> 50, 36=4 -> 25; 150 / 5 = 30
    assert result.scale("general_health").value == 30
    assert result.complete


def test_blank_items_are_left_out_of_the_mean_worked_example() -> None:
    # The worked example that circulates with RAND's instructions (energy/fatigue):
    # 23 answered 4 -> 40, 27 answered 3 -> 60, 29 answered 3 -> 40, 31 left blank:
    # (40 + 60 + 40) / 3 = 46.67.
    result = score_response(
        get_instrument("rand36"), rand({23: 4, 27: 3, 29: 3, 31: None}), respondent=ANYONE
    )
    energy = result.scale("energy_fatigue")
    assert energy.value == Fraction(140, 3)
    assert str(energy.rounded()) == "46.7"
    assert energy.explanation.items_missing == ("rand36_31",)
    assert "The mean of 3 answered items" in energy.explanation.text_en


def test_a_scale_with_no_answered_item_has_no_score() -> None:
    result = score_response(get_instrument("rand36"), rand({21: 2}), respondent=ANYONE)
    assert result.scale("pain").value == 80  # 21=2 -> 80, 22 blank
    assert result.scale("social_functioning").value is None
    assert "0 of 2 items answered; at least 1 needed" in (
        result.scale("social_functioning").explanation.reason_unscored or ""
    )
    assert not result.complete


def test_item_2_alone_scores_nothing_in_version_1_0() -> None:
    assert set(scores({2: 1}).values()) == {None}


def test_version_1_1_adds_the_dutch_ninth_scale_health_change_from_item_2() -> None:
    instrument = get_instrument("rand36", "1.1")
    assert [s.id for s in instrument.scales] == [*TABLE_2, "health_change"]
    health_change = instrument.scale("health_change")
    assert (health_change.items, health_change.unverified) == (("rand36_2",), True)
    assert instrument.item("rand36_2").scored
    # Table 1: item 2 runs 1 ("much better now than one year ago") -> 100 ... 5 -> 0.
    for answer, expected in DOWN_5.items():
        result = scores({2: answer}, "1.1")
        assert result["health_change"] == expected
        assert {k: v for k, v in result.items() if k != "health_change"} == dict.fromkeys(TABLE_2)
    assert scores({3: 1}, "1.1")["health_change"] is None  # blank: no score


def test_version_1_1_scores_the_eight_scales_as_1_0() -> None:
    answers = dict.fromkeys(range(1, 37), 2)
    old, new = scores(answers), scores(answers, "1.1")
    assert new == old | {"health_change": 75}


def test_an_answer_outside_the_item_options_is_rejected() -> None:
    with pytest.raises(InvalidResponse) as caught:
        score_response(get_instrument("rand36"), rand({3: 4, 21: 6, 13: 3}), respondent=ANYONE)
    problems = {p.item_id: (p.code, p.message) for p in caught.value.problems}
    assert problems == {
        "rand36_3": ("not_an_option", "4 is not one of the options 1, 2, 3"),
        "rand36_13": ("not_an_option", "3 is not one of the options 1, 2"),
    }
