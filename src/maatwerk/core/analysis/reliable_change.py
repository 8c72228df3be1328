"""Reliable change (Jacobson–Truax RCI) and clinical significance for one patient.

Did *this* patient change, by more than the instrument's measurement error? And did the
patient move from the clinical into the functional range? Both questions are answered
with the method of Jacobson & Truax (1991):

* :func:`standard_error_of_difference` — the spread of a difference score that is due to
  measurement error alone;
* :func:`minimal_reliable_difference` — the smallest change in points that counts as
  reliable;
* :func:`reliable_change_index` — the RCI of one pre/post pair and its category;
* :func:`clinical_significance_cutoffs` — the cut-offs *a*, *b* and *c*;
* :func:`clinical_significance` — recovered / improved / unchanged / deteriorated.

Reference SD, reliability and norms are instrument data with their own sources; this
module takes them as arguments and never supplies clinical numbers itself.

Size: one method (Jacobson & Truax 1991): its value types, checks and functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from numbers import Real
from typing import Final, Literal, TypeAlias

from maatwerk.core.common.errors import MaatwerkError

DEFAULT_Z: Final = 1.96
"""Two-sided 95 % criterion of Jacobson & Truax (1991): \\|RC\\| > 1.96."""

CUTOFF_SD_MULTIPLIER: Final = 2.0
"""Cut-offs *a* and *b* lie this many standard deviations from a norm group's mean."""


class ScoreDirection(StrEnum):
    """Which end of a scale is the healthy end."""

    HIGHER_IS_WORSE = "higher_is_worse"
    """Symptom scales: PHQ-9, GAD-7, PSK (difficulty)."""
    HIGHER_IS_BETTER = "higher_is_better"
    """Functioning and well-being scales: RAND-36, PSFS, GAS."""


DirectionLike: TypeAlias = ScoreDirection | Literal["higher_is_worse", "higher_is_better"]
"""A direction as the enum or as its string value (as stored in instrument data)."""


class ReliableChangeCategory(StrEnum):
    RELIABLE_IMPROVEMENT = "reliable_improvement"
    NO_RELIABLE_CHANGE = "no_reliable_change"
    RELIABLE_DETERIORATION = "reliable_deterioration"


class CutOffCriterion(StrEnum):
    """The three clinical-significance cut-offs of Jacobson & Truax (1991)."""

    A = "a"
    """Two SD beyond the clinical mean, towards the functional end (no functional norm)."""
    B = "b"
    """Two SD from the functional mean, towards the clinical end."""
    C = "c"
    """Where the score is equally far (in SD units) from both means."""


CriterionLike: TypeAlias = CutOffCriterion | Literal["a", "b", "c"]


class ClinicalSignificanceCategory(StrEnum):
    """Jacobson & Truax (1991) outcome categories."""

    RECOVERED = "recovered"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"


class InvalidChangeInput(MaatwerkError, ValueError):
    """An argument of a reliable-change computation is not usable.

    Attributes
    ----------
    parameter : str
        The name of the offending argument.
    value : object
        The value that was passed.
    """

    def __init__(self, parameter: str, value: object, reason: str) -> None:
        self.parameter = parameter
        self.value = value
        super().__init__(f"{parameter}={value!r}: {reason}")


class NormsContradictDirection(InvalidChangeInput):
    """The functional mean is not on the healthy side of the clinical mean."""


class FunctionalNormRequired(InvalidChangeInput):
    """Cut-off *b* or *c* was asked for without a functional (non-clinical) norm group."""


@dataclass(frozen=True, slots=True)
class NormGroup:
    """Mean and standard deviation of a reference group on the instrument's score."""

    mean: float
    sd: float


@dataclass(frozen=True, slots=True)
class MinimalReliableDifference:
    """How large a change must be to exceed measurement error.

    Attributes
    ----------
    sd, reliability, z : float
        The inputs.
    se_measurement : float
        Standard error of measurement, ``sd * sqrt(1 - reliability)``.
    se_difference : float
        Standard error of the difference, ``se_measurement * sqrt(2)``.
    points : float
        ``z * se_difference``: a change is reliable when its absolute size is
        *strictly greater* than this.
    whole_points : int
        The smallest whole-point change that is reliable, ``floor(points) + 1``. Only
        meaningful for scores that move in whole points (sum scores of integer items).
    """

    sd: float
    reliability: float
    z: float
    se_measurement: float
    se_difference: float
    points: float
    whole_points: int


