"""Assigning a screening battery, the patient's intake, the SCEGS exploration, computing
the profile and deciding the level of care.

Each service runs inside :func:`maatwerk.web.audit.audited.audited`: it takes the bound
form of its use case (``forms.py``), asks it for the typed value, checks the rules that
need the database, and writes its rows; one audit event (success, refused or denied) is
written per call, a success in the same transaction as the change. Page reads are one
``read`` event each. Questionnaires are assigned through the questionnaires app's own
service, which audits each assignment it creates.

Size: to become a package per step (assign, intake, SCEGS, profile, care level) after audit rework.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.common import codec
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.screening.batteries import StepDecision, plan_battery
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import ScreeningInput, SubgroupFacts
from maatwerk.core.screening.profile import build_profile
from maatwerk.core.screening.stepped_care import advise
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.questionnaires.instruments import has_item_texts, instrument_for
from maatwerk.web.questionnaires.services import assignment_create
from maatwerk.web.safety.selectors import risk_signals_for
from maatwerk.web.screening.forms import (
    AssignForm,
    DecisionForm,
    IntakeForm,
    IntakeInput,
    ScegsForm,
    ScegsInput,
)
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

__all__ = ["IntakeInput", "ScegsInput"]

Step = ScreeningStep.Status


# ------------------------------------------------------------------ helpers


def _membership(actor: Actor, patient: Patient) -> Membership:
    """The actor's clinician membership in the patient's organization (the opener already
    admitted the actor to the care team; this finds who assigns)."""
    for membership in actor.memberships_with(Role.CLINICIAN):
        if membership.organization_id == patient.organization_id:
            return membership
    raise PermissionDenied(_("Only a clinician can do this."))


def _is_clinician_of(actor: Actor, patient: Patient) -> bool:
    return any(
        m.organization_id == patient.organization_id for m in actor.memberships_with(Role.CLINICIAN)
    )


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


# ------------------------------------------------------------------ reads


def screenings_read(*, actor: Actor, access: PatientAccess, detail: str) -> None:
    """A page about the patient's screenings was read (one ``read`` event)."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(OBJECT_SCREENING),
        emergency=access.emergency,
        detail=detail,
    ):
        pass


def screening_read(
    *, actor: Actor, opened: Opened[Screening], object_type: str, detail: str = ""
) -> None:
    """A page of one screening was read (one ``read`` event)."""
    with audited(
        actor=actor,
        action="read",
        subject=opened.subject(object_type),
        emergency=opened.emergency,
        detail=detail,
    ):
        pass


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


def screening_assign(*, actor: Actor, access: PatientAccess, form: AssignForm) -> Screening:
    """A clinician of the patient's organization assigns a battery: the questionnaires that
    always belong to it are assigned at once; those that depend on the intake wait."""
    with audited(
        actor=actor,
        action="create",
        subject=access.subject(OBJECT_SCREENING),
        emergency=access.emergency,
    ) as note:
        membership = _membership(actor, access.patient)
        content = content_of(access.patient.organization_id)
        battery = content.battery(form.battery_id())
        decisions = plan_battery(battery, None, content=content)
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
        note.about(object_ref=str(screening.public_id))
        note.detail = f"battery {battery.id}"
    return screening


# ------------------------------------------------------------------ intake


def _intake_errors(data: IntakeInput, *, submit: bool) -> dict[str, list[str]]:
    """What sending in needs beyond a valid form: something about the complaints and an
    answer to both questions."""
    errors: dict[str, list[str]] = {}
    if submit:
        if not data.complaints and not data.own_words.strip():
            errors["complaints"] = [
                _("Choose at least one complaint, or describe your complaints in your own words.")
            ]
        if not data.wants_help_now:
            errors["wants_help_now"] = [_("Please answer this question.")]
        if not data.modality:
            errors["modality"] = [_("Please answer this question.")]
    return errors


def intake_save(
    *, actor: Actor, opened: Opened[Screening], form: IntakeForm, submit: bool
) -> ScreeningIntake:
    """Save the intake as the patient goes (``submit=False``), or send it in: then the
    questionnaires that depend on the complaints are assigned or skipped, with reasons.

    The patient fills it in, or a clinician together with the patient.
    """
    # The portal autosaves while the patient types and may still be sending a change when
    # "Send in" is pressed: the screening row is locked and the intake re-read inside the
    # transaction, and a concurrent first save (two inserts) is retried as an update (the
    # failed attempt rolled back without an event).
    for attempt in (1, 2):
        try:
            return _intake_write(actor=actor, opened=opened, form=form, submit=submit)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _intake_write(
    *, actor: Actor, opened: Opened[Screening], form: IntakeForm, submit: bool
) -> ScreeningIntake:
    screening = opened.object
    access = opened.access
    existing = intake_of(screening)
    with audited(
        actor=actor,
        action="create" if existing is None else "update",
        subject=opened.subject(OBJECT_INTAKE),
        emergency=access.emergency,
    ) as note:
        cleaned = form.typed()
        errors = _intake_errors(cleaned, submit=submit)
        if errors:
            raise InputRefused(errors)
        user = _user(actor)
        now = timezone.now()
        locked = Screening.objects.select_for_update().get(pk=screening.pk)
        existing = intake_of(locked)
        if locked.status in (Screening.Status.CANCELLED, Screening.Status.COMPLETED):
            raise InputRefused(_("This screening is closed; the answers can no longer change."))
        if existing is not None and existing.submitted_at is not None:
            raise InputRefused(_("These answers were already sent in; they can no longer change."))
        intake = existing or ScreeningIntake(screening=locked)
        intake.complaints = list(cleaned.complaints)
        intake.own_words = cleaned.own_words
        intake.first_problem = cleaned.first_problem
        intake.wants_help_now = cleaned.wants_help_now
        intake.modality = cleaned.modality
        intake.updated_at = now
        intake.answered_by = user
        note.detail = "intake saved"
        if submit:
            intake.submitted_at = now
        intake.save()
        if submit:
            note.detail = "intake sent in; " + _replan(locked, intake, actor=actor, access=access)
        _set_status(locked)
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


