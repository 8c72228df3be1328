"""What the plan pages show, built from the stored rows (no writes, no audit: the
calling view audited the read)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from maatwerk.core.access import AccessBasis
from maatwerk.core.bibliography import citations
from maatwerk.core.instruments.personalized import GAS_MAX_GOALS
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.planning.rounds import round_of
from maatwerk.web.analysis import presenters as analysis
from maatwerk.web.patients.selectors import PatientAccess, episodes_for
from maatwerk.web.personalized.services import GoalInput
from maatwerk.web.planning import codec, selectors
from maatwerk.web.planning.decided_level import level_decided_since_shown
from maatwerk.web.planning.models import Plan, PlanModule, PlanPart
from maatwerk.web.questionnaires import selectors as questionnaire_selectors
from maatwerk.web.questionnaires.results import (
    Deterioration,
    deterioration_summary,
    deteriorations,
    result_rows,
)
from maatwerk.web.safety.selectors import risk_banner_of
from maatwerk.web.screening.subgroup_flags import reads_short_texts

if TYPE_CHECKING:
    from maatwerk.web.personalized.forms import GoalsForm
    from maatwerk.web.planning.forms import PostedPreferences

# What a page's template gets: values of every kind, read by the template only.
PageContext = dict[str, object]

MODALITY_CHOICES = ("no_preference", "online", "face_to_face", "blended")


def _text(localized: LocalizedText | None, language: str, default: str = "") -> str:
    if localized is None:
        return default
    return localized.get(language, fallback=True) or default


def _pick(texts: dict[str, str], language: str, default: str = "") -> str:
    return texts.get(language) or texts.get("en") or texts.get("nl") or default


def _care_level(knowledge: KnowledgeBase, level_id: str, language: str) -> dict[str, str]:
    try:
        level = knowledge.care_level(level_id)
    except KeyError:
        return {"id": level_id, "name": level_id, "description": ""}
    return {
        "id": level_id,
        "name": _text(level.name, language, level_id),
        "description": _text(level.description, language),
    }


def _discipline(knowledge: KnowledgeBase, discipline_id: str, language: str) -> str:
    for discipline in knowledge.disciplines.disciplines:
        if discipline.id == discipline_id:
            return _text(discipline.name, language, discipline_id)
    return discipline_id


def _factor(knowledge: KnowledgeBase, factor_id: str, language: str) -> str:
    try:
        return _text(knowledge.factor(factor_id).name, language, factor_id)
    except KeyError:
        return factor_id


class ModuleRow(TypedDict):
    """A module of the plan as the clinician's page lists it."""

    row: PlanModule
    module_id: str
    name: str
    summary: str
    clinician_summary: str
    weeks: int | None
    reasons: list[str]
    wave: int | None
    unverified: bool
    excluded_words: str | None


class GoalRow(TypedDict):
    """One GAS goal of the plan's goal form, with its levels -2..2 and its error."""

    index: int
    goal: GoalInput
    m2: str
    m1: str
    p1: str
    p2: str
    error: str
    proposed_from: str


class PatientChanges(TypedDict):
    """What the last revision changed, for the patient."""

    when: datetime | None
    added: list[str]
    removed: list[str]
    care_level_from: str
    care_level_to: str


class PartRow(TypedDict):
    """A part of the plan given by another discipline (an intervention, not a module)."""

    part: PlanPart
    name: str
    reason: str
    discipline: str
    factors: list[str]
    sources: str


def _module_row(row: PlanModule, language: str) -> ModuleRow:
    module = selectors.module_of(row.module_id)
    rec = codec.recommendation_from_json(row.recommendation) if row.recommendation else None
    return {
        "row": row,
        "module_id": row.module_id,
        "name": _text(module.name, language, row.module_id) if module else row.module_id,
        "summary": _text(module.summary, language) if module else "",
        "clinician_summary": _text(module.clinician_summary, language) if module else "",
        "weeks": module.expected_weeks if module else None,
        "reasons": row.reason_lines.get(language, []),
        "wave": rec.wave if rec else None,
        "unverified": rec.unverified if rec else False,
        "excluded_words": rec.excluded_reason if rec else "",
    }


