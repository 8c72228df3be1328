"""Setting up and rating personalized outcome measures (PSK, top problems, GAS).

Each service validates everything with the core first (nothing is written when any
input is refused), then writes the rows, the core's result and one audit event in one
transaction. A refused request is audited too, with outcome ``error``.

Size: to become a package per measure (PSK, top problems, GAS) once the audit rework lands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.core.access import AccessBasis
from maatwerk.core.instruments.personalized import (
    DEFAULT_GAS_RHO,
    NRS_MIN,
    DuplicateItem,
    EmptyName,
    GasGoal,
    GasScore,
    InvalidWeight,
    PersonalizedMeasureError,
    ProblemRating,
    PskActivity,
    PskScore,
    RatingOutOfRange,
    TopProblemsScore,
    WrongNumberOfItems,
    goal_attainment_t_score,
    psk_score,
    top_problems_score,
)
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.patients.services import refuse_if_invalid
from maatwerk.web.personalized.models import (
    MeasureItem,
    Measurement,
    MeasurementValue,
    MeasureSet,
)
from maatwerk.web.personalized.selectors import (
    OBJECT_MEASUREMENT,
    OBJECT_SET,
    MeasureSetAccess,
)

Kind = MeasureSet.Kind
NON_FIELD = "__all__"
NAME_MAX_LENGTH = 200
GAS_LEVEL_KEYS = ("-2", "-1", "1", "2")

# ------------------------------------------------------------------ messages

_MESSAGES: dict[tuple[str, type[PersonalizedMeasureError]], Promise] = {
    (Kind.PSK, WrongNumberOfItems): gettext_lazy("Write down 3 to 5 activities."),
    (Kind.PSK, DuplicateItem): gettext_lazy(
        "Two activities have the same name. Give each activity its own name."
    ),
    (Kind.PSK, EmptyName): gettext_lazy("Every activity needs a name."),
    (Kind.PSK, RatingOutOfRange): gettext_lazy("Choose a whole number from 0 to 10."),
    (Kind.TOP_PROBLEMS, WrongNumberOfItems): gettext_lazy("Name 1 to 3 problems."),
    (Kind.TOP_PROBLEMS, DuplicateItem): gettext_lazy(
        "Two problems have the same name. Give each problem its own name."
    ),
    (Kind.TOP_PROBLEMS, EmptyName): gettext_lazy("Every problem needs a name."),
    (Kind.TOP_PROBLEMS, RatingOutOfRange): gettext_lazy("Choose a whole number from 0 to 10."),
    (Kind.GAS, WrongNumberOfItems): gettext_lazy("Set 1 to 5 goals."),
    (Kind.GAS, DuplicateItem): gettext_lazy(
        "Two goals have the same name. Give each goal its own name."
    ),
    (Kind.GAS, EmptyName): gettext_lazy("Every goal needs a name."),
    (Kind.GAS, RatingOutOfRange): gettext_lazy("Choose a level from −2 to +2."),
    (Kind.GAS, InvalidWeight): gettext_lazy("A weight is a number greater than 0."),
}
_MISSING_RATING = {
    Kind.PSK: gettext_lazy("Give this activity a score from 0 to 10."),
    Kind.TOP_PROBLEMS: gettext_lazy("Give this problem a score from 0 to 10."),
    Kind.GAS: gettext_lazy("Choose the level this goal has reached."),
}


def error_message(kind: str, error: PersonalizedMeasureError) -> str:
    """The user's-language message for an input error the core found."""
    for (message_kind, error_type), message in _MESSAGES.items():
        if message_kind == kind and isinstance(error, error_type):
            return str(message)
    return _("This input cannot be used.")


# ------------------------------------------------------------------ parsing


def _whole(raw: str) -> int | None:
    """A whole number, or None when the text is not one (the caller reports it)."""
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _weight(raw: str) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return 1.0
    try:
        return float(Decimal(text))
    except (InvalidOperation, ValueError):
        return None


