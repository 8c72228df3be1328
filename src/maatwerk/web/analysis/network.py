"""The personal network page: the network beside the vicious circle, compared.

Builds the page's context from what the selectors read for an opened patient: the newest
EMA import, its stored network (estimated in the background), the current circle, the
comparison of :mod:`maatwerk.core.analysis.circle_network`, the two pictures and their
text alternatives (for the clinician, and in B1 words for the patient).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NotRequired, TypedDict

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import override

from maatwerk.core.analysis.circle_network import (
    Array,
    ArrowCheck,
    CircleComparison,
    DataEdge,
    EdgeKind,
    compare_with_circle,
)
from maatwerk.core.analysis.ema import EmaSeries
from maatwerk.core.analysis.network_svg import network_svg
from maatwerk.core.analysis.network_words import LinkWording, patient_wording
from maatwerk.core.formulation.model import CircleGraph
from maatwerk.web.analysis import selectors
from maatwerk.web.analysis.models import EmaImport, NetworkEstimate
from maatwerk.web.analysis.notes import note_texts, problem_text
from maatwerk.web.analysis.presenters import number_text
from maatwerk.web.formulation import presenters as formulation_presenters
from maatwerk.web.formulation import selectors as formulation_selectors
from maatwerk.web.formulation.models import Formulation
from maatwerk.web.formulation.presenters import Diagram
from maatwerk.web.formulation.services import patient_language
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.selectors import PatientAccess


@dataclass(frozen=True)
class EdgeRow:
    """One edge in words, with what adding it to the circle would post."""

    text: str
    strength: str
    stability: str
    value: str
    """``source-node|target-node`` for the add form; empty when it cannot be added."""


class StoredStability(TypedDict):
    resamples: int
    temporal: list[list[float]]  # share of resamples per edge, (predictor, outcome)
    contemporaneous: list[list[float]]
    warnings: list[str]


class StoredNetwork(TypedDict):
    """An estimate's ``result``: the CLI contract's fields (``NetworkResult.as_dict``)
    plus the bootstrap stability and the notes as values (see ``tasks.estimate``)."""

    vars: list[str]
    n_used: int
    pdc: list[list[float]]  # (predictor at t - 1, outcome at t)
    pcc: list[list[float]]
    stability: NotRequired[StoredStability]
    notes: NotRequired[list[dict[str, object]]]


class BoxChoice(TypedDict):
    id: str
    label: str


class LinkRow(TypedDict):
    variable: str
    index: int
    node: str  # the linked box's id, empty for none


class ArrowEnds(TypedDict):
    source: str
    target: str


class ArrowData(ArrowEnds):
    data: str  # the arrow's values in the data, in words


class NetworkPageContext(TypedDict):
    """The clinician's network page (and its PDF): works without data, without a circle
    and while the network is being estimated, so most keys come only with an estimate."""

    patient: Patient
    formulation: Formulation | None
    circle_diagram: Diagram | None
    imported: EmaImport | None
    estimate: NetworkEstimate | None
    nodes: list[BoxChoice]
    link_rows: NotRequired[list[LinkRow]]
    beeps: NotRequired[int]
    problem: NotRequired[str]  # why the estimate failed, in the reader's language
    result: NotRequired[StoredNetwork]
    temporal_svg: NotRequired[str]
    contemporaneous_svg: NotRequired[str]
    all_edges: NotRequired[list[EdgeRow]]
    supported: NotRequired[list[ArrowData]]
    not_shown: NotRequired[list[ArrowData]]
    untestable: NotRequired[list[ArrowEnds]]
    missing: NotRequired[list[EdgeRow]]
    unlinked: NotRequired[list[EdgeRow]]
    warnings: NotRequired[list[str]]
    patient_sentences: NotRequired[list[str]]  # what the patient reads, in their language
    generated_at: NotRequired[datetime]  # the PDF


class PatientNetworkContext(TypedDict):
    """The patient's view: only what the clinician shared, in B1 words."""

    patient: Patient
    shared: bool
    shared_at: NotRequired[datetime]
    temporal_svg: NotRequired[str]
    contemporaneous_svg: NotRequired[str]
    sentences: NotRequired[list[str]]
    generated_at: NotRequired[datetime]  # the PDF


def _fmt(value: float, lang: str) -> str:
    return number_text(value, lang)


def _names(series: EmaSeries, links: dict[str, str], circle: CircleGraph) -> dict[str, str]:
    labels = {node.id: node.label for node in circle.nodes}
    return {v: labels.get(links.get(v, ""), v) for v in series.variables}


def _clinician_text(edge: DataEdge, names: dict[str, str]) -> str:
    a, b = names[edge.source], names[edge.target]
    if edge.kind is EdgeKind.TEMPORAL:
        if edge.weight > 0:
            return _("“%(a)s” at one moment → more “%(b)s” at the next") % {"a": a, "b": b}
        return _("“%(a)s” at one moment → less “%(b)s” at the next") % {"a": a, "b": b}
    if edge.weight > 0:
        return _("“%(a)s” and “%(b)s” go up and down together") % {"a": a, "b": b}
    return _("when “%(a)s” is higher, “%(b)s” is lower at the same moment") % {"a": a, "b": b}


