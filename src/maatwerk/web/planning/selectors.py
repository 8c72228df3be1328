"""Reading plans, always through the patient access rule, and turning the stored rows
back into the core's ``Plan`` value for the exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.instruments.personalized import GasGoal
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.modules.model import Module, ModuleCatalogue
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.decisions import AcceptedModule, PlanDecision
from maatwerk.core.planning.definitions import PlanningRulesFile
from maatwerk.core.planning.multidisciplinary import MultidisciplinaryPart
from maatwerk.core.planning.plan import GAS_LEVELS, PlanGoal, PlannedModule
from maatwerk.core.planning.plan import Plan as CorePlan
from maatwerk.core.planning.roles import Responsibility, may_be_regiebehandelaar, responsibility
from maatwerk.core.referral.roles import REFERRING_DISCIPLINES
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import RuleReason
from maatwerk.core.screening.stepped_care import escalate
from maatwerk.core.screening.summary import CareLevelChoice
from maatwerk.web.formulation import selectors as formulation_selectors
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.patients.opening import is_uuid
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.personalized.selectors import measurements_of
from maatwerk.web.planning import codec
from maatwerk.web.planning.models import (
    Plan,
    PlanCareLevelStep,
    PlanDecisionRecord,
    PlanModule,
    PlanPart,
)
from maatwerk.web.screening import sources as screening_sources
from maatwerk.web.screening.models import ScreeningProfileSnapshot
from maatwerk.web.screening.selectors import StoredProfile, care_level_choice, stored_profile

OBJECT_PLAN = "care_plan"
"""Audit object type of a plan (read, change, export)."""

Language = Literal["nl", "en"]
OPEN_STATUSES = (Plan.Status.DRAFT, Plan.Status.ACTIVE)


@lru_cache(maxsize=1)
def catalogue() -> ModuleCatalogue:
    return bundled_catalogue()


@lru_cache(maxsize=1)
def planning_rules() -> PlanningRulesFile:
    return bundled_planning_rules()


def knowledge_of(access: PatientAccess) -> KnowledgeBase:
    return knowledge_for(access.patient.organization_id)


# ------------------------------------------------------------------ rows


def current_plan(access: PatientAccess) -> Plan | None:
    """The plan the clinician works on: the draft (a first plan or a revision), else the
    active plan, else the newest ended one."""
    plans = Plan.objects.filter(patient=access.patient).select_related(
        "created_by", "regiebehandelaar__user"
    )
    return (
        plans.filter(status=Plan.Status.DRAFT).first()
        or plans.filter(status=Plan.Status.ACTIVE).first()
        or plans.order_by("-created_at", "-pk").first()
    )


def open_plan_exists(access: PatientAccess) -> bool:
    """Whether the patient has a draft or an active plan."""
    return Plan.objects.filter(patient=access.patient, status__in=OPEN_STATUSES).exists()


def active_plan(access: PatientAccess) -> Plan | None:
    return (
        Plan.objects.filter(patient=access.patient, status=Plan.Status.ACTIVE)
        .select_related("created_by")
        .first()
    )


def max_open_modules(access: PatientAccess) -> int:
    """At most this many of the patient's modules are open at the same time (the plan's
    rounds): the number set on the patient's active plan, else the rules' default (3).

    The treatment app reads it to open a module only when the previous round is done;
    one query.
    """
    plan = (
        Plan.objects.filter(patient=access.patient, status=Plan.Status.ACTIVE)
        .only("preferences")
        .first()
    )
    return _max_at_once_of(plan)


def max_at_once_of(plan: Plan | None) -> int:
    """How many of ``plan``'s modules run at once: its own setting, else the default."""
    return _max_at_once_of(plan)


def _max_at_once_of(plan: Plan | None) -> int:
    chosen = plan.preferences.get("max_at_once") if plan is not None else None
    if isinstance(chosen, int) and not isinstance(chosen, bool) and chosen >= 1:
        return chosen
    return int(planning_rules().max_modules_at_once.value)


def patient_visible_plan(access: PatientAccess) -> Plan | None:
    """What "My plan" shows: the active plan; after the end of treatment the completed
    one. Never a draft or a plan that was revised."""
    plans = Plan.objects.filter(patient=access.patient).select_related("created_by")
    return (
        plans.filter(status=Plan.Status.ACTIVE).first()
        or plans.filter(status=Plan.Status.COMPLETED).order_by("-ended_at", "-pk").first()
    )


