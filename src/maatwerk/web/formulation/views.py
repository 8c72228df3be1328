"""The formulation: thin views over selectors, editing (form <-> core) and services.

Size: one sub-domain: a view per URL of the formulation app, sharing the app's view helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation import FormulationError
from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS, NODE_KINDS
from maatwerk.core.instruments.base import Language
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import editing, presenters, selectors, services
from maatwerk.web.formulation.selectors import OBJECT_FORMULATION, FormulationAccess
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.selectors import (
    PatientNotAccessible,
    patient_access,
    patient_open,
    patient_subject,
)
from maatwerk.web.screening.selectors import latest_profile_of_patient


def _ui_language() -> Language:
    return "en" if get_language() == "en" else "nl"


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _opened(request: ActorRequest, formulation_id: str, action: str) -> FormulationAccess:
    try:
        return selectors.formulation_access(
            actor=request.actor, formulation_id=formulation_id, action=action
        )
    except PatientNotAccessible:
        raise Http404 from None


def _read(request: ActorRequest, formulation_id: str, detail: str) -> FormulationAccess:
    """Open a formulation for reading and write the audit event for it."""
    opened = _opened(request, formulation_id, "read")
    audit_record(
        actor=request.actor,
        action="read",
        subject=patient_subject(
            opened.access.patient,
            object_type=OBJECT_FORMULATION,
            object_ref=str(opened.formulation.public_id),
        ),
        emergency=opened.access.emergency,
        detail=detail,
    )
    return opened


def _clinician(opened: FormulationAccess) -> None:
    if opened.by_patient:  # pragma: no cover - role_required(CLINICIAN) refused already
        raise Http404


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
            "url": reverse(f"formulation:{name}", args=[opened.formulation.public_id]),
            "current": name == current,
        }
        for number, name in STEPS
    ]


def _base_context(opened: FormulationAccess, step: str) -> dict[str, Any]:
    version = selectors.current_version(opened.formulation)
    return {
        "formulation": opened.formulation,
        "patient": opened.access.patient,
        "access": opened.access,
        "version": version,
        "document": selectors.document_of(version),
        "steps": _steps(opened, step),
        "step": step,
    }


def _save(
    request: ActorRequest,
    opened: FormulationAccess,
    draft: editing.Draft,
    note: str,
) -> dict[str, list[str]] | None:
    """Build and save the new version; the field errors when the core refused it."""
    if draft.errors:
        services.audit_refused_save(actor=request.actor, opened=opened, note=note)
        return draft.errors
    try:
        document = draft.build()
    except FormulationError as error:
        services.audit_refused_save(actor=request.actor, opened=opened, note=note)
        return editing.field_errors(error, draft.field_for)
    try:
        services.formulation_save(actor=request.actor, opened=opened, document=document, note=note)
    except FormulationError as error:
        return editing.field_errors(error, draft.field_for)
    except PermissionDenied:
        raise Http404 from None
    return None


def _step_view(
    request: ActorRequest,
    formulation_id: str,
    *,
    step: str,
    parse: Callable[[CoreFormulation, QueryDict], editing.Draft],
    rows: Callable[
        [FormulationAccess, CoreFormulation, QueryDict | None, dict[str, list[str]]],
        dict[str, Any],
    ],
    note: str,
    next_step: str,
) -> HttpResponse:
    if request.method == "GET":
        opened = _read(request, formulation_id, f"formulation step {step}")
        _clinician(opened)
        context = _base_context(opened, step)
        context.update(rows(opened, context["document"], None, {}))
        return render(request, f"formulation/{step}.html", context)
    opened = _opened(request, formulation_id, "update")
    _clinician(opened)
    context = _base_context(opened, step)
    errors = _save(request, opened, parse(context["document"], request.POST), note)
    if errors is None:
        messages.success(request, _("Saved as a new version."))
        target = step if request.POST.get("then") == "stay" else next_step
        return redirect(f"formulation:{target}", formulation_id=opened.formulation.public_id)
    context.update(rows(opened, context["document"], request.POST, errors))
    context["errors"] = errors
    return render(request, f"formulation/{step}.html", context, status=400)


# ------------------------------------------------------------------ start


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's formulation, or the page to start one."""
    try:
        access = patient_open(
            actor=request.actor,
            patient_id=patient_id,
            object_type=OBJECT_FORMULATION,
            detail="formulation",
        )
    except PatientNotAccessible:
        raise Http404 from None
    existing = selectors.formulation_of_patient(access)
    if existing is not None:
        return redirect("formulation:detail", formulation_id=existing.public_id)
    return render(
        request,
        "formulation/start.html",
        {
            "patient": access.patient,
            "access": access,
            "has_profile": latest_profile_of_patient(access) is not None,
        },
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def start(request: ActorRequest, patient_id: str) -> HttpResponse:
    try:
        access = patient_access(
            actor=request.actor,
            patient_id=patient_id,
            action="create",
            object_type=OBJECT_FORMULATION,
        )
    except PatientNotAccessible:
        raise Http404 from None
    existing = selectors.formulation_of_patient(access)
    if existing is not None:
        messages.info(request, _("This patient already has a formulation."))
        return redirect("formulation:detail", formulation_id=existing.public_id)
    try:
        formulation = services.formulation_start(
            actor=request.actor,
            access=access,
            from_screening=request.POST.get("source") == "screening",
        )
    except ValidationError as error:
        return render(
            request,
            "formulation/start.html",
            {
                "patient": access.patient,
                "access": access,
                "has_profile": latest_profile_of_patient(access) is not None,
                "errors": _errors(error),
            },
            status=400,
        )
    messages.success(request, _("The formulation is started. Go through the steps together."))
    return redirect("formulation:complaints", formulation_id=formulation.public_id)


# ------------------------------------------------------------------ overview


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def detail(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _read(request, formulation_id, "formulation overview")
    _clinician(opened)
    context = _base_context(opened, "")
    document: CoreFormulation = context["document"]
    patient_language = services.patient_language(opened.access)
    organization_id = opened.access.patient.organization_id
    names = presenters.factor_names(knowledge_for(organization_id), _ui_language())
    stored = latest_profile_of_patient(opened.access)
    shared = selectors.latest_shared_version(opened.formulation)
    context.update(
        {
            "diagram": presenters.diagram(document.circle, patient_language),
            "scegs": presenters.scegs_sections(document),
            "three_p": presenters.three_p_sections(
                document, stored.profile if stored else None, names
            ),
            "explanation": presenters.explanation(document, patient_language, shift=1),
            "explanation_language": patient_language,
            "shared": shared,
            "current_is_shared": shared is not None and shared.pk == context["version"].pk,
            "responses": selectors.responses_of(opened.formulation),
            "history": presenters.history(selectors.versions_of(opened.formulation)),
            "plan_url": plan_url(str(opened.access.patient.public_id)),
        }
    )
    return render(request, "formulation/detail.html", context)


# ------------------------------------------------------------------ step 1


def _complaint_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    post: QueryDict | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    if post is None:
        values = [{"id": c.id, "text": c.text, "remove": False} for c in document.complaints]
        values.append({"id": "", "text": "", "remove": False})
    else:
        values = [
            {
                "id": post.get(f"complaint-{n}-id", ""),
                "text": post.get(f"complaint-{n}-text", ""),
                "remove": bool(post.get(f"complaint-{n}-remove")),
            }
            for n in range(editing._row_count(post))
        ]
    rows = [
        {
            **value,
            "index": n,
            "field": f"complaint-{n}-text",
            "errors": errors.get(f"complaint-{n}-text", []),
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
        parse=editing.parse_complaints,
        rows=_complaint_rows,
        note="complaints",
        next_step="consequences",
    )


# ------------------------------------------------------------------ step 2


def _consequence_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    post: QueryDict | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    blank_analysis = {"id": "", "situation": "", "remove": False}
    blank_analysis |= dict.fromkeys(editing.FA_PARTS, "")
    if post is None:
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
            | {part: "\n".join(getattr(a, part)) for part in editing.FA_PARTS}
            for a in document.functional_analyses
        ]
        analyses.append(blank_analysis)
    else:
        values = [
            {
                "id": post.get(f"consequence-{n}-id", ""),
                "domain": post.get(f"consequence-{n}-domain", ""),
                "words": post.get(f"consequence-{n}-words", ""),
                "maintaining": bool(post.get(f"consequence-{n}-maintaining")),
                "factor": post.get(f"consequence-{n}-factor", ""),
                "role": post.get(f"consequence-{n}-role", ""),
                "remove": bool(post.get(f"consequence-{n}-remove")),
            }
            for n in range(editing._row_count(post))
        ]
        try:
            analysis_count = max(0, min(int(post.get("analysis-rows", "0")), editing.MAX_ROWS))
        except ValueError:
            analysis_count = 0
        analyses = [
            {
                "id": post.get(f"analysis-{n}-id", ""),
                "situation": post.get(f"analysis-{n}-situation", ""),
                "remove": bool(post.get(f"analysis-{n}-remove")),
            }
            | {part: post.get(f"analysis-{n}-{part}", "") for part in editing.FA_PARTS}
            for n in range(analysis_count)
        ]
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
                part: errors.get(f"analysis-{n}-{part}", []) for part in editing.FA_PARTS
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
        "roles": [(r, presenters.ROLE_LABELS[r]) for r in editing.ROLES],
        "errors": errors,
    }


def _factor_choices(opened: FormulationAccess) -> list[tuple[str, str]]:
    names = presenters.factor_names(
        knowledge_for(opened.access.patient.organization_id), _ui_language()
    )
    return sorted(names.items(), key=lambda item: item[1].casefold())


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def consequences(request: ActorRequest, formulation_id: str) -> HttpResponse:
    return _step_view(
        request,
        formulation_id,
        step="consequences",
        parse=editing.parse_consequences,
        rows=_consequence_rows,
        note="consequences and functional analyses",
        next_step="goals",
    )


# ------------------------------------------------------------------ step 3


def _goal_rows(
    opened: FormulationAccess,
    document: CoreFormulation,
    post: QueryDict | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    def answer(value: bool | None) -> str:
        return {True: "yes", False: "no"}.get(value, "") if value is not None else ""

    hints = presenters.goal_rows_hints(document, _ui_language())
    if post is None:
        values = [
            {"id": g.id, "text": g.text, "remove": False, "hints": hints.get(g.id, [])}
            | {check: answer(getattr(g, check)) for check in editing.CHECKS}
            for g in document.goals
        ]
        values.append(
            {"id": "", "text": "", "remove": False, "hints": []} | dict.fromkeys(editing.CHECKS, "")
        )
    else:
        values = [
            {
                "id": post.get(f"goal-{n}-id", ""),
                "text": post.get(f"goal-{n}-text", ""),
                "remove": bool(post.get(f"goal-{n}-remove")),
                "hints": hints.get(post.get(f"goal-{n}-id", ""), []),
            }
            | {check: post.get(f"goal-{n}-{check}", "") for check in editing.CHECKS}
            for n in range(editing._row_count(post))
        ]
    rows = [
        {
            **value,
            "index": n,
            "field": f"goal-{n}-text",
            "errors": errors.get(f"goal-{n}-text", []),
            "checks": [
                (check, presenters.CHECK_LABELS[check], value[check]) for check in editing.CHECKS
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
        parse=editing.parse_goals,
        rows=_goal_rows,
        note="goals",
        next_step="plan",
    )


# ------------------------------------------------------------------ step 4


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def plan(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _read(request, formulation_id, "formulation step plan")
    _clinician(opened)
    context = _base_context(opened, "plan")
    context["plan_url"] = plan_url(str(opened.access.patient.public_id))
    return render(request, "formulation/plan.html", context)


# ------------------------------------------------------------------ the circle


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def circle(request: ActorRequest, formulation_id: str) -> HttpResponse:
    if request.method == "GET":
        opened = _read(request, formulation_id, "formulation circle")
        _clinician(opened)
        return _render_circle(request, opened, None, {})
    opened = _opened(request, formulation_id, "update")
    _clinician(opened)
    document = selectors.document_of(selectors.current_version(opened.formulation))
    draft = editing.circle_change(document, request.POST)
    errors = _save(request, opened, draft, f"circle: {request.POST.get('action', '')}"[:60])
    if errors is None:
        messages.success(request, _("Saved as a new version."))
        return redirect("formulation:circle", formulation_id=opened.formulation.public_id)
    return _render_circle(request, opened, request.POST, errors, status=400)


def _render_circle(
    request: ActorRequest,
    opened: FormulationAccess,
    post: QueryDict | None,
    errors: dict[str, list[str]],
    status: int = 200,
) -> HttpResponse:
    context = _base_context(opened, "circle")
    document: CoreFormulation = context["document"]
    language = services.patient_language(opened.access)
    typed = post if post is not None else QueryDict()
    renamed = typed.get("node", "") if typed.get("action") == "rename_node" else ""
    nodes = [
        {
            "index": n,
            "node": node,
            "kind_label": presenters.KIND_LABELS[node.kind],
            "label": typed.get(f"node-{n}-label", node.label) if node.id == renamed else node.label,
            "errors": errors.get(f"node-{n}-label", []),
        }
        for n, node in enumerate(document.circle.nodes)
    ]
    labels = {node.id: node.label for node in document.circle.nodes}
    edges = [
        {
            "edge": edge,
            "source_label": labels.get(edge.source, edge.source),
            "target_label": labels.get(edge.target, edge.target),
        }
        for edge in document.circle.edges
    ]
    context.update(
        {
            "diagram": presenters.diagram(document.circle, language),
            "nodes": nodes,
            "edges": edges,
            "kinds": [(k, presenters.KIND_LABELS[k]) for k in NODE_KINDS],
            "factors": _factor_choices(opened),
            "typed": {
                "node_kind": typed.get("node-kind", ""),
                "node_label": typed.get("node-label", ""),
                "node_factor": typed.get("node-factor", ""),
                "edge_source": typed.get("edge-source", ""),
                "edge_target": typed.get("edge-target", ""),
                "edge_label": typed.get("edge-label", ""),
            },
            "errors": errors,
            "node_kind_errors": errors.get("node-kind", []),
            "node_label_errors": errors.get("node-label", []),
            "node_factor_errors": errors.get("node-factor", []),
            "edge_source_errors": errors.get("edge-source", []),
            "edge_target_errors": errors.get("edge-target", []),
            "edge_label_errors": errors.get("edge-label", []),
        }
    )
    return render(request, "formulation/circle.html", context, status=status)


# ------------------------------------------------------------------ sharing


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def share(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _opened(request, formulation_id, "update")
    _clinician(opened)
    try:
        version = services.formulation_share(actor=request.actor, opened=opened)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Version %(number)d is shared with the patient.") % {"number": version.number},
    )
    return redirect("formulation:detail", formulation_id=opened.formulation.public_id)


# ------------------------------------------------------------------ the patient


def _shared_context(opened: FormulationAccess) -> dict[str, Any]:
    version = selectors.latest_shared_version(opened.formulation)
    if version is None:
        raise Http404
    document = selectors.document_of(version)
    language = services.patient_language(opened.access)
    responses = selectors.responses_to(version)
    return {
        "formulation": opened.formulation,
        "patient": opened.access.patient,
        "version": version,
        "explanation": presenters.explanation(document, language),
        "explanation_language": language,
        "diagram": presenters.diagram(document.circle, language),
        "last_response": responses[0] if responses else None,
        "by_patient": opened.by_patient,
    }


@login_required
@require_http_methods(["GET"])
def shared(request: ActorRequest, formulation_id: str) -> HttpResponse:
    """The explanation as the patient reads it: the newest shared version."""
    opened = _read(request, formulation_id, "shared formulation")
    context = _shared_context(opened)
    context.update({"errors": {}, "comment": ""})
    return render(request, "formulation/shared.html", context)


@login_required
@require_http_methods(["POST"])
def respond(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _opened(request, formulation_id, "create")
    if not opened.by_patient:
        raise Http404
    agreed = request.POST.get("answer") == "agree"
    comment = request.POST.get("comment", "")
    try:
        services.response_record(actor=request.actor, opened=opened, agreed=agreed, comment=comment)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        context = _shared_context(opened)
        context.update({"errors": _errors(error), "comment": comment})
        return render(request, "formulation/shared.html", context, status=400)
    messages.success(request, _("Thank you. Your care provider will read your answer."))
    return redirect("formulation:shared", formulation_id=opened.formulation.public_id)
