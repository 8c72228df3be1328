"""Change per patient: the trajectory of one scale, judged against its intake score.

Every measurement after the first (the intake, baseline) gets its change from intake, a
reliable-change category and, where the rule allows, a clinical-significance outcome. Two
documented rules:

* :class:`JacobsonTruaxRule` — the reliable change index of Jacobson & Truax (1991) with
  an instrument's norm SD and reliability, and cut-off *a* or *c* for "recovered"
  (:func:`jacobson_truax_rule` builds it from an instrument scale, choosing the norm as
  :mod:`maatwerk.core.instruments.reference` documents);
* :class:`FixedThresholdRule` — a fixed number of points and a caseness cut-off, as the
  NHS Talking Therapies (IAPT) programme uses for PHQ-9 (6 points, caseness > 9) and GAD-7
  (4 points, caseness > 7) (Gyani et al. 2013); :func:`fixed_threshold_rule` builds it from
  the monitoring content.

Each result names its method, its norm and whether its values are unverified; the web layer
says in the reader's language what a judgement rests on (``web/questionnaires/results.py``).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise

from maatwerk.core.analysis.content import FixedChangeRule
from maatwerk.core.analysis.reliable_change import (
    DEFAULT_Z,
    ClinicalSignificanceCategory,
    InvalidChangeInput,
    NormGroup,
    ReliableChangeCategory,
    ScoreDirection,
    clinical_significance,
    clinical_significance_cutoffs,
    minimal_reliable_difference,
    reliable_change_index,
)
from maatwerk.core.instruments.model import Scale
from maatwerk.core.instruments.reference import (
    NormChoice,
    UnknownSexNorm,
    change_reference,
    significance_reference,
)

_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


class ChangeMethod(StrEnum):
    JACOBSON_TRUAX = "jacobson_truax"
    FIXED_THRESHOLD = "fixed_threshold"


@dataclass(frozen=True, slots=True)
class Measurement:
    """One score of one scale, ``week`` weeks after the intake (0 at intake)."""

    week: float
    value: float


@dataclass(frozen=True, slots=True)
class JacobsonTruaxRule:
    """Reliable change by the RCI; clinical significance when ``clinical`` is given."""

    sd: float
    reliability: float
    direction: ScoreDirection
    unverified: bool
    z: float = DEFAULT_Z
    clinical: NormGroup | None = None
    functional: NormGroup | None = None
    norm: NormChoice | None = None


@dataclass(frozen=True, slots=True)
class FixedThresholdRule:
    """Reliable change at ``points`` or more; "recovered" when the patient leaves caseness.

    ``is_case`` is the caseness test (e.g. ``score > 9``); ``None`` without one.
    ``symmetric``: a worsening of ``points`` or more is a reliable deterioration."""

    points: float
    symmetric: bool
    direction: ScoreDirection
    unverified: bool
    caseness_operator: str | None = None
    caseness_value: float | None = None

    def is_case(self, score: float) -> bool | None:
        if self.caseness_operator is None or self.caseness_value is None:
            return None
        return _OPERATORS[self.caseness_operator](score, self.caseness_value)


ChangeRule = JacobsonTruaxRule | FixedThresholdRule


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    """A measurement with its change from intake (``None`` fields at the intake itself)."""

    week: float
    value: float
    change: float | None
    reliable_change: ReliableChangeCategory | None
    outcome: ClinicalSignificanceCategory | None


@dataclass(frozen=True, slots=True)
class Trajectory:
    """The judged measurements of one scale, in time order.

    ``threshold_points`` is the change that counts as reliable: strictly more than it
    for Jacobson–Truax, at least it for a fixed threshold."""

    points: tuple[TrajectoryPoint, ...]
    method: ChangeMethod
    threshold_points: float
    unverified: bool
    norm: NormChoice | None

    @property
    def latest(self) -> TrajectoryPoint:
        return self.points[-1]


def measurements_from_dates(scores: Sequence[tuple[date, float]]) -> tuple[Measurement, ...]:
    """Dated scores as measurements in weeks since the first date (the intake).

    The scores are sorted by date; of two scores on one day the one given last is kept,
    because a week count cannot order them.

    >>> measurements_from_dates([(date(2026, 1, 5), 18), (date(2026, 1, 19), 14)])
    (Measurement(week=0.0, value=18.0), Measurement(week=2.0, value=14.0))
    """
    by_day: dict[date, float] = {}
    for day, value in scores:
        by_day[day] = float(value)
    days = sorted(by_day)
    if not days:
        return ()
    return tuple(Measurement((day - days[0]).days / 7.0, by_day[day]) for day in days)


def split_at(
    measurements: Sequence[Measurement], start_week: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Values before ``start_week`` (phase A) and from it on (phase B), for ``phases``."""
    baseline = tuple(m.value for m in measurements if m.week < start_week)
    treatment = tuple(m.value for m in measurements if m.week >= start_week)
    return baseline, treatment


