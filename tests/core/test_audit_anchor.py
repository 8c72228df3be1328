"""Anchors of the audit chain head catch a rewound or rewritten chain."""

from __future__ import annotations

from maatwerk.core.audit_anchor import Anchor, anchor_breaks

CHAIN = {1: "a" * 64, 2: "b" * 64, 3: "c" * 64}


def check(anchors: list[Anchor], last: int, chain: dict[int, str] = CHAIN) -> list[str]:
    return [b.reason for b in anchor_breaks(anchors, last_sequence=last, hash_at=chain.get)]


def test_a_chain_holding_every_anchor_passes() -> None:
    anchors = [Anchor(2, "b" * 64, "2026-01-01T00:00:00Z"), Anchor(3, "c" * 64, "t")]
    assert check(anchors, 3) == []


def test_an_empty_anchor_is_always_honoured() -> None:
    assert check([Anchor(0, "0" * 64, "t")], 0, {}) == []


def test_fewer_events_than_anchored_is_a_rewind() -> None:
    reasons = check([Anchor(3, "c" * 64, "t", "backup")], 2)
    assert len(reasons) == 1
    assert "rewound" in reasons[0] and "#3" in reasons[0] and "#2" in reasons[0]


def test_another_hash_at_an_anchored_sequence_is_a_rewrite() -> None:
    reasons = check([Anchor(2, "f" * 64, "t")], 3)
    assert len(reasons) == 1
    assert "rewritten" in reasons[0]


def test_a_gap_at_the_anchored_sequence_is_reported() -> None:
    reasons = check([Anchor(2, "b" * 64, "t")], 3, {1: "a" * 64, 3: "c" * 64})
    assert reasons == ["anchored event #2 is missing"]
