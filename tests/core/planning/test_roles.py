"""Dutch care roles by level of care (issue 12): the GP is responsible in general
practice (also for the POH-GGZ's care); a regiebehandelaar only in the GGZ, chosen from
the professions that may be one — never the POH-GGZ or the GP."""

from __future__ import annotations

import pytest

from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.planning.roles import may_be_regiebehandelaar, responsibility


@pytest.mark.parametrize(
    ("level", "who"),
    [
        ("huisarts", "gp"),
        ("poh_ggz", "gp"),
        ("basis_ggz", "regiebehandelaar"),
        ("specialistische_ggz", "regiebehandelaar"),
        ("topggz", "regiebehandelaar"),
        ("multidisciplinary_rehabilitation", "other"),
    ],
)
def test_responsibility_by_level(level: str, who: str) -> None:
    assert responsibility(level) == who


def test_every_bundled_care_level_has_a_known_responsibility() -> None:
    levels = {c.id for c in bundled_knowledge().care_levels.care_levels}
    assert {responsibility(level) for level in levels} == {"gp", "regiebehandelaar", "other"}


@pytest.mark.parametrize("discipline", ["poh_ggz", "huisarts", "psycholoog", "fysiotherapeut"])
def test_never_the_poh_ggz_the_gp_or_a_non_ggz_profession(discipline: str) -> None:
    for level in ("basis_ggz", "specialistische_ggz", "topggz"):
        assert not may_be_regiebehandelaar(level, discipline)


def test_a_gz_psychologist_only_at_a_ggz_level() -> None:
    assert may_be_regiebehandelaar("basis_ggz", "gz_psycholoog")
    assert not may_be_regiebehandelaar("poh_ggz", "gz_psycholoog")
    assert not may_be_regiebehandelaar("multidisciplinary_rehabilitation", "psychiater")
