"""Personalized outcome measures: GAS, PSK, top problems (maatwerk.core.instruments.personalized).

Golden values are hand calculations, with the arithmetic written out next to each case.
GAS uses the Kiresuk & Sherman (1968) T-score as given by its secondary sources
(kiresuk-sherman-1968 in docs/sources.md):
T = 50 + 10·Σ(wᵢxᵢ) / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²), ρ = 0.30.
"""

from __future__ import annotations

import doctest
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.analysis.reliable_change import ScoreDirection
from maatwerk.core.instruments import personalized
from maatwerk.core.instruments.personalized import (
    DEFAULT_GAS_RHO,
    GAS_BASELINE_LEVEL,
    GAS_WEIGHT_MAX,
    GAS_WEIGHT_MIN,
    DuplicateItem,
    EmptyName,
    GasGoal,
    GasLevel,
    InvalidCorrelation,
    InvalidWeight,
    PersonalizedMeasureError,
    ProblemRating,
    PskActivity,
    RatingOutOfRange,
    WrongNumberOfItems,
    goal_attainment_t_score,
    psk_change,
    psk_score,
    top_problems_change,
    top_problems_score,
)
from maatwerk.core.instruments.personalized_content import measure_metadata


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(personalized)
    assert result.attempted > 0
    assert result.failed == 0


def goals(*levels: int, weights: tuple[float, ...] | None = None) -> list[GasGoal]:
    ws = weights if weights is not None else (1.0,) * len(levels)
    return [
        GasGoal(f"goal {i}", level, w) for i, (level, w) in enumerate(zip(levels, ws, strict=True))
    ]


# ============================================================================== GAS


def test_gas_default_rho_is_0_30() -> None:
    assert DEFAULT_GAS_RHO == 0.30


def test_gas_single_goal_attained_as_expected_is_50() -> None:
    # Σwx = 1·0 = 0 → T = 50 + 0 = 50
    assert goal_attainment_t_score(goals(0)).t_score == 50.0


def test_gas_single_goal_much_more_than_expected_is_70() -> None:
    # w = 1, x = +2: Σwx = 2; Σw² = 1; (Σw)² = 1
    # denominator = √(0.7·1 + 0.3·1) = √1 = 1 → T = 50 + 10·2/1 = 70
    score = goal_attainment_t_score(goals(2))
    assert score.weighted_sum == 2
    assert score.denominator == pytest.approx(1.0)
    assert score.t_score == pytest.approx(70.0)


def test_gas_single_weighted_goal_does_not_depend_on_its_weight() -> None:
    # w = 3, x = −1: Σwx = −3; denominator = √(0.7·9 + 0.3·9) = √9 = 3 → T = 50 − 30/3 = 40
    assert goal_attainment_t_score(goals(-1, weights=(3.0,))).t_score == pytest.approx(40.0)


def test_gas_three_equal_goals_plus_one_zero_minus_one_is_50() -> None:
    # Σwx = 1 + 0 − 1 = 0 → T = 50
    assert goal_attainment_t_score(goals(1, 0, -1)).t_score == 50.0


def test_gas_three_equal_goals_all_more_than_expected() -> None:
    # Σwx = 3; Σw² = 3; (Σw)² = 9
    # denominator² = 0.7·3 + 0.3·9 = 2.1 + 2.7 = 4.8; denominator = 2.190890
    # T = 50 + 10·3/2.190890 = 50 + 13.693064 = 63.693064
    score = goal_attainment_t_score(goals(1, 1, 1))
    assert score.denominator == pytest.approx(math.sqrt(4.8))
    assert score.t_score == pytest.approx(63.693064, abs=1e-6)


