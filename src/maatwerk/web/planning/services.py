"""Making, deciding, activating and exporting a patient's plan.

Each service checks everything first (the core refuses what breaks a rule; nothing is
written when any input is refused), then writes the rows and one audit event in one
transaction. A refused change is audited too, with outcome ``error``. The clinical
rules are the core's (``maatwerk.core.planning``); this module only stores and reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis
from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.fhir.care_plan import care_plan_bundle
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.planning.decisions import AcceptedModule, PlanDecision, apply_decisions
from maatwerk.core.planning.duration import expected_duration
from maatwerk.core.planning.errors import DecisionError, DecisionWithoutReason
from maatwerk.core.planning.matching import (
    ModuleRecommendation,
    PlanPreferences,
    recommend_modules,
)
from maatwerk.core.planning.multidisciplinary import multidisciplinary_parts
from maatwerk.core.planning.plan import reason_lines
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.personalized import services as personalized_services
from maatwerk.web.planning import codec, selectors
from maatwerk.web.planning.models import (
    Plan,
    PlanCareLevelStep,
    PlanDecisionRecord,
    PlanModule,
    PlanPart,
)
from maatwerk.web.planning.selectors import OBJECT_PLAN
from maatwerk.web.treatment import services as treatment_services

NON_FIELD = "__all__"
REASON_MAX_LENGTH = 2000
WORDS_MAX_LENGTH = 500
MODALITIES = ("no_preference", "online", "face_to_face", "blended")
MAX_AT_ONCE_LIMIT = 10
Language = Literal["nl", "en"]


# ------------------------------------------------------------------ helpers


def _clinician_only(access: PatientAccess) -> None:
    if access.basis is AccessBasis.OWN_RECORD:
        raise PermissionDenied


def _user(actor: Actor) -> Any:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _audit(
    actor: Actor,
    access: PatientAccess,
    action: str,
    *,
    plan: Plan | None = None,
    detail: str = "",
    outcome: str = "success",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        subject=patient_subject(
            access.patient,
            object_type=OBJECT_PLAN,
            object_ref=str(plan.public_id) if plan is not None else "",
        ),
        emergency=access.emergency,
        detail=detail,
    )


def _refuse(
    errors: dict[str, list[str]],
    *,
    actor: Actor,
    access: PatientAccess,
    action: str,
    plan: Plan | None,
    detail: str,
) -> None:
    if errors:
        _audit(actor, access, action, plan=plan, detail=detail, outcome="error")
        raise ValidationError(errors)


def _refuse_or_plan(
    errors: dict[str, list[str]],
    *,
    actor: Actor,
    access: PatientAccess,
    action: str,
    plan: Plan | None,
    detail: str,
) -> Plan:
    """Refuse with ``errors`` (audited), else the plan the change applies to."""
    _refuse(errors, actor=actor, access=access, action=action, plan=plan, detail=detail)
    if plan is None:  # pragma: no cover - callers report a missing plan as an error
        raise ValidationError(errors)
    return plan


def _open_plan(access: PatientAccess) -> Plan | None:
    """The draft (a first plan or a revision) when there is one, else the active plan."""
    plans = Plan.objects.select_for_update().filter(patient=access.patient)
    return (
        plans.filter(status=Plan.Status.DRAFT).first()
        or plans.filter(status=Plan.Status.ACTIVE).first()
    )


def module_name(module_id: str, language: str) -> str:
    module = selectors.module_of(module_id)
    if module is None:
        return module_id
    return module.name.get(language, fallback=True) or module_id


def _language() -> Language:
    return "en" if get_language() == "en" else "nl"


# ------------------------------------------------------------------ recomputing


@dataclass(frozen=True)
class _Computed:
    accepted: tuple[AcceptedModule, ...]
    duration: dict[str, Any]
    weeks: int


def _compute(
    plan: Plan,
    recommendations: Sequence[ModuleRecommendation],
    decisions: Sequence[PlanDecision],
) -> _Computed:
    """The accepted modules and the expected duration; raises the core's DecisionError."""
    accepted = apply_decisions(recommendations, decisions)
    max_at_once = (
        plan.preferences.get("max_at_once") or selectors.planning_rules().max_modules_at_once.value
    )
    duration = expected_duration(
        [item.module_id for item in accepted],
        catalogue=selectors.catalogue(),
        care_level=plan.care_level,
        max_at_once=int(max_at_once),
        rules=selectors.planning_rules(),
    )
    return _Computed(accepted, codec.to_json(duration), duration.weeks)