@dataclass(frozen=True, slots=True)
class ReliableChange:
    """The reliable change of one patient between two administrations.

    Attributes
    ----------
    pre, post : float
        The scores, in time order.
    difference : float
        ``post - pre`` in points (a raw difference: its sign does not say better or worse).
    rci : float
        ``difference / se_difference``.
    direction : ScoreDirection
        The scale's direction, used for the category.
    threshold : MinimalReliableDifference
        The reliability, SE's and the minimal reliable difference used.
    category : ReliableChangeCategory
        Improvement or deterioration when ``abs(rci) > z``, else no reliable change.
    """

    pre: float
    post: float
    difference: float
    rci: float
    direction: ScoreDirection
    threshold: MinimalReliableDifference
    category: ReliableChangeCategory


@dataclass(frozen=True, slots=True)
class ClinicalCutOffs:
    """Jacobson & Truax (1991) cut-offs on the instrument's score scale.

    Attributes
    ----------
    a : float
        Clinical mean moved two clinical SDs towards the healthy end.
    b : float or None
        Functional mean moved two functional SDs towards the clinical end; ``None`` without
        a functional norm.
    c : float or None
        ``(sd0 * mean1 + sd1 * mean0) / (sd0 + sd1)``; ``None`` without a functional norm.
    direction : ScoreDirection
        The scale's direction; "beyond a cut-off" means towards the healthy end.
    """

    a: float
    b: float | None
    c: float | None
    direction: ScoreDirection

    def value(self, criterion: CriterionLike) -> float:
        """The cut-off for ``criterion``; raises :class:`FunctionalNormRequired` if absent."""
        criterion = _criterion(criterion)
        if criterion is CutOffCriterion.A:
            return self.a
        chosen = self.b if criterion is CutOffCriterion.B else self.c
        if chosen is None:
            raise FunctionalNormRequired(
                "criterion",
                criterion.value,
                "cut-offs b and c need a functional norm group; use criterion 'a' without one",
            )
        return chosen

    def is_functional(self, score: float, criterion: CriterionLike) -> bool:
        """True when ``score`` lies strictly beyond the cut-off, on the healthy side."""
        cutoff = self.value(criterion)
        if self.direction is ScoreDirection.HIGHER_IS_WORSE:
            return score < cutoff
        return score > cutoff


@dataclass(frozen=True, slots=True)
class ClinicalSignificance:
    """Reliable change combined with crossing a clinical cut-off.

    Attributes
    ----------
    reliable_change : ReliableChange
        The RCI part of the criterion.
    cutoffs : ClinicalCutOffs
        All cut-offs that the norms allow.
    criterion : CutOffCriterion
        Which cut-off was applied.
    cutoff : float
        Its value.
    pre_functional, post_functional : bool
        Whether each score lies strictly beyond the cut-off, on the healthy side.
    category : ClinicalSignificanceCategory
        Recovered, improved, unchanged or deteriorated.
    """

    reliable_change: ReliableChange
    cutoffs: ClinicalCutOffs
    criterion: CutOffCriterion
    cutoff: float
    pre_functional: bool
    post_functional: bool
    category: ClinicalSignificanceCategory


def standard_error_of_difference(*, sd: float, reliability: float) -> float:
    """Standard error of a difference between two scores of one person.

    Parameters
    ----------
    sd : float
        Standard deviation of the reference (clinical or pre-treatment) group, > 0.
    reliability : float
        Reliability of the score (test–retest or internal consistency), 0 < r < 1.

    Returns
    -------
    float
        :math:`S_{diff}`.

    Raises
    ------
    InvalidChangeInput
        If ``sd`` is not a finite number > 0 or ``reliability`` is not in (0, 1).

    Notes
    -----
    .. math::

        SE = SD_1 \\sqrt{1 - r_{xx}}, \\qquad
        S_{diff} = \\sqrt{2 \\, SE^2} = SD_1 \\sqrt{2} \\sqrt{1 - r_{xx}}

    The :math:`\\sqrt{2}` term was missing in Jacobson, Follette & Revenstorf (1984); it was
    added by Christensen & Mendoza (1986) and adopted by Jacobson & Truax (1991).

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
       approach to defining meaningful change in psychotherapy research. *Journal of
       Consulting and Clinical Psychology*, 59(1), 12–19.
    .. [2] Christensen, L., & Mendoza, J. L. (1986). A method of assessing change in a
       single subject: an alteration of the RC index. *Behavior Therapy*, 17, 305–308.
    .. [3] Maassen, G. H. (2004). The standard error in the Jacobson and Truax Reliable
       Change Index. *JINS*, 10, 888–893.

    Examples
    --------
    GAD-7, German general population (Löwe et al. 2008: SD 3.5, α 0.89):

    >>> round(standard_error_of_difference(sd=3.5, reliability=0.89), 2)
    1.64
    """
    sd = _positive("sd", sd)
    reliability = _reliability(reliability)
    return sd * math.sqrt(2.0) * math.sqrt(1.0 - reliability)