def care_level_steps_of(plan: Plan) -> list[PlanCareLevelStep]:
    return list(plan.care_level_steps.select_related("decided_by").order_by("decided_at", "pk"))


@dataclass(frozen=True)
class HistoryEntry:
    """One plan in the patient's history and what changed against the plan it revised."""

    plan: Plan
    added: tuple[str, ...]  # module ids new in this plan
    removed: tuple[str, ...]  # module ids the revised plan had and this one has not
    care_level_from: str  # "" when the level of care did not change
    steps: tuple[PlanCareLevelStep, ...]


def plan_history(access: PatientAccess) -> list[HistoryEntry]:
    """Every plan of the patient, newest first, each compared with its predecessor."""
    plans = list(
        Plan.objects.filter(patient=access.patient)
        .select_related("created_by", "ended_by", "revises")
        .prefetch_related("modules")
        .order_by("-created_at", "-pk")
    )
    planned = {
        plan.pk: [row.module_id for row in sorted(plan.modules.all(), key=_order) if row.in_plan]
        for plan in plans
    }
    history = []
    for plan in plans:
        now = planned[plan.pk]
        before = planned.get(plan.revises_id, []) if plan.revises_id else []
        previous_level = plan.revises.care_level if plan.revises is not None else ""
        history.append(
            HistoryEntry(
                plan=plan,
                added=tuple(m for m in now if m not in before) if plan.revises_id else (),
                removed=tuple(m for m in before if m not in now),
                care_level_from=previous_level if previous_level != plan.care_level else "",
                steps=tuple(care_level_steps_of(plan)),
            )
        )
    return history


def _order(row: PlanModule) -> tuple[bool, int]:
    return (row.order is None, row.order or 0)


def modules_of(plan: Plan) -> list[PlanModule]:
    """Every module row: those in the plan in plan order, then the others by rank."""
    rows = list(plan.modules.all())
    return sorted(rows, key=lambda row: (row.order is None, row.order or 0, row.rank or 999))


def planned_modules_of(plan: Plan) -> list[PlanModule]:
    return [row for row in modules_of(plan) if row.in_plan]


def decisions_of(plan: Plan) -> list[PlanDecisionRecord]:
    return list(plan.decisions.select_related("decided_by").order_by("decided_at", "pk"))


def parts_of(plan: Plan) -> list[PlanPart]:
    return list(plan.parts.order_by("position"))


def effective_decisions(records: list[PlanDecisionRecord]) -> list[PlanDecision]:
    """The decisions that stand, in the order they were first made: a later decision on
    a module replaces the earlier one; removing a module the clinician added withdraws
    the addition (the module was never recommended, so there is nothing to remove)."""
    standing: dict[str, PlanDecision] = {}
    for record in records:
        previous = standing.get(record.module_id)
        if record.action == "remove" and previous is not None and previous.action == "add":
            del standing[record.module_id]
            continue
        decision = PlanDecision(record.module_id, record.action, record.reason)  # type: ignore[arg-type]
        if previous is not None:
            del standing[record.module_id]  # re-inserted: its place is the newest decision
        standing[record.module_id] = decision
    return list(standing.values())


# ------------------------------------------------------------------ care roles


@dataclass(frozen=True)
class CareRoles:
    """Who is responsible for the plan's care: the GP in general practice, a
    regiebehandelaar (chosen) in the GGZ."""

    responsibility: Responsibility
    gps: tuple[Membership, ...]  # the GPs on the patient's care team
    candidates: tuple[Membership, ...]  # care team members who may be regiebehandelaar
    regiebehandelaar: Membership | None


def _care_team(access: PatientAccess) -> list[Membership]:
    return [
        entry.membership
        for entry in CareTeamMember.objects.filter(
            episode__patient=access.patient,
            episode__status="active",
            is_active=True,
            membership__is_active=True,
        )
        .select_related("membership__user")
        .order_by("membership__user__full_name", "pk")
    ]


def care_roles(access: PatientAccess, plan: Plan) -> CareRoles:
    team = _care_team(access)
    return CareRoles(
        responsibility=responsibility(plan.care_level),
        gps=tuple(m for m in team if m.discipline in REFERRING_DISCIPLINES),
        candidates=tuple(m for m in team if may_be_regiebehandelaar(plan.care_level, m.discipline)),
        regiebehandelaar=plan.regiebehandelaar,
    )


