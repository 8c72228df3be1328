"""The personal explanation: the formulation told back to the patient in plain words.

Built only from the formulation, read with its current words (``current.py``: the
circle's boxes say what steps 1 and 2 say now), and the sentence templates in
``content/formulation/explanation_texts.json`` (nl and en, B1, "je"), so the same
formulation always gives the same text. The patient's own words are quoted, never
rewritten.

What the patient reads first is short (aimed at about 150 words): one personal circle,

1. the strongest vicious circle (``current.strongest_circle``) as a short story, starting
   at the complaint and following the circle back to it ("Dan denk je: ...");
2. what this means for treatment: breaking that circle at its maintaining consequences
   (all maintaining consequences when none is on it);
3. that the complaints are real.

Without a circle, the complaints and the maintaining consequences are told instead. The
other circles are in ``Explanation.more``, for the page to show on request.

``short=True`` is the version for a patient with low literacy (the screening flag
``low_literacy``): the same circle in the patient's own words, then the treatment and
"your symptoms are real" parts in one short sentence each (``short_treatment``,
``short_real``: our own wording).
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.formulation.content import FormulationContent, bundled_formulation_content
from maatwerk.core.formulation.current import strongest_circle, with_current_words
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
    paragraphs: tuple[Paragraph, ...]  # what the patient reads first
    more: tuple[Paragraph, ...] = ()  # the other circles, on request

    def lines(self) -> tuple[str, ...]:
        """Every heading and line of what is read first, in reading order."""
        return tuple(
            line for paragraph in self.paragraphs for line in (paragraph.heading, *paragraph.lines)
        )

    def word_count(self) -> int:
        """Words in what is read first (headings included)."""
        return sum(len(line.split()) for line in self.lines())

    def as_text(self) -> str:
        blocks = ["\n".join((p.heading, *p.lines)) for p in (*self.paragraphs, *self.more)]
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
    short: bool = False,
) -> Explanation:
    """The explanation of ``formulation`` in ``language`` (see the module docstring)."""
    texts = (content or bundled_formulation_content()).texts
    formulation = with_current_words(formulation)

    def say(text: Bilingual, **values: object) -> str:
        return text.get(language).format(**values)

    graph = formulation.circle
    circles = vicious_circles(graph)
    first = strongest_circle(formulation)

    def story(circle: tuple[str, ...]) -> tuple[str, ...]:
        start = graph.node(circle[0])
        lines = [say(texts.circle_start, label=_words(start.label))]
        for node_id in circle[1:]:
            node = graph.node(node_id)
            step: Bilingual = getattr(texts.circle_steps, node.kind)
            lines.append(say(step, label=_words(node.label)))
        lines.append(say(texts.circle_end, complaint=_words(start.label)))
        return tuple(lines)

    paragraphs: list[Paragraph] = []
    maintaining = formulation.maintaining_consequences
    if first is None:
        complaint_lines = tuple(
            say(texts.complaint_line, complaint=_words(c.text)) for c in formulation.complaints
        )
        paragraphs.append(
            Paragraph(
                say(texts.complaint_heading), 2, complaint_lines or (say(texts.no_complaint),)
            )
        )
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
        paragraphs.append(Paragraph(say(texts.circles_heading), 2, (say(texts.no_circles),)))
    else:
        paragraphs.append(Paragraph(say(texts.my_circle_heading), 2, story(first)))

    on_circle = {graph.node(node_id).consequence_id for node_id in first or ()} - {None}
    targets: tuple[Consequence, ...] = (
        tuple(c for c in maintaining if c.id in on_circle) or maintaining
    )
    after_complaint = [graph.node(node_id) for node_id in (first or ())[1:]]
    whole_circle = bool(after_complaint) and all(
        node.consequence_id in {c.id for c in targets} for node in after_complaint
    )
    treatment = (
        (say(texts.treatment_whole_circle), say(texts.treatment_end))
        if whole_circle
        else (
            say(texts.treatment_intro),
            *(say(texts.treatment_item, words=_words(c.words)) for c in targets),
            say(texts.treatment_end),
        )
        if targets
        else (say(texts.treatment_no_targets), say(texts.treatment_end))
    )
    if short and first is not None:  # "this circle": only when there is one
        treatment = (say(texts.short_treatment),)
    paragraphs.append(Paragraph(say(texts.treatment_heading), 2, treatment))
    real = (say(texts.short_real),) if short else tuple(say(line) for line in texts.real_lines)
    paragraphs.append(Paragraph(say(texts.real_heading), 2, real))
    others = [circle for circle in circles if circle != first]
    more: list[Paragraph] = []
    if others:
        more.append(Paragraph(say(texts.other_circles_heading), 2, ()))
        more.extend(
            Paragraph(say(texts.circle_heading, number=number), 3, story(circle))
            for number, circle in enumerate(others, start=2)
        )
    return Explanation(language, tuple(paragraphs), tuple(more))