def _check_date(measured_on: date | str | None) -> date:
    """The measurement date: today when not given; a date as text is read as ISO 8601."""
    if isinstance(measured_on, str):
        text = measured_on.strip()
        try:
            measured_on = date.fromisoformat(text) if text else None
        except ValueError:
            raise ValidationError({"measured_on": [_("Enter a valid date.")]}) from None
    if measured_on is None:
        return timezone.localdate()
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": [_("The date cannot be in the future.")]})
    return measured_on


def _clinician_only(opened_by_patient: bool) -> None:
    if opened_by_patient:
        raise PermissionDenied


# ------------------------------------------------------------------ results as data


def _psk_result(score: PskScore) -> dict[str, Any]:
    return {
        "measure": "psk",
        "total": score.total,
        "maximum": score.maximum,
        "items": [
            {"id": a.activity_id, "name": a.name, "value": a.difficulty} for a in score.activities
        ],
    }


def _top_problems_result(score: TopProblemsScore) -> dict[str, Any]:
    return {
        "measure": "top_problems",
        "mean": score.mean,
        "items": [{"id": p.problem_id, "name": p.name, "value": p.rating} for p in score.problems],
    }


def _gas_result(score: GasScore, ids: Sequence[str]) -> dict[str, Any]:
    return {
        "measure": "gas",
        "t_score": score.t_score,
        "rho": score.rho,
        "weighted_sum": score.weighted_sum,
        "sum_of_weights": score.sum_of_weights,
        "sum_of_squared_weights": score.sum_of_squared_weights,
        "denominator": score.denominator,
        "items": [
            {"id": item_id, "name": g.name, "value": g.level, "weight": g.weight}
            for item_id, g in zip(ids, score.goals, strict=True)
        ],
    }


@dataclass(frozen=True)
class _Scored:
    score: Decimal
    result: dict[str, Any]


# ------------------------------------------------------------------ audit helpers


def _audit_set_created(
    actor: Actor, access: PatientAccess, measure_set: MeasureSet, detail: str
) -> None:
    audit_record(
        actor=actor,
        action="create",
        subject=patient_subject(
            access.patient, object_type=OBJECT_SET, object_ref=str(measure_set.public_id)
        ),
        emergency=access.emergency,
        detail=detail,
    )


def _close_active(access: PatientAccess, kind: str) -> None:
    MeasureSet.objects.filter(patient=access.patient, kind=kind, is_active=True).update(
        is_active=False, closed_at=timezone.now()
    )


def _user(actor: Actor) -> Any:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


# ------------------------------------------------------------------ PSK


def psk_set_create(*, actor: Actor, access: PatientAccess, names: Sequence[str]) -> MeasureSet:
    """Record the 3–5 activities the patient chose (clinician with the patient).

    Replaces an active PSK set; its measurements stay readable.
    """
    _clinician_only(access.basis is AccessBasis.OWN_RECORD)
    user = _user(actor)
    chosen = [" ".join(name.split()) for name in names if name.strip()]
    errors: dict[str, list[str]] = {}
    if any(len(name) > NAME_MAX_LENGTH for name in chosen):
        errors[NON_FIELD] = [_("Keep each name shorter than 200 characters.")]
    else:
        try:
            psk_score([PskActivity(name, NRS_MIN) for name in chosen])
        except PersonalizedMeasureError as error:
            errors[NON_FIELD] = [error_message(Kind.PSK, error)]
    refuse_if_invalid(
        errors,
        actor=actor,
        access=access,
        action="create",
        object_type=OBJECT_SET,
        detail="psk activities not saved: invalid input",
    )
    with transaction.atomic():
        _close_active(access, Kind.PSK)
        measure_set = MeasureSet.objects.create(
            patient=access.patient, kind=Kind.PSK, created_by=user
        )
        MeasureItem.objects.bulk_create(
            MeasureItem(measure_set=measure_set, position=n, name=name)
            for n, name in enumerate(chosen, start=1)
        )
        _audit_set_created(actor, access, measure_set, f"psk, {len(chosen)} activities")
    return measure_set