def test_gas_weighted_goals_step_by_step() -> None:
    # w = (1, 2, 3), x = (+1, −1, +2)
    # Σwx  = 1·1 + 2·(−1) + 3·2 = 1 − 2 + 6 = 5
    # Σw   = 6;  (Σw)² = 36
    # Σw²  = 1 + 4 + 9 = 14
    # denominator² = 0.7·14 + 0.3·36 = 9.8 + 10.8 = 20.6; denominator = 4.538722
    # T = 50 + 10·5/4.538722 = 50 + 11.016316 = 61.016316
    score = goal_attainment_t_score(goals(1, -1, 2, weights=(1, 2, 3)))
    assert score.weighted_sum == 5
    assert score.sum_of_weights == 6
    assert score.sum_of_squared_weights == 14
    assert score.denominator == pytest.approx(4.538722, abs=1e-6)
    assert score.t_score == pytest.approx(61.016316, abs=1e-6)


def test_gas_rho_is_configurable() -> None:
    # Same goals with ρ = 0: denominator = √14 = 3.741657; T = 50 + 50/3.741657 = 63.363062
    score = goal_attainment_t_score(goals(1, -1, 2, weights=(1, 2, 3)), rho=0.0)
    assert score.t_score == pytest.approx(63.363062, abs=1e-6)
    # ρ = 1: denominator = Σw = 6; T = 50 + 10·5/6 = 58.333333 (50 + 10 × weighted mean)
    score = goal_attainment_t_score(goals(1, -1, 2, weights=(1, 2, 3)), rho=1.0)
    assert score.t_score == pytest.approx(50 + 50 / 6)


def test_gas_baseline_all_goals_at_minus_one_is_below_50() -> None:
    # Convention: every goal starts at −1 (GAS_BASELINE_LEVEL).
    # Three equal goals: Σwx = −3; denominator = √4.8 = 2.190890; T = 50 − 13.693064 = 36.306936
    assert GAS_BASELINE_LEVEL is GasLevel.LESS_THAN_EXPECTED
    assert int(GAS_BASELINE_LEVEL) == -1
    baseline = goal_attainment_t_score(goals(*[GAS_BASELINE_LEVEL] * 3))
    assert baseline.t_score == pytest.approx(36.306936, abs=1e-6)
    # Five equal goals: Σwx = −5; denominator² = 0.7·5 + 0.3·25 = 3.5 + 7.5 = 11
    # T = 50 − 50/√11 = 50 − 15.075567 = 34.924433
    five = goal_attainment_t_score(goals(*[GAS_BASELINE_LEVEL] * 5))
    assert five.t_score == pytest.approx(34.924433, abs=1e-6)


def test_gas_baseline_option_much_less_than_expected() -> None:
    # Option: a goal may start at −2. Three equal goals: T = 50 − 60/2.190890 = 22.613872
    baseline = goal_attainment_t_score(goals(*[GasLevel.MUCH_LESS_THAN_EXPECTED] * 3))
    assert baseline.t_score == pytest.approx(22.613872, abs=1e-6)


@pytest.mark.parametrize("count", [0, 6])
def test_gas_needs_one_to_five_goals(count: int) -> None:
    with pytest.raises(WrongNumberOfItems):
        goal_attainment_t_score(goals(*[0] * count))


@pytest.mark.parametrize("level", [3, -3, 1.5, True, "1", None])
def test_gas_level_must_be_minus_two_to_plus_two(level: object) -> None:
    with pytest.raises(RatingOutOfRange):
        GasGoal("walk", level)  # type: ignore[arg-type]


@pytest.mark.parametrize("weight", [0, -1, math.nan, math.inf, True, "2"])
def test_gas_weight_must_be_positive_and_finite(weight: object) -> None:
    with pytest.raises(InvalidWeight):
        GasGoal("walk", 0, weight)  # type: ignore[arg-type]


@pytest.mark.parametrize("weight", [0.004, 0.0099, 9999.991, 1e6])
def test_gas_weight_outside_what_is_recorded_is_refused(weight: float) -> None:
    # Below 0.01 a weight rounds to 0 at two decimals (the goal would drop out).
    with pytest.raises(InvalidWeight):
        GasGoal("walk", 0, weight)


@pytest.mark.parametrize("weight", [GAS_WEIGHT_MIN, 1, 2.5, GAS_WEIGHT_MAX])
def test_gas_weight_bounds_are_accepted(weight: float) -> None:
    assert GasGoal("walk", 0, weight).weight == weight


