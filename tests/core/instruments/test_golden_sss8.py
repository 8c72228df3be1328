"""Golden tests for the SSS-8, worked out by hand.

SSS-8 (gierk-2014; fpnotebook-sss8; msd-sss8): 8 items, 0-4, sum
0-32. Bands 0-3 none to minimal, 4-7 low, 8-11 medium, 12-15 high, 16-32 very high (MSD
prints "16 to 23", a typo). No sourced missing-data rule: every item is needed.
"""

from __future__ import annotations

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

ANYONE = Respondent()


def sss8(*values: int | None) -> dict[str, int | None]:
    return {f"sss8_{n}": value for n, value in enumerate(values, start=1)}


def total(*values: int | None) -> tuple[object, str | None]:
    result = score_response(get_instrument("sss8"), sss8(*values), respondent=ANYONE)
    scale = result.scale("total")
    return scale.value, scale.band_label("en")


def test_all_minimum_is_0_none_to_minimal() -> None:
    assert total(*[0] * 8) == (0, "none to minimal")


def test_all_maximum_is_32_very_high() -> None:
    assert total(*[4] * 8) == (32, "very high")


def test_realistic_mixed_case() -> None:
    # 2 + 1 + 0 + 3 + 1 + 2 + 1 + 2 = 12: the lower edge of "high" (12-15)
    assert total(2, 1, 0, 3, 1, 2, 1, 2) == (12, "high")


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (3, "none to minimal"),
        (4, "low"),
        (7, "low"),
        (8, "medium"),
        (11, "medium"),
        (12, "high"),
        (15, "high"),
        (16, "very high"),
        (24, "very high"),  # above MSD's misprinted "16 to 23": still very high
    ],
)
def test_band_edges(score: int, label: str) -> None:
    values = [4] * (score // 4) + ([score % 4] if score % 4 else [])
    values += [0] * (8 - len(values))
    assert total(*values) == (score, label)


def test_a_missing_item_leaves_no_score() -> None:
    value, band = total(2, 1, 0, 3, 1, 2, 1, None)
    assert (value, band) == (None, None)


def test_an_answer_above_4_is_rejected() -> None:
    with pytest.raises(InvalidResponse, match=r"sss8_8: 5 is not one of the options 0, 1, 2, 3, 4"):
        total(0, 0, 0, 0, 0, 0, 0, 5)


def test_provenance_bands_are_sourced_licence_and_missing_rule_are_unverified() -> None:
    instrument = get_instrument("sss8")
    scale = instrument.scale("total")
    assert all(band.source == "fpnotebook-sss8" and not band.unverified for band in scale.bands)
    assert scale.missing.unverified
    assert instrument.licence.unverified
    assert all(item.text is None for item in instrument.items)
