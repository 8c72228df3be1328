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
    # 1. fit with the care level: C (fysiotherapeut) is not a basis_ggz discipline -> last;
    #    the others list only basis_ggz disciplines -> they fit.
    # 2. waiting time: D and E 1 week, B 2, A 6, F 8.
    # 3. distance: D and E both unknown -> no difference.
    # 4. factors covered: D and E both cover 2.
    # 5. modality face_to_face: E offers it, D (online only) does not -> E before D.
    assert _match() == ("e", "d", "b", "a", "f", "c")


def test_without_care_level_and_origin_the_other_steps_decide() -> None:
    # No level step: C competes. Waiting: C 0, D and E 1, B 2, A 6, F 8; D and E tie on
    # factors (2 each) and E offers face to face -> E before D.
    assert _match(care_level=None, origin=None) == ("c", "e", "d", "b", "a", "f")


def test_no_modality_preference_fits_everyone() -> None:
    # D now fits modality too: D and E tie on everything up to the name,
    # "Noord" (E) < "Online Psy" (D).
    assert _match(modality="no_preference") == ("e", "d", "b", "a", "f", "c")
    assert _match(modality="no_preference", origin=None) == ("e", "d", "b", "a", "f", "c")


def test_a_basis_ggz_referral_ranks_basis_ggz_practices_before_other_levels() -> None:
    """Issue 12: with the decided level basis-GGZ, a pain-rehabilitation centre (20-week
    wait, 8.8 km) and a specialist-GGZ practice ranked above nearby basis-GGZ practices.
    Both also work at another level (revalidatiearts and fysiotherapeut; psychiater and
    psychotherapeut are not basis-GGZ disciplines), so they fit only partly and come
    after every practice that fits; within a fit, waiting time, then distance."""
    near = Coordinates(52.0950, 5.1214)  # about 0.5 km north of UTRECHT
    rehab = ProviderFacts(
        "rehab", "Pijnrevalidatie Centrum", ("revalidatiearts", "fysiotherapeut", "gz_psycholoog"),
        ("graded_exposure_in_vivo", "cognitive_restructuring", "act"), ("face_to_face",),
        ("nl",), Coordinates(52.1700, 5.1214), 20,
    )  # fmt: skip
    sggz = ProviderFacts(
        "sggz", "GGZ Specialistisch", ("psychiater", "gz_psycholoog", "psychotherapeut"),
        ("cognitive_restructuring", "act"), ("face_to_face",), ("nl",), near, 3,
    )  # fmt: skip
    basis_far = ProviderFacts(
        "basis_far", "Praktijk West", ("gz_psycholoog",), (), ("face_to_face",), ("nl",),
        Coordinates(52.0907, 5.0300), 3,
    )  # fmt: skip
    basis_near = ProviderFacts(
        "basis_near", "Praktijk Dom", ("eerstelijnspsycholoog", "gz_psycholoog"), (),
        ("face_to_face",), ("nl",), near, 3,
    )  # fmt: skip
    basis_soon = ProviderFacts(
        "basis_soon", "Praktijk Oost", ("gz_psycholoog",), (), ("face_to_face",), ("nl",),
        Coordinates(52.0907, 5.2500), 1,
    )  # fmt: skip
    matches = match_providers(
        (rehab, sggz, basis_far, basis_near, basis_soon),
        care_level="basis_ggz",
        factor_ids=("catastrophizing", "helplessness"),
        modality="face_to_face",
        language=None,
        origin=UTRECHT,
        max_distance_km=None,
        knowledge=bundled_knowledge(),
    )
    assert [m.provider.key for m in matches] == [
        "basis_soon",  # fits, 1 week
        "basis_near",  # fits, 3 weeks, 0.5 km
        "basis_far",  # fits, 3 weeks, 6.2 km
        "sggz",  # fits partly, 3 weeks
        "rehab",  # fits partly, 20 weeks
    ]
    assert [m.level_fit for m in matches] == ["fits", "fits", "fits", "partly", "partly"]
    rehab_match = matches[-1]
    # The reasons say why, in the order of the rule: fit, waiting time, distance, ...
    assert rehab_match.reasons[:4] == (
        MatchReason("level_fits", "gz_psycholoog", "basis_ggz"),
        MatchReason("level_partly", "revalidatiearts", "basis_ggz"),
        MatchReason("level_partly", "fysiotherapeut", "basis_ggz"),
        MatchReason("waiting_time", number=20),
    )
    assert rehab_match.reasons[4].code == "distance"


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
    assert first.provider is E  # both fit the level; E waits 1 week, B 2
    assert first.factors_covered == ("catastrophizing", "helplessness")
    assert first.reasons == (
        MatchReason("level_fits", "gz_psycholoog", "basis_ggz"),
        MatchReason("waiting_time", number=1),
        MatchReason("distance_unknown"),
        MatchReason("expertise_fits", "cognitive_restructuring", "catastrophizing"),
        MatchReason("expertise_fits", "act", "helplessness", unverified=True),
        MatchReason("modality_differs", "online"),
        MatchReason("language_fits", "nl"),
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
    assert match.level_fits is False and match.level_fit == "differs"
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
