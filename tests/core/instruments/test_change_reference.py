"""The RCI reference group follows the respondent's sex (GAD-7, Löwe 2008)."""

from __future__ import annotations

from maatwerk.core.instruments.reference import change_reference
from maatwerk.core.instruments.registry import get_instrument


def test_gad7_uses_the_norm_of_the_respondents_sex() -> None:
    total = get_instrument("gad7").scale("total")
    women = change_reference(total, sex="female")
    men = change_reference(total, sex="male")
    assert women is not None and men is not None
    assert (women.sd, men.sd) == (3.5, 3.2)
    assert women.reliability == 0.89


def test_no_reference_without_a_norm() -> None:
    assert change_reference(get_instrument("phq9").scale("total"), sex="female") is None
