"""Every text of the bundled content that a patient reads, and its readability report.

Which texts a patient reads follows from the content's own fields: a field named
``patient_*`` is for the patient and ``clinician_*`` is not; the module texts (steps,
exercises, homework), the explanation of the vicious circle, the patient summary lines and
the safety plan's own headings are written for the patient as a whole. :data:`SELECTORS`
lists them per file, with a regular expression over the JSON path of a bilingual text
(``steps[].text[]``; list positions are written ``[]``).

Instrument texts (instructions, items, answer labels) are read by patients too, but their
wording is licensed and validated: they are measured and reported, marked *licensed*, and
never rewritten (:attr:`PatientText.licensed`).

:func:`render_report` writes ``docs/readability.md`` from the bundled content with the
Flesch-Douma formula of :mod:`maatwerk.core.common.readability`, so the numbers there stay
true; ``tests/core/common/test_patient_texts.py`` checks it is current and that no
patient text has a sentence over :data:`SENTENCE_WORD_LIMIT` words.
"""

from __future__ import annotations

import fnmatch
import json
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from maatwerk.core.common.content_set import content_folder
from maatwerk.core.common.readability import (
    count_syllables,
    douma_band,
    flesch_douma,
    long_sentences,
    sentences,
    text_stats,
    words,
)

__all__ = [
    "MIN_WORDS_FOR_SCORE",
    "SELECTORS",
    "SENTENCE_WORD_LIMIT",
    "PatientText",
    "Selector",
    "bundled_patient_texts",
    "render_report",
    "write_report",
]

# B1 writing guidance asks for short sentences: an average of about ten words and
# sentences of at most 12-15 words (sources ``b1-schrijftips-hvds``, ``b1-webteksten``).
SENTENCE_WORD_LIMIT = 15
# A score of one short label says little; per-text scores are summarised from this length.
MIN_WORDS_FOR_SCORE = 10


@dataclass(frozen=True, slots=True)
class Selector:
    """Bilingual texts of the files matching ``files`` whose JSON path matches ``path``."""

    files: str
    path: str
    licensed: bool = False


SELECTORS: tuple[Selector, ...] = (
    Selector("modules/*.json", r"^(?!clinician_summary).*"),
    Selector("formulation/explanation_texts.json", r".*"),
    Selector(
        "formulation/factor_templates.json",
        r"^(templates\[\]\.starter_label|complaint_placeholder)$",
    ),
    Selector("knowledge/factors.json", r"^factors\[\]\.patient_description$"),
    Selector("knowledge/medication.json", r"^medication\[\]\.patient_description$"),
    Selector("prose/screening_summary.json", r"^texts\.patient\..*"),
    Selector("planning/rules.json", r"^graded_activity\.messages\..*"),
    Selector(
        "safety_plan/sections.json",
        r"^(title|patient_intro|sections\[\]\.(title|patient_prompt)|crisis_lines\[\]\.(name|description))$",
    ),
    Selector("screening/complaints.json", r"^complaints\[\]\.patient_name$"),
    Selector("screening/patient_texts.json", r".*"),
    Selector("screening/stepped_care.json", r"^.*\.patient_text$"),
    Selector("screening/subgroups.json", r"^subgroups\[\]\.summary_line$"),
    Selector("instruments/*.json", r"^safety_rules\[\]\.patient_message$"),
    Selector(
        "instruments/*.json",
        r"^(instructions|recall_period|items\[\]\.text|response_sets\[\]\.options\[\]\.label)$",
        licensed=True,
    ),
)


@dataclass(frozen=True, slots=True)
class PatientText:
    """One bilingual patient text: where it is and its Dutch and English wording."""

    file: str
    path: str
    nl: str
    en: str
    licensed: bool

    @property
    def score(self) -> float | None:
        """Flesch-Douma of the Dutch text, or ``None`` without a sentence."""
        stats = text_stats(self.nl)
        return flesch_douma(stats) if stats.words and stats.sentences else None