def _part(part: PlanPart, knowledge: KnowledgeBase, language: str) -> PartRow:
    return {
        "part": part,
        "name": _pick(part.intervention_name, language, part.intervention_id),
        "reason": _pick(part.reason, language),
        "discipline": _discipline(knowledge, part.discipline_id, language)
        if part.discipline_id
        else "",
        "factors": [_factor(knowledge, f, language) for f in part.factors],
        "sources": citations(part.sources),
    }


def _goal_rows(
    plan: Plan | None,
    posted_form: GoalsForm | None,
    errors: dict[str, list[str]],
    proposed: tuple[selectors.ProposedGoal, ...] = (),
) -> list[GoalRow]:
    sources: dict[int, str] = {}
    posted = None if posted_form is None else posted_form.typed()
    problems = [] if posted_form is None else posted_form.row_errors(errors)
    if posted is None:
        existing = selectors.goals_of(plan) if plan is not None else []
        posted = [
            GoalInput(
                name=goal.item.name,
                weight=str(goal.item.weight.normalize()),
                expected_outcome=goal.levels[0],
                levels={key: goal.levels[int(key)] for key in ("-2", "-1", "1", "2")},
            )
            for goal in existing
        ]
        if not existing:
            # The patient's own goals are proposed; the clinician describes the levels
            # and chooses the starting level with the patient.
            for goal in proposed[:GAS_MAX_GOALS]:
                sources[len(posted)] = goal.source
                posted.append(GoalInput(name=goal.text[:200], weight="1"))
        posted += [GoalInput(name="", weight="1") for _n in range(GAS_MAX_GOALS - len(posted))]
    return [
        {
            "index": n,
            "goal": goal,
            "m2": goal.levels.get("-2", ""),
            "m1": goal.levels.get("-1", ""),
            "p1": goal.levels.get("1", ""),
            "p2": goal.levels.get("2", ""),
            "error": " ".join(problems[n] if n < len(problems) else []),
            "proposed_from": sources.get(n, ""),
        }
        for n, goal in enumerate(posted)
    ]


