"""Planning values (the core's frozen dataclasses) to JSON and back.

A plan must be read and exported later exactly as it was decided, so the recommendation
and the expected duration are stored whole. Screening evidence inside a reason is
written and read by the screening app's codec.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from maatwerk.core.planning.duration import ExpectedDuration
from maatwerk.core.planning.matching import BasicReason, MatchReason, ModuleRecommendation
from maatwerk.core.screening.model import Evidence, JudgementEvidence, ScaleEvidence
from maatwerk.web.screening import codec as screening_codec

to_json = screening_codec.to_json


def _evidence(data: Mapping[str, Any]) -> Evidence:
    kind = data.get(screening_codec.TYPE_KEY)
    if kind == "JudgementEvidence":
        return screening_codec.from_json(JudgementEvidence, data)
    return screening_codec.from_json(ScaleEvidence, data)


def _match_reason(data: Mapping[str, Any]) -> MatchReason:
    return MatchReason(
        factor_id=data["factor_id"],
        factor_status=data["factor_status"],
        origins=tuple(data["origins"]),
        evidence=tuple(_evidence(item) for item in data["evidence"]),
        via=data["via"],
        link_id=data["link_id"],
        interventions=tuple(data["interventions"]),
        sources=tuple(data["sources"]),
        unverified=bool(data["unverified"]),
        note=data["note"],
    )


def _basic_reason(data: Mapping[str, Any] | None) -> BasicReason | None:
    if data is None:
        return None
    return BasicReason(
        rule_id=data["rule_id"],
        text=MappingProxyType(dict(data["text"])),
        sources=tuple(data["sources"]),
        unverified=bool(data["unverified"]),
        note=data["note"],
    )


def recommendation_from_json(data: Mapping[str, Any]) -> ModuleRecommendation:
    return ModuleRecommendation(
        module_id=data["module_id"],
        status=data["status"],
        rank=data["rank"],
        wave=data["wave"],
        placement=data["placement"],
        reasons=tuple(_match_reason(item) for item in data["reasons"]),
        basic=_basic_reason(data["basic"]),
        excluded_reason=data["excluded_reason"],
        delivery=data["delivery"],
        unverified=bool(data["unverified"]),
    )


def duration_from_json(data: Mapping[str, Any]) -> ExpectedDuration:
    return ExpectedDuration(
        weeks=int(data["weeks"]),
        waves=tuple(int(weeks) for weeks in data["waves"]),
        ceiling_weeks=data["ceiling_weeks"],
        capped=bool(data["capped"]),
        care_level=data["care_level"],
        sources=tuple(data["sources"]),
        unverified=bool(data["unverified"]),
        note=data["note"],
    )