def _write_rows(
    plan: Plan,
    recommendations: Sequence[ModuleRecommendation],
    decisions: Sequence[PlanDecision],
    computed: _Computed,
    knowledge: KnowledgeBase,
) -> None:
    """Rewrite the module rows of the plan from the recommendation and the decisions."""
    by_decision = {d.module_id: d for d in decisions}
    placed = {item.module_id: item for item in computed.accepted}
    wanted: dict[str, dict[str, Any]] = {}
    for rec in recommendations:
        decision = by_decision.get(rec.module_id)
        item = placed.get(rec.module_id) or AcceptedModule(rec.module_id, 0, rec, decision)
        if rec.module_id in placed:
            status = PlanModule.Status.ACCEPTED if decision else PlanModule.Status.RECOMMENDED
        elif rec.status == "excluded_by_patient":
            status = PlanModule.Status.EXCLUDED
        else:
            status = PlanModule.Status.REMOVED
        wanted[rec.module_id] = {
            "status": status,
            "order": placed[rec.module_id].order if rec.module_id in placed else None,
            "rank": rec.rank,
            "reason": decision.reason.strip() if decision else "",
            "recommendation": codec.to_json(rec),
            "reason_lines": _lines(item, knowledge),
        }
    for item in computed.accepted:
        if item.recommendation is None:
            wanted[item.module_id] = {
                "status": PlanModule.Status.ADDED,
                "order": item.order,
                "rank": None,
                "reason": item.decision.reason.strip() if item.decision else "",
                "recommendation": None,
                "reason_lines": _lines(item, knowledge),
            }
    for row in plan.modules.all():
        if row.module_id not in wanted:
            # An added module the clinician withdrew: kept as removed, with its history.
            row.status = PlanModule.Status.REMOVED
            row.order = None
            row.save(update_fields=["status", "order"])
    for module_id, values in wanted.items():
        module = selectors.module_of(module_id)
        PlanModule.objects.update_or_create(
            plan=plan,
            module_id=module_id,
            defaults={**values, "module_version": module.version if module else ""},
        )
    plan.expected_weeks = computed.weeks
    plan.duration = computed.duration
    plan.expected_weeks_unverified = bool(computed.duration.get("unverified", True))
    plan.updated_at = timezone.now()
    plan.save()


def _lines(item: AcceptedModule, knowledge: KnowledgeBase) -> dict[str, list[str]]:
    languages: tuple[Language, ...] = ("nl", "en")
    return {lang: list(reason_lines(item, lang, knowledge)) for lang in languages}


def _recommendations_of(plan: Plan) -> list[ModuleRecommendation]:
    recs = [
        codec.recommendation_from_json(row.recommendation)
        for row in plan.modules.all()
        if row.recommendation is not None
    ]
    # the recommended ones in rank order, then the excluded ones (the core's order)
    return sorted(recs, key=lambda rec: (rec.rank is None, rec.rank or 0))


# ------------------------------------------------------------------ prepare


@dataclass(frozen=True)
class PreferencesInput:
    """The patient's preferences and the clinician's flags as typed in the form."""

    modality: str = "no_preference"
    excluded: Mapping[str, str] = field(default_factory=dict)  # module id -> their words
    max_at_once: str = ""
    flags: Sequence[str] = ()


