"""Jacobson–Truax reliable change and clinical significance (core.analysis.reliable_change).

Golden values and their provenance:

* GAD-7, SD 3.5 (women) and 3.2 (men), α 0.89 (Löwe, Decker, Müller et al. 2008, Med Care
  46:266-274): SE_diff 1.64, threshold 3.2 points (so 4 points is reliable); with SD 3.2:
  2.9 (hand calculation, shown in the comments).
* The R package scan (Wilbert & Lüke, "scan: Single-Case Data Analyses for Single and
  Multiple Baseline Designs", 0.67.1, reference page of ``rci()``),
  ``rci(byHeart2011[1], rel = 0.8)``: mA 0.4, mB 12.8, SD_A 0.5477225575,
  SE_A 0.2449489743, se_dif 0.3464101615, "Christensen and Mendoza" (= Jacobson & Truax
  1991 RC) 35.79571669 and the 1984 "Jacobson et al." value without √2, 50.62278802.
* Jacobson & Truax's own worked example was not retrieved (the text of the 1991 paper
  was not read), so the cut-off examples below are hand calculations.
"""

from __future__ import annotations

import doctest
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from maatwerk.core.analysis import reliable_change
from maatwerk.core.analysis.reliable_change import (
    ClinicalSignificanceCategory,
    CutOffCriterion,
    DirectionLike,
    FunctionalNormRequired,
    InvalidChangeInput,
    NormGroup,
    NormsContradictDirection,
    ReliableChangeCategory,
    ScoreDirection,
    clinical_significance,
    clinical_significance_cutoffs,
    minimal_reliable_difference,
    reliable_change_index,
    standard_error_of_difference,
)

WORSE = ScoreDirection.HIGHER_IS_WORSE
BETTER = ScoreDirection.HIGHER_IS_BETTER
IMPROVED = ReliableChangeCategory.RELIABLE_IMPROVEMENT
NO_CHANGE = ReliableChangeCategory.NO_RELIABLE_CHANGE
DETERIORATED = ReliableChangeCategory.RELIABLE_DETERIORATION


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(reliable_change)
    assert result.attempted > 0
    assert result.failed == 0


# ------------------------------------------------------------------ golden: Löwe et al. 2008


def test_gad7_women_norm_gives_the_worked_example() -> None:
    # √(1 − 0.89) = √0.11 = 0.331662; × √2 = 0.469042; × 3.5 = 1.641646 (1.64)
    # 1.96 × 1.641646 = 3.217625 (3.2 points) → 4 whole points are reliable
    mrd = minimal_reliable_difference(sd=3.5, reliability=0.89)
    assert mrd.se_measurement == pytest.approx(3.5 * 0.331662479, abs=1e-8)
    assert mrd.se_difference == pytest.approx(1.641646, abs=1e-6)
    assert round(mrd.se_difference, 2) == 1.64
    assert mrd.points == pytest.approx(3.217625, abs=1e-6)
    assert round(mrd.points, 1) == 3.2
    assert mrd.whole_points == 4
    assert standard_error_of_difference(sd=3.5, reliability=0.89) == mrd.se_difference


def test_gad7_men_norm_gives_a_threshold_of_2_9_points() -> None:
    # 3.2 × 0.469042 = 1.500933; × 1.96 = 2.941829 (2.9) → 3 whole points
    mrd = minimal_reliable_difference(sd=3.2, reliability=0.89)
    assert mrd.se_difference == pytest.approx(1.500933, abs=1e-6)
    assert round(mrd.points, 1) == 2.9
    assert mrd.whole_points == 3


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        (10, IMPROVED),  # −4 points: 4 > 3.22, reliable (the IAPT 4-point rule agrees)
        (11, NO_CHANGE),  # −3 points: 3 < 3.22
        (14, NO_CHANGE),
        (17, NO_CHANGE),  # +3
        (18, DETERIORATED),  # +4
    ],
)
def test_gad7_change_of_four_points_is_reliable_and_three_is_not(
    post: int, expected: ReliableChangeCategory
) -> None:
    rc = reliable_change_index(pre=14, post=post, sd=3.5, reliability=0.89, direction=WORSE)
    assert rc.category is expected
    assert rc.difference == post - 14
    assert rc.rci == pytest.approx((post - 14) / 1.6416455159, rel=1e-9)


# ------------------------------------------------------------------ golden: scan rci()


