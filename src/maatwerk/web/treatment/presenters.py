"""Exercise forms for the templates, built from the typed form definitions of the core,
and the way back: a submitted HTML form read into answers.

Input names: ``f-<field>`` for a field, ``f-<group>-<row>-<subfield>`` inside a group
(rows counted from 0). Error messages are keyed by the core's problem path
(``field`` or ``field[row].subfield``) and tied to their input with aria-describedby.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.modules.answers import as_number
from maatwerk.core.modules.model import (
    ChoiceField,
    ClockField,
    DateField,
    Exercise,
    GroupField,
    Module,
    MultiChoiceField,
    NumberField,
    ScaleField,
    SimpleField,
    TextField,
    TimeField,
)

ROW_PLACEHOLDER = "__row__"


def text(value: LocalizedText | None, language: str) -> str:
    if value is None:
        return ""
    return value.get(language, fallback=True) or ""


def module_summary(module: Module, language: str, *, short: bool = False) -> str:
    """The module's introduction; its shorter version for a patient with low literacy,
    where the module has one."""
    if short and module.summary_short is not None:
        return text(module.summary_short, language)
    return text(module.summary, language)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool


@dataclass
class FieldView:
    """One input (or radio/checkbox group) ready for the template."""

    id: str  # the field id in the definition
    kind: (
        str  # text, textarea, number, whole_number, scale, choice, multi_choice, time, date, clock
    )
    label: str
    name: str
    input_id: str
    help: str = ""
    required: bool = False
    value: str = ""
    options: list[Option] = field(default_factory=list)
    min: str = ""
    max: str = ""
    step: str = ""
    unit: str = ""
    min_label: str = ""
    max_label: str = ""
    max_length: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def error_id(self) -> str:
        return f"{self.input_id}-error"

    @property
    def help_id(self) -> str:
        return f"{self.input_id}-help"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help:
            ids.append(self.help_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_group_input(self) -> bool:
        return self.kind in ("scale", "choice", "multi_choice")


@dataclass
class RowView:
    index: str
    number: str
    fields: list[FieldView]


@dataclass
class GroupView:
    id: str
    kind: str  # "group"
    label: str
    help: str
    required: bool
    repeat: bool
    rows: list[RowView]
    template_row: RowView | None
    input_id: str
    min_rows: int
    max_rows: int | None
    errors: list[str] = field(default_factory=list)

    @property
    def error_id(self) -> str:
        return f"{self.input_id}-error"


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    return str(value)


# Scales with more answers than this many steps (0-10 has ten) are a number field.
WIDEST_SCALE = 10


def _simple_view(
    definition: SimpleField,
    value: object,
    *,
    name: str,
    input_id: str,
    language: str,
    errors: list[str],
) -> FieldView:
    view = FieldView(
        id=definition.id,
        kind="text",
        label=text(definition.label, language),
        name=name,
        input_id=input_id,
        help=text(definition.help, language),
        required=definition.required,
        value=_as_text(value),
        errors=errors,
    )
    if isinstance(definition, TextField):
        view.kind = "textarea" if definition.multiline else "text"
        view.max_length = definition.max_length
    elif isinstance(definition, NumberField):
        view.kind = "number"
        view.min = "" if definition.min is None else str(definition.min)
        view.max = "" if definition.max is None else str(definition.max)
        view.step = "1" if definition.integer else "any"
        view.unit = text(definition.unit, language)
    elif isinstance(definition, ScaleField) and definition.max - definition.min > WIDEST_SCALE:
        # A 0-100 scale as 101 buttons does not fit a phone: a number field with the
        # scale's ends said in words.
        view.kind = "whole_number"
        view.min, view.max = str(definition.min), str(definition.max)
        view.step = "1"
        ends = _("%(low)s = %(low_label)s, %(high)s = %(high_label)s") % {
            "low": definition.min,
            "low_label": text(definition.min_label, language),
            "high": definition.max,
            "high_label": text(definition.max_label, language),
        }
        view.help = f"{view.help} {ends}".strip()
    elif isinstance(definition, ScaleField):
        view.kind = "scale"
        view.min, view.max = str(definition.min), str(definition.max)
        chosen = as_number(value)
        view.options = [
            Option(str(n), str(n), chosen is not None and chosen == n)
            for n in range(definition.min, definition.max + 1)
        ]
        view.min_label = text(definition.min_label, language)
        view.max_label = text(definition.max_label, language)
    elif isinstance(definition, TimeField):
        view.kind = "time"
        view.min = str(definition.min)
        view.max = "" if definition.max is None else str(definition.max)
        view.step = "1"
    elif isinstance(definition, ChoiceField):
        view.kind = "choice"
        view.options = [
            Option(option.id, text(option.label, language), value == option.id)
            for option in definition.options
        ]
    elif isinstance(definition, MultiChoiceField):
        view.kind = "multi_choice"
        chosen_ids = value if isinstance(value, list) else []
        view.options = [
            Option(option.id, text(option.label, language), option.id in chosen_ids)
            for option in definition.options
        ]
    elif isinstance(definition, DateField):
        view.kind = "date"
    elif isinstance(definition, ClockField):
        view.kind = "clock"
    return view


def exercise_views(
    exercise: Exercise,
    answers: Mapping[str, object],
    *,
    language: str,
    errors: Mapping[str, list[str]] | None = None,
) -> list[FieldView | GroupView]:
    errors = errors or {}
    prefix = f"ex-{exercise.id}"
    views: list[FieldView | GroupView] = []
    for definition in exercise.form:
        value = answers.get(definition.id)
        if isinstance(definition, GroupField):
            views.append(_group_view(definition, value, prefix, language, errors))
        else:
            views.append(
                _simple_view(
                    definition,
                    value,
                    name=f"f-{definition.id}",
                    input_id=f"{prefix}-{definition.id}",
                    language=language,
                    errors=list(errors.get(definition.id, [])),
                )
            )
    return views


def _row_view(
    group: GroupField,
    entry: Mapping[str, object],
    index: str,
    prefix: str,
    language: str,
    errors: Mapping[str, list[str]],
) -> RowView:
    fields = [
        _simple_view(
            sub,
            entry.get(sub.id),
            name=f"f-{group.id}-{index}-{sub.id}",
            input_id=f"{prefix}-{group.id}-{index}-{sub.id}",
            language=language,
            errors=list(errors.get(f"{group.id}[{index}].{sub.id}", []))
            if whole_number(index) is not None
            else [],
        )
        for sub in group.fields
    ]
    position = whole_number(index)
    number = "" if position is None else str(position + 1)
    return RowView(index=index, number=number, fields=fields)


def _group_view(
    group: GroupField,
    value: object,
    prefix: str,
    language: str,
    errors: Mapping[str, list[str]],
) -> GroupView:
    if group.repeat:
        entries = [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []
        if not entries:
            entries = [{}] * max(group.min_rows, 1)
    else:
        entries = [value if isinstance(value, Mapping) else {}]
    rows = [
        _row_view(group, entry, str(index), prefix, language, errors)
        for index, entry in enumerate(entries)
    ]
    row_errors = [
        message
        for path, messages in errors.items()
        if path.startswith(f"{group.id}[") and "." not in path
        for message in messages
    ]
    return GroupView(
        id=group.id,
        kind="group",
        label=text(group.label, language),
        help=text(group.help, language),
        required=group.required,
        repeat=group.repeat,
        rows=rows,
        template_row=(
            _row_view(group, {}, ROW_PLACEHOLDER, prefix, language, {}) if group.repeat else None
        ),
        input_id=f"{prefix}-{group.id}",
        min_rows=group.min_rows,
        max_rows=group.max_rows,
        errors=list(errors.get(group.id, [])) + row_errors,
    )


# ------------------------------------------------------------------ reading answers back


@dataclass(frozen=True)
class ReadableColumn:
    label: str


def readable_value(definition: SimpleField, value: object, language: str) -> str:
    """An answer as the clinician reads it: option labels instead of ids."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(definition, ChoiceField):
        for option in definition.options:
            if option.id == value:
                return text(option.label, language)
    if isinstance(definition, MultiChoiceField) and isinstance(value, list):
        labels = {option.id: text(option.label, language) for option in definition.options}
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(definition, ScaleField):
        return f"{value} / {definition.max}"
    if isinstance(definition, NumberField) and definition.unit is not None:
        return f"{value} {text(definition.unit, language)}"
    if isinstance(definition, DateField) and isinstance(value, str):
        # As people write a date ("23 november 2026"), not as it is stored (ISO).
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


