"""Personalized outcome measures: GAS, PSK and a top-problems rating.

The patient, not the instrument, chooses what is measured:

* **Goal Attainment Scaling (GAS)** — 1 to 5 personal goals, each scored −2 … +2 against
  the expected outcome and summarized as a T-score (Kiresuk & Sherman 1968):
  :func:`goal_attainment_t_score`.
* **Patiënt Specifieke Klachten (PSK)** — 3 to 5 activities the patient finds hard, each
  rated 0–10 for *difficulty*; score = the sum: :func:`psk_score`, :func:`psk_change`.
* **Top-problems rating** — up to 3 problems in the patient's own words, each rated 0–10.
  Not a validated instrument but a Maatwerk convention: :func:`top_problems_score`,
  :func:`top_problems_change`.

What is known about each measure (names, kind, scoring rule, sources, notes) is content:
``content/personalized/measures.json``, read with
:func:`maatwerk.core.instruments.personalized_content.measure_metadata`.

All functions are pure; every input error raises a subclass of
:class:`PersonalizedMeasureError`.

Size: three measures sharing one rating, matching and input-check machinery.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from numbers import Real
from typing import Final, Generic, Protocol, TypeVar

from maatwerk.core.common.errors import MaatwerkError

# ----------------------------------------------------------------------------- errors


class PersonalizedMeasureError(MaatwerkError, ValueError):
    """Base class of the input errors of personalized measures."""


class WrongNumberOfItems(PersonalizedMeasureError):
    """Too few or too many goals, activities or problems."""


class RatingOutOfRange(PersonalizedMeasureError):
    """A rating or attainment level is not a whole number in the allowed range."""


class EmptyName(PersonalizedMeasureError):
    """A goal, activity or problem has no name (or an empty id)."""


class DuplicateItem(PersonalizedMeasureError):
    """Two goals, activities or problems have the same name or id."""


class InvalidWeight(PersonalizedMeasureError):
    """A GAS weight is not a finite number from :data:`GAS_WEIGHT_MIN` to
    :data:`GAS_WEIGHT_MAX`."""


class InvalidCorrelation(PersonalizedMeasureError):
    """The GAS inter-goal correlation ρ is not a finite number in [0, 1]."""


# -------------------------------------------------------------------------------- GAS


class GasLevel(IntEnum):
    """GAS attainment levels."""

    MUCH_LESS_THAN_EXPECTED = -2
    LESS_THAN_EXPECTED = -1
    EXPECTED = 0
    MORE_THAN_EXPECTED = 1
    MUCH_MORE_THAN_EXPECTED = 2


DEFAULT_GAS_RHO: Final = 0.30
"""Assumed correlation between goal scales (Kiresuk & Sherman 1968)."""

GAS_MIN_GOALS: Final = 1
GAS_MAX_GOALS: Final = 5

GAS_WEIGHT_DECIMALS: Final = 2
GAS_WEIGHT_MIN: Final = 0.01
GAS_WEIGHT_MAX: Final = 9999.99
"""The range of a GAS goal's weight (recorded with :data:`GAS_WEIGHT_DECIMALS` decimals).

Kiresuk & Sherman's formula takes any weight above 0, and only the ratios between the
weights matter (multiplying every weight by one factor leaves T unchanged). The bounds
are a Maatwerk convention, not a clinical value: a weight is kept with two decimals, so
0.01 is the smallest weight that does not round to 0 (a goal of weight 0 would drop out
of the score, and a set holding one could not be rated again); 9999.99 is the largest
with six digits, a ratio of about a million between the most and the least important
goal.
"""

GAS_BASELINE_LEVEL: Final = GasLevel.LESS_THAN_EXPECTED
"""Maatwerk's default level for every goal when it is set (before treatment).