def test_matches_scan_christensen_mendoza_row() -> None:
    # scan::rci(byHeart2011[1], rel = 0.8): the Jacobson–Truax (1991) RC with √2.
    rc = reliable_change_index(
        pre=0.4, post=12.8, sd=0.5477225575, reliability=0.8, direction=BETTER
    )
    assert rc.threshold.se_measurement == pytest.approx(0.2449489743, abs=1e-10)
    assert rc.threshold.se_difference == pytest.approx(0.3464101615, abs=1e-10)
    assert rc.rci == pytest.approx(35.79571669, abs=1e-7)
    assert rc.category is IMPROVED


def test_is_not_the_1984_formula_without_sqrt_2() -> None:
    # scan's "Jacobson et al." row (1984, no √2) is 50.62278802 = RC × √2.
    rc = reliable_change_index(
        pre=0.4, post=12.8, sd=0.5477225575, reliability=0.8, direction=BETTER
    )
    assert rc.rci != pytest.approx(50.62278802, abs=1e-3)
    assert rc.rci * math.sqrt(2) == pytest.approx(50.62278802, abs=1e-7)


# ------------------------------------------------------------------------- direction, z


def test_direction_decides_what_counts_as_improvement() -> None:
    def category(direction: DirectionLike) -> ReliableChangeCategory:
        return reliable_change_index(
            pre=20.0, post=10.0, sd=3.5, reliability=0.89, direction=direction
        ).category

    assert category(WORSE) is IMPROVED
    assert category(BETTER) is DETERIORATED
    assert category("higher_is_worse") is IMPROVED


def test_change_exactly_at_the_threshold_is_not_reliable() -> None:
    # Jacobson & Truax: |RC| > 1.96, strictly.
    first = reliable_change_index(pre=10, post=15, sd=3.5, reliability=0.89, direction=WORSE)
    at_threshold = reliable_change_index(
        pre=10, post=15, sd=3.5, reliability=0.89, direction=WORSE, z=abs(first.rci)
    )
    assert at_threshold.category is NO_CHANGE


def test_z_is_configurable() -> None:
    # −3 points: RC = −3 / 1.641646 = −1.8275: reliable at z = 1.645 (90 %), not at 1.96.
    def category(z: float) -> ReliableChangeCategory:
        return reliable_change_index(
            pre=14, post=11, sd=3.5, reliability=0.89, direction=WORSE, z=z
        ).category

    assert category(1.96) is NO_CHANGE
    assert category(1.645) is IMPROVED
    assert minimal_reliable_difference(sd=3.5, reliability=0.89, z=1.645).whole_points == 3


def test_whole_points_is_strictly_above_the_threshold() -> None:
    # SD 1, r 0.5: S_diff = √2·√0.5 = 1; z = 3 → threshold 3 points. A change of exactly 3
    # gives |RC| = 3, not > 3, so the smallest reliable whole-point change is 4.
    assert minimal_reliable_difference(sd=1.0, reliability=0.5, z=3.0).whole_points == 4
    # z = 2.5 → threshold 2.5 points → 3 whole points.
    assert minimal_reliable_difference(sd=1.0, reliability=0.5, z=2.5).whole_points == 3


# ------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("reliability", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_reliability_outside_the_open_unit_interval_is_refused(reliability: float) -> None:
    with pytest.raises(InvalidChangeInput) as caught:
        reliable_change_index(pre=1, post=2, sd=3.5, reliability=reliability, direction=WORSE)
    assert caught.value.parameter == "reliability"


@pytest.mark.parametrize("sd", [0.0, -1.0, math.nan, math.inf, -math.inf])
def test_sd_must_be_a_positive_finite_number(sd: float) -> None:
    with pytest.raises(InvalidChangeInput) as caught:
        minimal_reliable_difference(sd=sd, reliability=0.8)
    assert caught.value.parameter == "sd"


@pytest.mark.parametrize(
    ("parameter", "overrides"),
    [
        ("pre", {"pre": math.nan}),
        ("post", {"post": math.nan}),
        ("post", {"post": math.inf}),
        ("pre", {"pre": True}),
        ("pre", {"pre": "12"}),
        ("z", {"z": 0.0}),
        ("z", {"z": -1.96}),
        ("z", {"z": math.nan}),
        ("direction", {"direction": "up"}),
        ("direction", {"direction": None}),
    ],
)
def test_invalid_arguments_name_the_parameter(parameter: str, overrides: dict[str, object]) -> None:
    args: dict[str, object] = {
        "pre": 10,
        "post": 5,
        "sd": 3.5,
        "reliability": 0.89,
        "direction": WORSE,
    }
    args.update(overrides)
    with pytest.raises(InvalidChangeInput) as caught:
        reliable_change_index(**args)  # type: ignore[arg-type]
    assert caught.value.parameter == parameter
    assert isinstance(caught.value, ValueError)


