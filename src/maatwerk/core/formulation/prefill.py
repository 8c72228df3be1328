"""A first draft of the formulation from the screening profile.

The draft is a starting point for the consult, never a conclusion: the clinician and
the patient replace every starter label with the patient's own words, and delete or add
nodes and edges. What it holds:

* the complaint: the patient's own words from the screening intake (``own_words``); when
  the intake has none, the plain names of the chosen complaints, else a neutral
  placeholder. It links to the first complaint chosen in the intake.
* for every elevated risk factor (in knowledge-base order) that has a template in
  ``content/formulation/factor_templates.json``: a maintaining consequence in the
  template's domain and a node of the template's kind, both with the starter label.
* the template's typical edges whose both ends are in the draft. Most are marked
  unverified in the content; ``FormulationContent.edge_provenance`` tells which.

Ids are readable and stable: the complaint is ``complaint``; a factor's consequence and
node both take the factor id.
"""

from __future__ import annotations

from maatwerk.core.formulation.content import COMPLAINT, FormulationContent
from maatwerk.core.formulation.errors import FormulationError, Problem
from maatwerk.core.formulation.model import (
    CircleGraph,
    Complaint,
    Consequence,
    Edge,
    Formulation,
    Node,
)
from maatwerk.core.instruments.base import Language
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.model import ScreeningProfile

__all__ = [
    "COMPLAINT_ID",
    "check_factor_references",
    "factor_reference_problems",
    "prefill_from_profile",
]

COMPLAINT_ID = "complaint"


def prefill_from_profile(
    profile: ScreeningProfile,
    *,
    knowledge: KnowledgeBase,
    content: FormulationContent,
    language: Language = "nl",
    screening: ScreeningContent | None = None,
) -> Formulation:
    """The draft formulation for ``profile`` (see the module docstring); ``screening``
    gives the complaint names used when the intake has no own words."""
    priorities = profile.priorities
    complaint_text = priorities.own_words.strip()
    if not complaint_text and screening is not None and priorities.complaints:
        names = [
            screening.complaint(complaint_id).patient_name.get(language, fallback=True)
            for complaint_id in priorities.complaints
        ]
        complaint_text = ", ".join(name for name in names if name)
    if not complaint_text:
        complaint_text = content.templates_file.complaint_placeholder.get(language)
    complaint = Complaint(
        COMPLAINT_ID,
        complaint_text,
        priorities.complaints[0] if priorities.complaints else None,
    )
    risk_factors = {factor.id for factor in knowledge.factors.factors if factor.kind == "risk"}
    templated = {template.factor for template in content.templates_file.templates}
    factor_ids = [
        factor_id
        for factor_id in profile.elevated_risk_factors
        if factor_id in risk_factors and factor_id in templated
    ]
    consequences: list[Consequence] = []
    nodes = [Node(COMPLAINT_ID, "complaint", complaint_text)]
    for factor_id in factor_ids:
        template = content.template(factor_id)
        label = template.starter_label.get(language)
        consequences.append(Consequence(factor_id, template.domain, label, True, factor_id))
        nodes.append(Node(factor_id, template.node_kind, label, factor_id, factor_id))
    present = set(factor_ids)
    edges: list[Edge] = []
    for complaint_edge in content.templates_file.complaint_edges:
        if complaint_edge.to in present:
            label_text = complaint_edge.label.get(language) if complaint_edge.label else None
            edges.append(Edge(COMPLAINT_ID, complaint_edge.to, label_text))
    for factor_id in factor_ids:
        for edge in content.template(factor_id).edges:
            if edge.to == COMPLAINT or edge.to in present:
                target = COMPLAINT_ID if edge.to == COMPLAINT else edge.to
                edges.append(
                    Edge(factor_id, target, edge.label.get(language) if edge.label else None)
                )
    return Formulation(
        complaints=(complaint,),
        consequences=tuple(consequences),
        circle=CircleGraph(tuple(nodes), tuple(edges)),
    )


def factor_reference_problems(
    formulation: Formulation, knowledge: KnowledgeBase
) -> tuple[Problem, ...]:
    """Factor ids in the formulation that the knowledge base does not know."""
    known = {factor.id for factor in knowledge.factors.factors}
    problems: list[Problem] = []

    def check(path: str, factor_id: str | None) -> None:
        if factor_id is not None and factor_id not in known:
            problems.append(Problem("unknown_factor", path, f"unknown factor {factor_id!r}"))

    for index, consequence in enumerate(formulation.consequences):
        check(f"consequences[{index}].factor_id", consequence.factor_id)
    for index, tagged in enumerate(formulation.tagged_factors):
        check(f"tagged_factors[{index}].factor_id", tagged.factor_id)
    for index, node in enumerate(formulation.circle.nodes):
        check(f"circle.nodes[{index}].factor_id", node.factor_id)
    return tuple(problems)


def check_factor_references(formulation: Formulation, knowledge: KnowledgeBase) -> None:
    """Raise ``FormulationError`` when a factor id is unknown to the knowledge base."""
    problems = factor_reference_problems(formulation, knowledge)
    if problems:
        raise FormulationError(problems)