def _check_preferences(prefs: PreferencesInput) -> tuple[PlanPreferences, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if prefs.modality not in MODALITIES:
        errors["modality"] = [_("Choose how the patient wants to work.")]
    unknown = [m for m in prefs.excluded if m not in selectors.catalogue().ids]
    if unknown:
        errors["excluded"] = [_("Choose modules from the list.")]
    if any(len(words) > WORDS_MAX_LENGTH for words in prefs.excluded.values()):
        errors["excluded"] = [_("Keep the patient's words shorter than 500 characters.")]
    max_at_once: int | None = None
    raw = prefs.max_at_once.strip()
    if raw:
        number = whole_number(raw)
        if number is None or not 1 <= number <= MAX_AT_ONCE_LIMIT:
            errors["max_at_once"] = [_("Enter a whole number from 1 to 10.")]
        else:
            max_at_once = number
    declared = {flag.id for flag in selectors.planning_rules().clinician_flags}
    if any(flag not in declared for flag in prefs.flags):
        errors["flags"] = [_("Choose from the listed situations.")]
    preferences = PlanPreferences(
        modality=prefs.modality if prefs.modality in MODALITIES else "no_preference",  # type: ignore[arg-type]
        excluded_modules={
            module_id: " ".join(words.split())
            for module_id, words in prefs.excluded.items()
            if module_id in selectors.catalogue().ids
        },
        max_at_once=max_at_once,
    )
    return preferences, errors


def plan_prepare(*, actor: Actor, access: PatientAccess, prefs: PreferencesInput) -> Plan:
    """Make a draft plan from the latest screening profile (and the formulation's
    maintaining factors), or recompute the draft with new preferences. The clinician's
    earlier decisions are applied again; one that no longer fits is refused."""
    _clinician_only(access)
    user = _user(actor)
    preferences, errors = _check_preferences(prefs)
    basis = selectors.plan_basis(access)
    if basis is None:
        errors[NON_FIELD] = [
            _("There is no screening profile yet. Compute the screening profile first.")
        ]
    with transaction.atomic():
        existing = _open_plan(access)
    if existing is not None and existing.status == Plan.Status.ACTIVE:
        errors[NON_FIELD] = [_("The plan is active. Choose “Revise the plan” to change it.")]
    _refuse(
        errors,
        actor=actor,
        access=access,
        action="update" if existing else "create",
        plan=existing,
        detail="plan not made: invalid input",
    )
    if basis is None:  # pragma: no cover - _refuse raised for it
        raise ValidationError(errors)
    knowledge = selectors.knowledge_of(access)
    known_factors = {factor.id for factor in knowledge.factors.factors}
    maintaining = [f for f in selectors.maintaining_factors_of(access) if f in known_factors]
    profile = basis.stored.profile
    recommendations = recommend_modules(
        profile,
        maintaining_factors=maintaining,
        preferences=preferences,
        catalogue=selectors.catalogue(),
        knowledge=knowledge,
        rules=selectors.planning_rules(),
    )
    parts = multidisciplinary_parts(
        profile,
        maintaining_factors=maintaining,
        severity=basis.stored.advice.severity,
        clinician_flags=tuple(prefs.flags),
        rules=selectors.planning_rules(),
        knowledge=knowledge,
    )
    plan = existing or Plan(patient=access.patient, created_by=user)
    plan.snapshot = basis.stored.snapshot
    if existing is None or not existing.care_level_steps.exists():
        # A level of care stepped up on a revision is the clinician's decision and
        # stands when the recommendation is calculated again.
        plan.care_level = basis.care_level
        plan.care_level_source = basis.care_level_source
    plan.severity = basis.stored.advice.severity or ""
    plan.preferences = {
        "modality": preferences.modality,
        "excluded_modules": dict(preferences.excluded_modules),
        "max_at_once": preferences.max_at_once,
    }
    plan.maintaining_factors = maintaining
    plan.clinician_flags = list(prefs.flags)
    decisions = selectors.effective_decisions(selectors.decisions_of(existing)) if existing else []
    try:
        computed = _compute(plan, recommendations, decisions)
    except DecisionError as error:
        _audit(actor, access, "update", plan=existing, detail="plan not made", outcome="error")
        module = getattr(error, "module_id", None) or _module_in(str(error), decisions)
        raise ValidationError(
            {
                NON_FIELD: [
                    _(
                        "Your earlier decision about “%(module)s” does not fit the new "
                        "recommendation. Nothing was changed."
                    )
                    % {"module": module_name(module, _language())}
                ]
            }
        ) from None
    with transaction.atomic():
        if plan.goal_set is None:
            # The patient's GAS goals, when already set, are the plan's goals.
            plan.goal_set = access.patient.measure_sets.filter(kind="gas", is_active=True).first()
        plan.save()
        _write_rows(plan, recommendations, decisions, computed, knowledge)
        plan.parts.all().delete()
        PlanPart.objects.bulk_create(
            PlanPart(
                plan=plan,
                position=position,
                rule_id=part.rule_id,
                intervention_id=part.intervention_id,
                intervention_name=dict(part.intervention_name),
                discipline_id=part.discipline_id or "",
                reason=dict(part.reason),
                factors=list(part.factors),
                flags=list(part.flags),
                severity=part.severity or "",
                sources=list(part.sources),
                unverified=part.unverified,
                note=part.note or "",
            )
            for position, part in enumerate(parts, start=1)
        )
        _audit(
            actor,
            access,
            "update" if existing else "create",
            plan=plan,
            detail=f"recommendation of {len(recommendations)} module(s), {len(parts)} part(s)",
        )
    return plan


def _module_in(message: str, decisions: Sequence[PlanDecision]) -> str:
    return next((d.module_id for d in decisions if repr(d.module_id) in message), "")


# ------------------------------------------------------------------ decisions


def plan_decide(
    *, actor: Actor, access: PatientAccess, module_id: str, action: str, reason: str
) -> PlanDecisionRecord:
    """Accept, remove or add one module. Removing and adding always need a reason, and so
    does accepting a module the patient did not want; the decision is recorded."""
    _clinician_only(access)
    user = _user(actor)
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    language = _language()
    with transaction.atomic():
        plan = _open_plan(access)
        if plan is None or plan.status != Plan.Status.DRAFT:
            errors[NON_FIELD] = [_("Only a draft plan can be changed.")]
        if module_id not in selectors.catalogue().ids:
            errors["module"] = [_("Choose a module from the list.")]
        if action not in PlanDecisionRecord.Action.values:
            errors[NON_FIELD] = [_("Choose accept, remove or add.")]
        if len(reason) > REASON_MAX_LENGTH:
            errors["reason"] = [_("Keep the reason shorter than 2000 characters.")]
        elif action in ("remove", "add") and not reason:
            errors["reason"] = [
                _("Give a reason for removing this module.")
                if action == "remove"
                else _("Give a reason for adding this module.")
            ]
        rows = {row.module_id: row for row in plan.modules.all()} if plan else {}
        row = rows.get(module_id)
        if not errors and plan is not None:
            errors.update(_decision_conflict(action, row, module_name(module_id, language)))
    if errors:
        _audit(
            actor,
            access,
            "update",
            plan=plan,
            detail=f"{action if action in PlanDecisionRecord.Action.values else '?'} refused",
            outcome="error",
        )
        raise ValidationError(errors)
    if plan is None:  # pragma: no cover - _refuse or the check above raised for it
        raise ValidationError(errors)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        recommendations = _recommendations_of(plan)
        deviates = not (
            action == "accept" and row is not None and row.status != PlanModule.Status.EXCLUDED
        )
        record = PlanDecisionRecord(
            plan=plan,
            module_id=module_id,
            action=action,
            reason=reason,
            deviates=deviates,
            decided_by=user,
        )
        decisions = selectors.effective_decisions([*selectors.decisions_of(plan), record])
        try:
            computed = _compute(plan, recommendations, decisions)
        except DecisionWithoutReason:
            computed = None
            problem = {"reason": [_("Give a reason: the patient did not want this module.")]}
        except DecisionError:
            computed = None
            problem = {NON_FIELD: [_("This decision does not fit the plan.")]}
        if computed is not None:
            record.save()
            _write_rows(plan, recommendations, decisions, computed, selectors.knowledge_of(access))
            _audit(actor, access, "update", plan=plan, detail=f"{action} module {module_id}")
            return record
    _audit(
        actor, access, "update", plan=plan, detail=f"{action} {module_id} refused", outcome="error"
    )
    raise ValidationError(problem)


def _decision_conflict(action: str, row: PlanModule | None, name: str) -> dict[str, list[str]]:
    """Clear messages for the decisions the core would refuse."""
    in_plan = row is not None and row.in_plan
    if action == "add" and in_plan:
        return {"module": [_("“%(module)s” is already in the plan.") % {"module": name}]}
    if action == "add" and row is not None and row.status == PlanModule.Status.EXCLUDED:
        return {
            "module": [
                _(
                    "The patient did not want “%(module)s”. Choose it under “Not wanted by the "
                    "patient” and give a reason."
                )
                % {"module": name}
            ]
        }
    if action == "add" and row is not None and row.recommendation:
        return {
            "module": [
                _("“%(module)s” was recommended: accept it instead of adding it.")
                % {"module": name}
            ]
        }
    if action == "remove" and not in_plan:
        return {"module": [_("“%(module)s” is not in the plan.") % {"module": name}]}
    if action == "accept" and (row is None or not row.recommendation):
        return {
            "module": [_("“%(module)s” was not recommended: add it instead.") % {"module": name}]
        }
    if action == "accept" and in_plan and row is not None and row.status == "accepted":
        return {"module": [_("“%(module)s” is already accepted.") % {"module": name}]}
    return {}


# ------------------------------------------------------------------ goals


def plan_goals_set(
    *, actor: Actor, access: PatientAccess, goals: Sequence[personalized_services.GoalInput]
) -> Plan:
    """Set the plan's goals as GAS goals through the personalized measures (the goal in
    the patient's words, level 0 and the other four levels described, a weight).

    Every level must be described here: the plan and its exports show the whole scale.
    The GAS set replaces the patient's active one (its measurements stay readable).
    """
    _clinician_only(access)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        plan = _open_plan(access)
    if plan is None:
        errors[NON_FIELD] = [_("Make a plan first.")]
    elif plan.status != Plan.Status.DRAFT:
        errors[NON_FIELD] = [_("Only a draft plan can be changed.")]
    for index, goal in enumerate(goals):
        if goal.is_blank:
            continue
        missing = [
            key
            for key in personalized_services.GAS_LEVEL_KEYS
            if not goal.levels.get(key, "").strip()
        ]
        if missing:
            errors[f"goal-{index}"] = [_("Describe every level of this goal: −2, −1, +1 and +2.")]
    plan = _refuse_or_plan(
        errors,
        actor=actor,
        access=access,
        action="update",
        plan=plan,
        detail="plan goals not saved: invalid input",
    )
    try:
        with transaction.atomic():
            measure_set = personalized_services.gas_set_create(
                actor=actor, access=access, goals=goals
            )
            Plan.objects.filter(pk=plan.pk).update(goal_set=measure_set, updated_at=timezone.now())
    except ValidationError:
        # The GAS service's own "refused" event was rolled back with the transaction.
        _audit(actor, access, "update", plan=plan, detail="plan goals not saved", outcome="error")
        raise
    plan.refresh_from_db()
    return plan


# ------------------------------------------------------------------ activation


def plan_activate(*, actor: Actor, access: PatientAccess) -> Plan:
    """Activate the draft: the patient gets the modules of the plan.

    The modules are given through the treatment app
    (``treatment.services.modules_assign``), in the same transaction. Its audit event
    (the assignment, naming this plan) is the one event of the activation, so the
    activation is not audited twice.
    """
    _clinician_only(access)
    _user(actor)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        plan = _open_plan(access)
    if plan is None or plan.status != Plan.Status.DRAFT:
        errors[NON_FIELD] = [_("Only a draft plan can be activated.")]
    elif not selectors.planned_modules_of(plan):
        errors[NON_FIELD] = [_("The plan has no modules. Accept or add a module first.")]
    elif plan.goal_set is None or not plan.goal_set.items.exists():
        errors[NON_FIELD] = [_("Set at least one goal with the patient first.")]
    plan = _refuse_or_plan(
        errors,
        actor=actor,
        access=access,
        action="update",
        plan=plan,
        detail="plan not activated",
    )
    module_ids = [row.module_id for row in selectors.planned_modules_of(plan)]
    if plan.revises_id is not None:
        return _activate_revision(actor=actor, access=access, plan=plan, module_ids=module_ids)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        plan.status = Plan.Status.ACTIVE
        plan.activated_at = timezone.now()
        plan.updated_at = plan.activated_at
        plan.save(update_fields=["status", "activated_at", "updated_at"])
        treatment_services.modules_assign(
            actor=actor, access=access, module_ids=module_ids, plan_ref=str(plan.public_id)
        )
    return plan


def _activate_revision(
    *, actor: Actor, access: PatientAccess, plan: Plan, module_ids: list[str]
) -> Plan:
    """The revision becomes the active plan and the plan it revises becomes ``revised``;
    the patient gets the modules new in the plan and the modules the plan no longer
    holds are stopped (their answers stay readable). The treatment app's one event (naming this
    plan) is the event of the activation, as for a first plan."""
    user = _user(actor)
    revised = plan.revises
    if revised is None or revised.status != Plan.Status.ACTIVE:
        no_longer_active = {NON_FIELD: [_("The plan this revision revises is no longer active.")]}
        _refuse(
            no_longer_active,
            actor=actor,
            access=access,
            action="update",
            plan=plan,
            detail="revision not activated",
        )
        raise ValidationError(no_longer_active)  # pragma: no cover - _refuse raised
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        previous = Plan.objects.select_for_update().get(pk=revised.pk)
        if previous.status != Plan.Status.ACTIVE:  # completed in the meantime
            raise ValidationError(
                {NON_FIELD: [_("The plan this revision revises is no longer active.")]}
            )
        before = [row.module_id for row in selectors.planned_modules_of(previous)]
        now = timezone.now()
        previous.status = Plan.Status.REVISED
        previous.ended_at = now
        previous.ended_by = user
        previous.save(update_fields=["status", "ended_at", "ended_by"])
        plan.status = Plan.Status.ACTIVE
        plan.activated_at = now
        plan.updated_at = now
        plan.save(update_fields=["status", "activated_at", "updated_at"])
        treatment_services.modules_revise(
            actor=actor,
            access=access,
            give_ids=[m for m in module_ids if m not in before],
            close_ids=[m for m in before if m not in module_ids],
            plan_ref=str(plan.public_id),
        )
    return plan


# ------------------------------------------------------------------ revising, stepping up, ending


def _require_text(
    errors: dict[str, list[str]],
    field: str,
    text: str,
    missing: str,
    *,
    too_long: str | None = None,
) -> None:
    """A required reason or note: present, and no longer than REASON_MAX_LENGTH."""
    if not text:
        errors[field] = [missing]
    elif len(text) > REASON_MAX_LENGTH:
        errors[field] = [too_long or _("Keep the reason shorter than 2000 characters.")]


def plan_revise(*, actor: Actor, access: PatientAccess, reason: str) -> Plan:
    """Start a revision of the active plan: a new draft with the active plan's modules,
    decisions, goals, level of care and parts. The active plan stays active until the
    revision is activated. The reason (an evaluation, stagnation, the patient's wishes)
    is required."""
    _clinician_only(access)
    user = _user(actor)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    _require_text(errors, "revision_reason", reason, _("Say why the plan is revised."))
    with transaction.atomic():
        current = _open_plan(access)
    if current is None or current.status == Plan.Status.DRAFT:
        errors[NON_FIELD] = [
            _("Only an active plan can be revised.")
            if current is None
            else _("There is already a draft. Finish it first.")
        ]
    _refuse(
        errors,
        actor=actor,
        access=access,
        action="create",
        plan=current,
        detail="revision not started",
    )
    if current is None:  # pragma: no cover - _refuse raised for it
        raise ValidationError(errors)
    with transaction.atomic():
        current = Plan.objects.select_for_update().get(pk=current.pk)
        now = timezone.now()
        revision = Plan.objects.create(
            patient=current.patient,
            snapshot=current.snapshot,
            care_level=current.care_level,
            care_level_source=current.care_level_source,
            severity=current.severity,
            preferences=current.preferences,
            maintaining_factors=current.maintaining_factors,
            clinician_flags=current.clinician_flags,
            expected_weeks=current.expected_weeks,
            expected_weeks_unverified=current.expected_weeks_unverified,
            duration=current.duration,
            goal_set=current.goal_set,
            created_by=user,
            created_at=now,
            updated_at=now,
            revises=current,
            revision_reason=reason,
        )
        PlanModule.objects.bulk_create(
            PlanModule(
                plan=revision,
                module_id=row.module_id,
                module_version=row.module_version,
                status=row.status,
                order=row.order,
                rank=row.rank,
                reason=row.reason,
                recommendation=row.recommendation,
                reason_lines=row.reason_lines,
            )
            for row in current.modules.all()
        )
        # The decisions that shaped the active plan come along (who and when as they
        # were), so calculating the revision again applies them as before.
        PlanDecisionRecord.objects.bulk_create(
            PlanDecisionRecord(
                plan=revision,
                module_id=record.module_id,
                action=record.action,
                reason=record.reason,
                deviates=record.deviates,
                decided_by_id=record.decided_by_id,
                decided_at=record.decided_at,
            )
            for record in selectors.decisions_of(current)
        )
        PlanPart.objects.bulk_create(
            PlanPart(
                plan=revision,
                position=part.position,
                rule_id=part.rule_id,
                intervention_id=part.intervention_id,
                intervention_name=part.intervention_name,
                discipline_id=part.discipline_id,
                reason=part.reason,
                factors=part.factors,
                flags=part.flags,
                severity=part.severity,
                sources=part.sources,
                unverified=part.unverified,
                note=part.note,
            )
            for part in selectors.parts_of(current)
        )
        _audit(
            actor, access, "create", plan=revision, detail=f"revision of plan {current.public_id}"
        )
    return revision


def plan_step_up(
    *, actor: Actor, access: PatientAccess, to_level: str, reason: str
) -> PlanCareLevelStep:
    """Step the revision up to the next level of care (stepped care), with a reason;
    the step is recorded with the escalation advice as shown."""
    _clinician_only(access)
    user = _user(actor)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        plan = _open_plan(access)
    advice = None
    if plan is None or plan.status != Plan.Status.DRAFT or plan.revises_id is None:
        errors[NON_FIELD] = [_("The level of care is stepped up on a revision of the active plan.")]
    else:
        advice = selectors.step_up_advice(access, plan, reason=reason)
        if advice is None or advice.to_level is None:
            errors["to_level"] = [
                _("This is already the most intensive level: discuss the plan in the team.")
            ]
        elif to_level != advice.to_level:
            errors["to_level"] = [_("Choose the next level of care from the list.")]
    _require_text(
        errors, "step_reason", reason, _("Give a reason for stepping up the level of care.")
    )
    _refuse(
        errors,
        actor=actor,
        access=access,
        action="update",
        plan=plan,
        detail="care level not stepped up",
    )
    if plan is None or advice is None or advice.to_level is None:  # pragma: no cover
        raise ValidationError(errors)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        step = PlanCareLevelStep.objects.create(
            plan=plan,
            from_level=plan.care_level,
            to_level=advice.to_level,
            reason=reason,
            advice=[
                {
                    "rule_id": r.rule_id,
                    "text": dict(r.text),
                    "sources": list(r.sources),
                    "unverified": r.unverified,
                }
                for r in advice.reasons
            ],
            unverified=advice.unverified,
            decided_by=user,
        )
        plan.care_level = advice.to_level
        plan.care_level_source = Plan.CareLevelSource.DECISION
        try:
            # The expected duration is capped per level of care: recalculate it.
            computed = _compute(
                plan,
                _recommendations_of(plan),
                selectors.effective_decisions(selectors.decisions_of(plan)),
            )
        except DecisionError:
            computed = None
        if computed is not None:
            plan.expected_weeks = computed.weeks
            plan.duration = computed.duration
            plan.expected_weeks_unverified = bool(computed.duration.get("unverified", True))
        plan.updated_at = timezone.now()
        plan.save()
        _audit(
            actor,
            access,
            "update",
            plan=plan,
            detail=f"care level stepped up {step.from_level} -> {step.to_level}",
        )
    return step


def plan_discard_revision(*, actor: Actor, access: PatientAccess, reason: str) -> Plan:
    """Throw away the revision in preparation: the active plan stays exactly as it was
    (its modules are not touched) and the revision, with its decisions, stays in the
    history marked discarded, with who, when and why. The reason is required."""
    _clinician_only(access)
    user = _user(actor)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    _require_text(errors, "discard_reason", reason, _("Say why the revision is discarded."))
    with transaction.atomic():
        plan = _open_plan(access)
    if plan is None or plan.status != Plan.Status.DRAFT or plan.revises_id is None:
        errors[NON_FIELD] = [_("There is no revision in preparation to discard.")]
    plan = _refuse_or_plan(
        errors,
        actor=actor,
        access=access,
        action="update",
        plan=plan,
        detail="revision not discarded",
    )
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != Plan.Status.DRAFT:  # activated or discarded in the meantime
            raise ValidationError(
                {NON_FIELD: [_("There is no revision in preparation to discard.")]}
            )
        now = timezone.now()
        plan.status = Plan.Status.DISCARDED
        plan.ended_at = now
        plan.ended_by = user
        plan.end_note = reason
        plan.updated_at = now
        plan.save(update_fields=["status", "ended_at", "ended_by", "end_note", "updated_at"])
        _audit(
            actor,
            access,
            "update",
            plan=plan,
            detail=f"revision of plan {plan.revises.public_id if plan.revises else '-'} discarded",
        )
    return plan


def plan_complete(*, actor: Actor, access: PatientAccess, note: str) -> Plan:
    """End of treatment: the active plan is completed with a note. The patient's module
    assignments are left as they are (they may finish what they started)."""
    _clinician_only(access)
    user = _user(actor)
    note = note.strip()
    errors: dict[str, list[str]] = {}
    _require_text(
        errors,
        "end_note",
        note,
        _("Write a note on how the treatment ended."),
        too_long=_("Keep the note shorter than 2000 characters."),
    )
    plans = Plan.objects.filter(patient=access.patient)
    plan = plans.filter(status=Plan.Status.ACTIVE).first()
    if plan is None:
        errors[NON_FIELD] = [_("Only an active plan can be completed.")]
    elif plans.filter(status=Plan.Status.DRAFT).exists():
        errors[NON_FIELD] = [
            _(
                "A revision of this plan is in preparation. Activate or discard it before "
                "completing."
            )
        ]
    _refuse(errors, actor=actor, access=access, action="update", plan=plan, detail="not completed")
    if plan is None:  # pragma: no cover - _refuse raised for it
        raise ValidationError(errors)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        plan.status = Plan.Status.COMPLETED
        plan.ended_at = timezone.now()
        plan.ended_by = user
        plan.end_note = note
        plan.updated_at = plan.ended_at
        plan.save(update_fields=["status", "ended_at", "ended_by", "end_note", "updated_at"])
        _audit(actor, access, "update", plan=plan, detail="plan completed")
    return plan


# ------------------------------------------------------------------ exports


def _author(plan: Plan) -> str:
    return plan.created_by.full_name or str(plan.created_by.public_id)


def fhir_bundle(plan: Plan, knowledge: KnowledgeBase, language: Language) -> dict[str, Any]:
    """The plan as a FHIR collection Bundle (CarePlan + Goals), each resource validated."""
    bundle = care_plan_bundle(
        selectors.core_plan(plan, knowledge),
        patient_ref=str(plan.patient.public_id),
        author_ref=_author(plan),
        timestamp=timezone.now(),
        language=language,
    )
    validate_resource(bundle, "Bundle")
    for entry in bundle["entry"]:
        validate_resource(entry["resource"], entry["resource"]["resourceType"])
    return bundle


def plan_export_fhir(*, actor: Actor, access: PatientAccess, language: Language) -> bytes:
    """The FHIR Bundle as JSON bytes; nothing is served unless every resource validates."""
    _clinician_only(access)
    plan = selectors.current_plan(access)
    if plan is None:
        _audit(actor, access, "export", detail="no plan", outcome="error")
        raise ValidationError({NON_FIELD: [_("There is no plan yet.")]})
    try:
        bundle = fhir_bundle(plan, selectors.knowledge_of(access), language)
    except FhirMappingError:
        _audit(actor, access, "export", plan=plan, detail="fhir invalid", outcome="error")
        raise
    _audit(actor, access, "export", plan=plan, detail="fhir CarePlan bundle")
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode()


def plan_export_pdf(*, actor: Actor, access: PatientAccess, context: dict[str, Any]) -> bytes:
    """The plan as a PDF (the context is the plan page's, built by the view)."""
    _clinician_only(access)
    plan = context.get("plan")
    if plan is None:
        _audit(actor, access, "print", detail="no plan", outcome="error")
        raise ValidationError({NON_FIELD: [_("There is no plan yet.")]})
    pdf = render_pdf("planning/plan_pdf.html", context)
    _audit(actor, access, "print", plan=plan, detail="plan pdf")
    return pdf
