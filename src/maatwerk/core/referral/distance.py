"""Coordinates and the great-circle (haversine) distance between them."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_MEAN_RADIUS_KM = 6371.0088
"""The IUGG mean Earth radius. On a sphere the haversine distance is exact; against the
real ellipsoid it is off by at most about 0.5 %, far less than a PC4 area's own size."""


@dataclass(frozen=True, slots=True)
class Coordinates:
    latitude: float  # decimal degrees, WGS 84
    longitude: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.latitude) and -90 <= self.latitude <= 90):
            raise ValueError(f"latitude {self.latitude} is outside -90..90")
        if not (math.isfinite(self.longitude) and -180 <= self.longitude <= 180):
            raise ValueError(f"longitude {self.longitude} is outside -180..180")


def distance_km(a: Coordinates, b: Coordinates) -> float:
    """The great-circle distance in kilometres (haversine formula)."""
    phi_a, phi_b = math.radians(a.latitude), math.radians(b.latitude)
    d_phi = phi_b - phi_a
    d_lambda = math.radians(b.longitude - a.longitude)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
