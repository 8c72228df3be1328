"""The level of care decided at the screening after the plan was made (issue: one
level across the screening profile, the referral and the plan).

A plan keeps the level it was made at: its modules were chosen for it. When the
clinician decides another level later (and may refer for it), the plan pages say so
next to the plan's level, instead of silently showing the older level as current.
Reads only; the calling view audited the read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.selectors import PlanBasis, care_level_steps_of
from maatwerk.web.providers.selectors import latest_referral_sent_for
from maatwerk.web.screening.selectors import latest_decision


@dataclass(frozen=True)
class LevelDecidedSince:
    """The level decided after the plan's level was set, and the referral sent for it."""

    care_level: str
    decided_at: datetime
    referred_at: datetime | None
    referred_to: str  # the provider's name as in the letter ("" without a referral)


def level_decided_since(
    access: PatientAccess, plan: Plan, basis: PlanBasis | None
) -> LevelDecidedSince | None:
    """The decided level for the plan of the opened patient (``access``, as opened by
    the calling view). None when the plan is at the decided level, or its level was set after the
    decision (a revision or a step up is newer than the screening's decision)."""
    if basis is None or basis.choice is None or basis.choice.decided == plan.care_level:
        return None
    decision = latest_decision(basis.stored.snapshot.screening)
    if decision is None:
        return None
    level_set_at = max([plan.created_at, *(step.decided_at for step in care_level_steps_of(plan))])
    if decision.decided_at <= level_set_at:
        return None
    referral = latest_referral_sent_for(access, decision.decided_level, decision.decided_at)
    return LevelDecidedSince(
        care_level=decision.decided_level,
        decided_at=decision.decided_at,
        referred_at=referral.sent_at if referral is not None else None,
        referred_to=str(referral.provider_snapshot.get("name", "")) if referral else "",
    )


def level_decided_since_shown(
    access: PatientAccess,
    plan: Plan,
    basis: PlanBasis | None,
    knowledge: KnowledgeBase,
    language: str,
) -> dict[str, object] | None:
    """:func:`level_decided_since` for a template: the level named in ``language``."""
    since = level_decided_since(access, plan, basis)
    if since is None:
        return None
    try:
        level = knowledge.care_level(since.care_level).name.get(language, fallback=True)
    except KeyError:
        level = None
    return {
        "name": level or since.care_level,
        "decided_at": since.decided_at,
        "referred_at": since.referred_at,
        "referred_to": since.referred_to,
    }