The expected outcome (0) is the goal; the starting point is usually below it, so goals
are scored −1 at baseline and the baseline T-score is below 50. A clinician may record
−2 ("much less than expected") instead, when the starting point is the worst level
described for that goal; this lowers the baseline T-score, so the level is recorded per
goal. Which baseline rule the GAS guides prescribe was not verified in a primary source:
this default is a Maatwerk convention, not part of the Kiresuk & Sherman formula.
"""


@dataclass(frozen=True, slots=True)
class GasGoal:
    """One GAS goal with its attainment level and weight.

    Raises :class:`EmptyName`, :class:`RatingOutOfRange` or :class:`InvalidWeight` when
    constructed with an invalid value.
    """

    name: str
    level: int
    weight: float = 1.0

    def __post_init__(self) -> None:
        _require_name("goal name", self.name)
        if not _is_whole(self.level) or self.level not in range(-2, 3):
            raise RatingOutOfRange(
                f"GAS goal {self.name!r}: level {self.level!r} is not one of −2, −1, 0, +1, +2"
            )
        weight = _real(self.weight)
        if weight is None or not GAS_WEIGHT_MIN <= weight <= GAS_WEIGHT_MAX:
            raise InvalidWeight(
                f"GAS goal {self.name!r}: weight {self.weight!r} must be a number from"
                f" {GAS_WEIGHT_MIN} to {GAS_WEIGHT_MAX}"
            )


@dataclass(frozen=True, slots=True)
class GasScore:
    """A GAS T-score and the terms it was computed from.

    Attributes
    ----------
    t_score : float
        The Kiresuk–Sherman T-score; 50 = goals attained as expected.
    goals : tuple of GasGoal
        The goals, in input order.
    rho : float
        The inter-goal correlation used.
    weighted_sum : float
        :math:`\\sum w_i x_i`.
    sum_of_weights : float
        :math:`\\sum w_i`.
    sum_of_squared_weights : float
        :math:`\\sum w_i^2`.
    denominator : float
        :math:`\\sqrt{(1-\\rho)\\sum w_i^2 + \\rho (\\sum w_i)^2}`.
    """

    t_score: float
    goals: tuple[GasGoal, ...]
    rho: float
    weighted_sum: float
    sum_of_weights: float
    sum_of_squared_weights: float
    denominator: float


def goal_attainment_t_score(goals: Sequence[GasGoal], *, rho: float = DEFAULT_GAS_RHO) -> GasScore:
    """Goal Attainment Scaling T-score (Kiresuk & Sherman 1968).

    Parameters
    ----------
    goals : sequence of GasGoal
        1 to 5 goals with unique names, each with a level in {−2, −1, 0, +1, +2} and a
        weight > 0.
    rho : float, default 0.30
        Assumed correlation between the goal scales, 0 ≤ ρ ≤ 1.

    Returns
    -------
    GasScore

    Raises
    ------
    WrongNumberOfItems
        Fewer than 1 or more than 5 goals.
    DuplicateItem
        Two goals with the same name (ignoring case and spacing).
    InvalidCorrelation
        ``rho`` not a finite number in [0, 1].

    Notes
    -----
    .. math::

        T = 50 + \\frac{10 \\sum w_i x_i}
                     {\\sqrt{(1 - \\rho) \\sum w_i^2 + \\rho \\left(\\sum w_i\\right)^2}}

    with :math:`x_i` the attainment level and :math:`w_i` the weight of goal *i*.
    T = 50 when the goals are met as expected (:math:`\\sum w_i x_i = 0`); T > 50 is better
    than expected. For a single goal the denominator is :math:`w`, so T = 50 + 10·x.
    Multiplying all weights by the same factor leaves T unchanged.

    Turner-Stokes (2009) printed this formula with errors, corrected in an erratum; the
    version here is the one given by its secondary sources (kiresuk-sherman-1968). Baseline
    convention: see :data:`GAS_BASELINE_LEVEL`.

    References
    ----------
    .. [1] Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: a general
       method for evaluating comprehensive community mental health programs. *Community
       Mental Health Journal*, 4, 443–453.
    .. [2] Turner-Stokes, L. (2009). Goal attainment scaling (GAS) in rehabilitation: a
       practical guide. *Clinical Rehabilitation*, 23, 362–370 (and erratum).

    Examples
    --------
    One goal, weight 1, attained "much more than expected" (+2): T = 50 + 10·2/1.

    >>> goal = GasGoal("walk to the shop", GasLevel.MUCH_MORE_THAN_EXPECTED)
    >>> goal_attainment_t_score([goal]).t_score
    70.0
    """
    goals = tuple(goals)
    rho = _gas_rho(rho)
    _require_count("GAS goals", len(goals), GAS_MIN_GOALS, GAS_MAX_GOALS)
    _require_unique("GAS goal", [_normalize(goal.name) for goal in goals])
    weighted_sum = math.fsum(goal.weight * goal.level for goal in goals)
    sum_of_weights = math.fsum(goal.weight for goal in goals)
    sum_of_squared_weights = math.fsum(goal.weight * goal.weight for goal in goals)
    denominator = math.sqrt((1.0 - rho) * sum_of_squared_weights + rho * sum_of_weights**2)
    return GasScore(
        t_score=50.0 + 10.0 * weighted_sum / denominator,
        goals=goals,
        rho=rho,
        weighted_sum=weighted_sum,
        sum_of_weights=sum_of_weights,
        sum_of_squared_weights=sum_of_squared_weights,
        denominator=denominator,
    )


# -------------------------------------------------------------- shared rating machinery


class _Rated(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str: ...


_ItemT = TypeVar("_ItemT", bound=_Rated)


@dataclass(frozen=True, slots=True)
class RatingChange:
    """The change of one activity or problem between two administrations.

    Attributes
    ----------
    key : str
        What matched the two ratings: the id, or the normalized name.
    name : str
        The name at the later administration.
    before, after : int
        The ratings, in time order.
    change : int
        ``after - before``. For PSK and the top-problems rating a negative change is an
        improvement (less difficulty, less burden).
    """

    key: str
    name: str
    before: int
    after: int
    change: int


@dataclass(frozen=True, slots=True)
class _Matched(Generic[_ItemT]):
    changes: tuple[RatingChange, ...]
    dropped: tuple[_ItemT, ...]
    added: tuple[_ItemT, ...]


def _match(
    before: Sequence[_ItemT], after: Sequence[_ItemT], rating: Callable[[_ItemT], int]
) -> _Matched[_ItemT]:
    earlier = {item.key: item for item in before}
    later_keys = {item.key for item in after}
    changes = tuple(
        RatingChange(
            key=item.key,
            name=item.name,
            before=rating(earlier[item.key]),
            after=rating(item),
            change=rating(item) - rating(earlier[item.key]),
        )
        for item in after
        if item.key in earlier
    )
    return _Matched(
        changes=changes,
        dropped=tuple(item for item in before if item.key not in later_keys),
        added=tuple(item for item in after if item.key not in earlier),
    )


# -------------------------------------------------------------------------------- PSK

PSK_MIN_ACTIVITIES: Final = 3
PSK_MAX_ACTIVITIES: Final = 5
NRS_MIN: Final = 0
NRS_MAX: Final = 10


@dataclass(frozen=True, slots=True)
class PskActivity:
    """One patient-chosen activity and how difficult it is, 0 (none) – 10 (impossible).

    ``activity_id`` is an optional stable identifier (e.g. a database key) that matches
    the activity across administrations even if its wording is edited; without it the
    activity is matched on its name, ignoring case and spacing. Use ids for both or
    neither administration.
    """

    name: str
    difficulty: int
    activity_id: str | None = None

    def __post_init__(self) -> None:
        _require_name("PSK activity name", self.name)
        if self.activity_id is not None:
            _require_name("PSK activity id", self.activity_id)
        _require_nrs(f"PSK activity {self.name!r}: difficulty", self.difficulty)

    @property
    def key(self) -> str:
        """The matching key: the id if given, else the normalized name."""
        return _key(self.name, self.activity_id)


@dataclass(frozen=True, slots=True)
class PskScore:
    """A PSK administration: the activities and their sum.

    Attributes
    ----------
    total : int
        Sum of the difficulty ratings, 0 … 10 × number of activities (higher = worse).
    activities : tuple of PskActivity
        The activities with their ratings, in input order.
    """

    total: int
    activities: tuple[PskActivity, ...]

    @property
    def maximum(self) -> int:
        """The highest possible total for this number of activities."""
        return NRS_MAX * len(self.activities)


@dataclass(frozen=True, slots=True)
class PskChange:
    """Per-activity change of PSK between two administrations.

    Attributes
    ----------
    activities : tuple of RatingChange
        Activities rated at both administrations, in the later order.
    dropped : tuple of PskActivity
        Activities rated only before.
    added : tuple of PskActivity
        Activities rated only after.
    total_change : int or None
        ``after.total - before.total`` when the same activities were rated both times,
        else ``None`` (totals over different activities are not comparable).
    """

    activities: tuple[RatingChange, ...]
    dropped: tuple[PskActivity, ...]
    added: tuple[PskActivity, ...]
    total_change: int | None


def psk_score(activities: Sequence[PskActivity]) -> PskScore:
    """Patiënt Specifieke Klachten (PSK) total score.

    Parameters
    ----------
    activities : sequence of PskActivity
        3 to 5 activities that the patient finds important, that are hindered by the
        complaints and that the patient does every week, each with a unique name (and id,
        if given) and a difficulty of 0–10.

    Returns
    -------
    PskScore

    Raises
    ------
    WrongNumberOfItems
        Fewer than 3 or more than 5 activities.
    DuplicateItem
        Two activities with the same name (ignoring case and spacing) or the same id.

    Notes
    -----
    .. math:: PSK = \\sum_{i=1}^{k} d_i, \\qquad d_i \\in \\{0, \\dots, 10\\},\\ 3 \\le k \\le 5

    Higher = **more difficulty = worse**. Since 2008 the PSK is rated on an 11-point
    numeric rating scale (originally a 0–100 mm VAS). Totals over 3 and over 5
    activities have different ranges (0–30 and 0–50); compare a patient with themself
    over the same activities, per activity (:func:`psk_change`). At follow-up the patient
    sees the previous scores.

    **PSK vs PSFS pitfall.** The English Patient-Specific Functional Scale (PSFS;
    Stratford 1995) also rates patient-chosen activities 0–10, but 0 = "unable to
    perform" and 10 = "able to perform at prior level": higher = *better*. Some code
    labelled "psk" (e.g. awell-score) implements the PSFS and averages the activities.
    Never convert one into the other by relabelling.

    References
    ----------
    .. [1] Beurskens, A. J. H. M., et al. (1996). Patiënt Specifieke Klachten; see
       https://meetinstrumentenzorg.nl/instrumenten/patient-specifieke-klachten/
    .. [2] Stratford, P., et al. (1995). Patient-Specific Functional Scale (the PSFS).

    Examples
    --------
    >>> score = psk_score([
    ...     PskActivity("traplopen", 7),
    ...     PskActivity("boodschappen doen", 5),
    ...     PskActivity("fietsen", 8),
    ... ])
    >>> score.total, score.maximum
    (20, 30)
    """
    activities = tuple(activities)
    _require_count("PSK activities", len(activities), PSK_MIN_ACTIVITIES, PSK_MAX_ACTIVITIES)
    _require_unique_items("PSK activity", activities)
    return PskScore(total=sum(a.difficulty for a in activities), activities=activities)


def psk_change(*, before: PskScore, after: PskScore) -> PskChange:
    """Change of each PSK activity between two administrations.

    Parameters
    ----------
    before, after : PskScore
        The earlier and the later administration (keyword-only, so they cannot be
        swapped).

    Returns
    -------
    PskChange
        Per-activity changes (``after - before``; negative = less difficulty = better),
        activities dropped or added, and the change of the total when the activities are
        the same.

    Notes
    -----
    Activities are matched on ``activity_id`` when given, else on the name ignoring case
    and spacing. The PSK has no published reliability, so no reliable change threshold
    applies.

    Examples
    --------
    >>> first = psk_score([
    ...     PskActivity("traplopen", 7), PskActivity("fietsen", 8), PskActivity("koken", 4)
    ... ])
    >>> later = psk_score([
    ...     PskActivity("Fietsen", 5), PskActivity("traplopen", 7), PskActivity("koken", 2)
    ... ])
    >>> [(c.key, c.change) for c in psk_change(before=first, after=later).activities]
    [('fietsen', -3), ('traplopen', 0), ('koken', -2)]
    """
    matched = _match(before.activities, after.activities, _difficulty)
    same = not matched.dropped and not matched.added
    return PskChange(
        activities=matched.changes,
        dropped=matched.dropped,
        added=matched.added,
        total_change=after.total - before.total if same else None,
    )


def _difficulty(activity: PskActivity) -> int:
    return activity.difficulty


# ----------------------------------------------------------------------- top problems

TOP_PROBLEMS_MIN: Final = 1
TOP_PROBLEMS_MAX: Final = 3


@dataclass(frozen=True, slots=True)
class ProblemRating:
    """One problem in the patient's own words, rated 0 (no burden) – 10 (worst imaginable).

    ``problem_id`` is an optional stable identifier used for matching across
    administrations, as for :class:`PskActivity`.
    """

    name: str
    rating: int
    problem_id: str | None = None

    def __post_init__(self) -> None:
        _require_name("problem name", self.name)
        if self.problem_id is not None:
            _require_name("problem id", self.problem_id)
        _require_nrs(f"problem {self.name!r}: rating", self.rating)

    @property
    def key(self) -> str:
        """The matching key: the id if given, else the normalized name."""
        return _key(self.name, self.problem_id)


@dataclass(frozen=True, slots=True)
class TopProblemsScore:
    """A top-problems administration.

    Attributes
    ----------
    problems : tuple of ProblemRating
        The problems with their ratings, in input order.
    mean : float
        Mean of the ratings, 0–10 (higher = worse).
    """

    problems: tuple[ProblemRating, ...]
    mean: float


@dataclass(frozen=True, slots=True)
class TopProblemsChange:
    """Per-problem change between two administrations.

    Attributes
    ----------
    problems : tuple of RatingChange
        Problems rated at both administrations, in the later order.
    dropped, added : tuple of ProblemRating
        Problems rated only before, or only after.
    mean_change : float or None
        ``after.mean - before.mean`` when the same problems were rated both times, else
        ``None``.
    """

    problems: tuple[RatingChange, ...]
    dropped: tuple[ProblemRating, ...]
    added: tuple[ProblemRating, ...]
    mean_change: float | None


def top_problems_score(problems: Sequence[ProblemRating]) -> TopProblemsScore:
    """Top-problems rating: per-problem ratings and their mean (Maatwerk convention).

    Parameters
    ----------
    problems : sequence of ProblemRating
        1 to 3 problems named by the patient, each with a unique name (and id, if given)
        and a rating of 0–10.

    Returns
    -------
    TopProblemsScore

    Raises
    ------
    WrongNumberOfItems
        No problem, or more than 3.
    DuplicateItem
        Two problems with the same name (ignoring case and spacing) or the same id.

    Notes
    -----
    .. math:: \\bar r = \\frac{1}{k} \\sum_{i=1}^{k} r_i, \\qquad r_i \\in \\{0, \\dots, 10\\},
              \\ 1 \\le k \\le 3

    **Not a validated instrument.** No standard instrument by this name was found
    (closest matches are the PSK and GAS; meetinstrumentenzorg-psk). The anchors
    (0 = no burden at all, 10 = worst imaginable), the limit of three problems and the
    mean are Maatwerk conventions, marked ``unverified`` in
    ``content/personalized/measures.json``. There are no norms and no reliable change
    threshold; read the per-problem ratings with the patient.

    Examples
    --------
    >>> top_problems_score([ProblemRating("pijn in mijn rug", 8), ProblemRating("moe", 5)]).mean
    6.5
    """
    problems = tuple(problems)
    _require_count("top problems", len(problems), TOP_PROBLEMS_MIN, TOP_PROBLEMS_MAX)
    _require_unique_items("problem", problems)
    return TopProblemsScore(problems=problems, mean=sum(p.rating for p in problems) / len(problems))


def top_problems_change(*, before: TopProblemsScore, after: TopProblemsScore) -> TopProblemsChange:
    """Change of each named problem between two administrations.

    Parameters
    ----------
    before, after : TopProblemsScore
        The earlier and the later administration.

    Returns
    -------
    TopProblemsChange
        Per-problem changes (``after - before``; negative = less burden = better),
        problems dropped or added, and the change of the mean when the problems are the
        same.

    Notes
    -----
    Problems are matched on ``problem_id`` when given, else on the name ignoring case
    and spacing. A Maatwerk convention, not a validated instrument (see
    :func:`top_problems_score`).

    Examples
    --------
    >>> first = top_problems_score([ProblemRating("moe", 8), ProblemRating("slapen", 6)])
    >>> later = top_problems_score([ProblemRating("moe", 5), ProblemRating("slapen", 6)])
    >>> top_problems_change(before=first, after=later).mean_change
    -1.5
    """
    matched = _match(before.problems, after.problems, _rating)
    same = not matched.dropped and not matched.added
    return TopProblemsChange(
        problems=matched.changes,
        dropped=matched.dropped,
        added=matched.added,
        mean_change=after.mean - before.mean if same else None,
    )


def _rating(problem: ProblemRating) -> int:
    return problem.rating


# ---------------------------------------------------------------------------- helpers


def _normalize(name: str) -> str:
    return " ".join(name.split()).casefold()


def _key(name: str, identifier: str | None) -> str:
    return identifier if identifier is not None else _normalize(name)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require_name(what: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise EmptyName(f"{what} must be a non-empty text, got {value!r}")


def _require_nrs(what: str, value: object) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and NRS_MIN <= value <= NRS_MAX):
        raise RatingOutOfRange(f"{what} {value!r} is not a whole number from 0 to 10")


def _require_count(what: str, count: int, minimum: int, maximum: int) -> None:
    if not minimum <= count <= maximum:
        raise WrongNumberOfItems(f"{what}: {count} given, {minimum} to {maximum} allowed")


def _require_unique(what: str, keys: Sequence[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise DuplicateItem(f"{what} {key!r} occurs more than once")
        seen.add(key)


def _require_unique_items(what: str, items: Sequence[_Rated]) -> None:
    _require_unique(f"{what} name", [_normalize(item.name) for item in items])
    _require_unique(f"{what} id", [item.key for item in items])


def _gas_rho(value: object) -> float:
    number = _real(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise InvalidCorrelation(f"rho {value!r} must be a finite number from 0 to 1")
    return number


def _real(value: object) -> float | None:
    """``value`` as a finite float, or None if it is not a finite real number (or a bool)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