# ------------------------------------------------------------------ screening inputs


@dataclass(frozen=True)
class PlanBasis:
    """What a plan is made from: the latest screening profile and the level of care."""

    stored: StoredProfile
    care_level: str
    care_level_source: str
    choice: CareLevelChoice | None = None  # the clinician's decision, when made


def plan_basis(access: PatientAccess) -> PlanBasis | None:
    """The patient's latest computed screening profile, with the clinician's decision on
    the level of care when it was made on this profile (else the advice)."""
    snapshot = (
        ScreeningProfileSnapshot.objects.filter(screening__patient=access.patient)
        .exclude(screening__status="cancelled")
        .select_related("screening")
        .order_by("-computed_at", "-pk")
        .first()
    )
    if snapshot is None:
        return None
    stored = stored_profile(snapshot)
    choice = care_level_choice(snapshot)
    if choice is not None:
        return PlanBasis(stored, choice.decided, Plan.CareLevelSource.DECISION, choice)
    return PlanBasis(stored, stored.advice.care_level, Plan.CareLevelSource.ADVICE)


def maintaining_factors_of(access: PatientAccess) -> tuple[str, ...]:
    """The knowledge-base factors of the consequences the latest formulation marks as
    maintaining, and of its perpetuating 3P entries (empty without a formulation)."""
    formulation = formulation_selectors.formulation_of_patient(access)
    if formulation is None:
        return ()
    document = formulation_selectors.document_of(formulation_selectors.current_version(formulation))
    found = [c.factor_id for c in document.maintaining_consequences if c.factor_id]
    found += [
        tagged.factor_id
        for tagged in document.tagged_factors
        if tagged.factor_id and tagged.role == "perpetuating"
    ]
    return tuple(dict.fromkeys(found))


# ------------------------------------------------------------------ goals


@dataclass(frozen=True)
class ProposedGoal:
    """A goal the patient already named, proposed as a GAS goal: from step 3 of the
    gevolgenmodel or from the intake ("wil eerst werken aan")."""

    text: str
    source: Literal["formulation", "intake"]


def proposed_goals(access: PatientAccess, basis: PlanBasis | None) -> tuple[ProposedGoal, ...]:
    """The patient's own goals in their words, formulation first, each text once (read
    through the formulation and screening data the access opens)."""
    found: list[ProposedGoal] = []
    formulation = formulation_selectors.formulation_of_patient(access)
    if formulation is not None:
        document = formulation_selectors.document_of(
            formulation_selectors.current_version(formulation)
        )
        found += [ProposedGoal(" ".join(g.text.split()), "formulation") for g in document.goals]
    if basis is not None and basis.stored.profile.priorities.first_problem.strip():
        first = basis.stored.profile.priorities.first_problem
        found.append(ProposedGoal(" ".join(first.split()).rstrip(".!?… "), "intake"))
    seen: set[str] = set()
    unique = []
    for goal in found:
        key = goal.text.casefold()
        if goal.text and key not in seen:
            seen.add(key)
            unique.append(goal)
    return tuple(unique)


@dataclass(frozen=True)
class GoalView:
    item: MeasureItem
    level: int | None  # the latest measured level
    levels: dict[int, str]  # −2 … +2 -> description ("" when not described)


def goals_of(plan: Plan) -> list[GoalView]:
    if plan.goal_set is None:
        return []
    return goals_of_set(plan.goal_set)


def goals_of_set(measure_set: MeasureSet) -> list[GoalView]:
    measurements = measurements_of(measure_set)
    latest: dict[int, int] = {}
    for measurement in measurements:
        for value in measurement.values.all():
            latest[value.item_id] = value.value
    goals = []
    for item in measure_set.items.all():
        described = {"0": item.expected_outcome, **item.level_descriptions}
        goals.append(
            GoalView(
                item=item,
                level=latest.get(item.pk),
                levels={level: described.get(str(level), "") for level in GAS_LEVELS},
            )
        )
    return goals


# ------------------------------------------------------------------ the core value


def module_of(module_id: str) -> Module | None:
    return catalogue().module(module_id) if module_id in catalogue().ids else None


