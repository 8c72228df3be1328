"""The age rule for a year of birth (``maatwerk.core.age``).

Golden values worked out by hand: on 25 November 2026, someone born in 2008 is 17
if their birthday is in December and 18 if it was earlier, so (17, 18) and possibly a
minor; born 2009: (16, 17), a minor either way; born 2007: (18, 19), an adult either
way. 18 is the Dutch age of majority (Burgerlijk Wetboek 1:233).
"""

from __future__ import annotations

from datetime import date

import pytest

from maatwerk.core.age import AGE_OF_MAJORITY, age_range_from_birth_year, may_be_minor

TODAY = date(2026, 11, 25)


def test_the_age_of_majority_is_the_dutch_legal_one() -> None:
    assert AGE_OF_MAJORITY == 18


@pytest.mark.parametrize(
    ("birth_year", "expected"),
    [
        (2026, (0, 0)),  # born this year: not yet one, whatever the birthday
        (2025, (0, 1)),
        (2009, (16, 17)),
        (2008, (17, 18)),
        (2007, (18, 19)),
        (1950, (75, 76)),
    ],
)
def test_age_range_from_birth_year(birth_year: int, expected: tuple[int, int]) -> None:
    assert age_range_from_birth_year(birth_year, TODAY) == expected


@pytest.mark.parametrize(
    ("birth_year", "minor"),
    [
        (2009, True),  # 16 or 17: a minor on any birthday
        (2008, True),  # 17 or 18: the year alone cannot tell, so possibly a minor
        (2007, False),  # 18 or 19: an adult on any birthday
    ],
)
def test_may_be_minor_at_the_boundary(birth_year: int, minor: bool) -> None:
    assert may_be_minor(birth_year, TODAY) is minor


def test_the_boundary_year_around_the_turn_of_the_year() -> None:
    # 30 December 2026: someone born on 31 December 2008 is still 17.
    assert age_range_from_birth_year(2008, date(2026, 12, 30)) == (17, 18)
    assert may_be_minor(2008, date(2026, 12, 30))
    # 31 December 2026: the last of them turns 18 today, so all of them are 18.
    assert age_range_from_birth_year(2008, date(2026, 12, 31)) == (18, 18)
    assert not may_be_minor(2008, date(2026, 12, 31))
    # 1 January 2027: only those born on 1 January 2008 are 19 yet.
    assert age_range_from_birth_year(2008, date(2027, 1, 1)) == (18, 19)
    # 1 January 2026: the 2008 cohort is 17, or 18 for someone born on 1 January.
    assert age_range_from_birth_year(2008, date(2026, 1, 1)) == (17, 18)
    assert may_be_minor(2008, date(2026, 1, 1))


def test_a_year_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="2027"):
        age_range_from_birth_year(2027, TODAY)
