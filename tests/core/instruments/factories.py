"""Small synthetic instrument definitions for tests (plain dicts, as a JSON file would hold)."""

from __future__ import annotations

import copy
from typing import Any

from maatwerk.core.instruments.loading import parse_instrument
from maatwerk.core.instruments.model import Instrument

SOURCE = "fixture"


def options(values: range | list[int], set_id: str = "r") -> dict[str, Any]:
    return {
        "id": set_id,
        "kind": "options",
        "source": SOURCE,
        "options": [{"value": v} for v in values],
    }


def scale(item_ids: list[str], **overrides: Any) -> dict[str, Any]:
    """A sum scale over ``item_ids``, complete_only, range given by the caller."""
    base: dict[str, Any] = {
        "id": "total",
        "name": {"en": "Total", "nl": "Totaal"},
        "items": item_ids,
        "method": "sum",
        "missing": {"rule": "complete_only", "source": SOURCE},
        "range": {"min": 0, "max": 3 * len(item_ids)},
        "direction": "higher_is_worse",
        "source": SOURCE,
    }
    base.update(overrides)
    return base


def definition(
    n_items: int = 4,
    response_set: dict[str, Any] | None = None,
    scales: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A structure-only instrument: ``n_items`` items q1..qn on one response set (0-3)."""
    rs = response_set if response_set is not None else options(range(4))
    item_ids = [f"q{i}" for i in range(1, n_items + 1)]
    data: dict[str, Any] = {
        "format": 1,
        "code": "demo",
        "version": "1.0",
        "name": {"en": "Demo instrument", "nl": "Demo-vragenlijst"},
        "short_name": "DEMO",
        "licence": {
            "kind": "licensed",
            "statement": "Test fixture; no texts shipped.",
            "item_texts_shipped": False,
            "source": SOURCE,
        },
        "sources": [{"id": SOURCE, "citation": "Synthetic test fixture"}],
        "response_sets": [rs],
        "items": [{"id": item_id, "response_set": rs["id"]} for item_id in item_ids],
        "scales": scales if scales is not None else [scale(item_ids)],
    }
    data.update(overrides)
    return copy.deepcopy(data)


def build(data: dict[str, Any]) -> Instrument:
    return parse_instrument(data, origin="fixture.json")
