"""Safety rules fire on valid answers even when the rest of the response is unusable."""

from __future__ import annotations

from maatwerk.core.instruments.answers import Respondent
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import safety_flags

PHQ9 = get_instrument("phq9")
ANYONE = Respondent()


def test_item_9_above_zero_fires_in_a_half_filled_questionnaire() -> None:
    flags = safety_flags(PHQ9, {"phq9_1": 2, "phq9_9": 1}, respondent=ANYONE)
    assert [flag.rule_id for flag in flags] == ["phq9_item9_self_harm"]
    assert flags[0].answer == 1


def test_item_9_fires_even_when_another_answer_is_invalid() -> None:
    flags = safety_flags(PHQ9, {"phq9_3": 7, "phq9_9": 3}, respondent=ANYONE)
    assert [flag.item_id for flag in flags] == ["phq9_9"]


def test_no_flag_for_zero_missing_or_invalid_item_9() -> None:
    assert safety_flags(PHQ9, {"phq9_9": 0}, respondent=ANYONE) == ()
    assert safety_flags(PHQ9, {}, respondent=ANYONE) == ()
    assert safety_flags(PHQ9, {"phq9_9": 9}, respondent=ANYONE) == ()  # not an option
    assert safety_flags(PHQ9, {"phq9_9": True}, respondent=ANYONE) == ()  # wrong type
