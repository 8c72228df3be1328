"""Who may sign a referral, by profession (Dutch primary care).

In Dutch primary care the GP (huisarts) refers: a referral to the GGZ or to a
rehabilitation centre is signed by the GP, who also carries the medical responsibility
for the care of the practice's POH-GGZ. A POH-GGZ or a psychologist prepares a referral
with the patient, and the GP signs it. Other referrers the Dutch system knows (company
doctors, youth doctors, medical specialists) work outside the GP practices Maatwerk is
made for and are not listed (unverified: not checked against the Zvw regulations).
"""

from __future__ import annotations

REFERRING_DISCIPLINES: frozenset[str] = frozenset({"huisarts"})
"""Professions (membership disciplines) that may sign a referral."""


def may_refer(discipline: str) -> bool:
    """Whether someone of this profession may sign a referral.

    >>> may_refer("huisarts"), may_refer("poh_ggz"), may_refer("psycholoog")
    (True, False, False)
    """
    return discipline in REFERRING_DISCIPLINES