def minimal_reliable_difference(
    *, sd: float, reliability: float, z: float = DEFAULT_Z
) -> MinimalReliableDifference:
    """The smallest change in points that exceeds measurement error.

    Parameters
    ----------
    sd : float
        Standard deviation of the reference group, > 0.
    reliability : float
        Reliability of the score, 0 < r < 1.
    z : float, default 1.96
        Critical value; 1.96 is the two-sided 95 % criterion.

    Returns
    -------
    MinimalReliableDifference
        The standard errors, the threshold in points and in whole points.

    Raises
    ------
    InvalidChangeInput
        If an argument is not finite, ``sd`` or ``z`` is not > 0, or ``reliability`` is
        not in (0, 1).

    Notes
    -----
    .. math:: MRD = z \\cdot SD_1 \\sqrt{2} \\sqrt{1 - r_{xx}}

    A change :math:`d` is reliable when :math:`|d| > MRD`, i.e. :math:`|RC| > z`. For
    scores that move in whole points, the smallest reliable change is
    :math:`\\lfloor MRD \\rfloor + 1`.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12–19.

    Examples
    --------
    GAD-7 with SD 3.5 and α 0.89 (Löwe et al. 2008): 3.2 points, so a change of 4 points
    is reliable.

    >>> mrd = minimal_reliable_difference(sd=3.5, reliability=0.89)
    >>> round(mrd.points, 1), mrd.whole_points
    (3.2, 4)
    """
    z = _positive("z", z)
    sd = _positive("sd", sd)
    reliability = _reliability(reliability)
    se_measurement = sd * math.sqrt(1.0 - reliability)
    se_difference = standard_error_of_difference(sd=sd, reliability=reliability)
    points = z * se_difference
    return MinimalReliableDifference(
        sd=sd,
        reliability=reliability,
        z=z,
        se_measurement=se_measurement,
        se_difference=se_difference,
        points=points,
        whole_points=math.floor(points) + 1,
    )


def reliable_change_index(
    *,
    pre: float,
    post: float,
    sd: float,
    reliability: float,
    direction: DirectionLike,
    z: float = DEFAULT_Z,
) -> ReliableChange:
    """Jacobson–Truax Reliable Change Index of one patient.

    Parameters
    ----------
    pre, post : float
        The earlier and the later score (keyword-only, so they cannot be swapped).
    sd : float
        Standard deviation of the reference (clinical or pre-treatment) group, > 0.
    reliability : float
        Reliability of the score, 0 < r < 1.
    direction : ScoreDirection or {"higher_is_worse", "higher_is_better"}
        Whether a higher score is worse (symptoms) or better (functioning). Required:
        a wrong direction turns improvement into deterioration.
    z : float, default 1.96
        Critical value for ``abs(rci)``.

    Returns
    -------
    ReliableChange
        RCI, raw difference, threshold and category.

    Raises
    ------
    InvalidChangeInput
        If a score is not a finite number, or ``sd``, ``reliability`` or ``z`` is invalid.

    Notes
    -----
    .. math::

        RC = \\frac{x_2 - x_1}{S_{diff}}, \\qquad
        S_{diff} = SD_1 \\sqrt{2} \\sqrt{1 - r_{xx}}

    :math:`|RC| > z` is a reliable change. Whether it is an improvement or a
    deterioration follows from ``direction``. The RCI is antisymmetric in (pre, post)
    and unchanged when both scores are shifted by the same amount.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12–19.
    .. [2] Christensen, L., & Mendoza, J. L. (1986). *Behavior Therapy*, 17, 305–308.

    Examples
    --------
    GAD-7 from 14 to 9 (SD 3.5, α 0.89): 5 points down, more than 3.2.

    >>> rc = reliable_change_index(
    ...     pre=14, post=9, sd=3.5, reliability=0.89,
    ...     direction=ScoreDirection.HIGHER_IS_WORSE,
    ... )
    >>> round(rc.rci, 2), rc.category.value
    (-3.05, 'reliable_improvement')
    """
    pre = _finite("pre", pre)
    post = _finite("post", post)
    direction = _direction(direction)
    threshold = minimal_reliable_difference(sd=sd, reliability=reliability, z=z)
    difference = post - pre
    rci = difference / threshold.se_difference
    return ReliableChange(
        pre=pre,
        post=post,
        difference=difference,
        rci=rci,
        direction=direction,
        threshold=threshold,
        category=_categorize(rci, threshold.z, direction),
    )


