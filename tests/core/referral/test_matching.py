"""match_providers: filters and the ranking rule, with hand-reasoned expected orders.

Knowledge used (bundled interventions.json links):
* catastrophizing -> cognitive_restructuring (link catastrophic_cognitions, verified) and
  target_fear_and_catastrophizing / graded_exposure_in_vivo (unverified link);
* helplessness -> act (link helplessness_acceptance, unverified);
* basis_ggz lists the disciplines gz_psycholoog and eerstelijnspsycholoog.
"""

from __future__ import annotations

import pytest

from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.referral import Coordinates, MatchReason, ProviderFacts, match_providers

UTRECHT = Coordinates(52.0907, 5.1214)
AMSTERDAM = Coordinates(52.3731, 4.8922)  # 35.07 km from UTRECHT
ZUILEN = Coordinates(52.1085, 5.1087)  # about 2.2 km from UTRECHT

A = ProviderFacts(
    "a", "Amstel", ("eerstelijnspsycholoog",), ("cognitive_restructuring", "act"),
    ("face_to_face",), ("nl",), AMSTERDAM, 6,
)  # fmt: skip
B = ProviderFacts(
    "b", "Domstad", ("gz_psycholoog",), ("act",), ("face_to_face",), ("nl", "en"), UTRECHT, 2
)
C = ProviderFacts(
    "c", "Fysio Zuilen", ("fysiotherapeut",), ("cognitive_restructuring", "act"),
    ("face_to_face",), ("nl",), ZUILEN, 0,
)  # fmt: skip
D = ProviderFacts(
    "d", "Online Psy", ("eerstelijnspsycholoog",), ("cognitive_restructuring", "act"),
    ("online",), ("nl",), None, 1,
)  # fmt: skip
E = ProviderFacts(
    "e", "Noord", ("gz_psycholoog",), ("cognitive_restructuring", "act"),
    ("face_to_face", "blended"), ("nl",), None, 1,
)  # fmt: skip
F = ProviderFacts(
    "f", "Oost", ("gz_psycholoog",), ("act", "free_tag"), ("face_to_face",), ("nl",), UTRECHT, 8
)
ALL = (F, E, D, C, B, A)  # deliberately not in the expected order


def _match(**overrides: object) -> tuple[str, ...]:
    arguments: dict[str, object] = {
        "care_level": "basis_ggz",
        "factor_ids": ("catastrophizing", "helplessness"),
        "modality": "face_to_face",
        "language": None,
        "origin": UTRECHT,
        "max_distance_km": None,
        "knowledge": bundled_knowledge(),
    } | overrides
    return tuple(m.provider.key for m in match_providers(ALL, **arguments))  # type: ignore[arg-type]


def test_ranking_rule_step_by_step() -> None:
    # 1. care level: C (fysiotherapeut) is not a basis_ggz discipline -> last.
    # 2. factors covered: A, D, E cover both (cognitive_restructuring for catastrophizing,
    #    act for helplessness); B and F only helplessness (act).
    # 3. modality face_to_face: A and E offer it, D (online only) does not -> A, E before D.
    # 4. distance: A is 35 km away, E's location is unknown -> A before E.
    # 5. B and F are both 0 km; waiting time 2 < 8 weeks -> B before F.
    assert _match() == ("a", "e", "d", "b", "f", "c")


def test_without_care_level_and_origin_the_other_steps_decide() -> None:
    # No level step: C competes. Factors: A, C, D, E cover 2; B, F 1. Modality: D last of
    # the four. No distance step. Waiting: C 0, E 1, A 6 -> C, E, A, D; then B (2), F (8).
    assert _match(care_level=None, origin=None) == ("c", "e", "a", "d", "b", "f")


def test_no_modality_preference_fits_everyone() -> None:
    # Same as the step-by-step order except that D now fits modality: among the
    # two-factor providers A (35 km) comes before D and E (unknown distance), and D
    # (waits 1 week) ties E (1 week) -> name: "Noord" < "Online Psy".
    assert _match(modality="no_preference") == ("a", "e", "d", "b", "f", "c")
    assert _match(modality="no_preference", origin=None) == ("e", "d", "a", "b", "f", "c")


def test_language_filter_keeps_only_providers_who_speak_it() -> None:
    assert _match(language="en") == ("b",)
    assert _match(language="tr") == ()


def test_max_distance_leaves_out_far_and_unlocated_providers() -> None:
    # A is 35 km away; D and E have no known location; B, F (0 km) and C (2.2 km) stay.
    assert _match(max_distance_km=10) == ("b", "f", "c")
    # Without an origin the distance cannot be known, so the maximum is not applied.
    assert len(_match(max_distance_km=10, origin=None)) == 6


def test_reasons_say_why() -> None:
    matches = match_providers(
        (B, E),
        care_level="basis_ggz",
        factor_ids=("catastrophizing", "helplessness"),
        modality="online",
        language="nl",
        origin=UTRECHT,
        max_distance_km=None,
        knowledge=bundled_knowledge(),
    )
    first, second = matches
    assert first.provider is E  # two factors covered beats modality (neither is online)
    assert first.factors_covered == ("catastrophizing", "helplessness")
    assert first.reasons == (
        MatchReason("level_fits", "gz_psycholoog", "basis_ggz"),
        MatchReason("expertise_fits", "cognitive_restructuring", "catastrophizing"),
        MatchReason("expertise_fits", "act", "helplessness", unverified=True),
        MatchReason("modality_differs", "online"),
        MatchReason("language_fits", "nl"),
        MatchReason("distance_unknown"),
        MatchReason("waiting_time", number=1),
    )
    assert second.provider is B
    assert MatchReason("distance", number=0.0) in second.reasons
    assert second.distance_km == 0.0


def test_a_discipline_outside_the_level_is_named() -> None:
    (match,) = match_providers(
        (C,),
        care_level="huisarts",
        factor_ids=(),
        modality="no_preference",
        language=None,
        origin=None,
        max_distance_km=None,
        knowledge=bundled_knowledge(),
    )
    assert match.level_fits is False
    assert match.reasons[0] == MatchReason("level_differs", detail="huisarts")


def test_a_factor_without_links_matches_nothing_and_free_tags_are_ignored() -> None:
    (match,) = match_providers(
        (F,),
        care_level=None,
        factor_ids=("no_such_factor",),
        modality="no_preference",
        language=None,
        origin=None,
        max_distance_km=None,
        knowledge=bundled_knowledge(),
    )
    assert match.factors_covered == ()
    assert match.level_fits is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"care_level": "no_such_level"}, "unknown care level"),
        ({"modality": "telepathy"}, "unknown modality"),
        ({"max_distance_km": 0}, "greater than 0"),
    ],
)
def test_bad_arguments_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _match(**overrides)
