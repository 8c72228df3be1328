"""What the formulation pages show: the diagram with its text alternative, the SCEGS and
3P views, the personal explanation, the goal hints and the version history."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.core.formulation import (
    DiagramRenderError,
    Formulation,
    FormulationChanges,
    FormulationError,
    Paragraph,
    as_scegs,
    as_three_p,
    bundled_formulation_content,
    changes,
    circle_only,
    describe,
    goal_issues,
    personal_explanation,
    strongest_circle,
)
from maatwerk.core.formulation.model import CircleGraph
from maatwerk.core.formulation.views import SCEGS_DIMENSIONS, ScegsEntry
from maatwerk.core.instruments.base import Language
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.model import ScreeningProfile
from maatwerk.web.formulation.models import Formulation as FormulationRow
from maatwerk.web.formulation.models import FormulationVersion
from maatwerk.web.formulation.selectors import (
    document_of,
    formulation_of_patient,
    latest_shared_version,
)
from maatwerk.web.formulation.services import diagram_svg
from maatwerk.web.patients.opening import PatientAccess

DOMAIN_LABELS = {
    "cognitive": gettext_lazy("Cognitive (thoughts)"),
    "emotional": gettext_lazy("Emotional (feelings)"),
    "behavioural": gettext_lazy("Behavioural (what you do)"),
    "physical": gettext_lazy("Physical"),
    "social": gettext_lazy("Social"),
}
KIND_LABELS = {
    "complaint": gettext_lazy("Complaint"),
    "thought": gettext_lazy("Thought"),
    "feeling": gettext_lazy("Feeling"),
    "behaviour": gettext_lazy("Behaviour"),
    "physical": gettext_lazy("Physical"),
    "social": gettext_lazy("Social"),
}
ROLE_LABELS = {
    "predisposing": gettext_lazy("Predisposing"),
    "precipitating": gettext_lazy("Precipitating"),
    "perpetuating": gettext_lazy("Perpetuating"),
}
SCEGS_LABELS = {
    "somatisch": gettext_lazy("Somatic"),
    "cognitief": gettext_lazy("Cognitive"),
    "emotioneel": gettext_lazy("Emotional"),
    "gedragsmatig": gettext_lazy("Behavioural"),
    "sociaal": gettext_lazy("Social"),
}


def factor_names(knowledge: KnowledgeBase, language: Language) -> dict[str, str]:
    names: dict[str, str] = {}
    for factor in knowledge.factors.factors:
        names[factor.id] = str(factor.name.get(language, fallback=True) or factor.id)
    return names


@dataclass(frozen=True)
class Diagram:
    svg: str | None  # inline SVG from Graphviz, or None when it could not be drawn
    problem: str | None  # why it is not drawn (shown to the user)
    description: tuple[str, ...]  # the text alternative


def diagram(graph: CircleGraph, language: Language) -> Diagram:
    """The drawing and its text alternative; a page never breaks because of Graphviz."""
    try:
        description = describe(graph, language=language)
    except FormulationError:
        return Diagram(None, _("The circle has too many arrows to draw."), ())
    if not graph.nodes:
        return Diagram(None, None, ())
    try:
        svg = diagram_svg(graph, language=language)
    except DiagramRenderError:
        return Diagram(
            None,
            _("The diagram cannot be drawn right now. The circle is described in words below."),
            description,
        )
    return Diagram(svg, None, description)


@dataclass(frozen=True)
class ScegsSection:
    label: Promise
    entries: tuple[ScegsEntry, ...]


def scegs_sections(document: Formulation) -> list[ScegsSection]:
    view = as_scegs(document)
    return [ScegsSection(SCEGS_LABELS[name], view.dimension(name)) for name in SCEGS_DIMENSIONS]


@dataclass(frozen=True)
class ThreePLine:
    text: str
    from_screening: bool
    factor: str  # the factor's name ("" when the entry names none)


@dataclass(frozen=True)
class ThreePSection:
    id: str
    label: Promise
    entries: list[ThreePLine]


def three_p_sections(
    document: Formulation, profile: ScreeningProfile | None, names: dict[str, str]
) -> list[ThreePSection]:
    view = as_three_p(document, profile)
    sections = [
        ("predisposing", ROLE_LABELS["predisposing"], view.predisposing),
        ("precipitating", ROLE_LABELS["precipitating"], view.precipitating),
        ("perpetuating", ROLE_LABELS["perpetuating"], view.perpetuating),
        ("unplaced", gettext_lazy("Not placed"), view.unplaced),
    ]
    return [
        ThreePSection(
            key,
            label,
            [
                ThreePLine(
                    text=entry.text if entry.text is not None else names.get(entry.id, entry.id),
                    from_screening=entry.origin == "screening",
                    factor=names.get(entry.factor_id, entry.factor_id) if entry.factor_id else "",
                )
                for entry in entries
            ],
        )
        for key, label, entries in sections
    ]


@dataclass(frozen=True)
class ParagraphView:
    heading: str
    tag: str  # the heading's element, h2 … h4
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ExplanationView:
    """The personal explanation: what the patient reads first (one circle, short) and
    the other circles, shown on request."""

    paragraphs: list[ParagraphView]
    more: list[ParagraphView]
    words: int
    text: str  # the whole explanation as plain text (to notice a change)


def explanation(
    document: Formulation, language: Language, *, shift: int = 0, short: bool = False
) -> ExplanationView:
    """The paragraphs; ``shift`` moves the headings down when the explanation sits inside
    a section of a page (headings stay in order); ``short`` gives the shorter version for
    a patient with low literacy."""
    told = personal_explanation(document, language=language, short=short)

    def rows(paragraphs: tuple[Paragraph, ...]) -> list[ParagraphView]:
        return [ParagraphView(p.heading, f"h{p.level + shift}", p.lines) for p in paragraphs]

    return ExplanationView(
        paragraphs=rows(told.paragraphs),
        more=rows(told.more),
        words=told.word_count(),
        text=told.as_text(),
    )


def patient_diagram(document: Formulation, language: Language) -> Diagram:
    """The one circle the patient reads first, drawn on its own (small enough to read on a
    phone); the whole circle graph when there is no vicious circle yet."""
    first = strongest_circle(document)
    graph = document.circle if first is None else circle_only(document.circle, first)
    return diagram(graph, language)


def goal_rows_hints(document: Formulation, language: Language) -> dict[str, list[str]]:
    content = bundled_formulation_content()
    return {
        goal.id: [issue.hint for issue in goal_issues(goal, content=content, language=language)]
        for goal in document.goals
    }


@dataclass(frozen=True)
class HistoryRow:
    version: FormulationVersion
    note: str
    changes: list[str]


def history(versions: list[FormulationVersion]) -> list[HistoryRow]:
    """Newest first, each with what changed since the version before it."""
    documents = {version.number: document_of(version) for version in versions}
    rows = []
    for version in versions:
        previous = documents.get(version.number - 1)
        current = documents[version.number]
        found = changes(previous, current) if previous is not None else None
        names = (_names(previous) if previous is not None else {}) | _names(current)
        rows.append(
            HistoryRow(
                version=version,
                note=_(version.note) if version.note else "",
                changes=_change_lines(found, names) if found else [],
            )
        )
    return rows


def _names(document: Formulation) -> dict[str, str]:
    """Box and consequence ids -> the words a person reads, quoted."""
    names = {node.id: f"“{' '.join(node.label.split())}”" for node in document.circle.nodes}
    names.update({c.id: f"“{' '.join(c.words.split())}”" for c in document.consequences})
    return names


def _named(names: dict[str, str], key: str) -> str:
    return names.get(key, key)


def _change_lines(found: FormulationChanges, names: dict[str, str]) -> list[str]:
    labels = (
        ("added_nodes", _("boxes added")),
        ("removed_nodes", _("boxes removed")),
        ("changed_nodes", _("boxes changed")),
        ("added_edges", _("arrows added")),
        ("removed_edges", _("arrows removed")),
        ("changed_edges", _("arrows changed")),
        ("added_consequences", _("consequences added")),
        ("removed_consequences", _("consequences removed")),
        ("changed_consequences", _("consequences changed")),
    )
    lines = []
    for name, label in labels:
        values = getattr(found, name)
        if values:
            shown = [
                " → ".join(_named(names, str(part)) for part in v)
                if isinstance(v, tuple)
                else _named(names, str(v))
                for v in values
            ]
            lines.append(f"{label}: {', '.join(shown)}")
    return lines


# ------------------------------------------------------------------ the portal card


@dataclass(frozen=True)
class FormulationCard:
    """The formulation card on the patient's portal home: shown once a version is
    shared."""

    formulation: FormulationRow | None
    # The patient said "this fits me" to what they read now: not asked again.
    agreed: bool = False


def formulation_card(access: PatientAccess) -> FormulationCard:
    """Computed by the portal view (its page read is already audited); the template tag
    only renders it."""
    formulation = formulation_of_patient(access)
    shown = formulation is not None and latest_shared_version(formulation) is not None
    return FormulationCard(
        formulation=formulation if shown else None,
        agreed=shown
        and formulation is not None
        and formulation.status == FormulationRow.Status.AGREED,
    )
