"""Not-on-track signals: is this patient recovering as expected, and if not, what next?

Two rules, always named in the signal:

* **Expected-recovery curves** (:func:`fit_expected_recovery`, :func:`curve_signal`), after
  Finch, Lambert & Schaalje (2001): a linear mixed model of the score on
  :math:`\\log(\\text{week} + 1)` fitted on the organization's own episodes, with the intake
  score as covariate (a continuous form of their stratification by intake severity), and a
  one-sided band around the expected score. Used once the organization has enough
  episodes (:class:`~maatwerk.core.analysis.content.ExpectedCurveSettings`, a documented
  choice); until then :func:`fit_expected_recovery` returns :class:`InsufficientHistory`.
* **The clinician-defined rule** (:func:`clinician_signal`): no reliable improvement from
  intake on the latest *k* ≥ 2 follow-up measurements. Labelled as clinician-defined: no
  published "k sessions" rule exists.

Both rules never flag before the ``earliest_measurement``-th measurement (intake counted)
and need ``consecutive_measurements`` (at least two) measurements in a row beyond the band
or without reliable improvement, so one measurement never raises a signal alone: judging
at session 3 misses late responders (PMC6428692, 4,394 IAPT patients).

A signal carries its evidence (scores, expected values and band limits, or changes and
the reliable-change threshold) and, when it flags, the escalation options of the
monitoring content that apply to the patient.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
from statsmodels.regression.mixed_linear_model import MixedLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from maatwerk.core.analysis.change import ChangeRule, FixedThresholdRule, Measurement, trajectory
from maatwerk.core.analysis.content import (
    ClinicianRuleDefaults,
    EscalationOption,
    ExpectedCurveSettings,
)
from maatwerk.core.analysis.reliable_change import (
    InvalidChangeInput,
    ReliableChangeCategory,
    ScoreDirection,
)


class SignalRule(StrEnum):
    EXPECTED_CURVE = "expected_curve"
    CLINICIAN_DEFINED = "clinician_defined"


class SignalStatus(StrEnum):
    NOT_ON_TRACK = "not_on_track"
    ON_TRACK = "on_track"
    TOO_EARLY = "too_early"
    """Fewer measurements than the rule's earliest measurement."""
    NOT_A_CASE = "not_a_case"
    """The score at the start is below the scale's caseness cut-off: there is little room
    for a reliable improvement, and NHS Talking Therapies (IAPT) judge recovery only for
    patients who start as a case (nct05134103), so the signal is not judged."""


@dataclass(frozen=True, slots=True)
class ClinicianRule:
    """No reliable improvement on the latest ``consecutive`` follow-ups, judged from the
    ``earliest_measurement``-th measurement (intake = 1)."""

    consecutive: int
    earliest_measurement: int

    def __post_init__(self) -> None:
        if self.consecutive < 2:
            raise InvalidChangeInput(
                "consecutive", self.consecutive, "must be at least 2: never one measurement"
            )
        if self.earliest_measurement < self.consecutive + 1:
            raise InvalidChangeInput(
                "earliest_measurement",
                self.earliest_measurement,
                "must leave room for the intake and the consecutive follow-ups",
            )

    @classmethod
    def from_content(cls, defaults: ClinicianRuleDefaults) -> ClinicianRule:
        return cls(defaults.consecutive_measurements, defaults.earliest_measurement)


@dataclass(frozen=True, slots=True)
class Episode:
    """One episode of the organization's history: intake first (week 0), then follow-ups."""

    measurements: tuple[Measurement, ...]


class HistoryProblem(StrEnum):
    TOO_FEW_EPISODES = "too_few_episodes"
    NOT_ESTIMABLE = "not_estimable"
    """The mixed model cannot be fitted (e.g. every score or every intake the same)."""


@dataclass(frozen=True, slots=True)
class InsufficientHistory:
    """No expected-recovery curves from this history: use the clinician rule."""

    usable_episodes: int
    required_episodes: int
    problem: HistoryProblem = HistoryProblem.TOO_FEW_EPISODES