def _patient_text(edge: DataEdge, names: dict[str, str], wording: LinkWording) -> str:
    """The link in B1 words, "often" or "sometimes" as :mod:`network_words` grades it."""
    values = {"a": names[edge.source], "b": names[edge.target]}
    often = wording is LinkWording.OFTEN
    if edge.kind is EdgeKind.TEMPORAL:
        if edge.weight > 0:
            if often:
                return _("After more “%(a)s”, you often have more “%(b)s” a bit later.") % values
            return _("After more “%(a)s”, you sometimes have more “%(b)s” a bit later.") % values
        if often:
            return _("After more “%(a)s”, you often have less “%(b)s” a bit later.") % values
        return _("After more “%(a)s”, you sometimes have less “%(b)s” a bit later.") % values
    if edge.weight > 0:
        if often:
            return _("“%(a)s” and “%(b)s” often come together.") % values
        return _("“%(a)s” and “%(b)s” sometimes come together.") % values
    if often:
        return _("When you have more “%(a)s”, you often have less “%(b)s” at that moment.") % values
    return _("When you have more “%(a)s”, you sometimes have less “%(b)s” at that moment.") % values


def _stability_share(edge: DataEdge, variables: list[str], stored: StoredNetwork) -> float | None:
    """The share of bootstrap resamples with this edge; ``None`` when not measured."""
    share = stored.get("stability")
    if share is None:
        return None
    matrix = share["temporal"] if edge.kind is EdgeKind.TEMPORAL else share["contemporaneous"]
    if not matrix:
        return None
    j, i = variables.index(edge.source), variables.index(edge.target)
    return float(matrix[j][i] if edge.kind is EdgeKind.TEMPORAL else matrix[min(i, j)][max(i, j)])


def _stability(edge: DataEdge, variables: list[str], stored: StoredNetwork, lang: str) -> str:
    value = _stability_share(edge, variables, stored)
    stability = stored.get("stability")
    if value is None or stability is None:
        return ""
    return _("in %(share)s%% of %(count)s resamples") % {
        "share": number_text(100 * value, lang, 0),
        "count": stability["resamples"],
    }


def _described(
    edges: tuple[DataEdge, ...], variables: list[str], stored: StoredNetwork
) -> list[tuple[DataEdge, LinkWording]]:
    """The edges the patient reads about (strong and stable enough), with their grade."""
    described = []
    for edge in edges:
        wording = patient_wording(edge.weight, _stability_share(edge, variables, stored))
        if wording is not None:
            described.append((edge, wording))
    return described


def _patient_sentences(
    edges: tuple[DataEdge, ...], names: dict[str, str], variables: list[str], stored: StoredNetwork
) -> list[str]:
    return [_patient_text(edge, names, w) for edge, w in _described(edges, variables, stored)]


def _described_weights(
    described: list[tuple[DataEdge, LinkWording]], variables: list[str], kind: EdgeKind
) -> Array:
    """A weight matrix with only the described edges of ``kind``: the patient's picture
    shows what the words say and no more."""
    p = len(variables)
    weights = np.zeros((p, p), dtype=np.float64)
    for edge, _wording in described:
        if edge.kind is not kind:
            continue
        j, i = variables.index(edge.source), variables.index(edge.target)
        weights[j, i] = edge.weight
        if kind is EdgeKind.CONTEMPORANEOUS:
            weights[i, j] = edge.weight
    return weights


def _edge_row(
    edge: DataEdge,
    names: dict[str, str],
    variables: list[str],
    stored: StoredNetwork,
    lang: str,
) -> EdgeRow:
    addable = edge.source_node is not None and edge.target_node is not None
    kind = _("next moment, PDC") if edge.kind is EdgeKind.TEMPORAL else _("same moment, PCC")
    return EdgeRow(
        text=_clinician_text(edge, names),
        strength=f"{kind} {_fmt(edge.weight, lang)}",
        stability=_stability(edge, variables, stored, lang),
        value=f"{edge.source_node}|{edge.target_node}" if addable else "",
    )


def _arrow_text(check: ArrowCheck, circle: CircleGraph, lang: str) -> ArrowData:
    parts = []
    if check.temporal is not None:
        parts.append(_("next moment, PDC %(value)s") % {"value": _fmt(check.temporal, lang)})
    if check.contemporaneous is not None:
        parts.append(_("same moment, PCC %(value)s") % {"value": _fmt(check.contemporaneous, lang)})
    return {
        "source": circle.node(check.source_node).label,
        "target": circle.node(check.target_node).label,
        "data": "; ".join(parts),
    }


def current_circle(access: PatientAccess) -> tuple[Formulation | None, CircleGraph]:
    formulation = formulation_selectors.formulation_of_patient(access)
    if formulation is None:
        return None, CircleGraph()
    document = formulation_selectors.document_of(formulation_selectors.current_version(formulation))
    return formulation, document.circle