# --------------------------------------------------------------------- cut-offs a, b, c


def test_cutoffs_for_a_scale_where_higher_is_worse() -> None:
    # clinical M1 = 15, s1 = 5; functional M0 = 4, s0 = 3
    # a = M1 − 2·s1 = 15 − 10 = 5
    # b = M0 + 2·s0 = 4 + 6 = 10
    # c = (s0·M1 + s1·M0)/(s0 + s1) = (3·15 + 5·4)/8 = 65/8 = 8.125
    cut = clinical_significance_cutoffs(
        clinical=NormGroup(mean=15, sd=5), functional=NormGroup(mean=4, sd=3), direction=WORSE
    )
    assert (cut.a, cut.b, cut.c) == (5.0, 10.0, 8.125)
    assert cut.value(CutOffCriterion.C) == 8.125
    assert cut.value("b") == 10.0


def test_cutoffs_for_a_scale_where_higher_is_better() -> None:
    # clinical M1 = 40, s1 = 8; functional M0 = 60, s0 = 12
    # a = M1 + 2·s1 = 40 + 16 = 56
    # b = M0 − 2·s0 = 60 − 24 = 36
    # c = (12·40 + 8·60)/(12 + 8) = (480 + 480)/20 = 48
    cut = clinical_significance_cutoffs(
        clinical=NormGroup(mean=40, sd=8), functional=NormGroup(mean=60, sd=12), direction=BETTER
    )
    assert (cut.a, cut.b, cut.c) == (56.0, 36.0, 48.0)


def test_without_functional_norms_only_cutoff_a_exists() -> None:
    cut = clinical_significance_cutoffs(
        clinical=NormGroup(mean=15, sd=5), functional=None, direction=WORSE
    )
    assert (cut.a, cut.b, cut.c) == (5.0, None, None)
    with pytest.raises(FunctionalNormRequired):
        cut.value(CutOffCriterion.C)


@pytest.mark.parametrize("direction", [WORSE, BETTER])
def test_norms_that_contradict_the_direction_are_refused(direction: ScoreDirection) -> None:
    healthy_mean = 30.0 if direction is WORSE else 0.0  # on the wrong side of 15
    with pytest.raises(NormsContradictDirection):
        clinical_significance_cutoffs(
            clinical=NormGroup(mean=15, sd=5),
            functional=NormGroup(mean=healthy_mean, sd=3),
            direction=direction,
        )
    with pytest.raises(NormsContradictDirection):
        clinical_significance_cutoffs(
            clinical=NormGroup(mean=15, sd=5),
            functional=NormGroup(mean=15, sd=3),
            direction=direction,
        )


@pytest.mark.parametrize(
    "norm", [NormGroup(mean=math.nan, sd=1), NormGroup(mean=1, sd=0), NormGroup(mean=1, sd=-2)]
)
def test_invalid_norms_are_refused(norm: NormGroup) -> None:
    with pytest.raises(InvalidChangeInput):
        clinical_significance_cutoffs(clinical=norm, functional=None, direction=WORSE)
    with pytest.raises(InvalidChangeInput):
        clinical_significance_cutoffs(
            clinical=NormGroup(mean=100, sd=5), functional=norm, direction=WORSE
        )


# --------------------------------------------------------------- clinical significance

# Higher is worse; clinical 15 (SD 5), functional 4 (SD 3): a = 5, b = 10, c = 8.125.
# RCI with SD 5 and r 0.90: S_diff = 5·√2·√0.1 = 2.236068; threshold 1.96·2.236068 = 4.3827.
CLINICAL = NormGroup(mean=15, sd=5)
FUNCTIONAL = NormGroup(mean=4, sd=3)


