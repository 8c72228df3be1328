"""Who may sign a referral (issue 12): the GP, not the POH-GGZ or a psychologist."""

from __future__ import annotations

import pytest

from maatwerk.core.referral.roles import may_refer


def test_the_gp_refers() -> None:
    assert may_refer("huisarts")


@pytest.mark.parametrize("discipline", ["poh_ggz", "psycholoog", "gz_psycholoog", "", "other"])
def test_others_prepare_but_do_not_sign(discipline: str) -> None:
    assert not may_refer(discipline)
