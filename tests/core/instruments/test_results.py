"""Score results in forms adapters can store and show."""

from __future__ import annotations

import json
from typing import Any

from maatwerk.core.instruments.scoring import Respondent, score_response

from .factories import SOURCE, build, definition, scale


def banded() -> Any:
    bands = [
        {"min": 0, "max": 4, "label": {"en": "low", "nl": "laag"}, "source": SOURCE},
        {"min": 5, "max": 12, "label": {"en": "high"}, "source": SOURCE, "unverified": True},
    ]
    missing = {"rule": "prorate_min_k", "min_answered": 3, "source": SOURCE}
    ids = ["q1", "q2", "q3", "q4"]
    return build(definition(scales=[scale(ids, bands=bands, missing=missing)]))


def test_band_label_in_a_language_with_fallback_to_english() -> None:
    result = score_response(banded(), {"q1": 3, "q2": 3, "q3": 3}, respondent=Respondent())
    total = result.scale("total")
    assert total.band_label("en") == "high"
    assert total.band_label("nl") == "high"  # no Dutch label: falls back to English
    low = score_response(banded(), {"q1": 0, "q2": 0, "q3": 0}, respondent=Respondent())
    assert low.scale("total").band_label("nl") == "laag"


def test_explanation_dict_is_json_and_keeps_exact_values() -> None:
    result = score_response(banded(), {"q1": 1, "q2": 1, "q3": 2}, respondent=Respondent())
    data = result.scale("total").explanation_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["value"] == "16/3"  # (1 + 1 + 2) * 4/3
    assert data["proration_factor"] == "4/3"
    assert data["items_missing"] == ["q4"]
    assert data["band"] == {"min": "5", "max": "12", "source": SOURCE, "unverified": True}
    assert data["text_en"].startswith("Total: 3 of 4 items answered")


def test_unscored_explanation_dict() -> None:
    result = score_response(banded(), {"q1": 1}, respondent=Respondent())
    data = result.scale("total").explanation_dict()
    assert data["value"] is None
    assert data["band"] is None
    assert "at least 3" in data["reason_unscored"]