def clinical_significance_cutoffs(
    *,
    clinical: NormGroup,
    functional: NormGroup | None,
    direction: DirectionLike,
) -> ClinicalCutOffs:
    """Jacobson & Truax (1991) clinical-significance cut-offs *a*, *b* and *c*.

    Parameters
    ----------
    clinical : NormGroup
        Mean :math:`M_1` and SD :math:`s_1` of the clinical (dysfunctional) population.
    functional : NormGroup or None
        Mean :math:`M_0` and SD :math:`s_0` of the functional (non-clinical) population;
        ``None`` when no such norm exists (then only *a* can be computed).
    direction : ScoreDirection or str
        Which end of the scale is healthy.

    Returns
    -------
    ClinicalCutOffs

    Raises
    ------
    InvalidChangeInput
        If a mean is not finite or an SD is not a finite number > 0.
    NormsContradictDirection
        If the functional mean is not on the healthy side of the clinical mean.

    Notes
    -----
    With :math:`\\pm` pointing towards the healthy end of the scale (``-`` when higher is
    worse):

    .. math::

        a = M_1 \\pm 2 s_1, \\qquad
        b = M_0 \\mp 2 s_0, \\qquad
        c = \\frac{s_0 M_1 + s_1 M_0}{s_0 + s_1}

    *a*: outside the range of the clinical population (two SD beyond its mean, towards
    the healthy end). *b*: inside the range of the functional population (within two SD of
    its mean). *c*: closer to the functional than to the clinical mean, distances measured
    in each group's SD; :math:`c` does not depend on the direction. Jacobson & Truax
    recommend *c* when functional norms exist and the distributions overlap, and *a* when
    there are no functional norms.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12–19.
    .. [2] Jacobson, N. S., Follette, W. C., & Revenstorf, D. (1984). Psychotherapy
       outcome research: methods for reporting variability and evaluating clinical
       significance. *Behavior Therapy*, 15, 336–352.

    Examples
    --------
    >>> cut = clinical_significance_cutoffs(
    ...     clinical=NormGroup(mean=20.0, sd=5.0),
    ...     functional=NormGroup(mean=6.0, sd=2.0),
    ...     direction=ScoreDirection.HIGHER_IS_WORSE,
    ... )
    >>> cut.a, cut.b, cut.c
    (10.0, 10.0, 10.0)
    """
    direction = _direction(direction)
    mean1 = _finite("clinical.mean", clinical.mean)
    sd1 = _positive("clinical.sd", clinical.sd)
    toward_healthy = -1.0 if direction is ScoreDirection.HIGHER_IS_WORSE else 1.0
    a = mean1 + toward_healthy * CUTOFF_SD_MULTIPLIER * sd1
    if functional is None:
        return ClinicalCutOffs(a=a, b=None, c=None, direction=direction)
    mean0 = _finite("functional.mean", functional.mean)
    sd0 = _positive("functional.sd", functional.sd)
    if (mean0 - mean1) * toward_healthy <= 0:
        raise NormsContradictDirection(
            "functional.mean",
            mean0,
            f"must lie on the healthy side of the clinical mean {mean1!r} "
            f"for a scale where {direction.value.replace('_', ' ')}",
        )
    b = mean0 - toward_healthy * CUTOFF_SD_MULTIPLIER * sd0
    c = (sd0 * mean1 + sd1 * mean0) / (sd0 + sd1)
    return ClinicalCutOffs(a=a, b=b, c=c, direction=direction)


