"""Searching the directory for providers that fit a referral."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.referral import (
    NO_PREFERENCE,
    Coordinates,
    InvalidPostcode,
    ProviderFacts,
    ProviderMatch,
    match_providers,
    parse_postcode,
)
from maatwerk.core.referral.directory_filters import DirectoryFilters, passes_filters
from maatwerk.web.providers.models import PostcodeArea, Provider
from maatwerk.web.providers.selectors import (
    DirectoryAccess,
    directory_of,
    gazetteer_of,
    provider_facts,
    provider_location,
)


@dataclass(frozen=True)
class SearchCriteria:
    postcode: str = ""
    care_level: str = ""
    discipline: str = ""
    expertise: str = ""
    modality: str = NO_PREFERENCE
    language: str = ""
    region: str = ""
    max_waiting_weeks: int | None = None
    max_distance_km: float | None = None


@dataclass(frozen=True)
class ShownMatch:
    provider: Provider
    match: ProviderMatch
    location_source: str  # "own", "pc4" or ""


@dataclass(frozen=True)
class SearchOutcome:
    matches: tuple[ShownMatch, ...]
    origin: PostcodeArea | None
    postcode_problem: str  # "" | "invalid" | "unknown_pc4"


def _number(raw: str, *, whole: bool) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ValueError(raw) from None
    if value < 0 or value != value:
        raise ValueError(raw)
    return value


def read_criteria(
    query: Mapping[str, str], *, knowledge: KnowledgeBase, default_care_level: str = ""
) -> tuple[SearchCriteria, dict[str, list[str]]]:
    """Search criteria from the query (``forms.SearchForm.query``: bounded text), and the
    fields that could not be read."""
    errors: dict[str, list[str]] = {}
    care_level = query.get("care_level", default_care_level).strip()
    if care_level and care_level not in {c.id for c in knowledge.care_levels.care_levels}:
        errors["care_level"] = [_("Choose a care level from the list.")]
        care_level = ""
    modality = query.get("modality", NO_PREFERENCE).strip() or NO_PREFERENCE
    if modality not in (NO_PREFERENCE, *Provider.Modality.values):
        errors["modality"] = [_("Choose a modality from the list.")]
        modality = NO_PREFERENCE
    try:
        waiting = _number(query.get("max_waiting_weeks", ""), whole=True)
    except ValueError:
        errors["max_waiting_weeks"] = [_("Enter a whole number of weeks, such as 6.")]
        waiting = None
    try:
        distance = _number(query.get("max_distance_km", ""), whole=False)
        if distance is not None and distance <= 0:
            raise ValueError(distance)
    except ValueError:
        errors["max_distance_km"] = [
            _("Enter a distance in kilometres greater than 0, such as 15.")
        ]
        distance = None
    criteria = SearchCriteria(
        postcode=query.get("postcode", "").strip(),
        care_level=care_level,
        discipline=query.get("discipline", "").strip(),
        expertise=query.get("expertise", "").strip(),
        modality=modality,
        language=query.get("language", "").strip().lower(),
        region=" ".join(query.get("region", "").split()),
        max_waiting_weeks=None if waiting is None else int(waiting),
        max_distance_km=distance,
    )
    return criteria, errors


def provider_search(
    *,
    directory: DirectoryAccess,
    criteria: SearchCriteria,
    factor_ids: tuple[str, ...],
    knowledge: KnowledgeBase,
) -> SearchOutcome:
    """Active providers of the organization that pass the filters, ranked by the core.

    A postcode whose PC4 is not in the gazetteer is reported (``unknown_pc4``) and the
    search goes on without distance; so does an invalid postcode (``invalid``).
    """
    gazetteer = gazetteer_of(directory)
    origin: PostcodeArea | None = None
    problem = ""
    if criteria.postcode:
        try:
            pc4 = parse_postcode(criteria.postcode, allow_pc4=True).pc4
        except InvalidPostcode:
            problem = "invalid"
        else:
            origin = gazetteer.get(pc4)
            problem = "" if origin is not None else "unknown_pc4"
    filters = DirectoryFilters(
        discipline=criteria.discipline,
        expertise=criteria.expertise,
        region=criteria.region,
        max_waiting_weeks=criteria.max_waiting_weeks,
    )
    shown_location: dict[str, str] = {}
    by_key: dict[str, Provider] = {}
    facts: list[ProviderFacts] = []
    for provider in directory_of(directory).filter(is_active=True):
        location, source = provider_location(provider, gazetteer)
        candidate = provider_facts(provider, location)
        if passes_filters(candidate, region=provider.region, filters=filters):
            by_key[candidate.key] = provider
            shown_location[candidate.key] = source
            facts.append(candidate)
    matches = match_providers(
        facts,
        care_level=criteria.care_level or None,
        factor_ids=factor_ids,
        modality=criteria.modality,
        language=criteria.language or None,
        origin=Coordinates(origin.latitude, origin.longitude) if origin is not None else None,
        max_distance_km=criteria.max_distance_km,
        knowledge=knowledge,
    )
    shown = tuple(
        ShownMatch(by_key[match.provider.key], match, shown_location[match.provider.key])
        for match in matches
    )
    return SearchOutcome(shown, origin, problem)
