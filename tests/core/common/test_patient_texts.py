"""Every patient text of the bundled content: its readability, reported and kept short.

Run with ``-s`` to see every text's Flesch-Douma score. The report ``docs/readability.md``
is generated from the same texts (``write_report``) and must be current.
"""

from __future__ import annotations

import re
from pathlib import Path

from maatwerk.core.common.patient_texts import (
    SENTENCE_WORD_LIMIT,
    bundled_patient_texts,
    render_report,
)
from maatwerk.core.common.readability import long_sentences, words

DOCS = Path(__file__).resolve().parents[3] / "docs" / "readability.md"
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)


def test_every_patient_text_is_found() -> None:
    texts = bundled_patient_texts()
    files = {text.file.split("/")[0] for text in texts}
    expected = {"modules", "formulation", "knowledge", "prose", "safety_plan", "screening"}
    assert expected | {"instruments"} <= files
    assert all(text.nl.strip() and text.en.strip() for text in texts)
    assert not any("clinician" in text.path for text in texts)


def test_every_text_has_a_score_and_no_sentence_is_over_the_limit() -> None:
    flagged = []
    for text in bundled_patient_texts():
        score = text.score
        shown = "-" if score is None else f"{score:5.0f}"
        print(f"{shown}  {text.file}  {text.path}  {text.nl[:60]}")
        if text.licensed:
            continue  # validated instrument wording is reported, never rewritten
        flagged += [
            f"{text.file} {text.path}: {len(words(sentence))} words: {sentence}"
            for sentence in long_sentences(text.nl, limit=SENTENCE_WORD_LIMIT)
        ]
    assert flagged == []


def test_patient_texts_say_je() -> None:
    formal = [
        f"{text.file} {text.path}: {text.nl}"
        for text in bundled_patient_texts()
        if not text.licensed and FORMAL.search(text.nl)
    ]
    assert formal == []


def test_the_report_is_current() -> None:
    expected = render_report(bundled_patient_texts())
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "regenerate: python -c 'from maatwerk.core.common.patient_texts import write_report;"
        ' write_report("docs")\''
    )
