"""The patient's top problems: up to three, each rated 0–10 (the first measurement)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from maatwerk.core.instruments.personalized import (
    PersonalizedMeasureError,
    ProblemRating,
    RatingOutOfRange,
    TopProblemsScore,
    top_problems_score,
)
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized.forms import MISSING_RATING, ProblemInput, TopProblemsForm
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.personalized.services._common import (
    NON_FIELD,
    Kind,
    Scored,
    acting_user,
    close_active,
    error_message,
    set_subject,
    store_measurement,
    top_problems_result,
)


def _judged(rows: list[ProblemInput]) -> TopProblemsScore:
    """The core's score of the rows; every problem is refused on its field."""
    errors: dict[str, list[str]] = {}
    rated: list[ProblemRating] = []
    for row in rows:
        if row.rating is None:
            errors[f"problem-rating-{row.index}"] = [str(MISSING_RATING[Kind.TOP_PROBLEMS])]
            continue
        try:
            rated.append(ProblemRating(row.name, row.rating, problem_id=str(row.index)))
        except RatingOutOfRange as error:  # pragma: no cover - the form bounds the rating
            errors[f"problem-rating-{row.index}"] = [error_message(Kind.TOP_PROBLEMS, error)]
        except PersonalizedMeasureError as error:
            errors[f"problem-name-{row.index}"] = [error_message(Kind.TOP_PROBLEMS, error)]
    if errors:
        raise InputRefused(errors)
    try:
        return top_problems_score(rated)
    except PersonalizedMeasureError as error:
        raise InputRefused({NON_FIELD: [error_message(Kind.TOP_PROBLEMS, error)]}) from error


def top_problems_create(
    *, actor: Actor, access: PatientAccess, form: TopProblemsForm
) -> MeasureSet:
    """The patient (or the clinician with them) names up to 3 problems and rates each
    0–10. Rows with neither a name nor a rating are ignored. Replaces an active set."""
    with audited(
        actor=actor, action="create", subject=set_subject(access), emergency=access.emergency
    ) as note:
        user = acting_user(actor)
        score = _judged(form.problems())
        close_active(access, Kind.TOP_PROBLEMS)
        measure_set = MeasureSet.objects.create(
            patient=access.patient, kind=Kind.TOP_PROBLEMS, created_by=user
        )
        items = [
            MeasureItem.objects.create(measure_set=measure_set, position=n, name=problem.name)
            for n, problem in enumerate(score.problems, start=1)
        ]
        final = top_problems_score(
            [
                ProblemRating(p.name, p.rating, problem_id=str(item.public_id))
                for p, item in zip(score.problems, items, strict=True)
            ]
        )
        store_measurement(
            measure_set,
            items,
            [p.rating for p in final.problems],
            Scored(score=Decimal(str(final.mean)), result=top_problems_result(final)),
            user=user,
            measured_on=timezone.localdate(),
        )
        note.about(object_ref=str(measure_set.public_id))
        note.detail = f"top problems, {len(items)} problem(s) with first ratings"
        return measure_set
