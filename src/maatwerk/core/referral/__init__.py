"""The referral aid: postcodes, distances, the provider directory's CSV form and the
matching of providers to a patient (plain Python, no Django).

* :mod:`.postcode` - Dutch postcodes (``1234 AB``) and their PC4 area;
* :mod:`.distance` - coordinates and the haversine distance;
* :mod:`.matching` - filter and rank providers with reasons (:func:`match_providers`);
* :mod:`.directory_csv` - the provider and gazetteer CSV files, all or nothing.
"""

from maatwerk.core.referral.distance import Coordinates, distance_km
from maatwerk.core.referral.matching import (
    MODALITIES,
    NO_PREFERENCE,
    MatchReason,
    ProviderFacts,
    ProviderMatch,
    match_providers,
)
from maatwerk.core.referral.postcode import (
    InvalidPostcode,
    Postcode,
    normalize_postcode,
    parse_postcode,
)

__all__ = [
    "MODALITIES",
    "NO_PREFERENCE",
    "Coordinates",
    "InvalidPostcode",
    "MatchReason",
    "Postcode",
    "ProviderFacts",
    "ProviderMatch",
    "distance_km",
    "match_providers",
    "normalize_postcode",
    "parse_postcode",
]
