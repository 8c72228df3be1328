"""Rating a measure set: a score 0–10 per PSK activity or top problem, or the attained
level (−2 … +2) per GAS goal, scored by the clinician."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from maatwerk.core.instruments.personalized import (
    DEFAULT_GAS_RHO,
    GasGoal,
    PersonalizedMeasureError,
    ProblemRating,
    PskActivity,
    goal_attainment_t_score,
    psk_score,
    top_problems_score,
)
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.personalized.forms import RateForm
from maatwerk.web.personalized.models import MeasureItem, Measurement
from maatwerk.web.personalized.selectors import OBJECT_MEASUREMENT, OpenedSet
from maatwerk.web.personalized.services._common import (
    NON_FIELD,
    Kind,
    Scored,
    acting_user,
    care_team_user,
    error_message,
    gas_result,
    psk_result,
    store_measurement,
    top_problems_result,
)


def _score(kind: str, items: Sequence[MeasureItem], values: Sequence[int], *, rho: float) -> Scored:
    ids = [str(item.public_id) for item in items]
    if kind == Kind.PSK:
        psk = psk_score(
            [
                PskActivity(item.name, value, activity_id=item_id)
                for item, value, item_id in zip(items, values, ids, strict=True)
            ]
        )
        return Scored(score=Decimal(psk.total), result=psk_result(psk))
    if kind == Kind.TOP_PROBLEMS:
        top = top_problems_score(
            [
                ProblemRating(item.name, value, problem_id=item_id)
                for item, value, item_id in zip(items, values, ids, strict=True)
            ]
        )
        return Scored(score=Decimal(str(top.mean)), result=top_problems_result(top))
    gas = goal_attainment_t_score(
        [
            GasGoal(item.name, value, float(item.weight))
            for item, value in zip(items, values, strict=True)
        ],
        rho=rho,
    )
    return Scored(score=Decimal(str(round(gas.t_score, 4))), result=gas_result(gas, ids))


def _replaced() -> str:
    return _("This measure was replaced by a newer one; it can no longer be filled in.")


def measurement_create(*, actor: Actor, opened: OpenedSet, form: RateForm) -> Measurement:
    """Record one measurement: a rating (PSK, top problems) or attained level (GAS) for
    every item of the set. GAS levels are scored by the clinician only."""
    measure_set = opened.object
    kind = measure_set.kind
    with audited(
        actor=actor,
        action="create",
        subject=opened.access.subject(object_type=OBJECT_MEASUREMENT),
        emergency=opened.emergency,
    ) as note:
        user = care_team_user(actor, opened.access) if kind == Kind.GAS else acting_user(actor)
        if not measure_set.is_active:
            raise InputRefused(_replaced())
        rated, when = form.values()
        items = [item for item, _value in rated]
        values = [value for _item, value in rated]
        # The set keeps the ρ its baseline was scored with, so T-scores stay comparable.
        rho = float(measure_set.rho) if measure_set.rho is not None else DEFAULT_GAS_RHO
        try:
            scored = _score(kind, items, values, rho=rho)
        except PersonalizedMeasureError as error:
            raise InputRefused({NON_FIELD: [error_message(kind, error)]}) from error
        measurement = store_measurement(
            measure_set, items, values, scored, user=user, measured_on=when
        )
        note.about(object_ref=str(measurement.public_id))
        note.detail = f"{kind} measurement of set {measure_set.public_id}"
        return measurement
