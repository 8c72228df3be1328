"""The hard filters of a directory search: a provider that fails one is not shown at all.

:func:`maatwerk.core.referral.match_providers` ranks what is left (and filters on
language and distance itself); these are the filters the clinician sets on the provider's
own directory entry: discipline, expertise, region and the longest acceptable wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.referral.matching import ProviderFacts


@dataclass(frozen=True, slots=True)
class DirectoryFilters:
    discipline: str = ""  # a discipline id; "" = any
    expertise: str = ""  # an intervention id or free tag; "" = any
    region: str = ""  # compared without case; "" = any
    max_waiting_weeks: int | None = None  # None = any wait, also an unknown one


def passes_filters(provider: ProviderFacts, *, region: str, filters: DirectoryFilters) -> bool:
    """Whether ``provider`` (in ``region``) passes every filter that is set.

    A provider without a known waiting time fails a maximum wait: the clinician asked for
    a wait that is known to be short enough.
    """
    if filters.discipline and filters.discipline not in provider.disciplines:
        return False
    if filters.expertise and filters.expertise not in provider.expertise:
        return False
    if filters.region and region.casefold() != filters.region.casefold():
        return False
    if filters.max_waiting_weeks is not None:
        waiting = provider.waiting_weeks
        if waiting is None or waiting > filters.max_waiting_weeks:
            return False
    return True
