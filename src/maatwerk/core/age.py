"""Age from a year of birth, and whether someone may still be a minor.

Maatwerk stores only the year of birth (data minimisation), so an age is never one
number: someone born in 2008 is 17 on 1 January 2026 and 18 from their birthday in
2026 on. The functions here keep both sides instead of guessing one.

The age of majority, 18, is Dutch law (Burgerlijk Wetboek Boek 1, artikel 233), a
legal fact and not a clinical value.
"""

from __future__ import annotations

from datetime import date

AGE_OF_MAJORITY = 18  # Burgerlijk Wetboek 1:233


def age_range_from_birth_year(birth_year: int, today: date) -> tuple[int, int]:
    """The youngest and oldest age someone born in ``birth_year`` can be on ``today``:
    one less than the difference in years before their birthday this year, the
    difference itself from it on. On 31 December every birthday of the year has
    passed, so both are the difference. Born this year: (0, 0). A year of birth after
    ``today`` is refused with ValueError."""
    if birth_year > today.year:
        raise ValueError(f"year of birth {birth_year} is after {today.isoformat()}")
    oldest = today.year - birth_year
    no_birthday_left_this_year = (today.month, today.day) == (12, 31)
    youngest = oldest if no_birthday_left_this_year else max(oldest - 1, 0)
    return youngest, oldest


def may_be_minor(birth_year: int, today: date) -> bool:
    """True when someone born in ``birth_year`` is, or possibly is, under 18 on
    ``today``.

    A year of birth alone cannot decide it in the year someone turns 18: before their
    birthday they are 17, after it 18, and the birthday is not stored. Such a person
    counts as possibly a minor, so protection meant for minors is not withheld on a
    guess. Only when even the youngest possible age is 18 or more is the answer False.
    """
    youngest, _oldest = age_range_from_birth_year(birth_year, today)
    return youngest < AGE_OF_MAJORITY
