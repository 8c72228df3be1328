"""The formulation: thin views over selectors, editing (form <-> core) and services.

Size: one sub-domain: a view per URL of the formulation app, sharing the app's view helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS, NODE_KINDS
from maatwerk.core.instruments.base import Language
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import forms, presenters, selectors, services
from maatwerk.web.formulation.forms import RowForms
from maatwerk.web.formulation.models import Formulation
from maatwerk.web.formulation.selectors import OBJECT_FORMULATION, FormulationAccess
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.opening import Audience, PatientAccess, open_child, open_patient
from maatwerk.web.screening.selectors import latest_profile_of_patient
from maatwerk.web.screening.subgroup_flags import reads_short_texts

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


# ------------------------------------------------------------------ start


def _render_start(
    request: ActorRequest, access: PatientAccess, errors: Errors | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "formulation/start.html",
        {
            "patient": access.patient,
            "access": access,
            "has_profile": latest_profile_of_patient(access) is not None,
            "errors": errors or {},
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's formulation, or the page to start one."""
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type=OBJECT_FORMULATION,
    )
    services.patient_read(actor=request.actor, access=access, detail="formulation")
    existing = selectors.formulation_of_patient(access)
    if existing is not None:
        return redirect("formulation:detail", formulation_id=existing.public_id)
    return _render_start(request, access)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def start(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type=OBJECT_FORMULATION,
    )
    existing = selectors.formulation_of_patient(access)
    if existing is not None:
        messages.info(request, _("This patient already has a formulation."))
        return redirect("formulation:detail", formulation_id=existing.public_id)
    form = forms.StartForm(request.POST)
    try:
        formulation = services.formulation_start(actor=request.actor, access=access, form=form)
    except InputRefused as refusal:
        return _render_start(request, access, refusal.errors, status=400)
    messages.success(request, _("The formulation is started. Go through the steps together."))
    return redirect("formulation:complaints", formulation_id=formulation.public_id)


# ------------------------------------------------------------------ overview


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def detail(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _read(request, formulation_id, "formulation overview")
    context = _base_context(opened, "")
    document: CoreFormulation = context["document"]
    patient_language = services.patient_language(opened.access)
    organization_id = opened.access.patient.organization_id
    names = presenters.factor_names(knowledge_for(organization_id), _ui_language())
    stored = latest_profile_of_patient(opened.access)
    shared = selectors.latest_shared_version(opened.object)
    context.update(
        {
            "diagram": presenters.diagram(document.circle, patient_language),
            "scegs": presenters.scegs_sections(document),
            "meanings": [(c.text, c.meaning) for c in document.complaints if c.meaning],
            "three_p": presenters.three_p_sections(
                document, stored.profile if stored else None, names
            ),
            "explanation": presenters.explanation(document, patient_language, shift=1),
            "patient_diagram": presenters.patient_diagram(document, patient_language),
            "changed_since_agreed": presenters.explanation_changed(
                selectors.last_agreed_version(opened.object), context["version"], patient_language
            ),
            "explanation_language": patient_language,
            "shared": shared,
            "current_is_shared": shared is not None and shared.pk == context["version"].pk,
            "responses": selectors.responses_of(opened.object),
            "history": presenters.history(selectors.versions_of(opened.object)),
            "plan_url": plan_url(str(opened.access.patient.public_id)),
        }
    )
    return render(request, "formulation/detail.html", context)


# ------------------------------------------------------------------ step 1


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


# ------------------------------------------------------------------ step 2


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


# ------------------------------------------------------------------ step 3


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


# ------------------------------------------------------------------ step 4


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


# ------------------------------------------------------------------ the circle


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def circle(request: ActorRequest, formulation_id: str) -> HttpResponse:
    if request.method == "GET":
        opened = _read(request, formulation_id, "formulation circle")
        return _render_circle(request, opened, None, {})
    opened = _opened(request, formulation_id, "update")
    document = selectors.document_of(selectors.current_version(opened.object))
    form = forms.CircleForm(request.POST, node_count=len(document.circle.nodes))
    try:
        services.circle_save(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        return _render_circle(request, opened, request.POST, refusal.errors, status=400)
    messages.success(request, _("Saved as a new version."))
    return redirect("formulation:circle", formulation_id=opened.object.public_id)


def _render_circle(
    request: ActorRequest,
    opened: FormulationAccess,
    post: QueryDict | None,
    errors: Errors,
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
    version = services.formulation_share(actor=request.actor, opened=opened)
    messages.success(
        request,
        _("Version %(number)d is shared with the patient.") % {"number": version.number},
    )
    return redirect("formulation:detail", formulation_id=opened.object.public_id)


# ------------------------------------------------------------------ the patient


def _shared_context(opened: FormulationAccess) -> dict[str, Any]:
    version = selectors.latest_shared_version(opened.object)
    if version is None:
        raise Http404
    document = selectors.document_of(version)
    language = services.patient_language(opened.access)
    responses = selectors.responses_to(version)
    agreed = selectors.last_agreed_version(opened.object)
    return {
        "formulation": opened.object,
        "patient": opened.access.patient,
        "version": version,
        "explanation": presenters.explanation(
            document, language, short=reads_short_texts(opened.access)
        ),
        "explanation_language": language,
        "diagram": presenters.patient_diagram(document, language),
        "last_response": responses[0] if responses else None,
        # The patient said "this fits me" to an earlier text: ask again (issue 12).
        "changed_since_agreed": not responses
        and presenters.explanation_changed(agreed, version, language),
        "by_patient": opened.by_patient,
    }


@login_required
@require_http_methods(["GET"])
def shared(request: ActorRequest, formulation_id: str) -> HttpResponse:
    """The explanation as the patient reads it: the newest shared version."""
    opened = _read(request, formulation_id, "shared formulation", Audience.RECORD)
    context = _shared_context(opened)
    context.update({"errors": {}, "comment": ""})
    return render(request, "formulation/shared.html", context)


@login_required
@require_http_methods(["POST"])
def respond(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _opened(request, formulation_id, "create", Audience.PATIENT)
    form = forms.ResponseForm(request.POST)
    try:
        services.response_record(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        context = _shared_context(opened)
        context.update({"errors": refusal.errors, "comment": form.data.get("comment", "")})
        return render(request, "formulation/shared.html", context, status=400)
    messages.success(request, _("Thank you. Your care provider will read your answer."))
    return redirect("formulation:shared", formulation_id=opened.object.public_id)
