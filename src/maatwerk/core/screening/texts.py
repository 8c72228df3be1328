"""Small helpers to turn data texts into ``{language: text}`` mappings."""

from __future__ import annotations

from collections.abc import Mapping

from maatwerk.core.instruments.text import LocalizedText

LANGUAGES = ("nl", "en")


def localized(text: LocalizedText | None) -> dict[str, str]:
    """``{"nl": …, "en": …}`` for the languages the text has."""
    if text is None:
        return {}
    found: dict[str, str] = {}
    for language in LANGUAGES:
        value = text.get(language)
        if value is not None:
            found[language] = value
    return found


def pick(texts: Mapping[str, str], language: str) -> str:
    """The text in ``language`` (``"nl-BE"`` counts as ``"nl"``), else English, else any."""
    base = language.replace("_", "-").split("-")[0].lower()
    for candidate in (base, "en", *texts):
        if candidate in texts:
            return texts[candidate]
    return ""


def join(*parts: Mapping[str, str]) -> dict[str, str]:
    """Join texts per language with a space (a part missing a language is left out)."""
    return {
        language: " ".join(part[language] for part in parts if part.get(language))
        for language in LANGUAGES
    }