def scegs_save(*, actor: Actor, opened: Opened[Screening], form: ScegsForm) -> ScegsAssessment:
    """Record (or correct) the clinician's SCEGS exploration, validated against the
    knowledge base and the stepped-care rules (the form's choices)."""
    access = opened.access
    existing = assessment_of(opened.object)
    with audited(
        actor=actor,
        action="create" if existing is None else "update",
        subject=opened.subject(OBJECT_ASSESSMENT),
        emergency=access.emergency,
        detail="SCEGS assessment saved",
    ):
        _membership(actor, access.patient)
        user = _user(actor)
        data = form.typed()
        if opened.object.status == Screening.Status.CANCELLED:
            raise InputRefused(_("This screening was stopped; it can no longer change."))
        assessment = existing or ScegsAssessment(screening=opened.object, assessed_by=user)
        assessment.conditions = list(data.conditions)
        assessment.symptom_clusters = list(data.symptom_clusters)
        assessment.duration_weeks = int(data.duration_weeks) if data.duration_weeks else None
        assessment.functional_limitation = data.functional_limitation
        assessment.earlier_treatment = data.earlier_treatment
        assessment.comorbidity = list(data.comorbidity)
        assessment.medication = list(data.medication)
        assessment.judged_factors = form.judged()
        assessment.low_literacy = data.low_literacy
        assessment.migration_background = data.migration_background
        assessment.parent_involved = data.parent_involved
        assessment.notes = data.notes
        assessment.assessed_by = user
        assessment.assessed_at = timezone.now()
        assessment.save()
        _set_status(opened.object)
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


def profile_compute(*, actor: Actor, opened: Opened[Screening]) -> ScreeningProfileSnapshot:
    """Compute the profile and the stepped-care advice from the screening's scores, intake,
    SCEGS exploration and subgroup facts. A new snapshot is stored only when the inputs
    or the content changed since the last one (then the call is a read of the one
    shown); earlier snapshots are kept."""
    access = opened.access
    screening = opened.object
    organization_id = access.patient.organization_id
    knowledge = knowledge_of(organization_id)
    content = content_of(organization_id)
    screening_input = screening_input_of(screening)
    inputs = codec.to_json(screening_input)
    digest = _digest(
        {"inputs": inputs, "knowledge": knowledge.versions, "content": dict(content.versions)}
    )
    latest = latest_snapshot(screening)
    unchanged = latest is not None and latest.inputs_digest == digest
    with audited(
        actor=actor,
        action="read" if unchanged else "create",
        subject=opened.subject(OBJECT_PROFILE),
        emergency=access.emergency,
    ) as note:
        if latest is not None and unchanged:
            note.about(object_ref=str(latest.public_id))
            note.detail = "profile unchanged"
            return latest
        _membership(actor, access.patient)
        user = _user(actor)
        try:
            profile = build_profile(
                screening_input,
                knowledge=knowledge,
                content=content,
                instruments=lambda code, version: instrument_for(organization_id, code, version),
            )
        except ScreeningInputError:
            # Content the organization changed no longer knows an id recorded earlier.
            raise InputRefused(
                _(
                    "The profile cannot be computed: the intake or the SCEGS exploration "
                    "uses something the current content no longer knows. Correct the SCEGS "
                    "exploration first."
                )
            ) from None
        advice = advise(screening_input, profile, knowledge=knowledge, content=content)
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
        note.about(object_ref=str(snapshot.public_id))
        note.detail = f"profile computed: {advice.severity or 'severity unknown'}, "
        note.detail += str(advice.care_level)
    return snapshot


# ------------------------------------------------------------------ care level


def care_level_decide(
    *, actor: Actor, opened: Opened[Screening], form: DecisionForm
) -> CareLevelDecision:
    """The clinician accepts the advised level of care, or chooses another one and says
    why (the reason is required: the software advises, the clinician decides)."""
    access = opened.access
    with audited(
        actor=actor,
        action="create",
        subject=opened.subject(OBJECT_DECISION),
        emergency=access.emergency,
    ) as note:
        _membership(actor, access.patient)
        user = _user(actor)
        data = valid_form(form)
        decision, care_level = str(data["decision"]), str(data["care_level"])
        reason = str(data["reason"])
        snapshot = latest_snapshot(opened.object)
        if snapshot is None or str(snapshot.public_id) != data["snapshot"]:
            raise InputRefused(
                _("The profile changed since you opened this page. Read the new advice first.")
            )
        if decision == "accept" and not reason and risk_signals_for(access.patient):
            # The advice does not weigh suicide risk: with a safety signal open or recent,
            # accepting it is a decision the clinician explains, never a silent default.
            raise InputRefused(
                {
                    "reason": [
                        _(
                            "A safety signal is open or recent: give your reason for this "
                            "level of care, also when you accept the advice."
                        )
                    ]
                }
            )
        advised = str(snapshot.advice.get("care_level", ""))
        overridden = decision == "override" and care_level != advised
        decided = CareLevelDecision.objects.create(
            screening=opened.object,
            snapshot=snapshot,
            advised_level=advised,
            decided_level=care_level if decision == "override" else advised,
            overridden=overridden,
            reason=reason,  # also kept when accepting (required with risk)
            decided_by=user,
        )
        note.about(object_ref=str(decided.public_id))
        note.detail = (
            f"advice {advised} overridden: {decided.decided_level}"
            if overridden
            else f"advice {advised} accepted"
        )
    return decided