def plan_page(
    access: PatientAccess,
    language: str,
    *,
    typed: Mapping[str, str] | None = None,
    preferences: PostedPreferences | None = None,
    goals: GoalsForm | None = None,
    errors: dict[str, list[str]] | None = None,
) -> PageContext:
    """The clinician's plan page (and the PDF). After a refusal, what was typed into
    the refused form: ``typed`` (the reasons, the decision), ``preferences`` or the bound
    ``goals`` form (what was typed in each goal row, with the row's problems)."""
    knowledge = selectors.knowledge_of(access)
    plan = selectors.current_plan(access)
    basis = selectors.plan_basis(access)
    rules = selectors.planning_rules()
    catalogue = [
        {"id": module.id, "name": _text(module.name, language, module.id)}
        for module in selectors.catalogue().modules
    ]
    context: PageContext = {
        "patient": access.patient,
        "risk": risk_banner_of(access.patient),
        "access": access,
        "plan": plan,
        "basis": basis,
        "language": language,
        "modalities": MODALITY_CHOICES,
        "catalogue": catalogue,
        "posted": typed or {},
        "default_max_at_once": rules.max_modules_at_once.value,
    }
    stored = plan.preferences if plan is not None else {}
    chosen_flags = (
        preferences.flags
        if preferences is not None
        else plan.clinician_flags
        if plan is not None
        else []
    )
    context["flags"] = [
        {
            "id": flag.id,
            "label": _text(flag.label, language, flag.id),
            "checked": flag.id in chosen_flags,
        }
        for flag in rules.clinician_flags
    ]
    if preferences is not None:
        excluded = preferences.excluded
        context["modality"] = preferences.modality
        context["max_at_once"] = preferences.max_at_once
    else:
        excluded = stored.get("excluded_modules", {})
        context["modality"] = stored.get("modality", "no_preference")
        max_at_once = stored.get("max_at_once")
        context["max_at_once"] = "" if max_at_once is None else max_at_once
    context["exclusions"] = [
        {**module, "checked": module["id"] in excluded, "words": excluded.get(module["id"], "")}
        for module in catalogue
    ]
    if basis is not None:
        context["basis_care_level"] = _care_level(knowledge, basis.care_level, language)
    if plan is None:
        return context
    context["overruled"] = _overruled(basis, plan, knowledge, language)
    context["decided_since"] = level_decided_since_shown(access, plan, basis, knowledge, language)
    context["roles"] = selectors.care_roles(access, plan)
    rows = [_module_row(row, language) for row in selectors.modules_of(plan)]
    # The round of each module from the plan as it is now (plan order, at most n at
    # once): the grouping the expected duration adds up and the treatment app opens
    # modules by, not the recommendation's wave, which goes stale once the clinician
    # removes or adds a module.
    max_at_once = selectors.max_at_once_of(plan)
    for position, item in enumerate(item for item in rows if item["row"].in_plan):
        item["wave"] = round_of(position, max_at_once)
    in_plan_ids = {item["module_id"] for item in rows if item["row"].in_plan}
    waves = [int(w) for w in plan.duration.get("waves", ())]
    context["duration_rounds"] = {
        "count": len(waves),
        "weeks": " + ".join(str(w) for w in waves),
        "max_at_once": max_at_once,
    }
    context.update(
        {
            "draft": plan.status == Plan.Status.DRAFT,
            "care_level": _care_level(knowledge, plan.care_level, language),
            "planned": [item for item in rows if item["row"].in_plan],
            "removed": [item for item in rows if item["row"].status == PlanModule.Status.REMOVED],
            "excluded": [item for item in rows if item["row"].status == PlanModule.Status.EXCLUDED],
            "addable": [m for m in catalogue if m["id"] not in in_plan_ids],
            "parts": [_part(part, knowledge, language) for part in selectors.parts_of(plan)],
            "duration": plan.duration,
            "decisions": [
                {
                    "record": record,
                    "module": _text(
                        getattr(selectors.module_of(record.module_id), "name", None),
                        language,
                        record.module_id,
                    ),
                }
                for record in reversed(selectors.decisions_of(plan))
            ],
            "goals": selectors.goals_of(plan),
            "goal_rows": _goal_rows(
                plan,
                goals,
                errors or {},
                selectors.proposed_goals(access, basis)
                if plan.goal_set is None and goals is None
                else (),
            ),
            "maintaining": [_factor(knowledge, f, language) for f in plan.maintaining_factors],
        }
    )
    gas = selectors.core_plan(plan, knowledge).gas_score
    context["gas_t_score"] = round(gas.t_score, 1) if gas is not None else None
    context.update(_revision_context(access, plan, knowledge, language))
    return context


def _overruled(
    basis: selectors.PlanBasis | None, plan: Plan, knowledge: KnowledgeBase, language: str
) -> dict[str, str] | None:
    """For the clinician only: the advice the decided level of care overruled, and why
    (the plan itself, its PDF and FHIR, and the patient's pages show the decision)."""
    choice = basis.choice if basis is not None else None
    if (
        choice is None
        or not choice.overruled
        or plan.care_level_source != Plan.CareLevelSource.DECISION
        or plan.care_level != choice.decided
    ):
        return None
    return {
        "advised": _care_level(knowledge, choice.advised, language)["name"],
        "reason": choice.reason,
    }


def _module_name(module_id: str, language: str) -> str:
    module = selectors.module_of(module_id)
    return _text(module.name, language, module_id) if module else module_id


