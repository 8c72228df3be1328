"""The vicious-circle graph as a diagram (Graphviz DOT -> SVG) and as text.

``to_dot`` draws every node with a shape *and* a fill per kind, so the kind never rests
on colour alone (WCAG 1.4.1), and adds the kind's name as the last line of the label.
All fills are light and all text is near-black (contrast well above 7:1). The edges of
the vicious circles are drawn thick and dark red; other edges thin and grey (both above
4.5:1 against white). ``describe`` is the text alternative for screen readers.

Labels are escaped for DOT quoted strings: ``\\`` and ``"`` are escaped, ``&`` becomes
``&amp;`` (Graphviz would otherwise read ``&lt;`` typed by a patient as an entity),
line breaks in the patient's words are kept and long lines are wrapped.
"""

from __future__ import annotations

import html
import re
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path

from maatwerk.core.formulation.content import FormulationContent, bundled_formulation_content
from maatwerk.core.formulation.errors import DiagramRenderError
from maatwerk.core.formulation.model import (
    CircleGraph,
    NodeKind,
    circle_edges,
    elementary_cycles,
    vicious_circles,
)
from maatwerk.core.instruments.base import Language

__all__ = [
    "DOT_BINARY",
    "WRAP_WIDTH",
    "describe",
    "diagram_titles",
    "dot_string",
    "render_svg",
    "to_dot",
    "wrap_label",
]

DOT_BINARY = "/usr/bin/dot"
WRAP_WIDTH = 24  # characters per line inside a node; keeps nodes readable on a phone
RENDER_TIMEOUT_SECONDS = 20.0

NODE_STYLE: Mapping[NodeKind, Mapping[str, str]] = {
    "complaint": {
        "shape": "box",
        "peripheries": "2",
        "style": "filled,bold",
        "fillcolor": "#fde2e2",
    },
    "thought": {"shape": "note", "style": "filled", "fillcolor": "#dbeafe"},
    "feeling": {"shape": "ellipse", "style": "filled", "fillcolor": "#fef3c7"},
    "behaviour": {"shape": "box", "style": "filled,rounded", "fillcolor": "#dcfce7"},
    "physical": {"shape": "hexagon", "style": "filled", "fillcolor": "#ede9fe"},
    "social": {"shape": "house", "style": "filled", "fillcolor": "#e0f2fe"},
}
CIRCLE_EDGE = {"color": "#b91c1c", "penwidth": "2.5", "class": "vicious-circle"}
OTHER_EDGE = {"color": "#4b5563", "penwidth": "1.2"}

