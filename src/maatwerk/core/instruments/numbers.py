"""Exact numbers: conversions to ``Fraction`` and readable formatting."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def exact(value: Decimal | int) -> Fraction:
    """A definition number as an exact fraction."""
    return Fraction(value)


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """Round for display, halves away from zero as people expect (2.5 -> 3, 11.25 -> 11.3)."""
    whole, rest = divmod(abs(value) * 10**decimals, 1)
    if rest >= Fraction(1, 2):
        whole += 1
    magnitude = Decimal(int(whole)).scaleb(-decimals)
    return -magnitude if value < 0 and whole else magnitude


def fmt(value: Fraction | Decimal | int) -> str:
    """``12`` -> "12", ``45/4`` -> "11.25", ``1/3`` -> "1/3 (0.33)"."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return str(fraction.numerator)
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        text = format(Decimal(fraction.numerator) / Decimal(fraction.denominator), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{fraction.numerator}/{fraction.denominator} ({round_half_up(fraction, 2)})"


def display_number(value: Decimal | int, language: str) -> str:
    """A score as people write it: 14 (not 14.0000), 2.5, and 2,5 in Dutch."""
    number = Decimal(value)
    text = str(int(number)) if number == number.to_integral() else format(number.normalize(), "f")
    return text.replace(".", ",") if language.startswith("nl") else text
