"""A plan as a FHIR R4 ``CarePlan`` with one ``Goal`` per GAS goal (pure: values in,
dicts out).

* ``CarePlan``: status (draft/active/completed/revoked), intent ``plan``, the care level
  as category, subject (the Maatwerk patient id, never a name), period (created → created
  + expected weeks), author, one activity per module (``detail.code`` the module id,
  ``detail.description`` its name, ``detail.status``) and per multidisciplinary part
  (``detail.code`` the intervention id), references to the goals, and notes with every
  reason, the decisions and the (unverified) expected duration.
* ``Goal``: ``description.text`` is the patient's own words; ``target`` is the GAS
  expected outcome (attainment level 0) as ``detailInteger`` with a Maatwerk ``measure``
  code; the five level descriptions and the current level are notes (R4 has no element
  for a GAS scale).

Conventions: docs/planning/README.md and docs/adr/0005-fhir-r4b-models.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Final, Literal

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.fhir.constants import BASE, PATIENT_IDENTIFIER_SYSTEM
from maatwerk.core.fhir.service_request import CARE_LEVEL_SYSTEM
from maatwerk.core.planning.plan import GAS_LEVELS, ModuleStatus, Plan, PlanGoal, PlanStatus

__all__ = [
    "CARE_PLAN_IDENTIFIER_SYSTEM",
    "GAS_MEASURE_SYSTEM",
    "INTERVENTION_SYSTEM",
    "MODULE_SYSTEM",
    "care_plan_bundle",
    "goal_full_url",
    "goal_id",
    "plan_to_fhir",
]

Language = Literal["nl", "en"]

CARE_PLAN_IDENTIFIER_SYSTEM: Final = f"{BASE}/care-plan"
"""``CarePlan.identifier`` and ``Goal.identifier``: the Maatwerk plan id (+ ``-goal-N``)."""
MODULE_SYSTEM: Final = f"{BASE}/CodeSystem/module"
"""``CarePlan.activity.detail.code``: the module id of the module catalogue."""
INTERVENTION_SYSTEM: Final = f"{BASE}/CodeSystem/intervention"
"""``CarePlan.activity.detail.code`` of a multidisciplinary part: the intervention id."""
GAS_MEASURE_SYSTEM: Final = f"{BASE}/CodeSystem/gas"
"""``Goal.target.measure``: code ``attainment-level`` (Goal Attainment Scaling, −2 … +2)."""

_CARE_PLAN_STATUS: dict[PlanStatus, str] = {
    "draft": "draft",
    "active": "active",
    "completed": "completed",
    "revoked": "revoked",
}
_GOAL_LIFECYCLE: dict[PlanStatus, str] = {
    "draft": "proposed",
    "active": "active",
    "completed": "completed",
    "revoked": "cancelled",
}
_ACTIVITY_STATUS: dict[ModuleStatus, str] = {
    "not_started": "not-started",
    "in_progress": "in-progress",
    "completed": "completed",
    "stopped": "stopped",
}
# The export's own words and sentences (title, duration, decisions, format, GAS notes) are
# prose in ``content/prose/fhir_care_plan.json``; the plan's texts come with the plan.
PROSE_FILE: Final = "fhir_care_plan.json"


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


def _t(key: str, language: Language, **values: str | int) -> str:
    return _prose().text(key, language, **{name: str(value) for name, value in values.items()})


def goal_id(plan: Plan, index: int) -> str:
    """The resource id of the plan's goal at ``index`` (0-based)."""
    return f"{plan.plan_id}-goal-{index + 1}"


def goal_full_url(plan: Plan, index: int) -> str:
    """The ``urn:uuid:`` by which the plan's goal at ``index`` is known inside a Bundle.

    A name-based UUID (RFC 4122 version 5) of the goal's identifier, so that exporting
    the same plan twice gives the same references, and ``CarePlan.goal`` resolves to the
    Goal's ``fullUrl`` inside the Bundle (R4 Bundle rules: a fullUrl is absolute or a
    ``urn:uuid:``, and a reference in an entry resolves against the Bundle's fullUrls).
    """
    name = f"{CARE_PLAN_IDENTIFIER_SYSTEM}/{goal_id(plan, index)}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def care_plan_full_url(plan: Plan) -> str:
    """The CarePlan's ``fullUrl``: its Maatwerk plan id when that is a UUID (it is in the
    web app), otherwise a name-based UUID of the plan identifier."""
    try:
        return f"urn:uuid:{uuid.UUID(plan.plan_id)}"
    except ValueError:
        name = f"{CARE_PLAN_IDENTIFIER_SYSTEM}/{plan.plan_id}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def care_plan_bundle(
    plan: Plan,
    *,
    patient_ref: str,
    author_ref: str,
    timestamp: datetime,
    language: Language = "nl",
) -> JsonObject:
    """The plan as a ``collection`` Bundle: the CarePlan, then its Goals, every entry with
    a ``urn:uuid:`` fullUrl and ``CarePlan.goal`` pointing at the Goals' fullUrls."""
    care_plan, goals = plan_to_fhir(
        plan, patient_ref=patient_ref, author_ref=author_ref, language=language
    )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp.isoformat(),
        "entry": [
            {"fullUrl": care_plan_full_url(plan), "resource": care_plan},
            *(
                {"fullUrl": goal_full_url(plan, index), "resource": goal}
                for index, goal in enumerate(goals)
            ),
        ],
    }


