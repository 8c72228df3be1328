"""What the personalized-measure services share: the user's-language message for an
error the core found, the core's score as JSON, storing a measurement, replacing the
active set of a kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.core.instruments.personalized import (
    DuplicateItem,
    EmptyName,
    GasScore,
    InvalidWeight,
    PersonalizedMeasureError,
    PskScore,
    RatingOutOfRange,
    TopProblemsScore,
    WrongNumberOfItems,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized.models import MeasureItem, Measurement, MeasurementValue, MeasureSet
from maatwerk.web.personalized.selectors import OBJECT_SET

Kind = MeasureSet.Kind
NON_FIELD = "__all__"
JsonObject = dict[str, object]
"""A core score as stored in ``Measurement.result`` (a JSON column)."""

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


def error_message(kind: str, error: PersonalizedMeasureError) -> str:
    """The user's-language message for an input error the core found."""
    for (message_kind, error_type), message in _MESSAGES.items():
        if message_kind == kind and isinstance(error, error_type):
            return str(message)
    return _("This input cannot be used.")


def set_subject(access: PatientAccess) -> AuditSubject:
    """The audit subject of a new measure set (its id is noted once it exists)."""
    return access.subject(object_type=OBJECT_SET)


def care_team_user(actor: Actor, access: PatientAccess) -> User:
    """The clinician acting; choosing activities or goals and scoring goals is theirs (the
    opener let only the care team in; a patient here is one audited denial)."""
    if access.by_patient or actor.user is None:
        raise PermissionDenied
    return actor.user


def acting_user(actor: Actor) -> User:
    if actor.user is None:  # pragma: no cover - the opener refused an anonymous actor
        raise PermissionDenied
    return actor.user


def close_active(access: PatientAccess, kind: str) -> None:
    """The active set of ``kind`` is replaced (its measurements stay readable)."""
    MeasureSet.objects.filter(patient=access.patient, kind=kind, is_active=True).update(
        is_active=False, closed_at=timezone.now()
    )


# ------------------------------------------------------------------ results as data


def psk_result(score: PskScore) -> JsonObject:
    return {
        "measure": "psk",
        "total": score.total,
        "maximum": score.maximum,
        "items": [
            {"id": a.activity_id, "name": a.name, "value": a.difficulty} for a in score.activities
        ],
    }


def top_problems_result(score: TopProblemsScore) -> JsonObject:
    return {
        "measure": "top_problems",
        "mean": score.mean,
        "items": [{"id": p.problem_id, "name": p.name, "value": p.rating} for p in score.problems],
    }


def gas_result(score: GasScore, ids: Sequence[str]) -> JsonObject:
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
class Scored:
    """A measurement's score and the core's whole result."""

    score: Decimal
    result: JsonObject


def store_measurement(
    measure_set: MeasureSet,
    items: Sequence[MeasureItem],
    values: Sequence[int],
    scored: Scored,
    *,
    user: User,
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
