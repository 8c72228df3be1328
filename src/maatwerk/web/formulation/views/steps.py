"""The four steps: complaints, consequences, goals and the plan (with the diary as first
homework).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import forms, presenters, services
from maatwerk.web.formulation.forms import RowForms
from maatwerk.web.formulation.selectors import FormulationAccess
from maatwerk.web.formulation.views.common import (
    Errors,
    _factor_choices,
    _opened,
    _posted,
    _step_view,
    _ui_language,
    plan_url,
)


def _complaint_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    bound: tuple[RowForms, ...] | None,
    errors: Errors,
) -> dict[str, Any]:
    if bound is None:
        values = [
            {"id": c.id, "text": c.text, "meaning": c.meaning, "remove": False}
            for c in document.complaints
        ]
        values.append({"id": "", "text": "", "meaning": "", "remove": False})
    else:
        values = _posted(bound[0], ("id", "text", "meaning", "remove"))
    rows = [
        {
            **value,
            "index": n,
            "field": f"complaint-{n}-text",
            "errors": errors.get(f"complaint-{n}-text", []),
            "meaning_field": f"complaint-{n}-meaning",
            "meaning_errors": errors.get(f"complaint-{n}-meaning", []),
        }
        for n, value in enumerate(values)
    ]
    return {"rows": rows, "row_count": len(rows), "errors": errors}


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def complaints(request: ActorRequest, formulation_id: str) -> HttpResponse:
    return _step_view(
        request,
        formulation_id,
        step="complaints",
        bind=lambda r: (forms.complaint_rows(r.POST if r else None),),
        save=lambda opened, bound: services.complaints_save(
            actor=request.actor, opened=opened, rows=bound[0]
        ),
        rows=_complaint_rows,
        next_step="consequences",
    )


def _consequence_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    bound: tuple[RowForms, ...] | None,
    errors: Errors,
) -> dict[str, Any]:
    blank_analysis = {"id": "", "situation": "", "remove": False}
    blank_analysis |= dict.fromkeys(forms.FA_PARTS, "")
    if bound is None:
        values = [
            {
                "id": c.id,
                "domain": c.domain,
                "words": c.words,
                "maintaining": c.maintaining,
                "factor": c.factor_id or "",
                "role": c.role or "",
                "remove": False,
            }
            for c in document.consequences
        ]
        values.append(
            {
                "id": "",
                "domain": "",
                "words": "",
                "maintaining": False,
                "factor": "",
                "role": "",
                "remove": False,
            }
        )
        analyses = [
            {"id": a.id, "situation": a.situation, "remove": False}
            | {part: "\n".join(getattr(a, part)) for part in forms.FA_PARTS}
            for a in document.functional_analyses
        ]
        analyses.append(blank_analysis)
    else:
        values = _posted(
            bound[0], ("id", "domain", "words", "maintaining", "factor", "role", "remove")
        )
        analyses = _posted(bound[1], ("id", "situation", "remove", *forms.FA_PARTS))
    rows = [
        {
            **value,
            "index": n,
            "words_errors": errors.get(f"consequence-{n}-words", []),
            "domain_errors": errors.get(f"consequence-{n}-domain", []),
            "factor_errors": errors.get(f"consequence-{n}-factor", []),
        }
        for n, value in enumerate(values)
    ]
    analysis_rows = [
        {
            **value,
            "index": n,
            "situation_errors": errors.get(f"analysis-{n}-situation", []),
            "part_errors": {
                part: errors.get(f"analysis-{n}-{part}", []) for part in forms.FA_PARTS
            },
        }
        for n, value in enumerate(analyses)
    ]
    return {
        "factors": _factor_choices(opened),
        "rows": rows,
        "row_count": len(rows),
        "analyses": analysis_rows,
        "analysis_count": len(analysis_rows),
        "domains": [(d, presenters.DOMAIN_LABELS[d]) for d in CONSEQUENCE_DOMAINS],
        "roles": [(r, presenters.ROLE_LABELS[r]) for r in forms.ROLES],
        "errors": errors,
    }


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def consequences(request: ActorRequest, formulation_id: str) -> HttpResponse:
    return _step_view(
        request,
        formulation_id,
        step="consequences",
        bind=lambda r: (
            forms.consequence_rows(r.POST if r else None),
            forms.analysis_rows(r.POST if r else None),
        ),
        save=lambda opened, bound: services.consequences_save(
            actor=request.actor, opened=opened, rows=bound[0], analyses=bound[1]
        ),
        rows=_consequence_rows,
        next_step="goals",
    )


def _goal_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    bound: tuple[RowForms, ...] | None,
    errors: Errors,
) -> dict[str, Any]:
    def answer(value: bool | None) -> str:
        return {True: "yes", False: "no"}.get(value, "") if value is not None else ""

    hints = presenters.goal_rows_hints(document, _ui_language())
    if bound is None:
        values = [
            {"id": g.id, "text": g.text, "remove": False, "hints": hints.get(g.id, [])}
            | {check: answer(getattr(g, check)) for check in forms.CHECKS}
            for g in document.goals
        ]
        values.append(
            {"id": "", "text": "", "remove": False, "hints": []} | dict.fromkeys(forms.CHECKS, "")
        )
    else:
        values = [
            value | {"hints": hints.get(str(value["id"] or ""), [])}
            for value in _posted(bound[0], ("id", "text", "remove", *forms.CHECKS))
        ]
    rows = [
        {
            **value,
            "index": n,
            "field": f"goal-{n}-text",
            "errors": errors.get(f"goal-{n}-text", []),
            "checks": [
                (
                    check,
                    presenters.CHECK_LABELS[check],
                    value[check],
                    f"goal-{n}-{check}",
                    errors.get(f"goal-{n}-{check}", []),
                )
                for check in forms.CHECKS
            ],
        }
        for n, value in enumerate(values)
    ]
    return {"rows": rows, "row_count": len(rows), "errors": errors}


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def goals(request: ActorRequest, formulation_id: str) -> HttpResponse:
    return _step_view(
        request,
        formulation_id,
        step="goals",
        bind=lambda r: (forms.goal_rows(r.POST if r else None),),
        save=lambda opened, bound: services.goals_save(
            actor=request.actor, opened=opened, rows=bound[0]
        ),
        rows=_goal_rows,
        next_step="plan",
    )


def _activity_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    bound: tuple[RowForms, ...] | None,
    errors: Errors,
) -> dict[str, Any]:
    if bound is None:
        values: list[dict[str, Any]] = [
            {"id": a.id, "text": a.text, "when": a.when, "goal": a.goal_id or "", "remove": False}
            for a in document.activities
        ]
        values.append({"id": "", "text": "", "when": "", "goal": "", "remove": False})
    else:
        values = _posted(bound[0], ("id", "text", "when", "goal", "remove"))
    rows = [
        {
            **value,
            "index": n,
            "errors": errors.get(f"activity-{n}-text", []),
            "when_errors": errors.get(f"activity-{n}-when", []),
            "goal_errors": errors.get(f"activity-{n}-goal", []),
        }
        for n, value in enumerate(values)
    ]
    return {
        "rows": rows,
        "row_count": len(rows),
        "goals": [(g.id, g.text) for g in document.goals],
        "plan_url": plan_url(str(opened.access.patient.public_id)),
        "errors": errors,
    }


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def plan(request: ActorRequest, formulation_id: str) -> HttpResponse:
    """Step 4: the activity plan, the first homework and the way to the treatment plan."""
    return _step_view(
        request,
        formulation_id,
        step="plan",
        bind=lambda r: (forms.activity_rows(r.POST if r else None),),
        save=lambda opened, bound: services.activities_save(
            actor=request.actor, opened=opened, rows=bound[0]
        ),
        rows=_activity_rows,
        next_step="plan",
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def diary(request: ActorRequest, formulation_id: str) -> HttpResponse:
    """Step 4: propose the complaints diary as the first homework."""
    opened = _opened(request, formulation_id, "create")
    services.diary_propose(actor=request.actor, opened=opened)
    messages.success(request, _("The complaints diary is given to the patient as homework."))
    return redirect("formulation:plan", formulation_id=opened.object.public_id)
