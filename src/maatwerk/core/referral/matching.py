"""Matching providers to a patient: filter, then rank, with the reasons for each place.

The ranking rule (docs/referral.md), applied in this order until two providers differ:

1. **Fit with the decided care level** - a provider whose disciplines are all ones the
   care level lists (``care_levels.json``) fits; one with some of them fits partly (it
   also works at another level: a specialist-GGZ practice or a rehabilitation centre
   for a basis-GGZ referral); one with none does not fit. Fits, then partly, then not.
   Without a care level this step is skipped.
2. **Waiting time** - shorter first; unknown after known.
3. **Distance** - nearer first; a provider whose distance is unknown comes after every
   provider whose distance is known. Skipped when there is no origin.
4. **Expertise for this patient's factors** - the number of the patient's factors for
   which the provider offers at least one linked intervention (the knowledge base's
   factor -> intervention map); more first.
5. **Modality** - a provider offering the patient's preferred modality (online,
   face_to_face, blended) first; ``no_preference`` fits every provider.
6. **Name** - alphabetical, so the order is always the same.

Every match carries its reasons in this order, so the list says why each provider is
where it is.

Filters (a provider that fails one is left out): the language, when one is asked for;
the maximum distance, when both it and the origin are known (a provider whose location
is unknown cannot be shown to be within it and is left out too).

The rule is an ordering convention of Maatwerk, not a clinical rule from a source: it
puts the recommended level first and lets the clinician choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.referral.distance import Coordinates, distance_km

MODALITIES = ("online", "face_to_face", "blended")
NO_PREFERENCE = "no_preference"

ReasonCode = Literal[
    "level_fits",  # subject: discipline id; detail: care level id
    "level_partly",  # subject: a discipline the level does not list; detail: care level id
    "level_differs",  # detail: care level id
    "expertise_fits",  # subject: intervention id; detail: factor id
    "modality_fits",  # subject: modality
    "modality_differs",  # subject: modality
    "language_fits",  # subject: language code
    "distance",  # number: km
    "distance_unknown",
    "waiting_time",  # number: weeks
    "waiting_time_unknown",
]


LevelFit = Literal["fits", "partly", "differs"]
_FIT_ORDER: dict[LevelFit | None, int] = {"fits": 0, None: 0, "partly": 1, "differs": 2}


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    key: str  # the caller's id of the provider
    name: str
    disciplines: tuple[str, ...]  # discipline ids (disciplines.json)
    expertise: tuple[str, ...]  # intervention ids (interventions.json) or free tags
    modalities: tuple[str, ...]  # subset of MODALITIES
    languages: tuple[str, ...]  # ISO 639-1 codes
    location: Coordinates | None = None
    waiting_weeks: int | None = None


@dataclass(frozen=True, slots=True)
class MatchReason:
    code: ReasonCode
    subject: str = ""
    detail: str = ""
    number: float | None = None
    unverified: bool = False  # rests on a knowledge-base link marked unverified


@dataclass(frozen=True, slots=True)
class ProviderMatch:
    provider: ProviderFacts
    level_fits: bool | None  # None: no care level was given; True: fits at least partly
    level_fit: LevelFit | None  # None: no care level was given
    factors_covered: tuple[str, ...]  # the patient's factors this provider's expertise addresses
    modality_fits: bool
    distance_km: float | None
    reasons: tuple[MatchReason, ...]


def _interventions_by_factor(
    knowledge: KnowledgeBase, factor_ids: Sequence[str]
) -> dict[str, dict[str, bool]]:
    """factor id -> {intervention id: unverified} from the factor -> intervention map."""
    result: dict[str, dict[str, bool]] = {}
    for factor_id in dict.fromkeys(factor_ids):
        found: dict[str, bool] = {}
        for link in knowledge.interventions_for(factor_id):
            for intervention in link.interventions:
                # verified by any link wins over unverified
                found[intervention] = found.get(intervention, True) and link.unverified
        result[factor_id] = found
    return result


def _level_disciplines(knowledge: KnowledgeBase, care_level: str | None) -> tuple[str, ...]:
    if care_level is None:
        return ()
    try:
        return knowledge.care_level(care_level).disciplines
    except KeyError:
        raise ValueError(f"unknown care level {care_level!r}") from None


def _match_one(
    provider: ProviderFacts,
    *,
    care_level: str | None,
    level_disciplines: tuple[str, ...],
    wanted: dict[str, dict[str, bool]],
    modality: str,
    language: str | None,
    origin: Coordinates | None,
) -> ProviderMatch:
    reasons: list[MatchReason] = []
    level_fits: bool | None = None
    level_fit: LevelFit | None = None
    if care_level is not None:
        fitting = [d for d in provider.disciplines if d in level_disciplines]
        outside = [d for d in provider.disciplines if d not in level_disciplines]
        level_fits = bool(fitting)
        level_fit = "differs" if not fitting else "partly" if outside else "fits"
        if fitting:
            reasons.extend(MatchReason("level_fits", d, care_level) for d in fitting)
            reasons.extend(MatchReason("level_partly", d, care_level) for d in outside)
        else:
            reasons.append(MatchReason("level_differs", detail=care_level))
    ranked_after: list[MatchReason] = []  # expertise, modality, language
    covered: list[str] = []
    for factor_id, interventions in wanted.items():
        offered = [i for i in provider.expertise if i in interventions]
        if offered:
            covered.append(factor_id)
            ranked_after.extend(
                MatchReason("expertise_fits", i, factor_id, unverified=interventions[i])
                for i in offered
            )
    modality_fits = modality == NO_PREFERENCE or modality in provider.modalities
    if modality != NO_PREFERENCE:
        code: ReasonCode = "modality_fits" if modality_fits else "modality_differs"
        ranked_after.append(MatchReason(code, modality))
    if language is not None:
        ranked_after.append(MatchReason("language_fits", language))
    if provider.waiting_weeks is None:
        reasons.append(MatchReason("waiting_time_unknown"))
    else:
        reasons.append(MatchReason("waiting_time", number=provider.waiting_weeks))
    distance: float | None = None
    if origin is not None:
        if provider.location is None:
            reasons.append(MatchReason("distance_unknown"))
        else:
            distance = distance_km(origin, provider.location)
            reasons.append(MatchReason("distance", number=round(distance, 1)))
    reasons.extend(ranked_after)
    return ProviderMatch(
        provider=provider,
        level_fits=level_fits,
        level_fit=level_fit,
        factors_covered=tuple(covered),
        modality_fits=modality_fits,
        distance_km=distance,
        reasons=tuple(reasons),
    )


def _rank_key(match: ProviderMatch) -> tuple[int, int, int, int, float, int, int, str]:
    waiting = match.provider.waiting_weeks
    return (
        _FIT_ORDER[match.level_fit],
        1 if waiting is None else 0,
        waiting or 0,
        1 if match.distance_km is None else 0,
        match.distance_km or 0.0,
        -len(match.factors_covered),
        0 if match.modality_fits else 1,
        match.provider.name.casefold(),
    )


def match_providers(
    providers: Sequence[ProviderFacts],
    *,
    care_level: str | None,
    factor_ids: Sequence[str],
    modality: str,
    language: str | None,
    origin: Coordinates | None,
    max_distance_km: float | None,
    knowledge: KnowledgeBase,
) -> tuple[ProviderMatch, ...]:
    """The providers that pass the filters, best first, each with its reasons."""
    if modality != NO_PREFERENCE and modality not in MODALITIES:
        raise ValueError(f"unknown modality {modality!r}")
    if max_distance_km is not None and not max_distance_km > 0:
        raise ValueError("the maximum distance must be greater than 0 km")
    level_disciplines = _level_disciplines(knowledge, care_level)
    wanted = _interventions_by_factor(knowledge, factor_ids)
    matches = []
    for provider in providers:
        if language is not None and language not in provider.languages:
            continue
        match = _match_one(
            provider,
            care_level=care_level,
            level_disciplines=level_disciplines,
            wanted=wanted,
            modality=modality,
            language=language,
            origin=origin,
        )
        if max_distance_km is not None and origin is not None:
            distance = match.distance_km
            if distance is None or distance > max_distance_km:
                continue
        matches.append(match)
    return tuple(sorted(matches, key=_rank_key))
