"""What the safety-plan pages show: sections with their entries, prompts and errors, and
the crisis lines. Building the edit form's rows and reading them back is here too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NotRequired, TypedDict

from django.http import QueryDict
from django.utils.translation import gettext as _

from maatwerk.core.contact import PhoneNumber
from maatwerk.core.instruments.base import Language
from maatwerk.core.instruments.model import Source
from maatwerk.core.safety_plan import EntryInput, EntryProblem, SafetyPlan, SafetyPlanContentFile
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.patients.services import phone_problem_message
from maatwerk.web.safetyplan.models import SafetyPlan as PlanRow
from maatwerk.web.safetyplan.models import SafetyPlanVersion

BLANK_ROWS = 2
# The form is read up to this row index, so that a submission cannot make the server
# read without end; rows past the content's limit are reported as "too many".
MAX_ROWS_READ = 60


@dataclass(frozen=True)
class EntryView:
    text: str
    phone: PhoneNumber | None


@dataclass(frozen=True)
class CrisisLineView:
    name: str
    description: str
    tel_uri: str
    written: str


@dataclass(frozen=True)
class RowView:
    index: int
    text: str
    phone: str
    text_error: str = ""
    phone_error: str = ""


@dataclass(frozen=True)
class SectionView:
    id: str
    step: int
    title: str
    prompt: str
    editable: bool
    with_phone: bool
    entries: tuple[EntryView, ...]
    rows: tuple[RowView, ...] = ()
    errors: tuple[str, ...] = ()
    changed: bool = False
    crisis_lines: tuple[CrisisLineView, ...] = field(default_factory=tuple)


def language_of(code: str | None) -> Language:
    return "en" if code == "en" else "nl"


def crisis_lines(
    content: SafetyPlanContentFile, patient: Patient, language: Language
) -> tuple[CrisisLineView, ...]:
    lines = []
    for line in content.crisis_lines:
        if line.kind == "patient_gp":
            number = patient.gp_number
            gp = ", ".join(part for part in (patient.gp_name, patient.gp_practice) if part)
            lines.append(
                CrisisLineView(
                    name=f"{line.name.get(language)}{': ' + gp if gp else ''}",
                    description=line.description.get(language),
                    tel_uri=number.tel_uri if number else "",
                    written=number.written if number else "",
                )
            )
        else:
            lines.append(
                CrisisLineView(
                    name=line.name.get(language),
                    description=line.description.get(language),
                    tel_uri=f"tel:{line.tel}",
                    written=line.written or "",
                )
            )
    return tuple(lines)


def problem_message(problem: EntryProblem) -> str:
    messages = {
        "text_missing": _("Write who or what this is, next to the phone number."),
        "text_too_long": _("Keep it shorter: at most %(limit)d characters.")
        % {"limit": problem.limit},
        "too_many": _("At most %(limit)d lines in this part. Remove a line.")
        % {"limit": problem.limit},
        "phone_not_allowed": _("This part has no phone numbers."),
        "not_editable": _("Your care provider fills in this part."),
        "unknown_section": _("This part is not in the safety plan."),
    }
    if problem.code in messages:
        return messages[problem.code]
    return phone_problem_message(problem.code)


def _rows(
    entries: Sequence[EntryInput], problems: Sequence[EntryProblem], limit: int
) -> tuple[RowView, ...]:
    blanks = max(0, min(BLANK_ROWS, limit - len(entries))) if len(entries) < limit else 0
    padded = list(entries) + [EntryInput("")] * blanks
    if not padded:
        padded = [EntryInput("")]
    by_field = {(p.index, p.field): problem_message(p) for p in problems if p.index is not None}
    return tuple(
        RowView(
            index=index,
            text=entry.text,
            phone=entry.phone,
            text_error=by_field.get((index, "text"), ""),
            phone_error=by_field.get((index, "phone"), ""),
        )
        for index, entry in enumerate(padded)
    )


def sections(
    content: SafetyPlanContentFile,
    plan: SafetyPlan,
    *,
    patient: Patient,
    language: Language,
    for_patient: bool,
    submitted: Mapping[str, Sequence[EntryInput]] | None = None,
    problems: Sequence[EntryProblem] = (),
    changed: Sequence[str] = (),
) -> list[SectionView]:
    """Every section in the content's order (a section a stored plan still has but the
    content dropped is shown last with its id as title, so nothing written is hidden)."""
    views = []
    known = set(content.section_ids)
    for section in content.sections:
        entries = plan.entries(section.id)
        editable = section.patient_editable or not for_patient
        if submitted is not None and section.id in submitted:
            row_entries: Sequence[EntryInput] = submitted[section.id]
        else:
            row_entries = [
                EntryInput(entry.text, entry.phone_number.written if entry.phone_number else "")
                for entry in entries
            ]
        own = [p for p in problems if p.section == section.id]
        views.append(
            SectionView(
                id=section.id,
                step=section.step,
                title=section.title.get(language),
                prompt=(section.patient_prompt if for_patient else section.clinician_prompt).get(
                    language
                ),
                editable=editable,
                with_phone=section.with_phone,
                entries=tuple(EntryView(entry.text, entry.phone_number) for entry in entries),
                rows=_rows(row_entries, own, content.limits.max_entries) if editable else (),
                errors=tuple(problem_message(p) for p in own if p.index is None),
                changed=section.id in changed,
                crisis_lines=(
                    crisis_lines(content, patient, language)
                    if section.id == "professionals"
                    else ()
                ),
            )
        )
    for section_id, entries in plan.sections:
        if section_id not in known and entries:
            views.append(
                SectionView(
                    id=section_id,
                    step=len(views) + 1,
                    title=section_id,
                    prompt="",
                    editable=False,
                    with_phone=True,
                    entries=tuple(EntryView(e.text, e.phone_number) for e in entries),
                )
            )
    return views


def submitted_entries(
    content: SafetyPlanContentFile, data: QueryDict, *, for_patient: bool
) -> dict[str, list[EntryInput]]:
    """The rows of the edit form per section (``<section>-<n>-text`` and ``-phone``); a
    patient's form carries only their own sections."""
    result: dict[str, list[EntryInput]] = {}
    for section in content.sections:
        if for_patient and not section.patient_editable:
            continue
        rows = []
        for index in range(MAX_ROWS_READ):
            text = data.get(f"{section.id}-{index}-text")
            phone = data.get(f"{section.id}-{index}-phone", "") if section.with_phone else ""
            if text is None and not phone:
                continue
            rows.append(EntryInput(text or "", phone or ""))
        result[section.id] = rows
    return result


def version_label(
    version: SafetyPlanVersion, content: SafetyPlanContentFile, language: Language
) -> str:
    """Which sections a version changed, by their titles."""
    titles = []
    for section_id in version.changed_section_ids:
        try:
            titles.append(content.section(section_id).title.get(language))
        except KeyError:
            titles.append(section_id)
    return ", ".join(titles)


class PlanPageContext(TypedDict):
    """The plan page (and its PDF, and the edit form): the sections in the reader's
    language, for the care team or for the patient."""

    access: PatientAccess
    patient: Patient
    content: SafetyPlanContentFile
    title: str
    intro: str
    plan: PlanRow | None
    version: SafetyPlanVersion | None
    sections: list[SectionView]
    for_patient: bool
    sources: tuple[Source, ...]
    has_errors: bool
    older: NotRequired[bool]  # a version page: a newer version exists
    generated_at: NotRequired[datetime]  # the PDF
    service_worker_url: NotRequired[str]  # the patient's page, readable offline
    service_worker_scope: NotRequired[str]
