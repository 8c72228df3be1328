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


def test_phq9_from_version_1_1_uses_kocalevent_2013() -> None:
    # 1.96 x 3.5 x sqrt(2) x sqrt(1 - 0.89) = 3.2: a change of 4 points is reliable.
    women = change_reference(get_instrument("phq9").scale("total"), sex="female")
    assert women is not None
    assert (women.sd, women.reliability, women.unverified) == (3.5, 0.89, False)
    assert "Kocalevent 2013" in women.basis
    assert change_reference(get_instrument("phq9", "1.0").scale("total"), sex="female") is None


def test_no_reference_without_a_norm() -> None:
    # The SSS-8 has a (unverified) reliability but no norm.
    assert change_reference(get_instrument("sss8").scale("total"), sex="female") is None
