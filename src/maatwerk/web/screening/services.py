"""Assigning a screening battery, the patient's intake, the SCEGS exploration, computing
the profile and deciding the level of care.

Each service validates everything first (nothing is written when any input is refused,
and the refusal is audited with outcome ``error``), then writes its rows and one audit
event in one transaction. Questionnaires are assigned through the questionnaires app's
own service, which audits each assignment it creates.

Size: to become a package per step (assign, intake, SCEGS, profile, care level) after audit rework.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.common import codec
from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.batteries import StepDecision, plan_battery
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.judgement import judgeable_factor_ids
from maatwerk.core.screening.model import ScreeningInput, SubgroupFacts
from maatwerk.core.screening.profile import build_profile
from maatwerk.core.screening.stepped_care import advise
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.patients.services import audit_refused, refuse_if_invalid
from maatwerk.web.questionnaires.instruments import has_item_texts, instrument_for
from maatwerk.web.questionnaires.services import assignment_create
from maatwerk.web.safety.selectors import risk_signals_for
from maatwerk.web.screening.forms import earlier_treatment_field
from maatwerk.web.screening.models import (
    CareLevelDecision,
    ScegsAssessment,
    Screening,
    ScreeningIntake,
    ScreeningProfileSnapshot,
    ScreeningStep,
)
from maatwerk.web.screening.selectors import (
    OBJECT_ASSESSMENT,
    OBJECT_DECISION,
    OBJECT_INTAKE,
    OBJECT_PROFILE,
    OBJECT_SCREENING,
    ScreeningAccess,
    assessment_of,
    current_status,
    intake_of,
    latest_snapshot,
    observations_of,
    priorities_of,
    scegs_of,
    steps_of,
)
from maatwerk.web.screening.sources import content_of, knowledge_of

NON_FIELD = "__all__"
OWN_WORDS_MAX = 2000
FIRST_PROBLEM_MAX = 1000
NOTES_MAX = 4000
REASON_MAX = 2000
DURATION_MAX_WEEKS = 52 * 80  # a lifetime; anything longer is a typing error

Step = ScreeningStep.Status


# ------------------------------------------------------------------ helpers


def _clinician_membership(actor: Actor, patient: Patient) -> Membership:
    for membership in actor.memberships_with(Role.CLINICIAN):
        if membership.organization_id == patient.organization_id:
            return membership
    raise PermissionDenied(_("Only a clinician can do this."))


def _is_clinician_of(actor: Actor, patient: Patient) -> bool:
    return any(
        m.organization_id == patient.organization_id for m in actor.memberships_with(Role.CLINICIAN)
    )


def _user(actor: Actor) -> Any:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _texts(text: Any) -> dict[str, str]:
    """A reason in both languages, whatever the core gave (a mapping or LocalizedText)."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k): str(v) for k, v in text.items() if v}
    found = {language: text.get(language) for language in ("nl", "en")}
    return {language: value for language, value in found.items() if value}


def _unavailable_reason(name: str, *, known: bool, licensed: bool) -> dict[str, str]:
    if not known:
        return {
            "nl": f"De vragenlijst {name} bestaat niet in deze installatie.",
            "en": f"The questionnaire {name} does not exist in this installation.",
        }
    if licensed:
        return {
            "nl": f"De vragen van de {name} vallen onder een licentie. Je organisatie heeft de "
            "gelicentieerde teksten nog niet ingevoerd; daarom is deze vragenlijst niet uitgezet.",
            "en": f"The questions of the {name} are licensed. Your organization has not imported "
            "its licensed texts, so this questionnaire was not assigned.",
        }
    return {
        "nl": f"De vragen van de {name} worden niet meegeleverd. Je organisatie heeft ze nog "
        "niet ingevoerd; daarom is deze vragenlijst niet uitgezet.",
        "en": f"The questions of the {name} are not shipped. Your organization has not imported "
        "them, so this questionnaire was not assigned.",
    }


