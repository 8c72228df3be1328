"""Golden tests for the General Self-Efficacy Scale (GSE), worked out by hand.

Rule (Evaluation Measures overview sheet of the GSE, citing Schwarzer & Jerusalem 1995,
"Generalized Self-Efficacy scale", in Measures in health psychology): 10 items answered
1 ("not at all true") to 4 ("exactly true"), no reversed items, responses summed to a
total of 10-40; higher is more self-efficacy. No sourced missing-data rule, so a total
needs all 10 answers. No norms or cut-offs are sourced, so none are reported.
"""

from __future__ import annotations

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

ANYONE = Respondent()


def gse(*values: int | None) -> dict[str, int | None]:
    return {f"gse_{n}": value for n, value in enumerate(values, start=1)}


def total(*values: int | None):  # type: ignore[no-untyped-def]
    return score_response(get_instrument("gse"), gse(*values), respondent=ANYONE).scale("total")


def test_all_not_at_all_true_is_the_minimum_10() -> None:
    assert total(*[1] * 10).value == 10  # 10 x 1


def test_all_exactly_true_is_the_maximum_40() -> None:
    assert total(*[4] * 10).value == 40  # 10 x 4


def test_a_mixed_response_is_the_plain_sum() -> None:
    # 1 + 2 + 3 + 4 + 1 + 2 + 3 + 4 + 1 + 2 = 23
    assert total(1, 2, 3, 4, 1, 2, 3, 4, 1, 2).value == 23


def test_no_item_is_reversed() -> None:
    # Raising any single item from 2 to 3 raises the total by exactly 1 (20 -> 21).
    for position in range(10):
        values = [2] * 10
        values[position] = 3
        assert total(*values).value == 21, position


def test_a_missing_item_gives_no_total() -> None:
    assert total(4, 4, 4, 4, 4, 4, 4, 4, 4, None).value is None


def test_no_cut_offs_or_bands_are_claimed() -> None:
    scale = get_instrument("gse").scale("total")
    assert scale.cutoffs == () and scale.bands == () and scale.norms == ()
    assert scale.direction == "higher_is_better"


@pytest.mark.parametrize("answer", [0, 5])
def test_an_answer_outside_1_to_4_is_refused(answer: int) -> None:
    with pytest.raises(InvalidResponse):
        total(answer, *[2] * 9)
