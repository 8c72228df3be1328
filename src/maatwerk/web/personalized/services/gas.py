"""Goal Attainment Scaling: setting 1–5 goals with the patient, each with the level it
starts at (−1 or −2, chosen explicitly by the clinician: nothing is preset).

Two entries: :func:`gas_create` from the GAS page's form, and :func:`gas_set_create`
for goals already parsed elsewhere (the plan's goals page, the demo). Each writes one
audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.instruments.personalized import (
    DEFAULT_GAS_RHO,
    GasGoal,
    GasScore,
    InvalidWeight,
    PersonalizedMeasureError,
    goal_attainment_t_score,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import AuditNote, InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized.forms import (
    GAS_LEVEL_KEYS,
    NAME_MAX_LENGTH,
    NAME_TOO_LONG,
    GasForm,
    GoalInput,
    gas_weight,
)
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.personalized.services._common import (
    NON_FIELD,
    Kind,
    Scored,
    care_team_user,
    close_active,
    error_message,
    gas_result,
    set_subject,
    store_measurement,
)

__all__ = ["GAS_LEVEL_KEYS", "GoalInput", "gas_create", "gas_set_create"]

_BASELINES = {"-1": -1, "-2": -2}


def _goal_problems(goal: GoalInput) -> tuple[GasGoal | None, list[str]]:
    """The core's goal at its starting level, or what is wrong with the row."""
    problems: list[str] = []
    name = " ".join(goal.name.split())
    if len(name) > NAME_MAX_LENGTH:
        problems.append(str(NAME_TOO_LONG))
    if not goal.expected_outcome.strip():
        problems.append(_("Describe the expected outcome (level 0) of this goal."))
    baseline = _BASELINES.get(goal.baseline.strip())
    if not goal.baseline.strip():
        problems.append(_("Choose the level this goal starts at: −1 or −2."))
    elif baseline is None:
        problems.append(_("The starting level is −1 or −2."))
    weight = gas_weight(goal.weight)
    try:
        if weight is None:
            raise InvalidWeight(goal.weight)
        core_goal = GasGoal(name, baseline if baseline is not None else -1, float(weight))
    except PersonalizedMeasureError as error:
        problems.append(error_message(Kind.GAS, error))
        return None, problems
    return (None if problems else core_goal), problems


def _judged(goals: Sequence[GoalInput]) -> tuple[GasScore, list[GoalInput]]:
    """The baseline score of the goals that are not blank; every problem is refused on
    its goal's row (``goal-N``)."""
    errors: dict[str, list[str]] = {}
    core_goals: list[GasGoal] = []
    kept: list[GoalInput] = []
    for index, goal in enumerate(goals):
        if goal.is_blank:
            continue
        core_goal, problems = _goal_problems(goal)
        if problems:
            errors[f"goal-{index}"] = problems
        elif core_goal is not None:
            core_goals.append(core_goal)
            kept.append(goal)
    if errors:
        raise InputRefused(errors)
    try:
        return goal_attainment_t_score(core_goals, rho=DEFAULT_GAS_RHO), kept
    except PersonalizedMeasureError as error:
        raise InputRefused({NON_FIELD: [error_message(Kind.GAS, error)]}) from error


def _write(
    note: AuditNote, access: PatientAccess, user: User, goals: Sequence[GoalInput], when: date
) -> MeasureSet:
    score, kept = _judged(goals)
    close_active(access, Kind.GAS)
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
        for n, (core_goal, goal) in enumerate(zip(score.goals, kept, strict=True), start=1)
    ]
    store_measurement(
        measure_set,
        items,
        [g.level for g in score.goals],
        Scored(
            score=Decimal(str(round(score.t_score, 4))),
            result=gas_result(score, [str(i.public_id) for i in items]) | {"baseline": True},
        ),
        user=user,
        measured_on=when,
    )
    note.about(object_ref=str(measure_set.public_id))
    note.detail = f"gas, {len(items)} goal(s) with baseline levels"
    return measure_set


def gas_create(*, actor: Actor, access: PatientAccess, form: GasForm) -> MeasureSet:
    """Set 1–5 GAS goals from the GAS page (clinician with the patient), each with a
    weight, the expected outcome (level 0), optionally the other levels, and its starting
    level, stored as the first measurement on the date given (today by default)."""
    with audited(
        actor=actor, action="create", subject=set_subject(access), emergency=access.emergency
    ) as note:
        user = care_team_user(actor, access)
        goals, when = form.goals_on()
        return _write(note, access, user, goals, when)


def gas_set_create(
    *,
    actor: Actor,
    access: PatientAccess,
    goals: Sequence[GoalInput],
    measured_on: date | None = None,
) -> MeasureSet:
    """Set GAS goals parsed elsewhere (the plan's goals, the demo): the same rules and the
    same one event as :func:`gas_create`. Replaces an active GAS set."""
    with audited(
        actor=actor, action="create", subject=set_subject(access), emergency=access.emergency
    ) as note:
        user = care_team_user(actor, access)
        if measured_on is not None and measured_on > timezone.localdate():
            raise InputRefused({"measured_on": [_("The date cannot be in the future.")]})
        return _write(note, access, user, goals, measured_on or timezone.localdate())