# ------------------------------------------------------------------ top problems


def top_problems_create(
    *, actor: Actor, access: PatientAccess, problems: Sequence[tuple[str, str]]
) -> MeasureSet:
    """The patient names up to 3 problems and rates each 0–10 (the first measurement).

    Rows with neither a name nor a rating are ignored. Replaces an active set.
    """
    user = _user(actor)
    rows = [
        (" ".join(name.split()), raw.strip(), index)
        for index, (name, raw) in enumerate(problems)
        if name.strip() or raw.strip()
    ]
    errors: dict[str, list[str]] = {}
    rated: list[ProblemRating] = []
    for name, raw, index in rows:
        key = f"problem-{index}"
        if len(name) > NAME_MAX_LENGTH:
            errors[key] = [_("Keep each name shorter than 200 characters.")]
            continue
        if not raw:
            errors[key] = [str(_MISSING_RATING[Kind.TOP_PROBLEMS])]
            continue
        value = _whole(raw)
        try:
            if value is None:
                raise RatingOutOfRange(raw)
            rated.append(ProblemRating(name, value, problem_id=str(index)))
        except PersonalizedMeasureError as error:
            errors[key] = [error_message(Kind.TOP_PROBLEMS, error)]
    score: TopProblemsScore | None = None
    if not errors:
        try:
            score = top_problems_score(rated)
        except PersonalizedMeasureError as error:
            errors[NON_FIELD] = [error_message(Kind.TOP_PROBLEMS, error)]
    refuse_if_invalid(
        errors,
        actor=actor,
        access=access,
        action="create",
        object_type=OBJECT_SET,
        detail="top problems not saved: invalid input",
    )
    if score is None:  # pragma: no cover - _refuse raised for every error
        raise ValidationError(errors)
    with transaction.atomic():
        _close_active(access, Kind.TOP_PROBLEMS)
        measure_set = MeasureSet.objects.create(
            patient=access.patient, kind=Kind.TOP_PROBLEMS, created_by=user
        )
        items = [
            MeasureItem.objects.create(measure_set=measure_set, position=n, name=problem.name)
            for n, problem in enumerate(score.problems, start=1)
        ]
        ids = [str(item.public_id) for item in items]
        final = top_problems_score(
            [
                ProblemRating(p.name, p.rating, problem_id=item_id)
                for p, item_id in zip(score.problems, ids, strict=True)
            ]
        )
        _store_measurement(
            measure_set,
            items,
            [p.rating for p in final.problems],
            _Scored(score=Decimal(str(final.mean)), result=_top_problems_result(final)),
            user=user,
            measured_on=timezone.localdate(),
        )
        _audit_set_created(
            actor, access, measure_set, f"top problems, {len(items)} problem(s) with first ratings"
        )
    return measure_set


# ------------------------------------------------------------------ GAS


@dataclass(frozen=True)
class GoalInput:
    """One GAS goal as typed in the form (raw texts)."""

    name: str
    weight: str = ""
    expected_outcome: str = ""
    levels: Mapping[str, str] = field(default_factory=dict)
    baseline: str = ""  # chosen by the clinician with the patient: "-1" or "-2"

    @property
    def is_blank(self) -> bool:
        return not (
            self.name.strip()
            or self.expected_outcome.strip()
            or any(text.strip() for text in self.levels.values())
        )