def _battery_actor(screening: Screening, actor: Actor) -> Actor:
    """Who assigns the questionnaires a battery holds back until the intake is in.

    A clinician who sends in the intake with the patient assigns them. When the patient
    sends it in, the platform carries out the clinician's battery: the audit trail names
    no user, and says on whose behalf (a patient cannot assign questionnaires).
    """
    if _is_clinician_of(actor, screening.patient):
        return actor
    clinician = screening.assigned_by
    return Actor(
        user=None,
        roles=frozenset({Role.CLINICIAN}),
        access_point=actor.access_point,
        on_behalf_of=f"screening battery assigned by {clinician.user.full_name}",
        memberships=(clinician,),
        system="screening battery",
    )


def _apply_decision(
    *,
    step: ScreeningStep,
    decision: StepDecision,
    actor: Actor,
    access: PatientAccess,
) -> None:
    """Carry out one planned step: assign its questionnaire, or record why not."""
    step.reason = _texts(decision.reason)
    if decision.status == "skip":
        step.status = Step.SKIPPED
    elif decision.status == "pending":
        step.status = Step.PENDING
    else:
        organization_id = access.patient.organization_id
        try:
            instrument = instrument_for(organization_id, decision.instrument)
        except UnknownInstrument:
            step.status = Step.UNAVAILABLE
            step.reason = _unavailable_reason(decision.instrument, known=False, licensed=False)
        else:
            if not has_item_texts(organization_id, instrument):
                step.status = Step.UNAVAILABLE
                step.reason = _unavailable_reason(
                    instrument.short_name,
                    known=True,
                    licensed=instrument.licence.kind == "licensed",
                )
            else:
                step.assignment = assignment_create(
                    actor=actor, access=access, instrument_code=decision.instrument
                )
                step.status = Step.ASSIGNED
    step.save()


def _set_status(screening: Screening) -> None:
    status = current_status(screening)
    if status != screening.status:
        screening.status = status
        screening.completed_at = timezone.now() if status == Screening.Status.COMPLETED else None
        screening.save(update_fields=["status", "completed_at"])


# ------------------------------------------------------------------ assign


def screening_assign(*, actor: Actor, access: PatientAccess, battery_id: str) -> Screening:
    """A clinician of the patient's organization assigns a battery: the questionnaires that
    always belong to it are assigned at once; those that depend on the intake wait."""
    membership = _clinician_membership(actor, access.patient)
    content = content_of(access.patient.organization_id)
    try:
        battery = content.battery(battery_id.strip())
    except (KeyError, LookupError, ValueError):
        errors = {"battery": [_("Choose one of the screening batteries.")]}
        refuse_if_invalid(
            errors,
            actor=actor,
            access=access,
            action="create",
            object_type=OBJECT_SCREENING,
            detail="screening not assigned: unknown battery",
        )
        raise ValidationError(errors) from None  # pragma: no cover - _refuse raised
    decisions = plan_battery(battery, None, content=content)
    with transaction.atomic():
        screening = Screening.objects.create(
            patient=access.patient,
            battery_id=battery.id,
            content_version=content.versions.get("batteries", ""),
            setting=battery.setting,
            assigned_by=membership,
        )
        for position, decision in enumerate(decisions, start=1):
            step = ScreeningStep(
                screening=screening, position=position, instrument_code=decision.instrument
            )
            _apply_decision(step=step, decision=decision, actor=actor, access=access)
        audit_record(
            actor=actor,
            action="create",
            subject=patient_subject(
                access.patient, object_type=OBJECT_SCREENING, object_ref=str(screening.public_id)
            ),
            emergency=access.emergency,
            detail=f"battery {battery.id}",
        )
    return screening


# ------------------------------------------------------------------ intake


@dataclass(frozen=True)
class IntakeInput:
    """The intake form as sent (raw values)."""

    complaints: Sequence[str] = ()
    own_words: str = ""
    first_problem: str = ""
    wants_help_now: str = ""
    modality: str = ""


