"""Phone numbers: Dutch national and international notations, normalized to E.164.

Expected values follow ITU-T E.164 (max 15 digits, no country code starting with 0) and
the Dutch numbering plan (9 digits after the trunk prefix 0; 0800/090x with 4 or 7
digits). The crisis line is the number 113 Zelfmoordpreventie publishes (0800-0113).
"""

from __future__ import annotations

import pytest

from maatwerk.core.contact import InvalidPhoneNumber, PhoneNumber, parse_phone_number


@pytest.mark.parametrize(
    ("text", "e164", "written"),
    [
        # Dutch mobile, in every way people write it
        ("06-12345678", "+31612345678", "06-12345678"),
        ("0612345678", "+31612345678", "06-12345678"),
        ("06 1234 5678", "+31612345678", "06-12345678"),
        ("06 12 34 56 78", "+31612345678", "06-12345678"),
        ("+31 6 1234 5678", "+31612345678", "06-12345678"),
        ("+31612345678", "+31612345678", "06-12345678"),
        ("0031 6 12345678", "+31612345678", "06-12345678"),
        ("+31 (0)6 1234 5678", "+31612345678", "06-12345678"),
        ("(06) 12345678", "+31612345678", "06-12345678"),
        ("  06.12.34.56.78  ", "+31612345678", "06-12345678"),
        # Dutch landline: two-digit and three-digit area codes
        ("020-1234567", "+31201234567", "020-1234567"),
        ("020 123 4567", "+31201234567", "020-1234567"),
        ("+31 20 123 4567", "+31201234567", "020-1234567"),
        ("+31 (0)20 123 4567", "+31201234567", "020-1234567"),
        ("010-1234567", "+31101234567", "010-1234567"),
        ("070-3456789", "+31703456789", "070-3456789"),
        ("0111-123456", "+31111123456", "0111-123456"),
        ("0513/123456", "+31513123456", "0513-123456"),
        ("085-1234567", "+31851234567", "085-1234567"),
        # Information numbers: 4 or 7 digits after the prefix
        ("0800-0113", "+318000113", "0800-0113"),
        ("0800 0113", "+318000113", "0800-0113"),
        ("0900-1234567", "+319001234567", "0900-1234567"),
        # International E.164
        ("+32 470 12 34 56", "+32470123456", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456", "+32470123456"),
        ("+49 30 1234567", "+49301234567", "+49301234567"),
        ("+44 20 7946 0958", "+442079460958", "+442079460958"),
        ("+1 (212) 555-0123", "+12125550123", "+12125550123"),
        ("+6834002", "+6834002", "+6834002"),
        ("+123456789012345", "+123456789012345", "+123456789012345"),
    ],
)
def test_accepted_numbers_are_normalized(text: str, e164: str, written: str) -> None:
    number = parse_phone_number(text)
    assert number == PhoneNumber(e164)
    assert number.e164 == e164
    assert number.tel_uri == f"tel:{e164}"
    assert number.written == written


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("06-1234567a", "characters"),
        ("bel me", "characters"),
        ("06 1234 5678 toestel 2", "characters"),
        ("+31 6 1234 5678 ext", "characters"),
        ("06_12345678", "characters"),
        ("+", "too_short"),
        ("()", "too_short"),
        ("++31612345678", "characters"),
        ("٠٦١٢٣٤٥٦٧٨", "characters"),  # Arabic-Indic digits are not dialable here
        ("12345678", "dutch_prefix"),
        ("612345678", "dutch_prefix"),
        ("0", "dutch_prefix"),
        ("+31 0612345678", "dutch_prefix"),
        ("0612345", "too_short"),
        ("06-1234567", "too_short"),
        ("06-123456789", "too_long"),
        ("020-12345", "too_short"),
        ("+31 6 1234 567", "too_short"),
        ("+31 6 1234 56789", "too_long"),
        ("0800-011", "dutch_length"),
        ("0800-01134", "dutch_length"),
        ("0900-12345678", "dutch_length"),
        ("+0 123 456 789", "country_code"),
        ("000 32 470 12 34 56", "country_code"),
        ("+32 47", "too_short"),
        ("+1234567890123456", "too_long"),
        ("112", "dutch_prefix"),
    ],
)
def test_refused_numbers_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as refused:
        parse_phone_number(text)
    assert refused.value.problem == problem


def test_the_same_number_written_differently_is_equal() -> None:
    written = ["06-12345678", "+31 6 12345678", "0031612345678", "+31 (0)6-1234 5678"]
    assert len({parse_phone_number(text) for text in written}) == 1


def test_normalizing_twice_changes_nothing() -> None:
    for text in ["06-12345678", "020-1234567", "0800-0113", "+32 470 12 34 56"]:
        once = parse_phone_number(text)
        assert parse_phone_number(once.e164) == once
        assert parse_phone_number(once.written) == once


def test_a_number_is_dutch_only_with_country_code_31() -> None:
    assert parse_phone_number("06-12345678").is_dutch
    assert not parse_phone_number("+32 470 12 34 56").is_dutch
