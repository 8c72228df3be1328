"""Localized (Dutch/English) text with a verification status per language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Discriminator, StrictBool, StrictStr, Tag, model_validator

from maatwerk.core.instruments.base import Frozen, Language, NonEmptyText


class TextVariant(Frozen):
    """A text in one language with its verification status."""

    text: NonEmptyText
    unverified: StrictBool = False
    note: StrictStr | None = None


def _text_kind(value: object) -> str:
    return "~annotated" if isinstance(value, (dict, TextVariant)) else "~plain"


LanguageText = Annotated[
    Annotated[NonEmptyText, Tag("~plain")] | Annotated[TextVariant, Tag("~annotated")],
    Discriminator(_text_kind),
]


@dataclass(frozen=True, slots=True)
class ResolvedText:
    """A text picked for a language: which language it is in and whether it is verified."""

    text: str
    language: Language
    unverified: bool
    fell_back: bool


class LocalizedText(Frozen):
    """Dutch and English text. A language's text is a string or ``{text, unverified, note}``."""

    nl: LanguageText | None = None
    en: LanguageText | None = None

    @model_validator(mode="after")
    def _at_least_one_language(self) -> LocalizedText:
        if self.nl is None and self.en is None:
            raise ValueError("a text needs at least one language (nl or en)")
        return self

    def _variant(self, language: Language) -> tuple[str, bool] | None:
        value = self.nl if language == "nl" else self.en
        if value is None:
            return None
        if isinstance(value, TextVariant):
            return value.text, value.unverified
        return value, False

    def resolve(self, language: str, *, fallback: bool = False) -> ResolvedText | None:
        """The text for a language tag (``"nl"``, ``"nl-BE"``, ``"en_GB"``).

        Without ``fallback`` only that language is returned. With ``fallback=True`` a
        missing text falls back to English (never from English to Dutch).
        """
        base = base_language(language)
        found = self._variant(base) if base is not None else None
        if found is not None and base is not None:
            return ResolvedText(found[0], base, found[1], fell_back=False)
        if fallback and base != "en":
            english = self._variant("en")
            if english is not None:
                return ResolvedText(english[0], "en", english[1], fell_back=True)
        return None

    def get(self, language: str, *, fallback: bool = False) -> str | None:
        resolved = self.resolve(language, fallback=fallback)
        return None if resolved is None else resolved.text

    def is_unverified(self, language: str) -> bool:
        base = base_language(language)
        found = self._variant(base) if base is not None else None
        return found is not None and found[1]


def base_language(language: str) -> Language | None:
    """``"nl-BE"`` -> ``"nl"``; ``None`` for a language we hold no texts for."""
    base = language.replace("_", "-").split("-")[0].lower()
    if base == "nl":
        return "nl"
    if base == "en":
        return "en"
    return None
