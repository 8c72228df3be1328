"""Reading screenings, always through the patient access rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from maatwerk.core.common import codec
from maatwerk.core.screening.model import (
    PatientPriorities,
    ReferralContext,
    ScaleObservation,
    ScreeningProfile,
    SteppedCareAdvice,
)
from maatwerk.core.screening.model import ScegsAssessment as CoreScegs
from maatwerk.core.screening.summary import CareLevelChoice, referral_context
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.questionnaires.models import Assignment, ScaleResult
from maatwerk.web.screening.models import (
    CareLevelDecision,
    ScegsAssessment,
    Screening,
    ScreeningIntake,
    ScreeningProfileSnapshot,
    ScreeningStep,
)
from maatwerk.web.screening.sources import content_of, knowledge_of

OBJECT_SCREENING = "screening"
OBJECT_INTAKE = "screening_intake"
OBJECT_ASSESSMENT = "screening_assessment"
OBJECT_PROFILE = "screening_profile"
OBJECT_DECISION = "care_level_decision"

ACTIVE = (Screening.Status.OPEN, Screening.Status.IN_PROGRESS)

_STEPS_WITH_ASSIGNMENTS = Prefetch(
    "steps", queryset=ScreeningStep.objects.select_related("assignment").order_by("position")
)


# What a view opens with ``open_child(model=Screening, ...)``.
ScreeningAccess = Opened[Screening]


def screenings_for(access: PatientAccess) -> QuerySet[Screening]:
    """The patient's screenings, newest first, with what :func:`current_status` reads
    (steps, their assignments and the intake) loaded in a fixed number of queries."""
    return (
        Screening.objects.filter(patient=access.patient)
        .select_related("intake")
        .prefetch_related(_STEPS_WITH_ASSIGNMENTS)
        .order_by("-assigned_at")
    )


def steps_of(screening: Screening) -> list[ScreeningStep]:
    return list(screening.steps.select_related("assignment").order_by("position"))


def intake_of(screening: Screening) -> ScreeningIntake | None:
    return ScreeningIntake.objects.filter(screening=screening).first()


def assessment_of(screening: Screening) -> ScegsAssessment | None:
    return ScegsAssessment.objects.filter(screening=screening).first()


def latest_snapshot(screening: Screening) -> ScreeningProfileSnapshot | None:
    return screening.snapshots.order_by("-computed_at", "-pk").first()


def latest_decision(screening: Screening) -> CareLevelDecision | None:
    return screening.decisions.select_related("decided_by").order_by("-decided_at", "-pk").first()


def decisions_of(screening: Screening) -> list[CareLevelDecision]:
    return list(screening.decisions.select_related("decided_by").order_by("-decided_at", "-pk"))


# ------------------------------------------------------------------ state


def step_done(step: ScreeningStep) -> bool:
    """A step needs nothing more: skipped, unavailable, or its questionnaire completed."""
    if step.status in (ScreeningStep.Status.SKIPPED, ScreeningStep.Status.UNAVAILABLE):
        return True
    if step.status == ScreeningStep.Status.ASSIGNED and step.assignment is not None:
        return step.assignment.status in (
            Assignment.Status.COMPLETED,
            Assignment.Status.CANCELLED,
        )
    return False


def current_status(screening: Screening, steps: list[ScreeningStep] | None = None) -> str:
    """The screening's status as it is now. Questionnaires are completed in their own app
    (which knows nothing of screenings), so completion is read from the assignments."""
    if screening.status == Screening.Status.CANCELLED:
        return Screening.Status.CANCELLED
    if steps is None:
        steps = steps_of(screening)
    intake = _loaded_intake(screening)
    submitted = intake is not None and intake.submitted_at is not None
    if submitted and all(step_done(step) for step in steps):
        return Screening.Status.COMPLETED
    started = intake is not None or any(
        step.assignment is not None and step.assignment.status != Assignment.Status.OPEN
        for step in steps
    )
    return Screening.Status.IN_PROGRESS if started else Screening.Status.OPEN


def _loaded_intake(screening: Screening) -> ScreeningIntake | None:
    """The intake as loaded with the screening (``select_related("intake")``), else read."""
    if not Screening.intake.is_cached(screening):
        return intake_of(screening)
    try:
        return screening.intake
    except ScreeningIntake.DoesNotExist:
        return None


def open_screening_for_patient(access: PatientAccess) -> Screening | None:
    """The newest screening of the patient that still asks something of them."""
    for screening in (
        Screening.objects.filter(patient=access.patient, status__in=ACTIVE)
        .select_related("intake")
        .prefetch_related(_STEPS_WITH_ASSIGNMENTS)
        .order_by("-assigned_at")
    ):
        if current_status(screening, list(screening.steps.all())) in ACTIVE:
            return screening
    return None


# ------------------------------------------------------------------ profile inputs


def observations_of(screening: Screening) -> tuple[ScaleObservation, ...]:
    """Every scale score of the screening's completed questionnaires."""
    assignment_ids = [
        step.assignment_id for step in steps_of(screening) if step.assignment_id is not None
    ]
    results = (
        ScaleResult.objects.filter(
            assignment_id__in=assignment_ids, assignment__status=Assignment.Status.COMPLETED
        )
        .select_related("assignment")
        .order_by("assignment__completed_at", "scale_id")
    )
    return tuple(
        ScaleObservation(
            instrument=result.assignment.instrument_code,
            instrument_version=result.assignment.instrument_version,
            scale=result.scale_id,
            value=result.value,
            measured_on=result.assignment.completed_at.date()
            if result.assignment.completed_at
            else None,
        )
        for result in results
    )