@dataclass(frozen=True, slots=True)
class ExpectedBand:
    week: float
    expected: float
    limit: float
    """The band's edge on the worse side: beyond it the patient is not on track."""


@dataclass(frozen=True, slots=True)
class ExpectedRecoveryModel:
    """Fitted curves: ``score = b0 + b1·c + (b2 + b3·c)·log(week + 1)`` with
    ``c = intake − intake_mean``, random intercept and log-slope per episode."""

    fixed: tuple[float, float, float, float]
    max_week: float
    """The latest follow-up week in the history: later weeks are extrapolated."""
    fixed_covariance: tuple[tuple[float, ...], ...]
    random_covariance: tuple[tuple[float, float], tuple[float, float]]
    residual_variance: float
    intake_mean: float
    episodes: int
    coverage: float
    direction: ScoreDirection
    converged: bool
    unverified: bool
    """The settings are unverified (a choice, not a source) or the fit did not converge."""

    def band(self, intake: float, week: float) -> ExpectedBand:
        """Expected score and the one-sided limit for a new patient with this intake."""
        centred = intake - self.intake_mean
        log_week = math.log(week + 1.0)
        x = np.array([1.0, centred, log_week, centred * log_week])
        z = np.array([1.0, log_week])
        expected = float(x @ np.array(self.fixed))
        variance = (
            float(z @ np.array(self.random_covariance) @ z)
            + self.residual_variance
            + float(x @ np.array(self.fixed_covariance) @ x)
        )
        width = NormalDist().inv_cdf(self.coverage) * math.sqrt(max(variance, 0.0))
        worse = 1.0 if self.direction is ScoreDirection.HIGHER_IS_WORSE else -1.0
        return ExpectedBand(week=week, expected=expected, limit=expected + worse * width)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One follow-up measurement and how the rule judged it."""

    week: float
    score: float
    change: float
    expected: float | None
    limit: float | None
    reliable_change: ReliableChangeCategory | None
    counts_against: bool
    extrapolated: bool = False
    """The week lies beyond the organization's history: the band is an extrapolation."""


@dataclass(frozen=True, slots=True)
class NotOnTrackSignal:
    """The outcome of a rule for one patient on one scale.

    ``evidence`` holds the follow-ups the decision rests on (the latest ``consecutive``);
    ``options`` the escalation options, only when ``status`` is not-on-track."""

    status: SignalStatus
    rule: SignalRule
    consecutive: int
    earliest_measurement: int
    evidence: tuple[Evidence, ...]
    options: tuple[EscalationOption, ...]
    unverified: bool

    @property
    def flagged(self) -> bool:
        return self.status is SignalStatus.NOT_ON_TRACK


# --------------------------------------------------------------------------- fitting


