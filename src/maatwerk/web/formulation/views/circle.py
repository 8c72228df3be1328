"""The vicious circle, and sharing the formulation with the patient."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.formulation import Edge, Node
from maatwerk.core.formulation.model import NODE_KINDS
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import forms, presenters, selectors, services
from maatwerk.web.formulation.selectors import FormulationAccess
from maatwerk.web.formulation.views.common import (
    Errors,
    _base_context,
    _factor_choices,
    _opened,
    _read,
    _ui_language,
)


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
        return _render_circle(request, opened, form, refusal.errors, status=400)
    messages.success(request, _("Saved as a new version."))
    return redirect("formulation:circle", formulation_id=opened.object.public_id)


@dataclass(frozen=True)
class NodeRow:
    index: int
    node: Node
    kind_label: Promise
    label: str  # as stored, or as typed when renaming it was refused
    errors: list[str]


@dataclass(frozen=True)
class EdgeRow:
    edge: Edge
    source_label: str
    target_label: str


class Typed(TypedDict):
    """What was typed in the forms that add a box or an arrow, to show it again."""

    node_kind: str
    node_label: str
    node_factor: str
    edge_source: str
    edge_target: str
    edge_label: str


def _render_circle(
    request: ActorRequest,
    opened: FormulationAccess,
    posted: forms.CircleForm | None,
    errors: Errors,
    status: int = 200,
) -> HttpResponse:
    base = _base_context(opened, "circle")
    document = base["document"]
    form = posted if posted is not None else forms.CircleForm(node_count=0)
    renamed = form.typed("node") if form.typed("action") == "rename_node" else ""
    nodes = [
        NodeRow(
            index=n,
            node=node,
            kind_label=presenters.KIND_LABELS[node.kind],
            label=form.typed(f"node-{n}-label") if node.id == renamed else node.label,
            errors=errors.get(f"node-{n}-label", []),
        )
        for n, node in enumerate(document.circle.nodes)
    ]
    labels = {node.id: node.label for node in document.circle.nodes}
    edges = [
        EdgeRow(edge, labels.get(edge.source, edge.source), labels.get(edge.target, edge.target))
        for edge in document.circle.edges
    ]
    typed: Typed = {
        "node_kind": form.typed("node-kind"),
        "node_label": form.typed("node-label"),
        "node_factor": form.typed("node-factor"),
        "edge_source": form.typed("edge-source"),
        "edge_target": form.typed("edge-target"),
        "edge_label": form.typed("edge-label"),
    }
    context = {
        **base,
        "diagram": presenters.diagram(document.circle, _ui_language()),
        "nodes": nodes,
        "edges": edges,
        "kinds": [(k, presenters.KIND_LABELS[k]) for k in NODE_KINDS],
        "factors": _factor_choices(opened),
        "typed": typed,
        "errors": errors,
        "node_kind_errors": errors.get("node-kind", []),
        "node_label_errors": errors.get("node-label", []),
        "node_factor_errors": errors.get("node-factor", []),
        "edge_source_errors": errors.get("edge-source", []),
        "edge_target_errors": errors.get("edge-target", []),
        "edge_label_errors": errors.get("edge-label", []),
    }
    return render(request, "formulation/circle.html", context, status=status)


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
