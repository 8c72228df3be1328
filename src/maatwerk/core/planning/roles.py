"""Who is responsible for a plan's care, by level of care (Dutch care roles).

- In general practice (care levels ``huisarts`` and ``poh_ggz``) the GP (huisarts) is
  medically responsible, also for the care the practice's POH-GGZ gives; there is no
  regiebehandelaar.
- In the GGZ (``basis_ggz``, ``specialistische_ggz``, ``topggz``) a regiebehandelaar
  coordinates the treatment. Maatwerk never makes anyone regiebehandelaar by itself: the
  clinician chooses one, from the professions listed here.
- Multidisciplinary rehabilitation is medical-specialist care, not GGZ: no
  regiebehandelaar in this sense.

Unverified: the levels and the professions follow the Dutch "Landelijk Kwaliteitsstatuut
GGZ" as generally described; they were not checked against its text (which also names
professions Maatwerk does not model, such as the verpleegkundig specialist GGZ).
"""

from __future__ import annotations

from typing import Literal

GP_LEVELS: frozenset[str] = frozenset({"huisarts", "poh_ggz"})
REGIEBEHANDELAAR_LEVELS: frozenset[str] = frozenset({"basis_ggz", "specialistische_ggz", "topggz"})
REGIEBEHANDELAAR_DISCIPLINES: frozenset[str] = frozenset(
    {"gz_psycholoog", "klinisch_psycholoog", "psychotherapeut", "psychiater"}
)

Responsibility = Literal["gp", "regiebehandelaar", "other"]


def responsibility(care_level: str) -> Responsibility:
    """Who carries the responsibility at this level of care.

    >>> responsibility("poh_ggz"), responsibility("basis_ggz"), responsibility("topggz")
    ('gp', 'regiebehandelaar', 'regiebehandelaar')
    >>> responsibility("multidisciplinary_rehabilitation")
    'other'
    """
    if care_level in GP_LEVELS:
        return "gp"
    if care_level in REGIEBEHANDELAAR_LEVELS:
        return "regiebehandelaar"
    return "other"


def may_be_regiebehandelaar(care_level: str, discipline: str) -> bool:
    """Whether someone of this profession may be chosen as regiebehandelaar at this level
    (never at a GP level: the POH-GGZ and the GP are not regiebehandelaar).

    >>> may_be_regiebehandelaar("basis_ggz", "gz_psycholoog")
    True
    >>> may_be_regiebehandelaar("basis_ggz", "poh_ggz")
    False
    >>> may_be_regiebehandelaar("poh_ggz", "gz_psycholoog")
    False
    """
    return care_level in REGIEBEHANDELAAR_LEVELS and discipline in REGIEBEHANDELAAR_DISCIPLINES
