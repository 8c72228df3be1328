"""Flesch-Douma and the Dutch syllable counter against published worked examples.

Golden values (source ``yoast-flesch-nl``, an independent implementation of the same formula):

* ``calculateFleschReadingScoreSpec.js`` (wordpress-seo commit 13c4be0b): 10 sentences,
  50 words and 100 syllables score 48.2;
* the Dutch Flesch test of YoastSEO.js (pull request 842): "Een stukje tekst om scores te
  berekenen." scores 68.3 (7 words, 12 syllables, 1 sentence);
* ``syllablesSpec.js`` (wordpress-seo commit 6b603cc0): syllable counts of Dutch words.
  Words where that spec follows the pronunciation of a loanword (``patiënt`` 2, ``station``
  2, ``bureau`` 2) are left out: the counter follows Dutch spelling and counts them higher.

Douma's norm table is the one reported in Onze Taal 1977 (``douma-1960``).
"""

from __future__ import annotations

import pytest

from maatwerk.core.common.readability import (
    TextStats,
    count_syllables,
    douma_band,
    flesch_douma,
    long_sentences,
    sentences,
    text_stats,
    words,
)


def test_formula_matches_the_published_counts_example() -> None:
    score = flesch_douma(TextStats(words=50, sentences=10, syllables=100))
    assert round(score, 1) == 48.2


def test_a_sentence_matches_the_published_worked_example() -> None:
    stats = text_stats("Een stukje tekst om scores te berekenen.")
    assert stats == TextStats(words=7, sentences=1, syllables=12)
    assert round(flesch_douma(stats), 1) == 68.3


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("Kanaäniet", 4),
        ("aaien", 2),
        ("aorta", 3),
        ("Indiër", 3),
        ("deodorant", 4),
        ("politieauto", 5),
        ("alinea", 4),
        ("Koreaan", 3),
        ("bemoeien", 3),
        ("geijkt", 2),
        ("geuit", 2),
        ("geboorteuur", 4),
        ("atheïst", 3),
        ("milieubeheer", 4),
        ("nieuw", 1),
        ("milieu", 2),
        ("Keniaan", 3),
        ("atrium", 3),
        ("eiig", 2),
        ("coördinatie", 5),
        ("dooien", 2),
        ("reünie", 3),
        ("vacuüm", 3),
        ("duaal", 2),
        ("actueel", 3),
        ("duo", 2),
        ("buien", 2),
        ("prieel", 2),
        ("mayonaise", 4),
        ("papaya", 3),
    ],
)
def test_syllables_match_the_published_word_list(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


def test_a_word_without_a_vowel_counts_one_syllable() -> None:
    assert count_syllables("113") == 1


def test_sentences_end_at_a_full_stop_before_a_capital_and_at_a_line_break() -> None:
    text = "Bel 113. Of bel je huisarts, bijv. vandaag!\nIs er gevaar? Bel 112: direct."
    assert sentences(text) == (
        "Bel 113.",
        "Of bel je huisarts, bijv. vandaag!",
        "Is er gevaar?",
        "Bel 112: direct.",
    )


def test_a_placeholder_is_one_word() -> None:
    found = words('Het begint met je klacht: "{label}".')
    assert found == ("Het", "begint", "met", "je", "klacht", "x")


def test_long_sentences_are_those_over_the_limit() -> None:
    text = "Een twee drie vier. Een twee drie."
    assert long_sentences(text, limit=3) == ("Een twee drie vier.",)
    assert long_sentences(text, limit=4) == ()


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (95.0, "zeer gemakkelijk"),
        (80.0, "gemakkelijk"),
        (65.0, "normaal"),
        (44.9, "moeilijk"),
        (-3.0, "zeer moeilijk"),
    ],
)
def test_douma_bands(score: float, band: str) -> None:
    assert douma_band(score) == band


def test_no_words_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one word"):
        flesch_douma(text_stats(""))