@pytest.mark.parametrize(
    ("pre", "post", "criterion", "expected"),
    [
        # −9 reliable; 16 is not below c, 7 is: crossed → recovered
        (16, 7, CutOffCriterion.C, ClinicalSignificanceCategory.RECOVERED),
        # −6 reliable; 10 is not below c = 8.125 → improved
        (16, 10, CutOffCriterion.C, ClinicalSignificanceCategory.IMPROVED),
        # −3 not reliable (3 < 4.38) even though 7 is below c → unchanged
        (10, 7, CutOffCriterion.C, ClinicalSignificanceCategory.UNCHANGED),
        # +6 reliable, towards the clinical end → deteriorated
        (10, 16, CutOffCriterion.C, ClinicalSignificanceCategory.DETERIORATED),
        # −6 reliable, but the patient started in the functional range → improved
        (7, 1, CutOffCriterion.C, ClinicalSignificanceCategory.IMPROVED),
        # −5.875 reliable, lands exactly on c: not beyond it → improved
        (14, 8.125, CutOffCriterion.C, ClinicalSignificanceCategory.IMPROVED),
        # cut-off a = 5: 7 is not below 5 → improved; 4 is → recovered
        (16, 7, CutOffCriterion.A, ClinicalSignificanceCategory.IMPROVED),
        (16, 4, CutOffCriterion.A, ClinicalSignificanceCategory.RECOVERED),
        # cut-off b = 10: 9 is below 10 → recovered
        (16, 9, CutOffCriterion.B, ClinicalSignificanceCategory.RECOVERED),
    ],
)
def test_clinical_significance_categories(
    pre: float, post: float, criterion: CutOffCriterion, expected: ClinicalSignificanceCategory
) -> None:
    cs = clinical_significance(
        pre=pre,
        post=post,
        sd=5,
        reliability=0.9,
        direction=WORSE,
        clinical=CLINICAL,
        functional=FUNCTIONAL,
        criterion=criterion,
    )
    assert cs.category is expected
    assert cs.cutoff == {"a": 5.0, "b": 10.0, "c": 8.125}[criterion.value]
    assert cs.reliable_change.threshold.points == pytest.approx(4.382693, abs=1e-6)


def test_clinical_significance_on_a_higher_is_better_scale() -> None:
    # clinical 40 (8), functional 60 (12): c = 48; SD 8, r 0.8: S_diff = 8·√2·√0.2 = 5.059644,
    # threshold 9.917; 38 → 52 is +14: reliable improvement and crosses 48 → recovered.
    cs = clinical_significance(
        pre=38,
        post=52,
        sd=8,
        reliability=0.8,
        direction=BETTER,
        clinical=NormGroup(mean=40, sd=8),
        functional=NormGroup(mean=60, sd=12),
    )
    assert cs.reliable_change.threshold.se_difference == pytest.approx(5.059644, abs=1e-6)
    assert (cs.pre_functional, cs.post_functional) == (False, True)
    assert cs.category is ClinicalSignificanceCategory.RECOVERED


def test_criterion_c_without_functional_norm_is_refused() -> None:
    with pytest.raises(FunctionalNormRequired):
        clinical_significance(
            pre=16, post=4, sd=5, reliability=0.9, direction=WORSE, clinical=CLINICAL
        )
    cs = clinical_significance(
        pre=16,
        post=4,
        sd=5,
        reliability=0.9,
        direction=WORSE,
        clinical=CLINICAL,
        criterion=CutOffCriterion.A,
    )
    assert cs.category is ClinicalSignificanceCategory.RECOVERED


def test_unknown_criterion_is_refused() -> None:
    with pytest.raises(InvalidChangeInput) as caught:
        clinical_significance(
            pre=16,
            post=4,
            sd=5,
            reliability=0.9,
            direction=WORSE,
            clinical=CLINICAL,
            functional=FUNCTIONAL,
            criterion="d",  # type: ignore[arg-type]
        )
    assert caught.value.parameter == "criterion"


# ------------------------------------------------------------------------- properties

scores = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)
sds = st.floats(min_value=0.01, max_value=100)
reliabilities = st.floats(min_value=0.01, max_value=0.99)
directions = st.sampled_from(ScoreDirection)

MIRROR = {IMPROVED: DETERIORATED, DETERIORATED: IMPROVED, NO_CHANGE: NO_CHANGE}


@given(pre=scores, post=scores, sd=sds, r=reliabilities, direction=directions)
def test_swapping_pre_and_post_negates_the_rci(
    pre: float, post: float, sd: float, r: float, direction: ScoreDirection
) -> None:
    forward = reliable_change_index(pre=pre, post=post, sd=sd, reliability=r, direction=direction)
    backward = reliable_change_index(pre=post, post=pre, sd=sd, reliability=r, direction=direction)
    assert backward.rci == -forward.rci
    assert backward.category is MIRROR[forward.category]


@given(pre=scores, post=scores, shift=scores, sd=sds, r=reliabilities, direction=directions)
def test_shifting_both_scores_leaves_the_rci_unchanged(
    pre: float, post: float, shift: float, sd: float, r: float, direction: ScoreDirection
) -> None:
    base = reliable_change_index(pre=pre, post=post, sd=sd, reliability=r, direction=direction)
    moved = reliable_change_index(
        pre=pre + shift, post=post + shift, sd=sd, reliability=r, direction=direction
    )
    # Rounding of the shifted scores is at most a few ulps of the largest magnitude.
    tolerance = 8 * math.ulp(abs(pre) + abs(post) + abs(shift)) / base.threshold.se_difference
    assert moved.rci == pytest.approx(base.rci, abs=tolerance, rel=1e-12)