@pytest.mark.parametrize("name", ["", "   ", "\n\t"])
def test_gas_goal_needs_a_name(name: str) -> None:
    with pytest.raises(EmptyName):
        GasGoal(name, 0)


def test_gas_goal_names_are_unique_ignoring_case_and_spacing() -> None:
    with pytest.raises(DuplicateItem):
        goal_attainment_t_score([GasGoal("Walk  daily", 0), GasGoal(" walk daily", 1)])


@pytest.mark.parametrize("rho", [-0.1, 1.1, math.nan, math.inf, True])
def test_gas_rho_must_lie_in_zero_one(rho: float) -> None:
    with pytest.raises(InvalidCorrelation):
        goal_attainment_t_score(goals(0), rho=rho)


def test_errors_are_value_errors_of_one_family() -> None:
    with pytest.raises(PersonalizedMeasureError):
        GasGoal("walk", 5)
    with pytest.raises(ValueError):
        GasGoal("walk", 5)


levels = st.integers(min_value=-2, max_value=2)
int_weights = st.integers(min_value=1, max_value=4)
rhos = st.floats(min_value=0.0, max_value=1.0)
goal_lists = st.lists(st.tuples(levels, int_weights), min_size=1, max_size=5)


def to_goals(pairs: list[tuple[int, int]]) -> list[GasGoal]:
    return [GasGoal(f"goal {i}", level, float(w)) for i, (level, w) in enumerate(pairs)]


@given(pairs=goal_lists, rho=rhos)
def test_gas_is_50_exactly_when_the_weighted_sum_is_zero(
    pairs: list[tuple[int, int]], rho: float
) -> None:
    score = goal_attainment_t_score(to_goals(pairs), rho=rho)
    weighted_sum = sum(level * w for level, w in pairs)  # integers: exact
    assert (score.t_score == 50.0) == (weighted_sum == 0)
    assert (score.t_score > 50.0) == (weighted_sum > 0)


@given(pairs=goal_lists, rho=rhos, index=st.integers(min_value=0, max_value=4))
def test_gas_is_strictly_increasing_in_each_level(
    pairs: list[tuple[int, int]], rho: float, index: int
) -> None:
    index %= len(pairs)
    level, weight = pairs[index]
    if level == 2:
        level = 1
    lower = [*pairs[:index], (level, weight), *pairs[index + 1 :]]
    higher = [*pairs[:index], (level + 1, weight), *pairs[index + 1 :]]
    assert (
        goal_attainment_t_score(to_goals(higher), rho=rho).t_score
        > goal_attainment_t_score(to_goals(lower), rho=rho).t_score
    )


@given(pairs=goal_lists, rho=rhos)
def test_gas_mirrors_around_50_when_all_levels_are_negated(
    pairs: list[tuple[int, int]], rho: float
) -> None:
    score = goal_attainment_t_score(to_goals(pairs), rho=rho)
    mirrored = goal_attainment_t_score(to_goals([(-x, w) for x, w in pairs]), rho=rho)
    assert mirrored.t_score - 50 == pytest.approx(-(score.t_score - 50))


@given(pairs=goal_lists, rho=rhos, factor=st.floats(min_value=0.01, max_value=100))
def test_gas_does_not_change_when_all_weights_are_scaled(
    pairs: list[tuple[int, int]], rho: float, factor: float
) -> None:
    score = goal_attainment_t_score(to_goals(pairs), rho=rho)
    scaled = goal_attainment_t_score(
        [GasGoal(g.name, g.level, g.weight * factor) for g in to_goals(pairs)], rho=rho
    )
    assert scaled.t_score == pytest.approx(score.t_score, rel=1e-12, abs=1e-9)


@given(pairs=goal_lists, rho=rhos)
def test_gas_stays_within_the_all_minus_two_and_all_plus_two_scores(
    pairs: list[tuple[int, int]], rho: float
) -> None:
    score = goal_attainment_t_score(to_goals(pairs), rho=rho)
    lowest = goal_attainment_t_score(to_goals([(-2, w) for _, w in pairs]), rho=rho)
    highest = goal_attainment_t_score(to_goals([(2, w) for _, w in pairs]), rho=rho)
    assert lowest.t_score <= score.t_score <= highest.t_score
    assert highest.t_score == pytest.approx(50 + 20 * score.sum_of_weights / score.denominator)


