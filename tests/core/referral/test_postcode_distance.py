from __future__ import annotations

import math

import pytest

from maatwerk.core.referral import (
    Coordinates,
    InvalidPostcode,
    Postcode,
    distance_km,
    normalize_postcode,
    parse_postcode,
)
from maatwerk.core.referral.distance import EARTH_MEAN_RADIUS_KM


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("3511 AB", "3511 AB"),
        ("3511ab", "3511 AB"),
        ("  3511   aB ", "3511 AB"),
        ("9999ZZ", "9999 ZZ"),
    ],
)
def test_postcodes_are_normalized(text: str, written: str) -> None:
    assert normalize_postcode(text) == written


def test_the_pc4_part() -> None:
    assert parse_postcode("3511 ab") == Postcode(pc4="3511", letters="AB")
    assert parse_postcode("3511", allow_pc4=True) == Postcode(pc4="3511", letters="")
    assert str(parse_postcode("3511", allow_pc4=True)) == "3511"
    assert not parse_postcode("3511", allow_pc4=True).is_complete


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("3511", "format"),  # four digits only where a full postcode is asked for
        ("351 AB", "format"),
        ("35111AB", "format"),
        ("3511 A", "format"),
        ("3511 A1", "format"),
        ("AB 3511", "format"),
        ("0511 AB", "leading_zero"),
        ("3511 SS", "letters_not_issued"),
        ("3511 sa", "letters_not_issued"),
        ("3511 SD", "letters_not_issued"),
    ],
)
def test_invalid_postcodes_say_why(text: str, problem: str) -> None:
    with pytest.raises(InvalidPostcode) as raised:
        parse_postcode(text)
    assert raised.value.problem == problem


def test_distance_along_a_meridian_is_one_degree_of_the_great_circle() -> None:
    # One degree of latitude on a sphere of radius R is 2πR/360 = 111.195 km.
    expected = 2 * math.pi * EARTH_MEAN_RADIUS_KM / 360
    assert distance_km(Coordinates(52.0, 5.0), Coordinates(53.0, 5.0)) == pytest.approx(expected)


def test_distance_utrecht_amsterdam_agrees_with_the_law_of_cosines() -> None:
    # Reference computed independently with the spherical law of cosines on the same
    # radius: acos(sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ) · R = 35.067 km.
    utrecht, amsterdam = Coordinates(52.0907, 5.1214), Coordinates(52.3731, 4.8922)
    assert distance_km(utrecht, amsterdam) == pytest.approx(35.06708, abs=1e-4)
    assert distance_km(amsterdam, utrecht) == distance_km(utrecht, amsterdam)
    assert distance_km(utrecht, utrecht) == 0.0


@pytest.mark.parametrize(("lat", "lon"), [(91, 5), (-90.5, 5), (52, 181), (math.nan, 5)])
def test_coordinates_out_of_range_are_refused(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        Coordinates(lat, lon)
