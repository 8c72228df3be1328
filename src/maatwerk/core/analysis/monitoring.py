"""Monitoring signals for stepped care, over a patient's scored results in time order."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

from maatwerk.core.analysis.reliable_change import ReliableChangeCategory

Key = TypeVar("Key", bound=Hashable)


def still_deteriorated(results: Iterable[tuple[Key, str]]) -> list[Key]:
    """The scales whose most recent result is a reliable deterioration from baseline.

    ``results`` are (scale key, reliable-change category) pairs in time order, one per
    scored result ("" when the change could not be computed). Only the latest result of a
    scale counts: a deterioration that has since recovered is no longer a signal. The keys
    come back in the order their scales first appeared.
    """
    latest: dict[Key, str] = dict(results)  # a later result of a scale replaces the earlier
    return [
        key
        for key, category in latest.items()
        if category == ReliableChangeCategory.RELIABLE_DETERIORATION.value
    ]