def trajectory(measurements: Sequence[Measurement], rule: ChangeRule) -> Trajectory:
    """Judge every measurement against the first one.

    Raises
    ------
    InvalidChangeInput
        Without measurements, or when weeks do not increase strictly.
    """
    if not measurements:
        raise InvalidChangeInput("measurements", measurements, "needs at least the intake")
    if any(b.week <= a.week for a, b in pairwise(measurements)):
        raise InvalidChangeInput("measurements", measurements, "weeks must increase strictly")
    intake = measurements[0].value
    first = TrajectoryPoint(measurements[0].week, intake, None, None, None)
    later = tuple(_judge(intake, m, rule) for m in measurements[1:])
    if isinstance(rule, JacobsonTruaxRule):
        method, norm = ChangeMethod.JACOBSON_TRUAX, rule.norm
    else:
        method, norm = ChangeMethod.FIXED_THRESHOLD, None
    return Trajectory(
        points=(first, *later),
        method=method,
        threshold_points=threshold_points(rule),
        unverified=rule.unverified,
        norm=norm,
    )


def threshold_points(rule: ChangeRule) -> float:
    """The change in points that counts as reliable under ``rule``: the minimal reliable
    difference for Jacobson–Truax (strictly more than it), the rule's points for a fixed
    threshold (at least them)."""
    if isinstance(rule, JacobsonTruaxRule):
        return minimal_reliable_difference(
            sd=rule.sd, reliability=rule.reliability, z=rule.z
        ).points
    return rule.points


@dataclass(frozen=True, slots=True)
class Judgement:
    """One pre/post pair under a rule: the verdict and what it rests on.

    ``cutoff``: the clinical-significance cut-off (Jacobson–Truax *a*, or *c* with a
    functional norm) or the caseness value of a fixed threshold; ``None`` when the rule
    has none, and then ``outcome`` is ``None`` too."""

    category: ReliableChangeCategory
    outcome: ClinicalSignificanceCategory | None
    threshold_points: float
    cutoff: float | None


def judge(pre: float, post: float, rule: ChangeRule) -> Judgement:
    """The change from ``pre`` to ``post`` under ``rule``: the same judgement
    :func:`trajectory` gives a later measurement, for screens that list one pair at a
    time.

    >>> rule = FixedThresholdRule(6, True, ScoreDirection.HIGHER_IS_WORSE, False, ">", 9)
    >>> found = judge(16, 9, rule)
    >>> found.category.value, found.outcome.value, found.threshold_points, found.cutoff
    ('reliable_improvement', 'recovered', 6, 9)
    """
    point = _judge(pre, Measurement(1.0, post), rule)
    if point.reliable_change is None:  # pragma: no cover - _judge always judges
        raise InvalidChangeInput("pre/post", (pre, post), "could not be judged")
    return Judgement(
        category=point.reliable_change,
        outcome=point.outcome,
        threshold_points=threshold_points(rule),
        cutoff=_cutoff(rule),
    )


def _cutoff(rule: ChangeRule) -> float | None:
    if isinstance(rule, FixedThresholdRule):
        return rule.caseness_value if rule.caseness_operator is not None else None
    if rule.clinical is None:
        return None
    cutoffs = clinical_significance_cutoffs(
        clinical=rule.clinical, functional=rule.functional, direction=rule.direction
    )
    return cutoffs.value("a" if rule.functional is None else "c")


def _judge(intake: float, measurement: Measurement, rule: ChangeRule) -> TrajectoryPoint:
    if isinstance(rule, FixedThresholdRule):
        category, outcome = fixed_threshold_change(intake, measurement.value, rule)
    elif rule.clinical is None:
        category = reliable_change_index(
            pre=intake,
            post=measurement.value,
            sd=rule.sd,
            reliability=rule.reliability,
            direction=rule.direction,
            z=rule.z,
        ).category
        outcome = None
    else:
        result = clinical_significance(
            pre=intake,
            post=measurement.value,
            sd=rule.sd,
            reliability=rule.reliability,
            direction=rule.direction,
            clinical=rule.clinical,
            functional=rule.functional,
            criterion="a" if rule.functional is None else "c",
            z=rule.z,
        )
        category, outcome = result.reliable_change.category, result.category
    return TrajectoryPoint(
        week=measurement.week,
        value=measurement.value,
        change=measurement.value - intake,
        reliable_change=category,
        outcome=outcome,
    )