def priorities_of(intake: ScreeningIntake | None) -> PatientPriorities:
    if intake is None:
        return PatientPriorities()
    return PatientPriorities(
        complaints=tuple(intake.complaints),
        own_words=intake.own_words,
        first_problem=intake.first_problem,
        wants_help_now=intake.wants_help_now or "unsure",  # type: ignore[arg-type]
        modality=intake.modality or "no_preference",  # type: ignore[arg-type]
    )


def scegs_of(assessment: ScegsAssessment | None) -> CoreScegs:
    if assessment is None:
        return CoreScegs()
    return CoreScegs(
        conditions=tuple(assessment.conditions),
        symptom_clusters=tuple(assessment.symptom_clusters),
        duration_weeks=assessment.duration_weeks,
        functional_limitation=assessment.functional_limitation or None,  # type: ignore[arg-type]
        earlier_treatment=assessment.earlier_treatment or None,  # type: ignore[arg-type]
        comorbidity=tuple(assessment.comorbidity),
        medication=tuple(assessment.medication),
        judged_factors=dict(assessment.judged_factors),
        notes=assessment.notes,
    )


# ------------------------------------------------------------------ stored results


@dataclass(frozen=True)
class StoredProfile:
    snapshot: ScreeningProfileSnapshot
    profile: ScreeningProfile
    advice: SteppedCareAdvice


def stored_profile(snapshot: ScreeningProfileSnapshot) -> StoredProfile:
    return StoredProfile(
        snapshot=snapshot,
        profile=codec.from_json(ScreeningProfile, snapshot.profile),
        advice=codec.from_json(SteppedCareAdvice, snapshot.advice),
    )


def latest_profile_of_patient(access: PatientAccess) -> StoredProfile | None:
    snapshot = (
        ScreeningProfileSnapshot.objects.filter(screening__patient=access.patient)
        .exclude(screening__status=Screening.Status.CANCELLED)
        .order_by("-computed_at", "-pk")
        .first()
    )
    return stored_profile(snapshot) if snapshot is not None else None


def referral_context_for(access: PatientAccess, language: str) -> ReferralContext | None:
    """What a referral letter takes from the patient's latest screening profile, or None
    when no profile was computed. No audit event: the calling view audits the read."""
    stored = latest_profile_of_patient(access)
    if stored is None:
        return None
    organization_id = access.patient.organization_id
    # The clinician's decision, not the advice, is what the referral is for.
    return referral_context(
        stored.profile,
        stored.advice,
        language=language,
        knowledge=knowledge_of(organization_id),
        content=content_of(organization_id),
        choice=care_level_choice(stored.snapshot),
    )


def care_level_choice(snapshot: ScreeningProfileSnapshot) -> CareLevelChoice | None:
    """The clinician's decision on this profile's level of care (decided, advised, why),
    or None when nothing was decided on it yet (issue 12: decisions win over advice)."""
    decision = latest_decision(snapshot.screening)
    if decision is None or decision.snapshot_id != snapshot.pk:
        return None
    return CareLevelChoice(
        decided=decision.decided_level, advised=decision.advised_level, reason=decision.reason
    )


def latest_profile_screening(access: PatientAccess) -> Screening | None:
    """The newest screening of the patient with a computed profile."""
    return (
        Screening.objects.filter(patient=access.patient, snapshots__isnull=False)
        .exclude(status=Screening.Status.CANCELLED)
        .order_by("-assigned_at")
        .distinct()
        .first()
    )