@given(pairs=goal_lists, rho=rhos, data=st.data())
def test_gas_does_not_depend_on_the_order_of_goals(
    pairs: list[tuple[int, int]], rho: float, data: st.DataObject
) -> None:
    goal_list = to_goals(pairs)
    shuffled = data.draw(st.permutations(goal_list))
    assert (
        goal_attainment_t_score(shuffled, rho=rho).t_score
        == goal_attainment_t_score(goal_list, rho=rho).t_score
    )


# ============================================================================== PSK


def three_activities(a: int = 7, b: int = 5, c: int = 8) -> list[PskActivity]:
    return [
        PskActivity("traplopen", a),
        PskActivity("boodschappen doen", b),
        PskActivity("fietsen", c),
    ]


def test_psk_is_the_sum_of_the_difficulty_ratings() -> None:
    # 7 + 5 + 8 = 20, of at most 3 × 10 = 30
    score = psk_score(three_activities())
    assert score.total == 20
    assert score.maximum == 30
    assert [a.difficulty for a in score.activities] == [7, 5, 8]


def test_psk_with_five_activities() -> None:
    # 0 + 10 + 3 + 6 + 9 = 28, of at most 50
    score = psk_score(
        [
            PskActivity("traplopen", 0),
            PskActivity("fietsen", 10),
            PskActivity("koken", 3),
            PskActivity("tuinieren", 6),
            PskActivity("lezen", 9),
        ]
    )
    assert (score.total, score.maximum) == (28, 50)


def test_psk_is_higher_is_worse_unlike_the_psfs() -> None:
    assert measure_metadata("psk").direction is ScoreDirection.HIGHER_IS_WORSE
    assert "PSFS" in (psk_score.__doc__ or "")


@pytest.mark.parametrize("count", [0, 1, 2, 6])
def test_psk_needs_three_to_five_activities(count: int) -> None:
    activities = [PskActivity(f"activiteit {i}", 5) for i in range(count)]
    with pytest.raises(WrongNumberOfItems):
        psk_score(activities)


@pytest.mark.parametrize("difficulty", [-1, 11, 100, 7.5, True, "7", None])
def test_psk_difficulty_is_a_whole_number_from_0_to_10(difficulty: object) -> None:
    with pytest.raises(RatingOutOfRange):
        PskActivity("traplopen", difficulty)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "  ", None])
def test_psk_activity_needs_a_name(name: object) -> None:
    with pytest.raises(EmptyName):
        PskActivity(name, 5)  # type: ignore[arg-type]
    with pytest.raises(EmptyName):
        PskActivity("traplopen", 5, activity_id=" ")


def test_psk_activities_are_unique_by_name_ignoring_case_and_spacing() -> None:
    with pytest.raises(DuplicateItem):
        psk_score(
            [PskActivity("Trap lopen", 5), PskActivity("trap  lopen", 6), *three_activities()[1:]]
        )


def test_psk_activities_are_unique_by_id() -> None:
    with pytest.raises(DuplicateItem):
        psk_score(
            [
                PskActivity("traplopen", 5, activity_id="a1"),
                PskActivity("fietsen", 6, activity_id="a1"),
                PskActivity("koken", 6, activity_id="a2"),
            ]
        )


def test_psk_change_matches_activities_by_name() -> None:
    # before: traplopen 7, boodschappen 5, fietsen 8 (total 20)
    # after, reordered and re-capitalized: Fietsen 4, traplopen 6, Boodschappen  Doen 5 (15)
    # changes: fietsen 4 − 8 = −4; traplopen 6 − 7 = −1; boodschappen 5 − 5 = 0; total −5
    before = psk_score(three_activities())
    after = psk_score(
        [
            PskActivity("Fietsen", 4),
            PskActivity("traplopen", 6),
            PskActivity("Boodschappen  Doen", 5),
        ]
    )
    change = psk_change(before=before, after=after)
    assert [(c.key, c.before, c.after, c.change) for c in change.activities] == [
        ("fietsen", 8, 4, -4),
        ("traplopen", 7, 6, -1),
        ("boodschappen doen", 5, 5, 0),
    ]
    assert change.total_change == -5
    assert change.dropped == change.added == ()


