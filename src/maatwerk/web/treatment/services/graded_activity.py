"""Graded activity: the clinician's target and today's quota from the baseline week;
computing the quotas is the core's (``maatwerk.core.planning.graded_activity``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _

from maatwerk.core.modules.activity_log import minutes_per_day, schedule_weeks
from maatwerk.core.modules.model import Module
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.errors import GradedActivityError
from maatwerk.core.planning.graded_activity import (
    ActivityLogEntry,
    DayEvaluation,
    baseline_summary,
    default_parameters,
    evaluate_day,
    quota_schedule,
)
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment
from maatwerk.web.treatment.selectors import OpenedModule
from maatwerk.web.treatment.services._common import check_input, module_of

# A day has 1440 minutes: without a target set by the clinician the quotas are capped
# there, which is a bound of the calendar, not a clinical value.
MINUTES_IN_A_DAY = 1440


def activity_target_set(
    *, form: forms.Form | None = None, actor: Actor, opened: OpenedModule, minutes: int
) -> None:
    """The clinician records the patient's own graded-activity target (minutes a day);
    the form checked it is a whole number."""
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(selectors.OBJECT_MODULE),
        emergency=opened.emergency,
        detail=f"graded activity target {minutes} minutes",
    ):
        check_input(form)
        if not 1 <= minutes <= MINUTES_IN_A_DAY:
            raise InputRefused({"target": [_("Enter a number of minutes from 1 to 1440.")]})
        opened.object.activity_target_minutes = minutes
        opened.object.save(update_fields=["activity_target_minutes"])


@dataclass(frozen=True)
class QuotaToday:
    today: date
    minutes: int | None  # None: the schedule has not started yet (or has ended)
    starts_on: date
    target_minutes: int | None
    last_day: DayEvaluation | None  # the latest logged day, with its time-contingent message
    unverified: bool

    @property
    def last_day_is_recent(self) -> bool:
        """Its message speaks of "tomorrow": only shown for yesterday or today."""
        return self.last_day is not None and self.last_day.day >= self.today - timedelta(days=1)


def has_graded_activity(module: Module) -> bool:
    """Graded activity runs on a baseline week: modules with one show a daily quota."""
    return any(exercise.kind == "graded_activity_baseline" for exercise in module.exercises)


def activity_quota(assignment: ModuleAssignment, *, today: date) -> QuotaToday | None:
    """Today's quota from a handed-in baseline week, or None when there is no usable
    baseline yet (or the module has no graded activity). The schedule starts the day
    after the last baseline day; the latest logged day of the activity log is compared
    with its quota (time-contingent).

    Reads ``assignment.responses.all()``, so responses fetched along with a list of
    assignments cost no query per assignment."""
    module = module_of(assignment)
    if not has_graded_activity(module):
        return None
    baseline_ids = _exercise_ids_of_kind(module, "graded_activity_baseline")
    log_ids = _exercise_ids_of_kind(module, "activity_log")
    responses = sorted(assignment.responses.all(), key=lambda response: response.pk)
    baseline = next(
        (
            response
            for response in responses
            if response.exercise_id in baseline_ids
            and response.status == ExerciseResponse.Status.SUBMITTED
        ),
        None,
    )
    if baseline is None:
        return None
    days = minutes_per_day(baseline.answers.get("days"), today=today)
    defaults = bundled_planning_rules().graded_activity
    target = assignment.activity_target_minutes
    params = default_parameters(defaults, target_minutes=target or MINUTES_IN_A_DAY)
    try:
        summary = baseline_summary(
            [ActivityLogEntry(day=d, minutes=m) for d, m in sorted(days.items())],
            min_days=params.min_baseline_days,
        )
        start = summary.last_day + timedelta(days=1)
        schedule = quota_schedule(summary, params, start, schedule_weeks(start, today))
    except GradedActivityError:
        return None
    by_day = {quota.day: quota for quota in schedule}
    last_day = None
    log = next((response for response in responses if response.exercise_id in log_ids), None)
    if log is not None:
        logged = {
            d: m
            for d, m in minutes_per_day(log.answers.get("days"), today=today).items()
            if d in by_day
        }
        if logged:
            latest = max(logged)
            last_day = evaluate_day(
                schedule,
                ActivityLogEntry(day=latest, minutes=logged[latest]),
                tolerance_minutes=params.tolerance_minutes,
                messages=defaults.messages,
            )
    return QuotaToday(
        today=today,
        minutes=by_day[today].minutes if today in by_day else None,
        starts_on=start,
        target_minutes=target,
        last_day=last_day,
        unverified=params.unverified,
    )


def _exercise_ids_of_kind(module: Module, kind: str) -> list[str]:
    return [exercise.id for exercise in module.exercises if exercise.kind == kind]