def fit_expected_recovery(
    episodes: Sequence[Episode],
    *,
    settings: ExpectedCurveSettings,
    direction: ScoreDirection,
) -> ExpectedRecoveryModel | InsufficientHistory:
    """Fit expected-recovery curves on the organization's episodes.

    Episodes with fewer than ``settings.minimum_measurements_per_episode`` measurements or
    without an intake at week 0 are not used; with fewer usable episodes than
    ``settings.minimum_episodes`` the result is :class:`InsufficientHistory`.

    Notes
    -----
    Restricted maximum likelihood (statsmodels ``MixedLM``) on the follow-up scores:

    .. math::

        y_{ij} = \\beta_0 + \\beta_1 c_i + (\\beta_2 + \\beta_3 c_i) \\log(w_{ij} + 1)
                 + u_{0i} + u_{1i} \\log(w_{ij} + 1) + \\varepsilon_{ij}

    with :math:`c_i` the centred intake score. The band for a new patient adds the
    random-effect, residual and fixed-effect estimation variances (a normal approximation
    of the tolerance intervals of Finch et al. 2001, whose widths were not published in
    the sources read).

    References
    ----------
    .. [1] Finch, A. E., Lambert, M. J., & Schaalje, B. G. (2001). Psychotherapy quality
       control: the statistical generation of expected recovery curves for integration
       into an early warning system. *Clinical Psychology & Psychotherapy*, 8(4), 231–242.
    """
    usable = [
        e
        for e in episodes
        if len(e.measurements) >= settings.minimum_measurements_per_episode
        and e.measurements[0].week == 0
    ]
    if len(usable) < settings.minimum_episodes:
        return InsufficientHistory(len(usable), settings.minimum_episodes)
    intake_mean = float(np.mean([e.measurements[0].value for e in usable]))
    y, exog, exog_re, groups = _design(usable, intake_mean)
    not_estimable = InsufficientHistory(
        len(usable), settings.minimum_episodes, HistoryProblem.NOT_ESTIMABLE
    )
    if np.linalg.matrix_rank(exog) < exog.shape[1]:
        return not_estimable
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = MixedLM(y, exog, groups=groups, exog_re=exog_re).fit(reml=True)
        except (np.linalg.LinAlgError, ValueError):
            return not_estimable
    fixed = np.asarray(result.fe_params, dtype=np.float64)
    covariance = np.asarray(result.cov_params(), dtype=np.float64)[:4, :4]
    random = np.asarray(result.cov_re, dtype=np.float64)
    if not all(np.isfinite(a).all() for a in (fixed, covariance, random)):
        return not_estimable
    converged = bool(result.converged) and not any(
        issubclass(w.category, ConvergenceWarning) for w in caught
    )
    return ExpectedRecoveryModel(
        fixed=(float(fixed[0]), float(fixed[1]), float(fixed[2]), float(fixed[3])),
        max_week=max(e.measurements[-1].week for e in usable),
        fixed_covariance=tuple(tuple(float(v) for v in row) for row in covariance),
        random_covariance=(
            (float(random[0, 0]), float(random[0, 1])),
            (float(random[1, 0]), float(random[1, 1])),
        ),
        residual_variance=float(result.scale),
        intake_mean=intake_mean,
        episodes=len(usable),
        coverage=float(settings.coverage),
        direction=direction,
        converged=converged,
        unverified=settings.unverified or not converged,
    )


def _design(
    episodes: Sequence[Episode], intake_mean: float
) -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int_]
]:
    rows: list[tuple[float, float, float, int]] = []
    for index, episode in enumerate(episodes):
        centred = episode.measurements[0].value - intake_mean
        rows += [
            (m.value, centred, math.log(m.week + 1.0), index) for m in episode.measurements[1:]
        ]
    data = np.array(rows, dtype=np.float64)
    ones = np.ones(len(rows))
    intake, log_week = data[:, 1], data[:, 2]
    exog = np.column_stack([ones, intake, log_week, intake * log_week])
    exog_re = np.column_stack([ones, log_week])
    return data[:, 0], exog, exog_re, data[:, 3].astype(np.int_)


# --------------------------------------------------------------------------- signals


def not_on_track_signal(
    measurements: Sequence[Measurement],
    history: ExpectedRecoveryModel | InsufficientHistory,
    change_rule: ChangeRule,
    *,
    rule: ClinicianRule,
    options: Sequence[EscalationOption],
    flags: Collection[str] = (),
    caseness: FixedThresholdRule | None = None,
) -> NotOnTrackSignal:
    """The expected-recovery curves when the organization has them, else the
    clinician-defined rule; the signal says which one was used.

    ``caseness`` is the scale's caseness cut-off where the content gives one (the fixed
    IAPT rules): a patient who starts below it is not judged (``NOT_A_CASE``), whatever
    change rule is used, so a mild score that cannot drop far never reads as a stagnation."""
    _check_measurements(measurements)
    intake = measurements[0].value
    if caseness is not None and caseness.is_case(intake) is False:
        kind = (
            SignalRule.EXPECTED_CURVE
            if isinstance(history, ExpectedRecoveryModel)
            else SignalRule.CLINICIAN_DEFINED
        )
        return NotOnTrackSignal(
            status=SignalStatus.NOT_A_CASE,
            rule=kind,
            consecutive=rule.consecutive,
            earliest_measurement=rule.earliest_measurement,
            evidence=(),
            options=(),
            unverified=caseness.unverified,
        )
    if isinstance(history, ExpectedRecoveryModel):
        return curve_signal(measurements, history, rule=rule, options=options, flags=flags)
    return clinician_signal(measurements, change_rule, rule=rule, options=options, flags=flags)