def clinical_significance(
    *,
    pre: float,
    post: float,
    sd: float,
    reliability: float,
    direction: DirectionLike,
    clinical: NormGroup,
    functional: NormGroup | None = None,
    criterion: CriterionLike = CutOffCriterion.C,
    z: float = DEFAULT_Z,
) -> ClinicalSignificance:
    """Jacobson & Truax (1991) clinical-significance category of one patient.

    Parameters
    ----------
    pre, post : float
        The earlier and the later score.
    sd : float
        Reference SD for the RCI (Jacobson & Truax use the pre-treatment SD; an
        instrument's clinical norm SD is the usual stand-in for a single patient).
    reliability : float
        Reliability of the score, 0 < r < 1.
    direction : ScoreDirection or str
        Which end of the scale is healthy.
    clinical : NormGroup
        Clinical-population norm (for *a* and *c*).
    functional : NormGroup or None, default None
        Functional-population norm (for *b* and *c*).
    criterion : CutOffCriterion or {"a", "b", "c"}, default "c"
        Which cut-off defines the functional range. *c* needs ``functional``; pass
        ``CutOffCriterion.A`` when only a clinical norm exists.
    z : float, default 1.96
        Critical value for the RCI.

    Returns
    -------
    ClinicalSignificance

    Raises
    ------
    InvalidChangeInput
        For invalid scores, SD, reliability, z or norms.
    NormsContradictDirection
        If the functional mean is not on the healthy side of the clinical mean.
    FunctionalNormRequired
        If ``criterion`` is *b* or *c* and ``functional`` is ``None``.

    Notes
    -----
    Categories, after Jacobson & Truax (1991):

    * **deteriorated** — reliable change towards the unhealthy end (:math:`|RC| > z`);
    * **unchanged** — no reliable change (:math:`|RC| \\le z`);
    * **recovered** — reliable improvement *and* the patient crossed the cut-off: the
      pre score is not beyond it, the post score is strictly beyond it on the healthy
      side;
    * **improved** — reliable improvement without such a crossing (still in the
      clinical range, or already in the functional range at the start).

    A score exactly at the cut-off counts as not (yet) functional.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12–19.

    Examples
    --------
    >>> cs = clinical_significance(
    ...     pre=22, post=6, sd=5.0, reliability=0.9,
    ...     direction=ScoreDirection.HIGHER_IS_WORSE,
    ...     clinical=NormGroup(mean=20.0, sd=5.0),
    ...     functional=NormGroup(mean=6.0, sd=2.0),
    ... )
    >>> cs.cutoff, cs.category.value
    (10.0, 'recovered')
    """
    criterion = _criterion(criterion)
    reliable = reliable_change_index(
        pre=pre, post=post, sd=sd, reliability=reliability, direction=direction, z=z
    )
    cutoffs = clinical_significance_cutoffs(
        clinical=clinical, functional=functional, direction=reliable.direction
    )
    cutoff = cutoffs.value(criterion)
    pre_functional = cutoffs.is_functional(reliable.pre, criterion)
    post_functional = cutoffs.is_functional(reliable.post, criterion)
    if reliable.category is ReliableChangeCategory.RELIABLE_DETERIORATION:
        category = ClinicalSignificanceCategory.DETERIORATED
    elif reliable.category is ReliableChangeCategory.NO_RELIABLE_CHANGE:
        category = ClinicalSignificanceCategory.UNCHANGED
    elif post_functional and not pre_functional:
        category = ClinicalSignificanceCategory.RECOVERED
    else:
        category = ClinicalSignificanceCategory.IMPROVED
    return ClinicalSignificance(
        reliable_change=reliable,
        cutoffs=cutoffs,
        criterion=criterion,
        cutoff=cutoff,
        pre_functional=pre_functional,
        post_functional=post_functional,
        category=category,
    )


def _categorize(rci: float, z: float, direction: ScoreDirection) -> ReliableChangeCategory:
    if abs(rci) <= z:
        return ReliableChangeCategory.NO_RELIABLE_CHANGE
    went_up = rci > 0
    if went_up == (direction is ScoreDirection.HIGHER_IS_BETTER):
        return ReliableChangeCategory.RELIABLE_IMPROVEMENT
    return ReliableChangeCategory.RELIABLE_DETERIORATION


def _finite(parameter: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidChangeInput(parameter, value, "must be a real number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidChangeInput(parameter, value, "must be finite (not NaN or infinite)")
    return number


def _positive(parameter: str, value: object) -> float:
    number = _finite(parameter, value)
    if number <= 0:
        raise InvalidChangeInput(parameter, value, "must be greater than 0")
    return number


def _reliability(value: object) -> float:
    number = _finite("reliability", value)
    if not 0.0 < number < 1.0:
        raise InvalidChangeInput(
            "reliability", value, "must lie strictly between 0 and 1 (exclusive)"
        )
    return number


def _direction(value: object) -> ScoreDirection:
    if isinstance(value, str):
        try:
            return ScoreDirection(value)
        except ValueError:
            pass
    raise InvalidChangeInput("direction", value, "must be 'higher_is_worse' or 'higher_is_better'")


def _criterion(value: object) -> CutOffCriterion:
    if isinstance(value, str):
        try:
            return CutOffCriterion(value)
        except ValueError:
            pass
    raise InvalidChangeInput("criterion", value, "must be 'a', 'b' or 'c'")