def test_psk_change_matches_activities_by_id_even_if_renamed() -> None:
    before = psk_score(
        [
            PskActivity("traplopen", 7, activity_id="1"),
            PskActivity("fietsen", 8, activity_id="2"),
            PskActivity("koken", 4, activity_id="3"),
        ]
    )
    after = psk_score(
        [
            PskActivity("trap op naar de slaapkamer", 5, activity_id="1"),
            PskActivity("fietsen", 8, activity_id="2"),
            PskActivity("koken", 1, activity_id="3"),
        ]
    )
    change = psk_change(before=before, after=after)
    assert [(c.key, c.name, c.change) for c in change.activities] == [
        ("1", "trap op naar de slaapkamer", -2),
        ("2", "fietsen", 0),
        ("3", "koken", -3),
    ]
    assert change.total_change == -5


def test_psk_change_with_a_different_set_reports_no_total_change() -> None:
    # "koken" replaced by "tuinieren": totals are over different activities
    before = psk_score(three_activities())
    after = psk_score(
        [PskActivity("traplopen", 6), PskActivity("fietsen", 8), PskActivity("tuinieren", 9)]
    )
    change = psk_change(before=before, after=after)
    assert [(c.key, c.change) for c in change.activities] == [("traplopen", -1), ("fietsen", 0)]
    assert [a.name for a in change.dropped] == ["boodschappen doen"]
    assert [a.name for a in change.added] == ["tuinieren"]
    assert change.total_change is None


nrs = st.integers(min_value=0, max_value=10)


@st.composite
def psk_administrations(draw: st.DrawFn) -> list[PskActivity]:
    ratings = draw(st.lists(nrs, min_size=3, max_size=5))
    return [PskActivity(f"activiteit {i}", r) for i, r in enumerate(ratings)]


@given(activities=psk_administrations())
def test_psk_total_is_the_sum_and_within_range(activities: list[PskActivity]) -> None:
    score = psk_score(activities)
    assert score.total == sum(a.difficulty for a in activities)
    assert 0 <= score.total <= score.maximum == 10 * len(activities)


@given(activities=psk_administrations(), data=st.data())
def test_psk_does_not_depend_on_order(activities: list[PskActivity], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(activities))
    assert psk_score(shuffled).total == psk_score(activities).total


@given(first=psk_administrations(), ratings=st.lists(nrs, min_size=5, max_size=5))
def test_psk_change_is_antisymmetric_and_sums_to_the_total_change(
    first: list[PskActivity], ratings: list[int]
) -> None:
    second = [PskActivity(a.name, r) for a, r in zip(first, ratings, strict=False)]
    before, after = psk_score(first), psk_score(second)
    forward = psk_change(before=before, after=after)
    backward = psk_change(before=after, after=before)
    assert {c.key: c.change for c in forward.activities} == {
        c.key: -c.change for c in backward.activities
    }
    assert forward.total_change == sum(c.change for c in forward.activities)
    assert backward.total_change == -(forward.total_change or 0)


@given(activities=psk_administrations())
def test_psk_change_with_itself_is_zero(activities: list[PskActivity]) -> None:
    score = psk_score(activities)
    change = psk_change(before=score, after=score)
    assert all(c.change == 0 for c in change.activities)
    assert change.total_change == 0


# ===================================================================== top problems


def test_top_problems_mean_of_two() -> None:
    # (8 + 5)/2 = 6.5
    score = top_problems_score([ProblemRating("pijn in mijn rug", 8), ProblemRating("moe", 5)])
    assert score.mean == 6.5
    assert [p.rating for p in score.problems] == [8, 5]