def _wording(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get("text")  # an instrument's licensed Dutch wording with its note
        return text if isinstance(text, str) else None
    return None


def _bilingual(node: object, path: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, dict):
        nl, en = _wording(node.get("nl")), _wording(node.get("en"))
        if nl is not None and en is not None:
            yield path, nl, en
            return
        for key, value in node.items():
            yield from _bilingual(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for value in node:
            yield from _bilingual(value, f"{path}[]")


def _content_files() -> Iterator[tuple[str, object]]:
    root = content_folder("")
    for folder in sorted(root.iterdir(), key=lambda entry: entry.name):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if entry.name.endswith(".json"):
                yield f"{folder.name}/{entry.name}", json.loads(entry.read_text(encoding="utf-8"))


def bundled_patient_texts() -> tuple[PatientText, ...]:
    """Every patient text of the bundled content, in file order."""
    found: list[PatientText] = []
    for name, data in _content_files():
        for selector in SELECTORS:
            if not fnmatch.fnmatch(name, selector.files):
                continue
            pattern = re.compile(selector.path)
            for path, nl, en in _bilingual(data, ""):
                if pattern.fullmatch(path):
                    found.append(PatientText(name, path, nl, en, selector.licensed))
    return tuple(found)


def _quantiles(values: list[float]) -> str:
    if len(values) < 2:
        return "-"
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return f"{min(values):.0f} / {q1:.0f} / {q2:.0f} / {q3:.0f} / {max(values):.0f}"


def _pooled(texts: list[PatientText]) -> tuple[int, int, float | None]:
    joined = "\n".join(text.nl for text in texts)
    stats = text_stats(joined)
    score = flesch_douma(stats) if stats.words and stats.sentences else None
    return stats.words, stats.sentences, score


def render_report(texts: tuple[PatientText, ...]) -> str:
    """``docs/readability.md`` for ``texts``."""
    own = [text for text in texts if not text.licensed]
    licensed = [text for text in texts if text.licensed]
    lines = [
        "# Readability of patient texts",
        "",
        "Generated by `maatwerk.core.common.patient_texts.write_report` from the bundled content;",
        "`tests/core/common/test_patient_texts.py` fails when this file is out of date.",
        "",
        "**Formula.** Flesch-Douma (Douma 1960, `douma-1960`): 206.84 - 0.77 x syllables per 100",
        "words - 0.93 x words per sentence, on the Dutch text. Syllables are counted per vowel",
        "nucleus of Dutch spelling (`maatwerk.core.common.readability`). Douma's norms: 60-70",
        '"normaal", 70-80 "tamelijk gemakkelijk", 80-90 "gemakkelijk", 90-100 "zeer gemakkelijk".',
        "A formula counts word and sentence length only; it is a screen for long sentences and",
        "long words, not a proof of B1.",
        "",
        "**Sentence limit.** No sentence of a patient text may have more than"
        f" {SENTENCE_WORD_LIMIT} words",
        "(B1 guidance: about ten words on average, at most 12-15; `b1-schrijftips-hvds`,",
        "`b1-webteksten`). Licensed instrument wording is reported but not rewritten.",
        "",
        "**Which texts.** Fields named `patient_*`, module texts, the circle explanation, the",
        "patient summary lines and the safety plan's own headings (`SELECTORS` in",
        "`patient_texts.py`).",
        "",
        "## Distribution",
        "",
        f"Scores of single texts with at least {MIN_WORDS_FOR_SCORE} words"
        " (min / Q1 / median / Q3 / max),",
        "and the score of all texts of a group read as one text.",
        "",
        "| Group | Texts | Words | Sentences | Longest sentence | Per text | All as one |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    groups: dict[str, list[PatientText]] = {}
    for text in own:
        groups.setdefault(text.file.split("/")[0], []).append(text)
    groups["all own texts"] = own
    groups["instruments (licensed)"] = licensed
    for name, members in groups.items():
        word_count, sentence_count, pooled = _pooled(members)
        per_text = [
            score
            for text in members
            if len(words(text.nl)) >= MIN_WORDS_FOR_SCORE and (score := text.score) is not None
        ]
        longest = max((len(words(s)) for text in members for s in sentences(text.nl)), default=0)
        lines.append(
            f"| {name} | {len(members)} | {word_count} | {sentence_count} | {longest} "
            f"| {_quantiles(per_text)} | {pooled:.0f} ({douma_band(pooled)}) |"
            if pooled is not None
            else f"| {name} | {len(members)} | {word_count} | {sentence_count} | {longest} "
            "| - | - |"
        )
    lines += ["", "## Sentences over the limit", ""]
    flagged = [
        (text, sentence)
        for text in texts
        for sentence in long_sentences(text.nl, limit=SENTENCE_WORD_LIMIT)
    ]
    if not flagged:
        lines.append("None.")
    for text, sentence in flagged:
        mark = " (licensed)" if text.licensed else ""
        count = len(words(sentence))
        lines.append(f"- `{text.file}` `{text.path}`{mark}, {count} words: {sentence}")
    lines += [
        "",
        "## Every text",
        "",
        "| File | Path | Words | Syllables per word | Score | Text |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for text in texts:
        found = words(text.nl)
        syllables = sum(count_syllables(word) for word in found) / len(found) if found else 0.0
        score = text.score
        shown = text.nl.replace("|", "\\|").replace("\n", " ")
        if len(shown) > 70:
            shown = shown[:67].rstrip() + "..."
        lines.append(
            f"| {text.file} | `{text.path}`{' (licensed)' if text.licensed else ''} | {len(found)} "
            f"| {syllables:.2f} | {'-' if score is None else f'{score:.0f}'} | {shown} |"
        )
    return "\n".join(lines) + "\n"


def write_report(folder: str | Path) -> Path:
    """Write ``readability.md`` into ``folder`` (the repository's ``docs``)."""
    target = Path(folder) / "readability.md"
    target.write_text(render_report(bundled_patient_texts()), encoding="utf-8")
    return target
