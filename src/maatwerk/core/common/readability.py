"""Readability of Dutch text: the Flesch-Douma reading ease and long sentences.

Douma (1960) adapted Flesch's reading ease to Dutch word and sentence lengths::

    leesgemak = 206.84 - 0.77 * (syllables per 100 words) - 0.93 * (words per sentence)

(source ``douma-1960``). Higher is easier; Douma's norm table (:data:`DOUMA_BANDS`) reads
60-70 as "normaal" and 70-80 as "tamelijk gemakkelijk". The formula only counts: it says
nothing about word choice, order or meaning, so it is a screen, never a verdict.

Counting rules (stated, because every tool counts a little differently):

* a *word* is a run of letters or digits, with inner hyphens or apostrophes (``e-mail``,
  ``’s``); a ``{placeholder}`` is one word of one syllable;
* a *sentence* ends at ``.``, ``!``, ``?`` or ``…`` followed by a space and a capital,
  digit or quote, at a line break, or at the end of the text; a colon or semicolon
  does not end one (a list after a colon is part of its sentence);
* *syllables*: :func:`count_syllables`, one per vowel nucleus of Dutch spelling.

The syllable counter is rule based: Dutch spelling writes every syllable with one vowel
nucleus (``aa``, ``ie``, ``oei``, ``ij`` ...), and a diaeresis starts a new one
(``ideeën``). Vowels that do not form a Dutch digraph belong to separate syllables
(``actueel``, ``Koreaan``). It overcounts French and English loanwords whose vowels are
silent (``bureau``, ``station``); such words are rare in patient texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "DOUMA_BANDS",
    "TextStats",
    "count_syllables",
    "douma_band",
    "flesch_douma",
    "long_sentences",
    "sentences",
    "text_stats",
    "words",
]

# Longest first: a nucleus is matched greedily at each vowel.
_NUCLEI = (
    "aai",
    "ooi",
    "oei",
    "eeu",
    "ieu",
    "aa",
    "ee",
    "oo",
    "uu",
    "ie",
    "oe",
    "eu",
    "ei",
    "ij",
    "ui",
    "ou",
    "au",
    "ai",  # a hiatus would be written aï (naïef); ai is one vowel (mayonaise)
)
_SINGLE_VOWELS = frozenset("aeiouyáéíóúàèìòùâêîôû")
_DIAERESIS = frozenset("äëïöü")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-ZÀ-Ý0-9])|\n+")

# Douma's norm table (Flesch-Douma score, lower bound inclusive), as reported in Onze Taal
# 1977 (``douma-1960``).
DOUMA_BANDS: tuple[tuple[float, str], ...] = (
    (90.0, "zeer gemakkelijk"),
    (80.0, "gemakkelijk"),
    (70.0, "tamelijk gemakkelijk"),
    (60.0, "normaal"),
    (45.0, "tamelijk moeilijk"),
    (30.0, "moeilijk"),
    (float("-inf"), "zeer moeilijk"),
)


@dataclass(frozen=True, slots=True)
class TextStats:
    """The counts the formula needs."""

    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_100_words(self) -> float:
        return 100 * self.syllables / self.words if self.words else 0.0


def count_syllables(word: str) -> int:
    """Syllables of one Dutch word: one per vowel nucleus, at least one."""
    lowered = word.lower()
    count = 0
    i = 0
    while i < len(lowered):
        char = lowered[i]
        if char in _DIAERESIS:
            count += 1
            i += 1
            continue
        if char not in _SINGLE_VOWELS:
            i += 1
            continue
        if char == "y" and i + 1 < len(lowered) and lowered[i + 1] in _SINGLE_VOWELS:
            i += 1  # consonantal y: yoga, mayonaise
            continue
        if lowered.startswith("eij", i):
            i += 1  # ge-ijkt: the e before ij is a syllable of its own
            count += 1
            continue
        for nucleus in _NUCLEI:
            if lowered.startswith(nucleus, i):
                i += len(nucleus)
                break
        else:
            i += 1
        count += 1
    return max(count, 1)


def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` (a placeholder counts as one word)."""
    return tuple(_WORD.findall(_PLACEHOLDER.sub("x", text)))


def sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text``, stripped, without empty ones."""
    parts = _SENTENCE_END.split(text.strip())
    return tuple(part.strip() for part in parts if part and words(part))


def text_stats(text: str) -> TextStats:
    """Words, sentences and syllables of ``text``."""
    found = words(text)
    return TextStats(
        words=len(found),
        sentences=len(sentences(text)),
        syllables=sum(count_syllables(word) for word in found),
    )


def flesch_douma(stats: TextStats) -> float:
    """Douma's reading ease of the counts (higher is easier)."""
    if not stats.words or not stats.sentences:
        raise ValueError("readability needs at least one word and one sentence")
    return 206.84 - 0.77 * stats.syllables_per_100_words - 0.93 * stats.words_per_sentence


def douma_band(score: float) -> str:
    """Douma's Dutch label for a score."""
    for lower, label in DOUMA_BANDS:
        if score >= lower:
            return label
    raise AssertionError("the last band has no lower bound")  # pragma: no cover


def long_sentences(text: str, *, limit: int) -> tuple[str, ...]:
    """The sentences of ``text`` with more than ``limit`` words."""
    return tuple(sentence for sentence in sentences(text) if len(words(sentence)) > limit)