def core_plan(plan: Plan, knowledge: KnowledgeBase) -> CorePlan:
    """The stored plan as the core's value: reasons and parts as they were decided."""
    standing = {d.module_id: d for d in effective_decisions(decisions_of(plan))}
    modules = []
    for row in planned_modules_of(plan):
        module = module_of(row.module_id)
        name = (
            {lang: text for lang in ("nl", "en") if (text := module.name.get(lang))}
            if module is not None
            else {}
        )
        recommendation = (
            codec.recommendation_from_json(row.recommendation) if row.recommendation else None
        )
        modules.append(
            PlannedModule(
                module_id=row.module_id,
                order=row.order or 0,
                name=MappingProxyType(name or {"en": row.module_id}),
                status="not_started",
                accepted=AcceptedModule(
                    row.module_id, row.order or 0, recommendation, standing.get(row.module_id)
                ),
                reasons=MappingProxyType(
                    {lang: tuple(lines) for lang, lines in row.reason_lines.items()}
                ),
            )
        )
    not_described = _("(not described)")
    goals = [
        PlanGoal(
            goal=GasGoal(
                goal.item.name,
                goal.level if goal.level is not None else -1,
                float(goal.item.weight),
            ),
            levels=MappingProxyType(
                {level: text or not_described for level, text in goal.levels.items()}
            ),
        )
        for goal in goals_of(plan)
    ]
    care_level_name = {}
    try:
        level = knowledge.care_level(plan.care_level)
        care_level_name = {lang: text for lang in ("nl", "en") if (text := level.name.get(lang))}
    except KeyError:
        care_level_name = {"en": plan.care_level}
    created = timezone.localdate(plan.created_at)
    updated = max(created, timezone.localdate(plan.updated_at))
    return CorePlan(
        plan_id=str(plan.public_id),
        # FHIR's "revoked" is a plan ended before completion, possibly replaced by a new one.
        status="revoked" if plan.status == Plan.Status.REVISED else plan.status,  # type: ignore[arg-type]
        care_level=plan.care_level,
        care_level_name=MappingProxyType(care_level_name),
        modality=plan.preferences.get("modality", "no_preference"),
        modules=tuple(modules),
        goals=tuple(goals),
        multidisciplinary=tuple(part_value(part) for part in parts_of(plan)),
        duration=codec.duration_from_json(plan.duration),
        decisions=tuple(standing.values()),
        created=created,
        updated=updated,
    )


def part_value(part: PlanPart) -> MultidisciplinaryPart:
    return MultidisciplinaryPart(
        rule_id=part.rule_id,
        intervention_id=part.intervention_id,
        intervention_name=MappingProxyType(dict(part.intervention_name)),
        discipline_id=part.discipline_id or None,
        reason=MappingProxyType(dict(part.reason)),
        factors=tuple(part.factors),
        flags=tuple(part.flags),
        severity=part.severity or None,  # type: ignore[arg-type]
        sources=tuple(part.sources),
        unverified=part.unverified,
        note=part.note or None,
    )


@dataclass(frozen=True)
class StepUpAdvice:
    """The next level of care for the plan's level, from the stepped-care rules."""

    from_level: str
    to_level: str | None  # None: already the most intensive level
    reasons: tuple[RuleReason, ...]
    unverified: bool


def step_up_advice(access: PatientAccess, plan: Plan, *, reason: str = "") -> StepUpAdvice | None:
    """``escalate`` for the plan's level of care; None when the level is unknown."""
    try:
        advice = escalate(
            plan.care_level,
            reason=reason,
            knowledge=screening_sources.knowledge_of(access.patient.organization_id),
            content=screening_sources.content_of(access.patient.organization_id),
        )
    except ScreeningInputError:
        return None
    return StepUpAdvice(advice.from_level, advice.to_level, advice.reasons, advice.unverified)


def today() -> date:
    return timezone.localdate()


def max_modules_at_once(plan_ref: str) -> int:
    """How many modules of a plan the patient works on at once: the plan's own setting,
    else the default of the planning rules. For the treatment app, which opens a plan's
    modules round by round (``maatwerk.core.planning.rounds``)."""
    plan = Plan.objects.filter(public_id=plan_ref).first() if is_uuid(plan_ref) else None
    return _max_at_once_of(plan)