def _intake_errors(
    data: IntakeInput, content: ScreeningContent, *, submit: bool
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    known = {complaint.id for complaint in content.complaints}
    if any(c not in known for c in data.complaints):
        errors["complaints"] = [_("Choose complaints from the list.")]
    if len(data.own_words) > OWN_WORDS_MAX:
        errors["own_words"] = [_("Please keep this shorter than 2000 characters.")]
    if len(data.first_problem) > FIRST_PROBLEM_MAX:
        errors["first_problem"] = [_("Please keep this shorter than 1000 characters.")]
    if data.wants_help_now and data.wants_help_now not in ScreeningIntake.HelpWanted.values:
        errors["wants_help_now"] = [_("Choose one of the answers.")]
    if data.modality and data.modality not in ScreeningIntake.Modality.values:
        errors["modality"] = [_("Choose one of the answers.")]
    if submit:
        if not data.complaints and not data.own_words.strip():
            errors.setdefault("complaints", []).append(
                _("Choose at least one complaint, or describe your complaints in your own words.")
            )
        if not data.wants_help_now:
            errors.setdefault("wants_help_now", []).append(_("Please answer this question."))
        if not data.modality:
            errors.setdefault("modality", []).append(_("Please answer this question."))
    return errors


def intake_save(
    *, actor: Actor, opened: ScreeningAccess, data: IntakeInput, submit: bool
) -> ScreeningIntake:
    """Save the intake as the patient goes (``submit=False``), or send it in: then the
    questionnaires that depend on the complaints are assigned or skipped, with reasons.

    The patient fills it in, or a clinician together with the patient.
    """
    screening = opened.screening
    access = opened.access
    content = content_of(access.patient.organization_id)
    cleaned = IntakeInput(
        complaints=tuple(dict.fromkeys(c.strip() for c in data.complaints if c.strip())),
        own_words=data.own_words.strip(),
        first_problem=data.first_problem.strip(),
        wants_help_now=data.wants_help_now.strip(),
        modality=data.modality.strip(),
    )
    errors = _intake_errors(cleaned, content, submit=submit)
    refuse_if_invalid(
        errors,
        actor=actor,
        access=access,
        action="update",
        object_type=OBJECT_INTAKE,
        detail="intake not saved: invalid input",
    )
    # The portal autosaves while the patient types and may still be sending a change when
    # "Send in" is pressed: the screening row is locked and the intake re-read inside the
    # transaction, and a concurrent first save (two inserts) is retried as an update.
    for attempt in (1, 2):
        try:
            return _intake_write(
                actor=actor, access=access, screening=screening, cleaned=cleaned, submit=submit
            )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class _IntakeClosed(Exception):
    pass


def _intake_write(
    *,
    actor: Actor,
    access: PatientAccess,
    screening: Screening,
    cleaned: IntakeInput,
    submit: bool,
) -> ScreeningIntake:
    user = _user(actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Screening.objects.select_for_update().get(pk=screening.pk)
            existing = intake_of(locked)
            if locked.status in (Screening.Status.CANCELLED, Screening.Status.COMPLETED):
                raise _IntakeClosed(
                    _("This screening is closed; the answers can no longer change.")
                )
            if existing is not None and existing.submitted_at is not None:
                raise _IntakeClosed(
                    _("These answers were already sent in; they can no longer change.")
                )
            intake = existing or ScreeningIntake(screening=locked)
            intake.complaints = list(cleaned.complaints)
            intake.own_words = cleaned.own_words
            intake.first_problem = cleaned.first_problem
            intake.wants_help_now = cleaned.wants_help_now
            intake.modality = cleaned.modality
            intake.updated_at = now
            intake.answered_by = user
            detail = "intake saved"
            if submit:
                intake.submitted_at = now
            intake.save()
            if submit:
                detail = "intake sent in; " + _replan(locked, intake, actor=actor, access=access)
            _set_status(locked)
            audit_record(
                actor=actor,
                action="create" if existing is None else "update",
                subject=patient_subject(
                    access.patient, object_type=OBJECT_INTAKE, object_ref=str(locked.public_id)
                ),
                emergency=access.emergency,
                detail=detail,
            )
    except _IntakeClosed as closed:
        refuse_if_invalid(
            {NON_FIELD: [str(closed)]},
            actor=actor,
            access=access,
            action="update",
            object_type=OBJECT_INTAKE,
            detail="intake not saved: closed",
        )
    screening.refresh_from_db()
    return intake


def _replan(
    screening: Screening, intake: ScreeningIntake, *, actor: Actor, access: PatientAccess
) -> str:
    """Decide the waiting steps now that the complaints are known."""
    content = content_of(access.patient.organization_id)
    battery = content.battery(screening.battery_id)
    decisions = plan_battery(battery, priorities_of(intake), content=content)
    acting = _battery_actor(screening, actor)
    steps = {step.position: step for step in steps_of(screening)}
    changed: list[str] = []
    for position, decision in enumerate(decisions, start=1):
        step = steps.get(position)
        if step is None or step.status != Step.PENDING:
            continue
        if step.instrument_code != decision.instrument:  # pragma: no cover - content changed
            continue
        _apply_decision(step=step, decision=decision, actor=acting, access=access)
        changed.append(f"{step.instrument_code} {step.status}")
    return ", ".join(changed) or "no waiting questionnaires"


# ------------------------------------------------------------------ SCEGS


@dataclass(frozen=True)
class ScegsInput:
    """The SCEGS form as sent (raw values)."""

    conditions: Sequence[str] = ()
    symptom_clusters: Sequence[str] = ()
    duration_weeks: str = ""
    functional_limitation: str = ""
    earlier_treatment: str = ""  # blank: not asked yet
    comorbidity: Sequence[str] = ()
    medication: Sequence[str] = ()
    judged_factors: Mapping[str, str] = None  # type: ignore[assignment]
    low_literacy: bool = False
    migration_background: bool = False
    parent_involved: bool = False
    notes: str = ""


def _unknown(chosen: Iterable[str], known: Iterable[str]) -> bool:
    allowed = set(known)
    return any(value not in allowed for value in chosen)


def _scegs_errors(
    data: ScegsInput, knowledge: KnowledgeBase, content: ScreeningContent
) -> tuple[dict[str, list[str]], int | None, dict[str, bool]]:
    errors: dict[str, list[str]] = {}
    if _unknown(data.conditions, (c.id for c in knowledge.conditions.conditions)):
        errors["conditions"] = [_("Choose conditions from the list.")]
    if _unknown(data.symptom_clusters, (c.id for c in content.clusters)):
        errors["symptom_clusters"] = [_("Choose symptom clusters from the list.")]
    if _unknown(data.comorbidity, (c.id for c in content.rules.comorbidities)):
        errors["comorbidity"] = [_("Choose comorbidity from the list.")]
    if _unknown(data.medication, (m.id for m in knowledge.medication.medication)):
        errors["medication"] = [_("Choose medication from the list.")]
    if (
        data.functional_limitation
        and data.functional_limitation not in ScegsAssessment.Limitation.values
    ):
        errors["functional_limitation"] = [_("Choose one of the answers.")]
    try:
        earlier_treatment_field().clean(data.earlier_treatment)
    except ValidationError as error:
        errors["earlier_treatment"] = list(error.messages)
    duration: int | None = None
    raw = data.duration_weeks.strip()
    if raw:
        duration = whole_number(raw)
        if duration is None:
            errors["duration_weeks"] = [_("Enter the duration as a whole number of weeks.")]
        else:
            if duration > DURATION_MAX_WEEKS:
                errors["duration_weeks"] = [_("This duration is longer than a lifetime.")]
    judged: dict[str, bool] = {}
    judgeable = set(judgeable_factor_ids(knowledge))
    for factor_id, value in (data.judged_factors or {}).items():
        if factor_id not in judgeable:
            errors.setdefault("judged_factors", []).append(
                _("A factor was judged that cannot be judged here.")
            )
        elif value == "present":
            judged[factor_id] = True
        elif value == "absent":
            judged[factor_id] = False
        elif value not in ("", "not_assessed"):
            errors[f"factor-{factor_id}"] = [_("Choose present, absent or not assessed.")]
    if len(data.notes) > NOTES_MAX:
        errors["notes"] = [_("Please keep the notes shorter than 4000 characters.")]
    return errors, duration, judged


def scegs_save(*, actor: Actor, opened: ScreeningAccess, data: ScegsInput) -> ScegsAssessment:
    """Record (or correct) the clinician's SCEGS exploration, validated against the
    knowledge base and the stepped-care rules."""
    access = opened.access
    _clinician_membership(actor, access.patient)
    user = _user(actor)
    organization_id = access.patient.organization_id
    errors, duration, judged = _scegs_errors(
        data, knowledge_of(organization_id), content_of(organization_id)
    )
    if opened.screening.status == Screening.Status.CANCELLED:
        errors[NON_FIELD] = [_("This screening was stopped; it can no longer change.")]
    refuse_if_invalid(
        errors,
        actor=actor,
        access=access,
        action="update",
        object_type=OBJECT_ASSESSMENT,
        detail="SCEGS assessment not saved: invalid input",
    )
    existing = assessment_of(opened.screening)
    with transaction.atomic():
        assessment = existing or ScegsAssessment(screening=opened.screening, assessed_by=user)
        assessment.conditions = list(dict.fromkeys(data.conditions))
        assessment.symptom_clusters = list(dict.fromkeys(data.symptom_clusters))
        assessment.duration_weeks = duration
        assessment.functional_limitation = data.functional_limitation
        assessment.earlier_treatment = data.earlier_treatment
        assessment.comorbidity = list(dict.fromkeys(data.comorbidity))
        assessment.medication = list(dict.fromkeys(data.medication))
        assessment.judged_factors = judged
        assessment.low_literacy = data.low_literacy
        assessment.migration_background = data.migration_background
        assessment.parent_involved = data.parent_involved
        assessment.notes = data.notes.strip()
        assessment.assessed_by = user
        assessment.assessed_at = timezone.now()
        assessment.save()
        _set_status(opened.screening)
        audit_record(
            actor=actor,
            action="create" if existing is None else "update",
            subject=patient_subject(
                access.patient,
                object_type=OBJECT_ASSESSMENT,
                object_ref=str(opened.screening.public_id),
            ),
            emergency=access.emergency,
            detail="SCEGS assessment saved",
        )
    return assessment


# ------------------------------------------------------------------ profile


def age_in(patient: Patient, year: int) -> int | None:
    """Age from the year of birth: exact to within a year, which is all the subgroup
    rules need (child / adolescent / older adult)."""
    return year - patient.birth_year if patient.birth_year else None


def screening_input_of(screening: Screening) -> ScreeningInput:
    """Everything measured and said in this screening, as the core's input value."""
    assessment = assessment_of(screening)
    return ScreeningInput(
        observations=observations_of(screening),
        priorities=priorities_of(intake_of(screening)),
        scegs=scegs_of(assessment),
        subgroups=SubgroupFacts(
            age_years=age_in(screening.patient, timezone.localdate().year),
            low_literacy=assessment.low_literacy if assessment else False,
            migration_background=assessment.migration_background if assessment else False,
            parent_involved=assessment.parent_involved if assessment else False,
        ),
    )


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def profile_compute(*, actor: Actor, opened: ScreeningAccess) -> ScreeningProfileSnapshot:
    """Compute the profile and the stepped-care advice from the screening's scores, intake,
    SCEGS exploration and subgroup facts. A new snapshot is stored only when the inputs
    or the content changed since the last one; earlier snapshots are kept."""
    access = opened.access
    _clinician_membership(actor, access.patient)
    user = _user(actor)
    screening = opened.screening
    organization_id = access.patient.organization_id
    knowledge = knowledge_of(organization_id)
    content = content_of(organization_id)
    screening_input = screening_input_of(screening)
    inputs = codec.to_json(screening_input)
    digest = _digest(
        {"inputs": inputs, "knowledge": knowledge.versions, "content": dict(content.versions)}
    )
    latest = latest_snapshot(screening)
    if latest is not None and latest.inputs_digest == digest:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="read",
                subject=patient_subject(
                    access.patient, object_type=OBJECT_PROFILE, object_ref=str(latest.public_id)
                ),
                emergency=access.emergency,
                detail="profile unchanged",
            )
        return latest
    try:
        profile = build_profile(
            screening_input,
            knowledge=knowledge,
            content=content,
            instruments=lambda code, version: instrument_for(organization_id, code, version),
        )
    except ScreeningInputError as error:
        # Content the organization changed no longer knows an id recorded earlier.
        errors = {
            NON_FIELD: [
                _(
                    "The profile cannot be computed: the intake or the SCEGS exploration "
                    "uses something the current content no longer knows. Correct the SCEGS "
                    "exploration first."
                )
            ]
        }
        audit_refused(
            actor=actor,
            access=access,
            action="create",
            object_type=OBJECT_PROFILE,
            detail=f"profile not computed: {'; '.join(error.problems)}"[:300],
        )
        raise ValidationError(errors) from None
    advice = advise(screening_input, profile, knowledge=knowledge, content=content)
    with transaction.atomic():
        snapshot = ScreeningProfileSnapshot.objects.create(
            screening=screening,
            inputs=inputs,
            inputs_digest=digest,
            profile=codec.to_json(profile),
            advice=codec.to_json(advice),
            knowledge_versions=knowledge.versions,
            content_versions=dict(content.versions),
            computed_by=user,
        )
        _set_status(screening)
        severity = advice.severity or "severity unknown"
        audit_record(
            actor=actor,
            action="create",
            subject=patient_subject(
                access.patient, object_type=OBJECT_PROFILE, object_ref=str(snapshot.public_id)
            ),
            emergency=access.emergency,
            detail=f"profile computed: {severity}, {advice.care_level}",
        )
    return snapshot


# ------------------------------------------------------------------ care level


def care_level_decide(
    *,
    actor: Actor,
    opened: ScreeningAccess,
    snapshot_id: str,
    decision: str,
    care_level: str = "",
    reason: str = "",
) -> CareLevelDecision:
    """The clinician accepts the advised level of care, or chooses another one and says
    why (the reason is required: the software advises, the clinician decides)."""
    access = opened.access
    _clinician_membership(actor, access.patient)
    user = _user(actor)
    knowledge = knowledge_of(access.patient.organization_id)
    levels = {level.id for level in knowledge.care_levels.care_levels}
    snapshot = latest_snapshot(opened.screening)
    errors: dict[str, list[str]] = {}
    if snapshot is None or str(snapshot.public_id) != snapshot_id:
        errors[NON_FIELD] = [
            _("The profile changed since you opened this page. Read the new advice first.")
        ]
    reason = reason.strip()
    if decision not in ("accept", "override"):
        errors["decision"] = [_("Choose to accept the advice or to choose another level.")]
    elif decision == "override":
        if care_level not in levels:
            errors["care_level"] = [_("Choose a level of care.")]
        if not reason:
            errors["reason"] = [_("Give the reason why you choose another level of care.")]
        elif len(reason) > REASON_MAX:
            errors["reason"] = [_("Please keep the reason shorter than 2000 characters.")]
    elif decision == "accept" and not reason and risk_signals_for(access.patient):
        # The advice does not weigh suicide risk: with a safety signal open or recent,
        # accepting it is a decision the clinician explains, never a silent default.
        errors["reason"] = [
            _(
                "A safety signal is open or recent: give your reason for this level of care, "
                "also when you accept the advice."
            )
        ]
    refuse_if_invalid(
        errors,
        actor=actor,
        access=access,
        action="create",
        object_type=OBJECT_DECISION,
        detail="care level not decided: invalid input",
    )
    if snapshot is None:  # pragma: no cover - _refuse raised
        raise ValidationError(errors)
    advised = str(snapshot.advice.get("care_level", ""))
    overridden = decision == "override" and care_level != advised
    with transaction.atomic():
        decided = CareLevelDecision.objects.create(
            screening=opened.screening,
            snapshot=snapshot,
            advised_level=advised,
            decided_level=care_level if decision == "override" else advised,
            overridden=overridden,
            reason=reason[:REASON_MAX],  # also kept when accepting (required with risk)
            decided_by=user,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=patient_subject(
                access.patient, object_type=OBJECT_DECISION, object_ref=str(decided.public_id)
            ),
            emergency=access.emergency,
            detail=(
                f"advice {advised} overridden: {decided.decided_level}"
                if overridden
                else f"advice {advised} accepted"
            ),
        )
    return decided
