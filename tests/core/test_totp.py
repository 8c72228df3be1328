"""Time-based one-time passwords (maatwerk.core.totp)."""

from __future__ import annotations

import base64

import pyotp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.totp import totp_at

RFC_SECRET_ASCII = b"12345678901234567890"
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

# RFC 6238 Appendix B, SHA-1 column: (Unix time, 8-digit TOTP), T0 = 0, X = 30 s.
RFC_6238_SHA1_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


def test_rfc_secret_is_the_base32_of_the_ascii_seed() -> None:
    assert base64.b32encode(RFC_SECRET_ASCII).decode() == RFC_SECRET


@pytest.mark.parametrize(("unix_time", "code"), RFC_6238_SHA1_VECTORS)
def test_rfc_6238_appendix_b_sha1_vectors(unix_time: int, code: str) -> None:
    """RFC 6238 "TOTP: Time-Based One-Time Password Algorithm", Appendix B test vectors.

    https://www.rfc-editor.org/rfc/rfc6238#appendix-B (SHA-1 rows; seed is the ASCII
    string "12345678901234567890", time step 30 s, 8 digits).
    """
    assert totp_at(RFC_SECRET, unix_time, digits=8) == code


@pytest.mark.parametrize(("unix_time", "code"), RFC_6238_SHA1_VECTORS)
def test_six_digit_code_is_the_last_six_digits(unix_time: int, code: str) -> None:
    # Both are the same 31-bit value modulo 10**digits, so 6 digits = last 6 of 8.
    assert totp_at(RFC_SECRET, unix_time) == code[-6:]


def test_code_is_constant_within_a_time_step_and_changes_at_its_edge() -> None:
    assert totp_at(RFC_SECRET, 30) == totp_at(RFC_SECRET, 59.999)
    assert totp_at(RFC_SECRET, 59) != totp_at(RFC_SECRET, 60)


def test_leading_zeros_are_kept() -> None:
    assert totp_at(RFC_SECRET, 1111111109, digits=8) == "07081804"
    assert len(totp_at(RFC_SECRET, 1111111109)) == 6


def test_lower_case_secret_gives_the_same_code() -> None:
    assert totp_at(RFC_SECRET.lower(), 1234567890, digits=8) == "89005924"


def test_unpadded_secret_gives_the_same_code_as_the_padded_one() -> None:
    padded = base64.b32encode(RFC_SECRET_ASCII[:16]).decode()  # 26 characters + "======"
    assert padded.endswith("=")

    assert totp_at(padded.rstrip("="), 1234567890) == totp_at(padded, 1234567890)


@given(
    key=st.binary(min_size=16, max_size=40),
    unix_time=st.integers(min_value=0, max_value=253_402_300_799),  # pyotp stops at year 9999
)
def test_agrees_with_pyotp(key: bytes, unix_time: int) -> None:
    """Cross-check against an independent implementation (pyotp, a dev dependency)."""
    secret = base64.b32encode(key).decode().rstrip("=")

    assert totp_at(secret, unix_time) == pyotp.TOTP(secret).at(unix_time)
