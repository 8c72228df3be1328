"""The personal explanation: the formulation told back to the patient in plain words.

Built only from the formulation and the sentence templates in
``content/formulation/explanation_texts.json`` (nl and en, B1, "je"), so the same
formulation always gives the same text. The patient's own words are quoted, never
rewritten. The parts, in order:

1. the complaints, in the patient's words;
2. the maintaining consequences ("what keeps your symptoms going");
3. each vicious circle as a short story, starting at the complaint and following the
   circle back to it ("Then you think: ...", "Then you do this: ...");
4. what this means for treatment: breaking the circle at the maintaining consequences
   that lie on a circle (all maintaining consequences when none is on a circle);
5. that the complaints are real.
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.formulation.content import FormulationContent, bundled_formulation_content
from maatwerk.core.formulation.definitions import Bilingual
from maatwerk.core.formulation.model import Consequence, Formulation, vicious_circles
from maatwerk.core.instruments.base import Language

__all__ = ["Explanation", "Paragraph", "personal_explanation"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    heading: str
    level: int  # 2: a part of the explanation; 3: one circle inside part 3
    lines: tuple[str, ...]  # sentences or list items, in order


@dataclass(frozen=True, slots=True)
class Explanation:
    language: Language
    paragraphs: tuple[Paragraph, ...]

    def lines(self) -> tuple[str, ...]:
        """Every heading and line in reading order."""
        return tuple(
            line for paragraph in self.paragraphs for line in (paragraph.heading, *paragraph.lines)
        )

    def as_text(self) -> str:
        blocks = ["\n".join((p.heading, *p.lines)) for p in self.paragraphs]
        return "\n\n".join(blocks) + "\n"


def _words(text: str) -> str:
    """The patient's words on one line, without a closing full stop (the sentence
    template adds its own punctuation)."""
    return " ".join(text.split()).rstrip(".")


def personal_explanation(
    formulation: Formulation,
    *,
    language: Language,
    content: FormulationContent | None = None,
) -> Explanation:
    """The explanation of ``formulation`` in ``language`` (see the module docstring)."""
    texts = (content or bundled_formulation_content()).texts

    def say(text: Bilingual, **values: object) -> str:
        return text.get(language).format(**values)

    paragraphs: list[Paragraph] = []
    complaint_lines = tuple(
        say(texts.complaint_line, complaint=_words(c.text)) for c in formulation.complaints
    )
    paragraphs.append(
        Paragraph(say(texts.complaint_heading), 2, complaint_lines or (say(texts.no_complaint),))
    )

    maintaining = formulation.maintaining_consequences
    paragraphs.append(
        Paragraph(
            say(texts.consequences_heading),
            2,
            (
                say(texts.consequences_intro),
                *(say(texts.consequence_item, words=_words(c.words)) for c in maintaining),
            )
            if maintaining
            else (say(texts.no_maintaining),),
        )
    )

    graph = formulation.circle
    circles = vicious_circles(graph)
    paragraphs.append(
        Paragraph(say(texts.circles_heading), 2, () if circles else (say(texts.no_circles),))
    )
    for number, circle in enumerate(circles, start=1):
        start = graph.node(circle[0])
        story = [say(texts.circle_start, label=_words(start.label))]
        for node_id in circle[1:]:
            node = graph.node(node_id)
            step: Bilingual = getattr(texts.circle_steps, node.kind)
            story.append(say(step, label=_words(node.label)))
        story.append(say(texts.circle_end, complaint=_words(start.label)))
        paragraphs.append(Paragraph(say(texts.circle_heading, number=number), 3, tuple(story)))

    on_circles = {
        graph.node(node_id).consequence_id for circle in circles for node_id in circle
    } - {None}
    targets: tuple[Consequence, ...] = (
        tuple(c for c in maintaining if c.id in on_circles) or maintaining
    )
    treatment = (
        (
            say(texts.treatment_intro),
            *(say(texts.treatment_item, words=_words(c.words)) for c in targets),
            say(texts.treatment_end),
        )
        if targets
        else (say(texts.treatment_no_targets), say(texts.treatment_end))
    )
    paragraphs.append(Paragraph(say(texts.treatment_heading), 2, treatment))
    paragraphs.append(
        Paragraph(say(texts.real_heading), 2, tuple(say(line) for line in texts.real_lines))
    )
    return Explanation(language, tuple(paragraphs))
