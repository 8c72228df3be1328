"""The one codec from core values to JSON columns: every stored value type round-trips,
and rows written by the earlier screening and planning codecs still read back.

``codec_rows_v1.json`` holds one row per stored type as the earlier codecs wrote it
(``web/screening/codec.py``'s ``to_json``, which the planning codec also used); the
values were generated with Hypothesis and encoded by that code before it was replaced.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maatwerk.core.common.codec import TYPE_KEY, from_json, to_json
from maatwerk.core.planning.duration import ExpectedDuration
from maatwerk.core.planning.matching import BasicReason, MatchReason, ModuleRecommendation
from maatwerk.core.screening.model import (
    JudgementEvidence,
    ScaleEvidence,
    ScreeningInput,
    ScreeningProfile,
    SteppedCareAdvice,
)

STORED_TYPES: tuple[type[Any], ...] = (
    ScreeningInput,
    ScreeningProfile,
    SteppedCareAdvice,
    ModuleRecommendation,
    ExpectedDuration,
)
OLD_ROWS = json.loads((Path(__file__).parent / "codec_rows_v1.json").read_text("utf-8"))

# Exact decimals only: NaN is not equal to itself, so it cannot show a round trip.
EXACT_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False)
st.register_type_strategy(Decimal, EXACT_DECIMALS)


def stored_value(cls: type[Any]) -> st.SearchStrategy[Any]:
    return st.from_type(cls)


@pytest.mark.parametrize("cls", STORED_TYPES, ids=lambda cls: cls.__name__)
def test_every_stored_type_round_trips_through_json_text(cls: type[Any]) -> None:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(stored_value(cls))
    def round_trip(value: Any) -> None:
        text = json.dumps(to_json(value))
        assert from_json(cls, json.loads(text)) == value

    round_trip()


@pytest.mark.parametrize("name", sorted(OLD_ROWS))
def test_rows_written_by_the_earlier_codecs_still_read(name: str) -> None:
    cls = next(cls for cls in STORED_TYPES if cls.__name__ == name)
    row = OLD_ROWS[name]
    value = from_json(cls, row)
    assert isinstance(value, cls)
    assert to_json(value) == row


def test_a_union_member_reads_back_as_its_own_class() -> None:
    judgement = JudgementEvidence(present=True, source=None, unverified=True)
    scale = ScaleEvidence(
        instrument="phq9",
        instrument_version="1.0",
        scale="total",
        value=Decimal("12.50"),
        operator=">=",
        threshold=Decimal("10"),
        met=True,
        source="kroenke-2001",
        unverified=False,
    )
    reason = MatchReason(
        factor_id="f",
        factor_status="elevated",
        origins=("screening",),
        evidence=(scale, judgement),
        via="module_target",
        link_id=None,
        interventions=(),
        sources=("kroenke-2001",),
        unverified=False,
        note=None,
    )
    stored = to_json(reason)
    assert [item[TYPE_KEY] for item in stored["evidence"]] == ["ScaleEvidence", "JudgementEvidence"]
    assert stored["evidence"][0]["value"] == "12.50"
    assert from_json(MatchReason, stored) == reason
    untyped = {
        **stored,
        "evidence": [{k: v for k, v in stored["evidence"][0].items() if k != TYPE_KEY}],
    }
    assert from_json(MatchReason, untyped).evidence == (scale,)


def test_a_mapping_field_reads_back_equal() -> None:
    basic = BasicReason("r", {"nl": "a", "en": "b"}, ("kroenke-2001",), False, None)
    assert from_json(BasicReason, to_json(basic)) == basic


def test_dates_are_iso_text() -> None:
    assert to_json(date(2026, 12, 6)) == "2026-12-06"
    moment = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)
    assert to_json(moment) == "2026-12-06T18:30:00+00:00"
    assert to_json((moment,)) == ["2026-12-06T18:30:00+00:00"]