def curve_signal(
    measurements: Sequence[Measurement],
    model: ExpectedRecoveryModel,
    *,
    rule: ClinicianRule,
    options: Sequence[EscalationOption],
    flags: Collection[str] = (),
) -> NotOnTrackSignal:
    """Flag when the latest ``rule.consecutive`` follow-ups all lie beyond the band.

    ``rule`` supplies the guards shared with the clinician rule (the number in a row and
    the earliest measurement); ``flags`` are the clinician flags recorded for the patient
    (they unlock options such as EMDR)."""
    _check_measurements(measurements)
    intake = measurements[0].value
    evidence = []
    for m in measurements[1:]:
        band = model.band(intake, m.week)
        beyond = (m.value - band.limit) * _worse_sign(model.direction) > 0
        evidence.append(
            Evidence(
                week=m.week,
                score=m.value,
                change=m.value - intake,
                expected=band.expected,
                limit=band.limit,
                reliable_change=None,
                counts_against=beyond,
                extrapolated=m.week > model.max_week,
            )
        )
    return _signal(
        SignalRule.EXPECTED_CURVE,
        len(measurements),
        evidence,
        rule,
        _applicable(options, flags),
        unverified=model.unverified,
    )


def clinician_signal(
    measurements: Sequence[Measurement],
    change_rule: ChangeRule,
    *,
    rule: ClinicianRule,
    options: Sequence[EscalationOption],
    flags: Collection[str] = (),
) -> NotOnTrackSignal:
    """Flag when none of the latest ``rule.consecutive`` follow-ups is a reliable
    improvement from intake (by ``change_rule``: Jacobson–Truax or a fixed threshold)."""
    _check_measurements(measurements)
    judged = trajectory(measurements, change_rule)
    evidence = [
        Evidence(
            week=p.week,
            score=p.value,
            change=p.value - judged.points[0].value,
            expected=None,
            limit=None,
            reliable_change=p.reliable_change,
            counts_against=p.reliable_change is not ReliableChangeCategory.RELIABLE_IMPROVEMENT,
        )
        for p in judged.points[1:]
    ]
    return _signal(
        SignalRule.CLINICIAN_DEFINED,
        len(measurements),
        evidence,
        rule,
        _applicable(options, flags),
        unverified=True,
    )


def _signal(
    kind: SignalRule,
    count: int,
    evidence: list[Evidence],
    rule: ClinicianRule,
    options: tuple[EscalationOption, ...],
    *,
    unverified: bool,
) -> NotOnTrackSignal:
    latest = tuple(evidence[-rule.consecutive :])
    if count < rule.earliest_measurement:
        status = SignalStatus.TOO_EARLY
    elif all(e.counts_against for e in latest):
        status = SignalStatus.NOT_ON_TRACK
    else:
        status = SignalStatus.ON_TRACK
    return NotOnTrackSignal(
        status=status,
        rule=kind,
        consecutive=rule.consecutive,
        earliest_measurement=rule.earliest_measurement,
        evidence=latest,
        options=options if status is SignalStatus.NOT_ON_TRACK else (),
        unverified=unverified,
    )


def _applicable(
    options: Sequence[EscalationOption], flags: Collection[str]
) -> tuple[EscalationOption, ...]:
    return tuple(o for o in options if o.when_flag is None or o.when_flag in flags)


def _worse_sign(direction: ScoreDirection) -> float:
    return 1.0 if direction is ScoreDirection.HIGHER_IS_WORSE else -1.0


def _check_measurements(measurements: Sequence[Measurement]) -> None:
    if not measurements or measurements[0].week != 0:
        raise InvalidChangeInput("measurements", measurements, "must start with the intake")
    if any(b.week <= a.week for a, b in pairwise(measurements)):
        raise InvalidChangeInput("measurements", measurements, "weeks must increase strictly")