@given(pre=scores, post=scores, sd=sds, r=reliabilities, k=st.floats(0.01, 100))
def test_rescaling_scores_and_sd_together_leaves_the_rci_unchanged(
    pre: float, post: float, sd: float, r: float, k: float
) -> None:
    base = reliable_change_index(pre=pre, post=post, sd=sd, reliability=r, direction=WORSE)
    scaled = reliable_change_index(
        pre=pre * k, post=post * k, sd=sd * k, reliability=r, direction=WORSE
    )
    assert scaled.rci == pytest.approx(base.rci, rel=1e-9, abs=1e-9)


@given(sd=sds, r1=reliabilities, r2=reliabilities)
def test_threshold_shrinks_as_reliability_grows(sd: float, r1: float, r2: float) -> None:
    low, high = sorted((r1, r2))
    assert (
        minimal_reliable_difference(sd=sd, reliability=low).points
        >= minimal_reliable_difference(sd=sd, reliability=high).points
    )


@given(sd1=sds, sd2=sds, r=reliabilities)
def test_threshold_grows_with_sd(sd1: float, sd2: float, r: float) -> None:
    small, large = sorted((sd1, sd2))
    mrd_small = minimal_reliable_difference(sd=small, reliability=r)
    mrd_large = minimal_reliable_difference(sd=large, reliability=r)
    assert mrd_small.points <= mrd_large.points
    assert mrd_small.whole_points <= mrd_large.whole_points


@given(pre=scores, post=scores, sd=sds, r=reliabilities, direction=directions)
def test_category_agrees_with_the_threshold_in_points(
    pre: float, post: float, sd: float, r: float, direction: ScoreDirection
) -> None:
    rc = reliable_change_index(pre=pre, post=post, sd=sd, reliability=r, direction=direction)
    margin = abs(abs(rc.difference) - rc.threshold.points)
    assume(margin > 1e-9 * max(1.0, rc.threshold.points))
    reliable = abs(rc.difference) > rc.threshold.points
    assert (rc.category is not NO_CHANGE) == reliable


norm_means = st.floats(min_value=-100, max_value=100)
norm_sds = st.floats(min_value=0.1, max_value=50)


@given(m1=norm_means, s1=norm_sds, gap=st.floats(0.1, 100), s0=norm_sds, direction=directions)
def test_cutoff_c_lies_between_the_means_and_a_b_lie_on_their_sides(
    m1: float, s1: float, gap: float, s0: float, direction: ScoreDirection
) -> None:
    toward_healthy = -1 if direction is WORSE else 1
    m0 = m1 + toward_healthy * gap
    cut = clinical_significance_cutoffs(
        clinical=NormGroup(m1, s1), functional=NormGroup(m0, s0), direction=direction
    )
    assert cut.b is not None
    assert cut.c is not None
    assert min(m0, m1) <= cut.c <= max(m0, m1)
    assert (cut.a - m1) * toward_healthy == pytest.approx(2 * s1)
    assert (m0 - cut.b) * toward_healthy == pytest.approx(2 * s0)
    mirrored = clinical_significance_cutoffs(
        clinical=NormGroup(-m1, s1),
        functional=NormGroup(-m0, s0),
        direction=BETTER if direction is WORSE else WORSE,
    )
    assert mirrored.c == pytest.approx(-cut.c)
    assert mirrored.a == pytest.approx(-cut.a)


@given(pre=scores, post=scores, sd=sds, r=reliabilities, direction=directions)
def test_recovered_means_reliable_improvement_and_crossing_the_cutoff(
    pre: float, post: float, sd: float, r: float, direction: ScoreDirection
) -> None:
    sign = 1 if direction is WORSE else -1
    cs = clinical_significance(
        pre=pre,
        post=post,
        sd=sd,
        reliability=r,
        direction=direction,
        clinical=NormGroup(mean=sign * 100, sd=50),
        functional=NormGroup(mean=sign * -100, sd=50),
    )
    rc = cs.reliable_change.category
    expected = {
        DETERIORATED: {ClinicalSignificanceCategory.DETERIORATED},
        NO_CHANGE: {ClinicalSignificanceCategory.UNCHANGED},
        IMPROVED: {ClinicalSignificanceCategory.RECOVERED, ClinicalSignificanceCategory.IMPROVED},
    }[rc]
    assert cs.category in expected
    recovered = cs.category is ClinicalSignificanceCategory.RECOVERED
    assert recovered == (rc is IMPROVED and cs.post_functional and not cs.pre_functional)
