"""View helpers shared by the formulation views: opening, the steps bar, the step page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.instruments.base import Language
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import presenters, selectors, services
from maatwerk.web.formulation.forms import RowForms
from maatwerk.web.formulation.models import Formulation
from maatwerk.web.formulation.selectors import OBJECT_FORMULATION, FormulationAccess
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.opening import Audience, open_child

Errors = Mapping[str, list[str]]
RowsOf = Callable[
    [FormulationAccess, CoreFormulation, "tuple[RowForms, ...] | None", Errors], dict[str, Any]
]


def _ui_language() -> Language:
    return "en" if get_language() == "en" else "nl"


def _opened(
    request: ActorRequest,
    formulation_id: str,
    action: str,
    audience: Audience = Audience.CARE_TEAM,
) -> FormulationAccess:
    return open_child(
        actor=request.actor,
        model=Formulation,
        object_id=formulation_id,
        action=action,
        object_type=OBJECT_FORMULATION,
        audience=audience,
    )


def _read(
    request: ActorRequest,
    formulation_id: str,
    detail: str,
    audience: Audience = Audience.CARE_TEAM,
) -> FormulationAccess:
    """Open a formulation for reading; the read is one audit event."""
    opened = _opened(request, formulation_id, "read", audience)
    services.formulation_read(actor=request.actor, opened=opened, detail=detail)
    return opened


def plan_url(patient_public_id: str) -> str | None:
    """Step 4 links to the plan, which another app builds; only when it exists."""
    try:
        return reverse("planning:plan", kwargs={"patient_id": patient_public_id})
    except NoReverseMatch:
        return None


STEPS = (
    (1, "complaints"),
    (2, "consequences"),
    (3, "goals"),
    (4, "plan"),
)


def _steps(opened: FormulationAccess, current: str) -> list[dict[str, Any]]:
    names = {
        "complaints": _("Complaints"),
        "consequences": _("Consequences"),
        "goals": _("Goals"),
        "plan": _("Plan"),
    }
    return [
        {
            "number": number,
            "name": names[name],
            "url": reverse(f"formulation:{name}", args=[opened.object.public_id]),
            "current": name == current,
        }
        for number, name in STEPS
    ]


def _base_context(opened: FormulationAccess, step: str) -> dict[str, Any]:
    version = selectors.current_version(opened.object)
    return {
        "formulation": opened.object,
        "patient": opened.access.patient,
        "access": opened.access,
        "version": version,
        "document": selectors.document_of(version),
        "steps": _steps(opened, step),
        "step": step,
    }


def _step_view(
    request: ActorRequest,
    formulation_id: str,
    *,
    step: str,
    bind: Callable[[ActorRequest | None], tuple[RowForms, ...]],
    save: Callable[[FormulationAccess, tuple[RowForms, ...]], object],
    rows: RowsOf,
    next_step: str,
) -> HttpResponse:
    if request.method == "GET":
        opened = _read(request, formulation_id, f"formulation step {step}")
        context = _base_context(opened, step)
        context.update(rows(opened, context["document"], None, {}))
        return render(request, f"formulation/{step}.html", context)
    opened = _opened(request, formulation_id, "update")
    bound = bind(request)
    try:
        save(opened, bound)
    except InputRefused as refusal:
        context = _base_context(opened, step)
        context.update(rows(opened, context["document"], bound, refusal.errors))
        context["errors"] = refusal.errors
        return render(request, f"formulation/{step}.html", context, status=400)
    messages.success(request, _("Saved as a new version."))
    target = step if request.POST.get("then") == "stay" else next_step
    return redirect(f"formulation:{target}", formulation_id=opened.object.public_id)


def _posted(formset: RowForms, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """What was typed in each row, to show again with the errors."""
    return [
        {name: form[name].value() if name in form.fields else "" for name in names}
        for form in formset.forms
    ]


def _factor_choices(opened: FormulationAccess) -> list[tuple[str, str]]:
    names = presenters.factor_names(
        knowledge_for(opened.access.patient.organization_id), _ui_language()
    )
    return sorted(names.items(), key=lambda item: item[1].casefold())
