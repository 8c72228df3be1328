"""Formulation content as frozen, typed values (the schema of the JSON data files).

Two files in ``maatwerk/content/formulation/``, each one JSON object with ``collection``
and ``version``:

* ``factor_templates`` - per knowledge-base risk factor, how a prefilled formulation
  shows it: node kind, consequence domain, a neutral starter label in plain words and
  the typical edges to other factors or to the complaint. Every template and edge has
  provenance: ``sources`` or ``unverified: true`` with a note.
* ``explanation_texts`` - the sentence templates of the personal explanation, the
  goal-check hints and the screen-reader description (nl and en, B1, "je").

The JSON Schemas in ``docs/formulation/`` are generated from these classes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from maatwerk.core.formulation.model import ConsequenceDomain, NodeKind
from maatwerk.core.instruments.base import Frozen, Identifier, Language, NonEmptyText, Version
from maatwerk.core.knowledge.model import Provenance

__all__ = [
    "FILE_MODELS",
    "Bilingual",
    "CircleStepTexts",
    "ComplaintEdgeTemplate",
    "EdgeTemplate",
    "ExplanationTextsFile",
    "FactorTemplate",
    "FactorTemplatesFile",
    "FormulationFile",
    "GoalHints",
    "KindNames",
]


class Bilingual(Frozen):
    """A text that must exist in Dutch and in English (shown to patients)."""

    nl: NonEmptyText
    en: NonEmptyText

    def get(self, language: Language) -> str:
        return self.nl if language == "nl" else self.en


# ---------------------------------------------------------------- factor_templates.json


class EdgeTemplate(Provenance):
    """A typical edge from the template's factor to another factor or to the complaint;
    a prefill adds it only when both ends are in the draft."""

    to: Identifier = Field(description="A factor id, or 'complaint' for the complaint node.")
    label: Bilingual | None = None


class FactorTemplate(Provenance):
    factor: Identifier
    node_kind: NodeKind
    domain: ConsequenceDomain
    starter_label: Bilingual = Field(
        description="A neutral first-person starter in plain words; the clinician replaces "
        "it with the patient's own words."
    )
    edges: tuple[EdgeTemplate, ...] = ()


class ComplaintEdgeTemplate(Provenance):
    """A typical edge from the complaint to a factor's node."""

    to: Identifier
    label: Bilingual | None = None


class FactorTemplatesFile(Frozen):
    collection: Literal["factor_templates"]
    version: Version
    complaint_placeholder: Bilingual = Field(
        description="The complaint label when the intake has no words and no complaints."
    )
    templates: tuple[FactorTemplate, ...]
    complaint_edges: tuple[ComplaintEdgeTemplate, ...] = ()


# ---------------------------------------------------------------- explanation_texts.json


class CircleStepTexts(Frozen):
    """How one step of a circle is told, per node kind; ``{label}`` is the node label."""

    complaint: Bilingual
    thought: Bilingual
    feeling: Bilingual
    behaviour: Bilingual
    physical: Bilingual
    social: Bilingual


class KindNames(Frozen):
    complaint: Bilingual
    thought: Bilingual
    feeling: Bilingual
    behaviour: Bilingual
    physical: Bilingual
    social: Bilingual


class GoalHints(Frozen):
    """What to do when a goal check is open (not asked yet) or failed."""

    feasible_open: Bilingual
    feasible_failed: Bilingual
    concrete_open: Bilingual
    concrete_failed: Bilingual
    small_steps_open: Bilingual
    small_steps_failed: Bilingual


class ExplanationTextsFile(Frozen):
    collection: Literal["explanation_texts"]
    version: Version
    complaint_heading: Bilingual
    complaint_line: Bilingual = Field(description="Placeholder: {complaint}.")
    no_complaint: Bilingual
    consequences_heading: Bilingual
    consequences_intro: Bilingual
    consequence_item: Bilingual = Field(description="Placeholder: {words}.")
    no_maintaining: Bilingual
    circles_heading: Bilingual
    circle_heading: Bilingual = Field(description="Placeholder: {number}.")
    circle_start: Bilingual = Field(description="Placeholder: {label}.")
    circle_steps: CircleStepTexts
    circle_end: Bilingual = Field(description="Placeholder: {complaint}.")
    my_circle_heading: Bilingual = Field(
        description="Heading of the one circle the patient reads first."
    )
    other_circles_heading: Bilingual = Field(
        description="Heading of the other circles, shown on request."
    )
    no_circles: Bilingual
    treatment_heading: Bilingual
    treatment_intro: Bilingual
    treatment_whole_circle: Bilingual = Field(
        description="Said instead of listing the targets when every step after the "
        "complaint on the circle is one."
    )
    treatment_item: Bilingual = Field(description="Placeholder: {words}.")
    treatment_end: Bilingual
    treatment_no_targets: Bilingual
    real_heading: Bilingual
    real_lines: tuple[Bilingual, ...] = Field(min_length=1)
    short_treatment: Bilingual = Field(
        description="The short explanation (low literacy): the whole treatment part in one "
        "sentence. Our own wording (editorial, unverified)."
    )
    short_real: Bilingual = Field(
        description="The short explanation (low literacy): the 'symptoms are real' part. "
        "Our own wording (editorial, unverified)."
    )
    kind_names: KindNames
    describe_circle: Bilingual = Field(description="Placeholders: {number}, {path}.")
    describe_no_circles: Bilingual
    describe_other_cycle: Bilingual = Field(description="Placeholder: {path}.")
    goal_hints: GoalHints
    jargon: tuple[NonEmptyText, ...] = Field(
        default=(),
        description="Words that must never appear in a patient text (checked in the tests).",
    )


FormulationFile = FactorTemplatesFile | ExplanationTextsFile

FILE_MODELS: dict[str, type[FormulationFile]] = {
    "factor_templates": FactorTemplatesFile,
    "explanation_texts": ExplanationTextsFile,
}
