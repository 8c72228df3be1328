"""External anchors of the audit chain head, and the check that a chain was not rewound.

The hash chain (``maatwerk.core.audit``) detects an altered or removed event in the
middle, but not someone who cuts off the newest events together with the chain head, or
who restores an older copy of the database. An *anchor* is the chain head (sequence and
hash) written somewhere the database cannot reach (another disk, another machine, a
write-once store) at backup time or on a schedule. A chain that still holds every
anchored event with its anchored hash was not rewound past any anchor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from maatwerk.core.audit import ChainBreak


@dataclass(frozen=True, slots=True)
class Anchor:
    """The chain head as it was seen at ``recorded_at`` (ISO 8601 text), for ``reason``."""

    sequence: int
    hash: str
    recorded_at: str
    reason: str = ""


def anchor_breaks(
    anchors: Iterable[Anchor],
    *,
    last_sequence: int,
    hash_at: Callable[[int], str | None],
) -> tuple[ChainBreak, ...]:
    """The anchors a chain does not honour.

    ``last_sequence`` is the newest event in the chain (0 when it is empty) and
    ``hash_at(n)`` the stored hash of event ``n`` (None when there is none). An anchor
    beyond the newest event means events were removed from the end (the chain was
    rewound); an anchored event with another hash means the chain was rewritten.
    """
    breaks: list[ChainBreak] = []
    for anchor in sorted(anchors, key=lambda a: a.sequence):
        if anchor.sequence <= 0:
            continue
        if anchor.sequence > last_sequence:
            breaks.append(
                ChainBreak(
                    anchor.sequence,
                    f"the chain was rewound: anchored event #{anchor.sequence} "
                    f"({anchor.recorded_at}, {anchor.reason or 'anchor'}) is missing; "
                    f"the chain ends at #{last_sequence}",
                )
            )
            continue
        stored = hash_at(anchor.sequence)
        if stored is None:
            breaks.append(
                ChainBreak(anchor.sequence, f"anchored event #{anchor.sequence} is missing")
            )
        elif stored != anchor.hash:
            breaks.append(
                ChainBreak(
                    anchor.sequence,
                    f"the chain was rewritten: event #{anchor.sequence} has hash "
                    f"{stored[:12]}…, the anchor of {anchor.recorded_at} says {anchor.hash[:12]}…",
                )
            )
    return tuple(breaks)