def gas_set_create(
    *,
    actor: Actor,
    access: PatientAccess,
    goals: Sequence[GoalInput],
    measured_on: date | str | None = None,
) -> MeasureSet:
    """Set 1–5 GAS goals (clinician with the patient), each with a weight, the expected
    outcome (level 0) and optionally the other levels; the baseline level of each goal
    (−1 or −2, chosen explicitly: nothing is preset) is stored as the first measurement."""
    _clinician_only(access.basis is AccessBasis.OWN_RECORD)
    user = _user(actor)
    errors: dict[str, list[str]] = {}
    try:
        when = _check_date(measured_on)
    except ValidationError as error:
        errors.update(error.message_dict)
        when = timezone.localdate()
    core_goals: list[GasGoal] = []
    kept: list[tuple[int, GoalInput]] = []
    for index, goal in enumerate(goals):
        if goal.is_blank:
            continue
        key = f"goal-{index}"
        name = " ".join(goal.name.split())
        problems: list[str] = []
        if len(name) > NAME_MAX_LENGTH:
            problems.append(_("Keep each name shorter than 200 characters."))
        if not goal.expected_outcome.strip():
            problems.append(_("Describe the expected outcome (level 0) of this goal."))
        baseline = _whole(goal.baseline) if goal.baseline.strip() else None
        if not goal.baseline.strip():
            problems.append(_("Choose the level this goal starts at: −1 or −2."))
        elif baseline not in (-1, -2):
            problems.append(_("The starting level is −1 or −2."))
        weight = _weight(goal.weight)
        try:
            if weight is None:
                raise InvalidWeight(goal.weight)
            core_goal = GasGoal(name, baseline if baseline is not None else -1, weight)
        except PersonalizedMeasureError as error:
            problems.append(error_message(Kind.GAS, error))
        else:
            core_goals.append(core_goal)
            kept.append((index, goal))
        if problems:
            errors[key] = problems
    score: GasScore | None = None
    if not errors:
        try:
            score = goal_attainment_t_score(core_goals, rho=DEFAULT_GAS_RHO)
        except PersonalizedMeasureError as error:
            errors[NON_FIELD] = [error_message(Kind.GAS, error)]
    refuse_if_invalid(
        errors,
        actor=actor,
        access=access,
        action="create",
        object_type=OBJECT_SET,
        detail="gas goals not saved: invalid input",
    )
    if score is None:  # pragma: no cover - _refuse raised for every error
        raise ValidationError(errors)
    with transaction.atomic():
        _close_active(access, Kind.GAS)
        measure_set = MeasureSet.objects.create(
            patient=access.patient,
            kind=Kind.GAS,
            created_by=user,
            rho=Decimal(str(DEFAULT_GAS_RHO)),
        )
        items = [
            MeasureItem.objects.create(
                measure_set=measure_set,
                position=n,
                name=core_goal.name,
                weight=Decimal(str(core_goal.weight)),
                expected_outcome=goal.expected_outcome.strip(),
                level_descriptions={
                    key: goal.levels[key].strip()
                    for key in GAS_LEVEL_KEYS
                    if goal.levels.get(key, "").strip()
                },
            )
            for n, (core_goal, (_index, goal)) in enumerate(
                zip(score.goals, kept, strict=True), start=1
            )
        ]
        _store_measurement(
            measure_set,
            items,
            [g.level for g in score.goals],
            _Scored(
                score=Decimal(str(round(score.t_score, 4))),
                result=_gas_result(score, [str(i.public_id) for i in items]) | {"baseline": True},
            ),
            user=user,
            measured_on=when,
        )
        _audit_set_created(
            actor, access, measure_set, f"gas, {len(items)} goal(s) with baseline levels"
        )
    return measure_set


# ------------------------------------------------------------------ rating


def _store_measurement(
    measure_set: MeasureSet,
    items: Sequence[MeasureItem],
    values: Sequence[int],
    scored: _Scored,
    *,
    user: Any,
    measured_on: date,
) -> Measurement:
    measurement = Measurement.objects.create(
        measure_set=measure_set,
        measured_on=measured_on,
        entered_by=user,
        score=scored.score,
        result=scored.result,
    )
    MeasurementValue.objects.bulk_create(
        MeasurementValue(measurement=measurement, item=item, value=value)
        for item, value in zip(items, values, strict=True)
    )
    return measurement


