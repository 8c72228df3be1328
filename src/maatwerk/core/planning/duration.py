"""Expected duration of a plan: editorial and unverified, configurable in the rules.

The treatment length of the e-Coach programme (leiden-ecoach) was not found; "up to
about 6 months" is an unverified inference. The rule (``rules.json`` → ``duration``) is therefore
editorial: the modules run in waves of at most *n* at once (in plan order); a wave lasts
as long as its longest module (each module's ``expected_weeks``, itself an editorial
estimate); the waves add up; a ceiling configured per care level caps the sum. The
result always says it is unverified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maatwerk.core.modules.model import ModuleCatalogue
from maatwerk.core.planning.definitions import PlanningRulesFile
from maatwerk.core.planning.errors import PlanningInputError

__all__ = ["ExpectedDuration", "expected_duration"]


@dataclass(frozen=True, slots=True)
class ExpectedDuration:
    weeks: int  # 0 when the plan has no modules
    waves: tuple[int, ...]  # weeks per wave, before the ceiling
    ceiling_weeks: int | None  # the care level's ceiling, if one is configured
    capped: bool  # the waves add up to more than the ceiling
    care_level: str
    sources: tuple[str, ...]
    unverified: bool  # always True with the bundled rules
    note: str | None


def expected_duration(
    module_ids: Sequence[str],
    *,
    catalogue: ModuleCatalogue,
    care_level: str,
    max_at_once: int,
    rules: PlanningRulesFile,
) -> ExpectedDuration:
    """The expected duration in weeks of the modules in plan order."""
    if max_at_once < 1:
        raise PlanningInputError((f"max_at_once must be at least 1 (got {max_at_once})",))
    unknown = [m for m in module_ids if m not in catalogue.ids]
    if unknown:
        raise PlanningInputError(
            tuple(f"module {m!r} is not in the module catalogue" for m in unknown)
        )
    weeks = [catalogue.module(m).expected_weeks for m in module_ids]
    waves = tuple(
        max(weeks[start : start + max_at_once]) for start in range(0, len(weeks), max_at_once)
    )
    total = sum(waves)
    ceiling = next((c for c in rules.duration.ceilings if care_level in c.care_levels), None)
    capped = ceiling is not None and total > ceiling.weeks
    notes = [rules.duration.note] + ([ceiling.note] if ceiling is not None else [])
    return ExpectedDuration(
        weeks=ceiling.weeks if capped and ceiling is not None else total,
        waves=waves,
        ceiling_weeks=ceiling.weeks if ceiling is not None else None,
        capped=capped,
        care_level=care_level,
        sources=rules.duration.sources + (ceiling.sources if ceiling is not None else ()),
        unverified=True,
        note=" ".join(note for note in notes if note) or None,
    )