_TITLE = re.compile(r"<title>([^<]*)</title>\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _line_breaks(text: str) -> list[str]:
    """The lines of ``text`` split at every Unicode line break (``str.splitlines``: also
    NEL, LS and PS, which would otherwise break a DOT line), with tabs and other control
    characters turned into spaces."""
    return [_CONTROL.sub(" ", line.replace("\t", " ")) for line in text.splitlines()]


def wrap_label(text: str, width: int = WRAP_WIDTH) -> tuple[str, ...]:
    """The lines of a label: the patient's own line breaks kept, long lines wrapped
    (a single very long word is broken)."""
    lines: list[str] = []
    for paragraph in _line_breaks(text):
        wrapped = textwrap.wrap(paragraph, width=width, break_long_words=True)
        lines.extend(wrapped or ([""] if lines else []))
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


def dot_string(text: str) -> str:
    """``text`` as one DOT double-quoted string on one line (no wrapping)."""
    escaped = "\\n".join(
        line.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
        for line in _line_breaks(text)
    )
    return '"' + escaped + '"'


def _label(lines: tuple[str, ...]) -> str:
    # Join escaped lines with DOT's line break escape; each piece escaped on its own so
    # the joining "\n" is not itself escaped.
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


def _attributes(values: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={dot_string(value)}" for name, value in values.items())


def to_dot(
    graph: CircleGraph, *, language: Language, content: FormulationContent | None = None
) -> str:
    """Graphviz DOT text of the graph (see the module docstring)."""
    texts = (content or bundled_formulation_content()).texts
    emphasised = {pair for circle in vicious_circles(graph) for pair in circle_edges(circle)}
    lines = [
        "digraph vicious_circle {",
        '  graph [bgcolor="white", fontname="Helvetica", pad="0.2", nodesep="0.4", ranksep="0.5"];',
        '  node [fontname="Helvetica", fontsize="12", color="#1f2937", fontcolor="#111827", '
        'penwidth="1.2", margin="0.15,0.08"];',
        '  edge [fontname="Helvetica", fontsize="10", fontcolor="#111827", arrowsize="0.8"];',
    ]
    for node in graph.nodes:
        kind_name = getattr(texts.kind_names, node.kind).get(language)
        label = _label((*wrap_label(node.label), f"({kind_name})"))
        lines.append(
            f"  {dot_string(node.id)} [label={label}, {_attributes(NODE_STYLE[node.kind])}];"
        )
    for edge in graph.edges:
        style = CIRCLE_EDGE if (edge.source, edge.target) in emphasised else OTHER_EDGE
        attributes = _attributes(style)
        if edge.label is not None:
            attributes = f"label={_label(wrap_label(edge.label, WRAP_WIDTH))}, {attributes}"
        lines.append(f"  {dot_string(edge.source)} -> {dot_string(edge.target)} [{attributes}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(
    dot: str,
    *,
    dot_binary: str = DOT_BINARY,
    timeout: float = RENDER_TIMEOUT_SECONDS,
    titles: Mapping[str, str] | None = None,
) -> str:
    """Render DOT text with Graphviz to SVG that can be inlined in HTML (the XML prolog,
    doctype and leading comments removed).

    Graphviz names every node and arrow in a ``<title>`` by its id (``poor_sleep``,
    ``naps->poor_sleep``), which assistive technology reads out: each title is replaced by
    its text in ``titles`` (see :func:`diagram_titles`) and a title without one is removed."""
    if not Path(dot_binary).is_file():
        raise DiagramRenderError(
            f"Graphviz is not installed: {dot_binary} not found (Debian package 'graphviz')"
        )
    try:
        result = subprocess.run(  # noqa: S603 - fixed binary and arguments, no shell
            [dot_binary, "-Tsvg"],
            input=dot,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DiagramRenderError(
            f"Graphviz took longer than {timeout} s; diagram not drawn"
        ) from None
    except OSError as error:
        raise DiagramRenderError(f"Graphviz could not be started: {error}") from None
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        raise DiagramRenderError(f"Graphviz failed: {message}")
    start = result.stdout.find("<svg")
    if start < 0:
        raise DiagramRenderError("Graphviz returned no <svg> element")
    known = titles or {}

    def readable(found: re.Match[str]) -> str:
        text = known.get(html.unescape(found.group(1)))
        return "" if text is None else f"<title>{html.escape(text)}</title>\n"

    return _TITLE.sub(readable, result.stdout[start:])


def diagram_titles(graph: CircleGraph) -> dict[str, str]:
    """The readable title of each node (its label) and arrow ("label → label") by the id
    Graphviz gives it."""
    labels = {node.id: " ".join(node.label.split()) for node in graph.nodes}
    titles = dict(labels)
    for edge in graph.edges:
        source, target = labels.get(edge.source, ""), labels.get(edge.target, "")
        titles[f"{edge.source}->{edge.target}"] = f"{source} → {target}"
    return titles


def describe(
    graph: CircleGraph, *, language: Language, content: FormulationContent | None = None
) -> tuple[str, ...]:
    """The text alternative: one line per vicious circle ("A → B → C → A"), then the
    cycles that pass through no complaint."""
    texts = (content or bundled_formulation_content()).texts

    def path(cycle: tuple[str, ...]) -> str:
        labels = [" ".join(graph.node(node_id).label.split()) for node_id in (*cycle, cycle[0])]
        return " → ".join(labels)

    circles = vicious_circles(graph)
    lines = [
        texts.describe_circle.get(language).format(number=number, path=path(circle))
        for number, circle in enumerate(circles, start=1)
    ]
    if not circles:
        lines.append(texts.describe_no_circles.get(language))
    complaints = {node.id for node in graph.nodes if node.kind == "complaint"}
    lines.extend(
        texts.describe_other_cycle.get(language).format(path=path(cycle))
        for cycle in elementary_cycles(graph)
        if not complaints.intersection(cycle)
    )
    return tuple(lines)
