"""Formulation: the gevolgenmodel consult (complaints, consequences, goals), functional
analyses and the vicious-circle graph; SCEGS and 3P views, the prefill from the
screening, the diagram, the personal explanation and the versioned document.

See docs/formulation/README.md. Everything is re-exported here for the web layer.
"""

from maatwerk.core.formulation.content import (
    FormulationContent,
    build_formulation_content,
    bundled_formulation_content,
)
from maatwerk.core.formulation.current import (
    circle_only,
    linked_source,
    strongest_circle,
    with_current_words,
)
from maatwerk.core.formulation.diagram import describe, diagram_titles, render_svg, to_dot
from maatwerk.core.formulation.document import (
    FORMAT_VERSION,
    FormulationChanges,
    changes,
    formulation_from_json,
    formulation_to_json,
)
from maatwerk.core.formulation.errors import (
    DiagramRenderError,
    FormulationContentError,
    FormulationError,
    Problem,
    ProblemCode,
)
from maatwerk.core.formulation.explanation import Explanation, Paragraph, personal_explanation
from maatwerk.core.formulation.goals import GoalIssue, goal_issues
from maatwerk.core.formulation.model import (
    Activity,
    CircleGraph,
    Complaint,
    Consequence,
    ConsequenceDomain,
    Edge,
    Formulation,
    FunctionalAnalysis,
    Goal,
    Node,
    NodeKind,
    Role,
    TaggedFactor,
    elementary_cycles,
    vicious_circles,
)
from maatwerk.core.formulation.prefill import (
    check_factor_references,
    factor_reference_problems,
    prefill_from_profile,
)
from maatwerk.core.formulation.views import ScegsView, ThreePView, as_scegs, as_three_p

__all__ = [
    "FORMAT_VERSION",
    "Activity",
    "CircleGraph",
    "Complaint",
    "Consequence",
    "ConsequenceDomain",
    "DiagramRenderError",
    "Edge",
    "Explanation",
    "Formulation",
    "FormulationChanges",
    "FormulationContent",
    "FormulationContentError",
    "FormulationError",
    "FunctionalAnalysis",
    "Goal",
    "GoalIssue",
    "Node",
    "NodeKind",
    "Paragraph",
    "Problem",
    "ProblemCode",
    "Role",
    "ScegsView",
    "TaggedFactor",
    "ThreePView",
    "as_scegs",
    "as_three_p",
    "build_formulation_content",
    "bundled_formulation_content",
    "changes",
    "check_factor_references",
    "circle_only",
    "describe",
    "diagram_titles",
    "elementary_cycles",
    "factor_reference_problems",
    "formulation_from_json",
    "formulation_to_json",
    "goal_issues",
    "linked_source",
    "personal_explanation",
    "prefill_from_profile",
    "render_svg",
    "strongest_circle",
    "to_dot",
    "vicious_circles",
    "with_current_words",
]
