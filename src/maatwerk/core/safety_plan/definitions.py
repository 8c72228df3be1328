"""The safety-plan content as frozen, typed values (the schema of
``content/safety_plan/sections.json``).

One file, collection ``safety_plan``: the sources it cites, the plan's title and
introductions, the limits that keep it short, the sections in the order of the Safety
Planning Intervention (Stanley & Brown 2012) with a patient prompt (B1, "je") and a
clinician prompt, and the crisis lines that are always listed with the professionals.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, StringConstraints

from maatwerk.core.instruments.base import Frozen, Identifier, Language, SourceId, Version
from maatwerk.core.instruments.model import Source

__all__ = [
    "Bilingual",
    "CrisisLine",
    "Limits",
    "SafetyPlanContentFile",
    "SectionDefinition",
]

DialString = Annotated[StrictStr, StringConstraints(pattern=r"^\+?[0-9]{3,15}$")]


class Bilingual(Frozen):
    """A text that must exist in Dutch and in English."""

    nl: Annotated[StrictStr, StringConstraints(min_length=1)]
    en: Annotated[StrictStr, StringConstraints(min_length=1)]

    def get(self, language: Language) -> str:
        return self.nl if language == "nl" else self.en


class Provenance(Frozen):
    """Source ids of this file's ``sources``, or ``unverified: true`` (or both)."""

    sources: tuple[SourceId, ...] = ()
    unverified: StrictBool = False
    note: StrictStr | None = None


class Limits(Provenance):
    """How long the plan may get: entries per section and characters per entry."""

    max_entries: StrictInt = Field(ge=1, le=50)
    max_text_length: StrictInt = Field(ge=20, le=2000)


class SectionDefinition(Provenance):
    """One step of the plan. ``patient_editable``: the patient may change it in the
    portal; ``with_phone``: an entry may carry a phone number (shown as a tel: link)."""

    id: Identifier
    step: StrictInt = Field(ge=1)
    title: Bilingual
    patient_prompt: Bilingual
    clinician_prompt: Bilingual
    patient_editable: StrictBool
    with_phone: StrictBool


class CrisisLine(Provenance):
    """Always listed with the professionals. ``number``: a fixed number (``tel`` is
    dialled, ``written`` is shown); ``patient_gp``: the GP phone from the patient record."""

    id: Identifier
    kind: Literal["number", "patient_gp"]
    name: Bilingual
    description: Bilingual
    tel: DialString | None = None
    written: StrictStr | None = None


class SafetyPlanContentFile(Frozen):
    collection: Literal["safety_plan"]
    version: Version
    sources: tuple[Source, ...] = Field(min_length=1)
    title: Bilingual
    patient_intro: Bilingual
    clinician_intro: Bilingual
    limits: Limits
    sections: tuple[SectionDefinition, ...] = Field(min_length=1)
    crisis_lines: tuple[CrisisLine, ...] = ()

    def section(self, section_id: str) -> SectionDefinition:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(section.id for section in self.sections)