@dataclass(frozen=True)
class ReadableItem:
    label: str
    value: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def is_table(self) -> bool:
        return bool(self.columns)


def readable_answers(
    exercise: Exercise, answers: Mapping[str, object], language: str
) -> list[ReadableItem]:
    """Every field with its answer; a group (repeating rows) as a table. A G-schema is
    shown as its columns in order: event, thoughts, feeling, behaviour, result."""
    items: list[ReadableItem] = []
    for definition in exercise.form:
        value = answers.get(definition.id)
        if isinstance(definition, GroupField):
            entries: list[Mapping[str, object]]
            if isinstance(value, list):
                entries = [e for e in value if isinstance(e, Mapping)]
            elif isinstance(value, Mapping):
                entries = [value]
            else:
                entries = []
            items.append(
                ReadableItem(
                    label=text(definition.label, language),
                    columns=tuple(text(sub.label, language) for sub in definition.fields),
                    rows=tuple(
                        tuple(
                            readable_value(sub, entry.get(sub.id), language)
                            for sub in definition.fields
                        )
                        for entry in entries
                    ),
                )
            )
        else:
            items.append(
                ReadableItem(
                    label=text(definition.label, language),
                    value=readable_value(definition, value, language),
                )
            )
    return items


def answers_text(answers: object, limit: int = 4000) -> str:
    """The words a patient wrote in an exercise, in order, for the inbox preview and as
    the quoted evidence of a safety signal raised from it (numbers and ticks left out)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            if value.strip():
                found.append(value.strip())
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, (list, tuple)):
            for inner in value:
                walk(inner)

    walk(answers)
    return " · ".join(found)[:limit]
