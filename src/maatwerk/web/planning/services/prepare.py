"""Preparing a draft plan from the patient's preferences and the recommendations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.planning.errors import DecisionError
from maatwerk.core.planning.matching import PlanPreferences, recommend_modules
from maatwerk.core.planning.multidisciplinary import multidisciplinary_parts
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan, PlanPart
from maatwerk.web.planning.services._common import (
    NON_FIELD,
    _audit,
    _clinician_only,
    _language,
    _open_plan,
    _refuse,
    _user,
    module_name,
)
from maatwerk.web.planning.services.recomputing import _compute, _write_rows

WORDS_MAX_LENGTH = 500


MODALITIES = ("no_preference", "online", "face_to_face", "blended")


MAX_AT_ONCE_LIMIT = 10


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
        module = error.module_id
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