def test_top_problems_mean_of_three_and_of_one() -> None:
    # (3 + 4 + 4)/3 = 11/3 = 3.666667
    three = [ProblemRating("slapen", 3), ProblemRating("piekeren", 4), ProblemRating("werk", 4)]
    assert top_problems_score(three).mean == pytest.approx(11 / 3)
    assert top_problems_score([ProblemRating("moe", 7)]).mean == 7.0


def test_top_problems_change_per_problem_and_mean() -> None:
    # moe 8 → 5 (−3), slapen 6 → 6 (0), piekeren 7 → 4 (−3); mean 7 → 5 (−2)
    before = top_problems_score(
        [ProblemRating("moe", 8), ProblemRating("slapen", 6), ProblemRating("piekeren", 7)]
    )
    after = top_problems_score(
        [ProblemRating("Moe", 5), ProblemRating("slapen", 6), ProblemRating("piekeren", 4)]
    )
    change = top_problems_change(before=before, after=after)
    assert [(c.key, c.change) for c in change.problems] == [
        ("moe", -3),
        ("slapen", 0),
        ("piekeren", -3),
    ]
    assert change.mean_change == pytest.approx(-2.0)


def test_top_problems_change_with_a_new_problem_reports_no_mean_change() -> None:
    before = top_problems_score([ProblemRating("moe", 8), ProblemRating("slapen", 6)])
    after = top_problems_score([ProblemRating("moe", 5), ProblemRating("werk", 7, problem_id=None)])
    change = top_problems_change(before=before, after=after)
    assert [(c.key, c.change) for c in change.problems] == [("moe", -3)]
    assert [p.name for p in change.dropped] == ["slapen"]
    assert [p.name for p in change.added] == ["werk"]
    assert change.mean_change is None


@pytest.mark.parametrize("count", [0, 4])
def test_top_problems_allows_one_to_three(count: int) -> None:
    with pytest.raises(WrongNumberOfItems):
        top_problems_score([ProblemRating(f"probleem {i}", 5) for i in range(count)])


@pytest.mark.parametrize("rating", [-1, 11, 5.5, False, "5"])
def test_top_problems_rating_is_a_whole_number_from_0_to_10(rating: object) -> None:
    with pytest.raises(RatingOutOfRange):
        ProblemRating("moe", rating)  # type: ignore[arg-type]


def test_top_problems_are_unique() -> None:
    with pytest.raises(DuplicateItem):
        top_problems_score([ProblemRating("Moe", 5), ProblemRating("moe ", 6)])
    with pytest.raises(EmptyName):
        ProblemRating(" ", 5)


def test_top_problems_is_marked_as_an_unverified_maatwerk_convention() -> None:
    meta = measure_metadata("top_problems")
    assert meta.unverified is True
    assert meta.kind == "maatwerk_convention"
    assert "Not a validated instrument" in meta.notes.en
    assert "Not a validated instrument" in (top_problems_score.__doc__ or "")


def test_gas_is_higher_is_better_and_its_formula_unverified() -> None:
    meta = measure_metadata("gas")
    assert meta.direction is ScoreDirection.HIGHER_IS_BETTER
    assert meta.unverified is True
    assert meta.sources == ("kiresuk-sherman-1968",)


problem_ratings = st.lists(nrs, min_size=1, max_size=3)


@given(ratings=problem_ratings)
def test_top_problems_mean_lies_between_lowest_and_highest(ratings: list[int]) -> None:
    score = top_problems_score([ProblemRating(f"probleem {i}", r) for i, r in enumerate(ratings)])
    assert min(ratings) <= score.mean <= max(ratings)
    assert score.mean == pytest.approx(sum(ratings) / len(ratings))


@given(first=problem_ratings, second=st.lists(nrs, min_size=3, max_size=3))
def test_top_problems_mean_change_is_the_mean_of_the_changes(
    first: list[int], second: list[int]
) -> None:
    before = top_problems_score([ProblemRating(f"p{i}", r) for i, r in enumerate(first)])
    after = top_problems_score(
        [ProblemRating(f"p{i}", r) for i, r in enumerate(second[: len(first)])]
    )
    change = top_problems_change(before=before, after=after)
    assert change.mean_change == pytest.approx(
        sum(c.change for c in change.problems) / len(change.problems)
    )