def network_page(access: PatientAccess, language: str) -> NetworkPageContext:
    """Everything the network page shows; works without data, without a circle and while
    the network is being estimated."""
    lang = "en" if language == "en" else "nl"
    patient_lang = patient_language(access)
    formulation, circle = current_circle(access)
    imported: EmaImport | None = selectors.latest_import(access)
    context: NetworkPageContext = {
        "patient": access.patient,
        "formulation": formulation,
        "circle_diagram": formulation_presenters.diagram(circle, patient_lang)
        if circle.nodes
        else None,
        "imported": imported,
        "estimate": None,
        "nodes": [{"id": node.id, "label": node.label} for node in circle.nodes],
    }
    if imported is None:
        return context
    series = EmaSeries.from_dict(imported.series)
    links = {str(k): str(v) for k, v in imported.links.items()}
    context["link_rows"] = [
        {"variable": v, "index": n, "node": links.get(v, "")}
        for n, v in enumerate(series.variables)
    ]
    context["beeps"] = len(series.values)
    estimate: NetworkEstimate | None = selectors.estimate_of(access, imported.input_hash)
    context["estimate"] = estimate
    if estimate is not None and estimate.status == NetworkEstimate.Status.FAILED:
        context["problem"] = problem_text(
            estimate.problem_kind, estimate.problem_params, _names(series, links, circle)
        )
    if estimate is None or estimate.status != NetworkEstimate.Status.DONE or not estimate.result:
        return context
    stored: StoredNetwork = estimate.result
    variables = [str(v) for v in stored["vars"]]
    pdc = np.array(stored["pdc"], dtype=np.float64)
    pcc = np.array(stored["pcc"], dtype=np.float64)
    names = _names(series, links, circle)
    comparison: CircleComparison = compare_with_circle(circle, variables, pdc, pcc, links)
    labels = [names[v] for v in variables]

    def rows(edges: tuple[DataEdge, ...]) -> list[EdgeRow]:
        return [_edge_row(e, names, variables, stored, lang) for e in edges]

    every_edge = _all_edges(variables, pdc, pcc, links)
    all_edges = [_edge_row(e, names, variables, stored, lang) for e in every_edge]
    with override(patient_lang):
        patient_sentences = _patient_sentences(every_edge, names, variables, stored)
    context.update(
        {
            "result": stored,
            "temporal_svg": network_svg(
                labels,
                pdc,
                directed=True,
                title=_("From one moment to the next"),
                element_id="net-temporal",
            ),
            "contemporaneous_svg": network_svg(
                labels,
                pcc,
                directed=False,
                title=_("At the same moment"),
                element_id="net-contemporaneous",
            ),
            "all_edges": all_edges,
            "supported": [_arrow_text(c, circle, lang) for c in comparison.supported],
            "not_shown": [_arrow_text(c, circle, lang) for c in comparison.not_shown],
            "untestable": [
                {"source": circle.node(a.source).label, "target": circle.node(a.target).label}
                for a in comparison.untestable
            ],
            "missing": rows(comparison.missing),
            "unlinked": rows(comparison.unlinked),
            "warnings": note_texts(stored, names),
            "patient_sentences": patient_sentences,
        }
    )
    return context


def _all_edges(
    variables: list[str], pdc: Array, pcc: Array, links: dict[str, str]
) -> tuple[DataEdge, ...]:
    from maatwerk.core.analysis.circle_network import data_edges

    return tuple(data_edges(variables, pdc, pcc, links))


def patient_network_page(access: PatientAccess) -> PatientNetworkContext:
    """The patient's view: the shared network's pictures and B1 sentences, in the
    patient's language; nothing when the clinician has not shared one."""
    imported = selectors.latest_import(access)
    context: PatientNetworkContext = {"patient": access.patient, "shared": False}
    if imported is None or imported.shared_at is None:
        return context
    estimate = selectors.estimate_of(access, imported.input_hash)
    if estimate is None or estimate.status != NetworkEstimate.Status.DONE or not estimate.result:
        return context
    _formulation, circle = current_circle(access)
    series = EmaSeries.from_dict(imported.series)
    links = {str(k): str(v) for k, v in imported.links.items()}
    stored: StoredNetwork = estimate.result
    variables = [str(v) for v in stored["vars"]]
    pdc = np.array(stored["pdc"], dtype=np.float64)
    pcc = np.array(stored["pcc"], dtype=np.float64)
    names = _names(series, links, circle)
    labels = [names[v] for v in variables]
    described = _described(_all_edges(variables, pdc, pcc, links), variables, stored)
    context.update(
        {
            "shared": True,
            "shared_at": imported.shared_at,
            "temporal_svg": network_svg(
                labels,
                _described_weights(described, variables, EdgeKind.TEMPORAL),
                directed=True,
                title=_("What comes a bit later"),
                element_id="mine-temporal",
            ),
            "contemporaneous_svg": network_svg(
                labels,
                _described_weights(described, variables, EdgeKind.CONTEMPORANEOUS),
                directed=False,
                title=_("What comes at the same time"),
                element_id="mine-contemporaneous",
            ),
            "sentences": [_patient_text(edge, names, w) for edge, w in described],
        }
    )
    return context
