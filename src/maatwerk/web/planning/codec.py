"""Planning values stored whole: the recommendation and the expected duration.

Both are written and read by the core's one codec (``maatwerk.core.common.codec``); rows
written before it (by this module's hand-written readers) have the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping

from maatwerk.core.common.codec import from_json, to_json
from maatwerk.core.planning.duration import ExpectedDuration
from maatwerk.core.planning.matching import ModuleRecommendation

__all__ = ["duration_from_json", "recommendation_from_json", "to_json"]


def recommendation_from_json(data: Mapping[str, object]) -> ModuleRecommendation:
    return from_json(ModuleRecommendation, data)


def duration_from_json(data: Mapping[str, object]) -> ExpectedDuration:
    return from_json(ExpectedDuration, data)