def _score(
    kind: str, items: Sequence[MeasureItem], values: Sequence[int], *, rho: float
) -> _Scored:
    ids = [str(item.public_id) for item in items]
    if kind == Kind.PSK:
        psk = psk_score(
            [
                PskActivity(item.name, value, activity_id=item_id)
                for item, value, item_id in zip(items, values, ids, strict=True)
            ]
        )
        return _Scored(score=Decimal(psk.total), result=_psk_result(psk))
    if kind == Kind.TOP_PROBLEMS:
        top = top_problems_score(
            [
                ProblemRating(item.name, value, problem_id=item_id)
                for item, value, item_id in zip(items, values, ids, strict=True)
            ]
        )
        return _Scored(score=Decimal(str(top.mean)), result=_top_problems_result(top))
    gas = goal_attainment_t_score(
        [
            GasGoal(item.name, value, float(item.weight))
            for item, value in zip(items, values, strict=True)
        ],
        rho=rho,
    )
    return _Scored(score=Decimal(str(round(gas.t_score, 4))), result=_gas_result(gas, ids))


def _check_value(kind: str, item: MeasureItem, value: int) -> None:
    """Let the core judge one rating (a constructor call raises on a bad value)."""
    if kind == Kind.PSK:
        PskActivity(item.name, value)
    elif kind == Kind.TOP_PROBLEMS:
        ProblemRating(item.name, value)
    else:
        GasGoal(item.name, value, float(item.weight))


def measurement_create(
    *,
    actor: Actor,
    opened: MeasureSetAccess,
    raw_values: Mapping[str, str],
    measured_on: date | str | None = None,
) -> Measurement:
    """Record one measurement: a rating (PSK, top problems) or attained level (GAS) for
    every item of the set. GAS levels are scored by the clinician only."""
    measure_set = opened.measure_set
    kind = measure_set.kind
    if kind == Kind.GAS:
        _clinician_only(opened.by_patient)
    user = _user(actor)
    errors: dict[str, list[str]] = {}
    if not measure_set.is_active:
        errors[NON_FIELD] = [
            _("This measure was replaced by a newer one; it can no longer be filled in.")
        ]
    try:
        when = _check_date(measured_on)
    except ValidationError as error:
        errors.update(error.message_dict)
        when = timezone.localdate()
    items = list(measure_set.items.all())
    values: list[int] = []
    for item in items:
        key = str(item.public_id)
        raw = str(raw_values.get(key, "")).strip()
        if not raw:
            errors[key] = [str(_MISSING_RATING[Kind(kind)])]
            continue
        value = _whole(raw)
        try:
            if value is None:
                raise RatingOutOfRange(raw)
            _check_value(kind, item, value)
        except PersonalizedMeasureError as error:
            errors[key] = [error_message(kind, error)]
        else:
            values.append(value)
    scored: _Scored | None = None
    if not errors:
        try:
            # The set keeps the ρ its baseline was scored with, so T-scores stay comparable.
            rho = float(measure_set.rho) if measure_set.rho is not None else DEFAULT_GAS_RHO
            scored = _score(kind, items, values, rho=rho)
        except PersonalizedMeasureError as error:
            errors[NON_FIELD] = [error_message(kind, error)]
    refuse_if_invalid(
        errors,
        actor=actor,
        access=opened.access,
        action="create",
        object_type=OBJECT_MEASUREMENT,
        detail=f"{kind} measurement not saved: invalid input",
    )
    if scored is None:  # pragma: no cover - _refuse raised for every error
        raise ValidationError(errors)
    with transaction.atomic():
        measurement = _store_measurement(
            measure_set, items, values, scored, user=user, measured_on=when
        )
        audit_record(
            actor=actor,
            action="create",
            subject=patient_subject(
                opened.access.patient,
                object_type=OBJECT_MEASUREMENT,
                object_ref=str(measurement.public_id),
            ),
            emergency=opened.access.emergency,
            detail=f"{kind} measurement of set {measure_set.public_id}",
        )
    return measurement
