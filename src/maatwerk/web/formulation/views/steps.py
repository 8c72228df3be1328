"""The four steps: complaints, consequences, goals and the plan (with the diary as first
homework). A step is data (``editing.Step``: its row forms and how they make the next
version); its view adds only what its page shows besides the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import editing, forms, presenters, services
from maatwerk.web.formulation.selectors import FormulationAccess
from maatwerk.web.formulation.views.common import (
    Extras,
    Hints,
    _factor_choices,
    _opened,
    _step_view,
    _ui_language,
    plan_url,
)

StepView = Callable[[ActorRequest, str], HttpResponse]


def _step(step: editing.Step, extras: Extras | None = None, hints: Hints | None = None) -> StepView:
    @role_required(Role.CLINICIAN)
    @require_http_methods(["GET", "POST"])
    def view(request: ActorRequest, formulation_id: str) -> HttpResponse:
        return _step_view(request, formulation_id, step, extras, hints)

    return view


class ConsequenceChoices(TypedDict):
    factors: list[tuple[str, str]]
    domains: list[tuple[str, Promise]]
    roles: list[tuple[str, Promise]]


def _consequence_choices(
    opened: FormulationAccess, document: CoreFormulation
) -> ConsequenceChoices:
    return {
        "factors": _factor_choices(opened),
        "domains": [(d, presenters.DOMAIN_LABELS[d]) for d in CONSEQUENCE_DOMAINS],
        "roles": [(r, presenters.ROLE_LABELS[r]) for r in forms.ROLES],
    }


class PlanChoices(TypedDict):
    goals: list[tuple[str, str]]
    plan_url: str | None


def _plan_choices(opened: FormulationAccess, document: CoreFormulation) -> PlanChoices:
    return {
        "goals": [(g.id, g.text) for g in document.goals],
        "plan_url": plan_url(str(opened.access.patient.public_id)),
    }


def _goal_hints(document: CoreFormulation) -> dict[str, list[str]]:
    return presenters.goal_rows_hints(document, _ui_language())


complaints = _step(editing.COMPLAINTS)
consequences = _step(editing.CONSEQUENCES, extras=_consequence_choices)
goals = _step(editing.GOALS, hints=_goal_hints)
# Step 4: the activity plan, the first homework and the way to the treatment plan.
plan = _step(editing.PLAN, extras=_plan_choices)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def diary(request: ActorRequest, formulation_id: str) -> HttpResponse:
    """Step 4: propose the complaints diary as the first homework."""
    opened = _opened(request, formulation_id, "create")
    services.diary_propose(actor=request.actor, opened=opened)
    messages.success(request, _("The complaints diary is given to the patient as homework."))
    return redirect("formulation:plan", formulation_id=opened.object.public_id)