def _revision_context(
    access: PatientAccess, plan: Plan, knowledge: KnowledgeBase, language: str
) -> PageContext:
    """Revising, stepping up, completing, and the history of the patient's plans."""
    is_revision = plan.status == Plan.Status.DRAFT and plan.revises_id is not None
    monitoring: list[Deterioration] = []
    signals: list[analysis.SignalView] = []
    if is_revision or plan.status == Plan.Status.ACTIVE:
        rows = result_rows(
            questionnaire_selectors.results_for(access),
            language=language,
            unknown_sex=analysis.unknown_sex_norm(access),
        )
        monitoring = deteriorations(rows)
        signals = analysis.not_on_track(access, rows, language)
    reasons = (deterioration_summary(monitoring), analysis.signal_summary(signals))
    context: PageContext = {
        "monitoring": monitoring,
        "signals": signals,
        "monitoring_reason": "\n".join(reason for reason in reasons if reason),
        "is_revision": is_revision,
        "revises": plan.revises if is_revision else None,
        "can_revise": plan.status == Plan.Status.ACTIVE,
        "steps": [
            {
                "step": step,
                "from": _care_level(knowledge, step.from_level, language)["name"],
                "to": _care_level(knowledge, step.to_level, language)["name"],
            }
            for step in selectors.care_level_steps_of(plan)
        ],
        "history": [
            {
                "entry": entry,
                "added": [_module_name(m, language) for m in entry.added],
                "removed": [_module_name(m, language) for m in entry.removed],
                "care_level": _care_level(knowledge, entry.plan.care_level, language)["name"],
                "care_level_from": _care_level(knowledge, entry.care_level_from, language)["name"]
                if entry.care_level_from
                else "",
            }
            for entry in selectors.plan_history(access)
        ],
    }
    if is_revision:
        advice = selectors.step_up_advice(access, plan)
        context["step_up"] = (
            {
                "to_level": advice.to_level,
                "to_name": _care_level(knowledge, advice.to_level, language)["name"]
                if advice.to_level
                else "",
                "reasons": [
                    {
                        "text": _pick(dict(reason.text), language),
                        "sources": citations(reason.sources),
                        "unverified": reason.unverified,
                    }
                    for reason in advice.reasons
                    if reason.rule_id != "escalation.trigger"
                ],
                "unverified": advice.unverified,
            }
            if advice is not None
            else None
        )
    return context


def patient_plan(access: PatientAccess, language: str) -> PageContext:
    """ "My plan" at B1: a patient sees an active or completed plan, never a draft; a
    clinician opening the page sees what the patient will see."""
    knowledge = selectors.knowledge_of(access)
    by_patient = access.basis is AccessBasis.OWN_RECORD
    # A patient sees the active plan (or, after treatment, the completed one); a revision
    # in preparation stays the clinician's until it is activated.
    plan = selectors.patient_visible_plan(access)
    if plan is None and not by_patient:
        plan = selectors.current_plan(access)
    context: PageContext = {"patient": access.patient, "plan": plan, "by_patient": by_patient}
    if plan is None:
        return context
    context.update(
        {
            "modules": [
                _patient_module_row(row, language, short=reads_short_texts(access))
                for row in selectors.planned_modules_of(plan)
            ],
            "goals": selectors.goals_of(plan),
            "care_level": _care_level(knowledge, plan.care_level, language),
            "decided_since": level_decided_since_shown(
                access, plan, selectors.plan_basis(access), knowledge, language
            ),
            "parts": [_part(part, knowledge, language) for part in selectors.parts_of(plan)],
            "weeks": plan.expected_weeks,
            "team": [
                member
                for episode in episodes_for(access).filter(status="active")
                for member in episode.care_team.filter(is_active=True).select_related(
                    "membership__user"
                )
            ],
            "changes": _changes_for_patient(access, plan, knowledge, language),
        }
    )
    return context


def _patient_module_row(row: PlanModule, language: str, *, short: bool) -> ModuleRow:
    """A module as the patient reads it in "My plan": its shorter introduction for a
    patient with low literacy, where the module has one."""
    shown = _module_row(row, language)
    module = selectors.module_of(row.module_id)
    if short and module is not None and module.summary_short is not None:
        shown["summary"] = _text(module.summary_short, language)
    return shown


def _changes_for_patient(
    access: PatientAccess, plan: Plan, knowledge: KnowledgeBase, language: str
) -> PatientChanges | None:
    """What the last revision changed, in the patient's words: modules that came and went
    and a new level of care. The clinician's reason for the revision is not shown: it is
    written for colleagues, not at B1."""
    if plan.revises_id is None or plan.status == Plan.Status.DRAFT:
        return None
    entry = next((e for e in selectors.plan_history(access) if e.plan.pk == plan.pk), None)
    if entry is None:
        return None
    return {
        "when": plan.activated_at,
        "added": [_module_name(m, language) for m in entry.added],
        "removed": [_module_name(m, language) for m in entry.removed],
        "care_level_from": _care_level(knowledge, entry.care_level_from, language)["name"]
        if entry.care_level_from
        else "",
        "care_level_to": _care_level(knowledge, plan.care_level, language)["name"],
    }
