"""The safety plan as an immutable value, and the rules for changing it.

A plan holds, per section of the content (in the content's order), a short list of
entries: a line of text in the patient's words and, in sections ``with_phone``, a phone
number (stored in E.164 form, see :mod:`maatwerk.core.contact`). ``build_plan`` checks a
submitted plan against the content's sections and limits and reports every problem at
once; ``patient_edit`` applies what the patient may change (their own sections only);
``changed_sections`` says which sections differ, for the version history.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from maatwerk.core.contact import InvalidPhoneNumber, PhoneNumber, parse_phone_number
from maatwerk.core.safety_plan.definitions import SafetyPlanContentFile
from maatwerk.core.safety_plan.errors import EntryProblem, SafetyPlanError

__all__ = [
    "DOCUMENT_FORMAT",
    "EntryInput",
    "PlanEntry",
    "SafetyPlan",
    "build_plan",
    "changed_sections",
    "empty_plan",
    "patient_edit",
    "plan_from_json",
    "plan_to_json",
]

DOCUMENT_FORMAT = 1
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PlanEntry:
    text: str
    phone: str = ""  # E.164 ("+31612345678") or ""

    @property
    def phone_number(self) -> PhoneNumber | None:
        return PhoneNumber(self.phone) if self.phone else None


@dataclass(frozen=True)
class SafetyPlan:
    """Section id -> entries, in the order of the content's sections."""

    sections: tuple[tuple[str, tuple[PlanEntry, ...]], ...]

    def entries(self, section_id: str) -> tuple[PlanEntry, ...]:
        for found, entries in self.sections:
            if found == section_id:
                return entries
        return ()

    @property
    def is_empty(self) -> bool:
        return not any(entries for _, entries in self.sections)


@dataclass(frozen=True)
class EntryInput:
    """An entry as submitted (not yet checked)."""

    text: str
    phone: str = ""


def empty_plan(content: SafetyPlanContentFile) -> SafetyPlan:
    return SafetyPlan(tuple((section_id, ()) for section_id in content.section_ids))


def _clean_text(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _check_section(
    content: SafetyPlanContentFile,
    section_id: str,
    submitted: Sequence[EntryInput],
    problems: list[EntryProblem],
) -> tuple[PlanEntry, ...]:
    definition = content.section(section_id)
    limits = content.limits
    entries: list[PlanEntry] = []
    kept = [
        (index, entry)
        for index, entry in enumerate(submitted)
        if _clean_text(entry.text) or entry.phone.strip()
    ]
    if len(kept) > limits.max_entries:
        problems.append(EntryProblem(section_id, None, "", "too_many", limits.max_entries))
    for index, entry in kept:
        text = _clean_text(entry.text)
        phone = ""
        if not text:
            problems.append(EntryProblem(section_id, index, "text", "text_missing"))
        elif len(text) > limits.max_text_length:
            problems.append(
                EntryProblem(section_id, index, "text", "text_too_long", limits.max_text_length)
            )
        if entry.phone.strip():
            if not definition.with_phone:
                problems.append(EntryProblem(section_id, index, "phone", "phone_not_allowed"))
            else:
                try:
                    phone = parse_phone_number(entry.phone).e164
                except InvalidPhoneNumber as invalid:
                    problems.append(EntryProblem(section_id, index, "phone", invalid.problem))
        entries.append(PlanEntry(text=text, phone=phone))
    return tuple(entries)


def build_plan(
    content: SafetyPlanContentFile, submitted: Mapping[str, Sequence[EntryInput]]
) -> SafetyPlan:
    """The plan from submitted entries per section. Rows without text and phone are
    dropped; a section not submitted is empty. Raises :class:`SafetyPlanError` with
    every problem at once."""
    problems: list[EntryProblem] = [
        EntryProblem(section_id, None, "", "unknown_section")
        for section_id in submitted
        if section_id not in content.section_ids
    ]
    sections = tuple(
        (section_id, _check_section(content, section_id, submitted.get(section_id, ()), problems))
        for section_id in content.section_ids
    )
    if problems:
        raise SafetyPlanError(tuple(problems))
    return SafetyPlan(sections)


def patient_edit(
    content: SafetyPlanContentFile,
    current: SafetyPlan,
    submitted: Mapping[str, Sequence[EntryInput]],
) -> SafetyPlan:
    """What the patient changed: only sections that are ``patient_editable``; the other
    sections keep what the clinician wrote. A submitted section the patient may not change
    is refused (``not_editable``), never silently dropped."""
    problems = [
        EntryProblem(section_id, None, "", "not_editable")
        for section_id in submitted
        if section_id in content.section_ids and not content.section(section_id).patient_editable
    ]
    merged: dict[str, Sequence[EntryInput]] = {
        section.id: (
            submitted.get(section.id, ())
            if section.patient_editable
            else [EntryInput(e.text, e.phone) for e in current.entries(section.id)]
        )
        for section in content.sections
    }
    merged.update({key: value for key, value in submitted.items() if key not in merged})
    try:
        plan = build_plan(content, merged)
    except SafetyPlanError as error:
        raise SafetyPlanError(tuple(problems) + error.problems) from None
    if problems:
        raise SafetyPlanError(tuple(problems))
    return plan


def changed_sections(before: SafetyPlan | None, after: SafetyPlan) -> tuple[str, ...]:
    """The ids of the sections whose entries differ (all non-empty ones without ``before``)."""
    if before is None:
        return tuple(section_id for section_id, entries in after.sections if entries)
    ids = [section_id for section_id, _ in after.sections]
    ids += [section_id for section_id, _ in before.sections if section_id not in ids]
    return tuple(
        section_id for section_id in ids if before.entries(section_id) != after.entries(section_id)
    )


def plan_to_json(plan: SafetyPlan) -> str:
    document = {
        "format": DOCUMENT_FORMAT,
        "sections": {
            section_id: [
                {"text": entry.text, **({"phone": entry.phone} if entry.phone else {})}
                for entry in entries
            ]
            for section_id, entries in plan.sections
        },
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=False)


def plan_from_json(text: str, content: SafetyPlanContentFile) -> SafetyPlan:
    """Read a stored plan back, in the content's section order. A section the content no
    longer has is kept at the end, so that nothing written is lost."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != DOCUMENT_FORMAT:
        raise ValueError("not a safety-plan document of format 1")
    stored: dict[str, list[dict[str, str]]] = data.get("sections", {})
    order = list(content.section_ids) + [key for key in stored if key not in content.section_ids]
    return SafetyPlan(
        tuple(
            (
                section_id,
                tuple(
                    PlanEntry(text=str(item["text"]), phone=str(item.get("phone", "")))
                    for item in stored.get(section_id, [])
                ),
            )
            for section_id in order
        )
    )