def plan_to_fhir(
    plan: Plan, *, patient_ref: str, author_ref: str, language: Language = "nl"
) -> tuple[JsonObject, list[JsonObject]]:
    """The plan as ``(CarePlan, [Goal, ...])``.

    ``patient_ref`` is the Maatwerk patient id (a UUID), ``author_ref`` the author as
    displayed ("name, discipline"); texts are in ``language``.
    """
    if not patient_ref.strip():
        raise ValueError("patient_ref must be the patient's Maatwerk id")
    subject = {
        "type": "Patient",
        "identifier": {"system": PATIENT_IDENTIFIER_SYSTEM, "value": patient_ref},
    }
    goals = [
        _goal(plan, goal, goal_id(plan, index), subject, language)
        for index, goal in enumerate(plan.goals)
    ]
    activities: list[JsonObject] = []
    notes: list[JsonObject] = []
    for module in plan.modules:
        name = _pick(module.name, language, module.module_id)
        activities.append(
            {
                "detail": {
                    "code": {
                        "coding": [
                            {"system": MODULE_SYSTEM, "code": module.module_id, "display": name}
                        ],
                        "text": name,
                    },
                    "status": _ACTIVITY_STATUS[module.status],
                    "description": name,
                }
            }
        )
        notes.extend(
            {"text": f"{module.order}. {name}: {line}"} for line in module.reasons.get(language, ())
        )
    for part in plan.multidisciplinary:
        name = _pick(part.intervention_name, language, part.intervention_id)
        reason = _pick(part.reason, language, part.rule_id)
        activities.append(
            {
                "detail": {
                    "code": {
                        "coding": [
                            {
                                "system": INTERVENTION_SYSTEM,
                                "code": part.intervention_id,
                                "display": name,
                            }
                        ],
                        "text": name,
                    },
                    "status": "not-started",
                    "description": reason,
                }
            }
        )
        flag = " [unverified]" if part.unverified else ""
        sources = f" ({', '.join(part.sources)})" if part.sources else ""
        notes.append({"text": f"{name}: {reason}{sources}{flag}"})
    for decision in plan.decisions:
        action = _t(f"decision.{decision.action}", language)
        text = _t("decision", language, action=action, module=decision.module_id)
        notes.append({"text": f"{text}: {decision.reason}" if decision.reason.strip() else text})
    if plan.modality != "no_preference":
        modality = _t(f"modality.{plan.modality}", language)
        notes.append({"text": _t("modality", language, modality=modality)})
    duration = _t("duration", language, weeks=plan.duration.weeks)
    if plan.duration.capped:
        duration += _t("duration.capped", language, ceiling=str(plan.duration.ceiling_weeks))
    notes.append({"text": duration})

    period: JsonObject = {"start": plan.created.isoformat()}
    if plan.duration.weeks:
        period["end"] = (plan.created + timedelta(weeks=plan.duration.weeks)).isoformat()
    care_level = _pick(plan.care_level_name, language, plan.care_level)
    care_plan: JsonObject = {
        "resourceType": "CarePlan",
        "id": plan.plan_id,
        "identifier": [{"system": CARE_PLAN_IDENTIFIER_SYSTEM, "value": plan.plan_id}],
        "status": _CARE_PLAN_STATUS[plan.status],
        "intent": "plan",
        "category": [
            {
                "coding": [
                    {"system": CARE_LEVEL_SYSTEM, "code": plan.care_level, "display": care_level}
                ],
                "text": care_level,
            }
        ],
        "title": _t("title", language),
        "subject": subject,
        "period": period,
        "created": plan.created.isoformat(),
        "author": {"display": author_ref},
        "note": notes,
    }
    if goals:
        # The Goals travel in the same Bundle under their urn:uuid fullUrls.
        care_plan["goal"] = [
            {"reference": goal_full_url(plan, index)} for index in range(len(goals))
        ]
    if activities:
        care_plan["activity"] = activities
    return care_plan, goals


def _goal(
    plan: Plan, goal: PlanGoal, resource_id: str, subject: JsonObject, language: Language
) -> JsonObject:
    notes = [
        {"text": _t("goal.level", language, level=_signed(level), text=goal.levels[level].strip())}
        for level in GAS_LEVELS
    ]
    notes.append({"text": _t("goal.now", language, level=_signed(goal.goal.level))})
    return {
        "resourceType": "Goal",
        "id": resource_id,
        "identifier": [{"system": CARE_PLAN_IDENTIFIER_SYSTEM, "value": resource_id}],
        "lifecycleStatus": _GOAL_LIFECYCLE[plan.status],
        "description": {"text": goal.goal.name},
        "subject": subject,
        "startDate": plan.created.isoformat(),
        "target": [
            {
                "measure": {
                    "coding": [
                        {
                            "system": GAS_MEASURE_SYSTEM,
                            "code": "attainment-level",
                            "display": _t("goal.gas_level", language),
                        }
                    ],
                    "text": _t("goal.expected", language, text=goal.levels[0].strip()),
                },
                "detailInteger": 0,
            }
        ],
        "note": notes,
    }


def _pick(texts: Mapping[str, str], language: Language, default: str) -> str:
    return texts.get(language) or texts.get("en") or texts.get("nl") or default


def _signed(level: int) -> str:
    """GAS levels as written on a GAS form: −2, −1, 0, +1, +2."""
    return f"{level:+d}" if level else "0"