def fixed_threshold_change(
    pre: float, post: float, rule: FixedThresholdRule
) -> tuple[ReliableChangeCategory, ClinicalSignificanceCategory | None]:
    """Category and outcome of one pre/post pair under a fixed threshold.

    Improvement towards the healthy end by ``points`` or more is reliable; "recovered"
    needs that and a move from caseness to non-caseness (Gyani et al. 2013). Without a
    caseness cut-off the outcome is ``None``."""
    if not (math.isfinite(pre) and math.isfinite(post)):
        raise InvalidChangeInput("pre/post", (pre, post), "must be finite")
    towards_healthy = (
        (pre - post) if rule.direction is ScoreDirection.HIGHER_IS_WORSE else (post - pre)
    )
    if towards_healthy >= rule.points:
        category = ReliableChangeCategory.RELIABLE_IMPROVEMENT
    elif rule.symmetric and -towards_healthy >= rule.points:
        category = ReliableChangeCategory.RELIABLE_DETERIORATION
    else:
        category = ReliableChangeCategory.NO_RELIABLE_CHANGE
    pre_case, post_case = rule.is_case(pre), rule.is_case(post)
    if pre_case is None or post_case is None:
        return category, None
    return category, _fixed_outcome(category, pre_case=pre_case, post_case=post_case)


def _fixed_outcome(
    category: ReliableChangeCategory, *, pre_case: bool, post_case: bool
) -> ClinicalSignificanceCategory:
    if category is ReliableChangeCategory.RELIABLE_DETERIORATION:
        return ClinicalSignificanceCategory.DETERIORATED
    if category is ReliableChangeCategory.NO_RELIABLE_CHANGE:
        return ClinicalSignificanceCategory.UNCHANGED
    if pre_case and not post_case:
        return ClinicalSignificanceCategory.RECOVERED
    return ClinicalSignificanceCategory.IMPROVED


def jacobson_truax_rule(
    scale: Scale,
    *,
    sex: str | None,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
) -> JacobsonTruaxRule | None:
    """The RCI rule of an instrument scale for a respondent; ``None`` without a norm SD and
    reliability. The norm follows the respondent's sex, else ``unknown_sex``."""
    reference = change_reference(scale, sex=sex, unknown_sex=unknown_sex)
    if reference is None:
        return None
    norms = significance_reference(scale, sex=sex, unknown_sex=unknown_sex)
    return JacobsonTruaxRule(
        sd=reference.sd,
        reliability=reference.reliability,
        direction=ScoreDirection(scale.direction),
        unverified=reference.unverified or (norms is not None and norms.unverified),
        clinical=None if norms is None else NormGroup(norms.clinical.mean, norms.clinical.sd),
        functional=None
        if norms is None or norms.functional is None
        else NormGroup(norms.functional.mean, norms.functional.sd),
        norm=reference.norm,
    )


def fixed_threshold_rule(rule: FixedChangeRule, scale: Scale) -> FixedThresholdRule:
    """A fixed-threshold rule from the monitoring content, for the scale it names."""
    return FixedThresholdRule(
        points=float(rule.reliable_change_points),
        symmetric=rule.symmetric,
        direction=ScoreDirection(scale.direction),
        unverified=rule.unverified,
        caseness_operator=None if rule.caseness is None else rule.caseness.operator,
        caseness_value=None if rule.caseness is None else float(rule.caseness.value),
    )


def change_rule(
    scale: Scale,
    *,
    sex: str | None,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
    fixed: FixedChangeRule | None = None,
) -> ChangeRule | None:
    """The rule a respondent's change on ``scale`` is judged by: Jacobson–Truax with the
    norm of their sex (else ``unknown_sex``) when the scale has a norm SD and reliability,
    else the content's fixed threshold for the scale (``fixed``); ``None`` without
    either."""
    found = jacobson_truax_rule(scale, sex=sex, unknown_sex=unknown_sex)
    if found is not None:
        return found
    return None if fixed is None else fixed_threshold_rule(fixed, scale)
