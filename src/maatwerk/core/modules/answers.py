"""Checking a patient's answers to an exercise form, for autosave drafts and for submit.

``check_exercise_answers(exercise, answers, final=...)`` returns every problem, each
tied to one field (and row) with a specific message in Dutch and English (the words
are prose in ``content/prose/module_answer_problems.json``). A draft
(``final=False``, saved as the patient types) may be incomplete but never malformed:
required fields and minimum row counts are only enforced on submit (``final=True``).

Answers are a mapping of field id to value, as decoded from JSON or a form:

* ``text``: a string; ``date``: ``"YYYY-MM-DD"``; ``clock``: ``"HH:MM"``;
* ``number``, ``scale``, ``time``: a number, or a string holding one (``"7"``, ``"2,5"``);
* ``choice``: an option id; ``multi_choice``: a list of option ids;
* ``group``: a mapping of its fields; with ``repeat`` a list of such mappings (rows).

``None``, an empty string and an empty list all mean "not answered".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Literal

from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.modules.model import (
    ChoiceField,
    ClockField,
    DateField,
    Exercise,
    FormField,
    GroupField,
    MultiChoiceField,
    NumberField,
    ScaleField,
    SimpleField,
    TextField,
    TimeField,
)

__all__ = ["AnswerProblem", "AnswerProblemCode", "check_exercise_answers", "is_empty"]

AnswerProblemCode = Literal[
    "unknown_field",
    "wrong_type",
    "out_of_range",
    "not_whole",
    "unknown_option",
    "too_long",
    "required_missing",
    "too_few_rows",
    "too_many_rows",
]

_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")

# What is wrong with an answer, for the patient (B1, "je"), is prose in
# ``content/prose/module_answer_problems.json``.
PROSE_FILE = "module_answer_problems.json"
LANGUAGES = ("nl", "en")


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


def _text(key: str, **values: object) -> LocalizedText:
    """The text ``key`` in Dutch and English, its placeholders filled from ``values``."""
    filled = {name: f"{value}" for name, value in values.items()}
    return LocalizedText.model_validate(_prose().bilingual(key, **filled))


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """One problem with one answer: which field (and row), what is wrong, in nl and en.

    ``path`` is ``field`` or ``field[row].subfield`` (rows counted from 0), stable for
    tying a message to its input.
    """

    field: str
    code: AnswerProblemCode
    message: LocalizedText
    row: int | None = None
    subfield: str | None = None

    @property
    def path(self) -> str:
        if self.row is None and self.subfield is None:
            return self.field
        row = "" if self.row is None else f"[{self.row}]"
        sub = "" if self.subfield is None else f".{self.subfield}"
        return f"{self.field}{row}{sub}"

    def __str__(self) -> str:
        return f"{self.path}: {self.message.get('en')}"


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def check_exercise_answers(
    exercise: Exercise, answers: Mapping[str, object], *, final: bool = True
) -> list[AnswerProblem]:
    """Every problem with ``answers``; an empty list means they can be saved (or submitted)."""
    known = {field.id for field in exercise.form}
    problems = [
        AnswerProblem(
            field_id,
            "unknown_field",
            _text("unknown_field.exercise", field=field_id),
        )
        for field_id in answers
        if field_id not in known
    ]
    for field in exercise.form:
        problems.extend(_check_field(field, answers.get(field.id), final=final))
    return problems


class _Where:
    """Builds problems for one field, optionally inside a row of a group."""

    def __init__(self, field: FormField, group: GroupField | None = None, row: int | None = None):
        self.field = field
        self.group = group
        self.row = row

    def problem(self, code: AnswerProblemCode, key: str, **values: object) -> AnswerProblem:
        """The problem ``key`` of the prose, after the field's label (and row number)."""
        prose = _prose()
        filled = {name: f"{value}" for name, value in values.items()}
        texts: dict[str, str] = {}
        for language in LANGUAGES:
            label = self.field.label.get(language, fallback=True) or self.field.id
            problem = prose.text(key, language, **filled)
            if self.row is None:
                texts[language] = prose.text("in_field", language, label=label, problem=problem)
            else:
                texts[language] = prose.text(
                    "in_row", language, row=str(self.row + 1), label=label, problem=problem
                )
        message = LocalizedText.model_validate(texts)
        if self.group is None:
            return AnswerProblem(self.field.id, code, message)
        return AnswerProblem(self.group.id, code, message, row=self.row, subfield=self.field.id)


def _check_field(field: FormField, value: object, *, final: bool) -> list[AnswerProblem]:
    if isinstance(field, GroupField):
        return _check_group(field, value, final=final)
    return _check_simple(field, value, _Where(field), final=final)


def _missing(where: _Where, field: FormField) -> AnswerProblem:
    if isinstance(field, ChoiceField | MultiChoiceField):
        return where.problem("required_missing", "required.choose")
    return where.problem("required_missing", "required.fill_in")


def _check_group(group: GroupField, value: object, *, final: bool) -> list[AnswerProblem]:
    where = _Where(group)
    if is_empty(value):
        needed = max(group.min_rows, 1 if group.required else 0)
        if final and needed:
            return [_missing(where, group) if needed == 1 else _too_few(where, needed)]
        return []
    if not group.repeat:
        if not isinstance(value, Mapping):
            return [where.problem("wrong_type", "answer.invalid")]
        return _check_row(group, value, None, final=final)
    if not isinstance(value, list):
        return [where.problem("wrong_type", "rows.expected")]
    problems: list[AnswerProblem] = []
    if final and len(value) < group.min_rows:
        problems.append(_too_few(where, group.min_rows))
    if group.max_rows is not None and len(value) > group.max_rows:
        problems.append(where.problem("too_many_rows", "rows.too_many", count=group.max_rows))
    for row, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            problems.append(
                AnswerProblem(
                    group.id,
                    "wrong_type",
                    _text("row.invalid", row=row + 1),
                    row=row,
                )
            )
            continue
        problems.extend(_check_row(group, entry, row, final=final))
    return problems


def _too_few(where: _Where, count: int) -> AnswerProblem:
    return where.problem("too_few_rows", "rows.too_few", count=count)


def _check_row(
    group: GroupField, entry: Mapping[object, object], row: int | None, *, final: bool
) -> list[AnswerProblem]:
    known = {field.id for field in group.fields}
    problems = [
        AnswerProblem(
            group.id,
            "unknown_field",
            _text("unknown_field.row", field=key),
            row=row,
            subfield=str(key),
        )
        for key in entry
        if key not in known
    ]
    for field in group.fields:
        where = _Where(field, group, row)
        problems.extend(_check_simple(field, entry.get(field.id), where, final=final))
    return problems


def _check_simple(
    field: SimpleField | GroupField, value: object, where: _Where, *, final: bool
) -> list[AnswerProblem]:
    if is_empty(value):
        return [_missing(where, field)] if final and field.required else []
    problem: AnswerProblem | None
    if isinstance(field, TextField):
        problem = _check_text(field, value, where)
    elif isinstance(field, NumberField):
        problem = _check_number(field, value, where)
    elif isinstance(field, ScaleField):
        problem = _check_whole(value, field.min, field.max, where, scale=True)
    elif isinstance(field, TimeField):
        problem = _check_whole(value, field.min, field.max, where, scale=False)
    elif isinstance(field, ChoiceField):
        problem = _check_choice(field, value, where)
    elif isinstance(field, MultiChoiceField):
        problem = _check_multi_choice(field, value, where)
    elif isinstance(field, DateField):
        problem = _check_date(value, where)
    elif isinstance(field, ClockField):
        problem = _check_clock(value, where)
    else:  # a group inside a group is not allowed by the schema
        problem = where.problem("wrong_type", "answer.invalid")
    return [] if problem is None else [problem]


def _check_text(field: TextField, value: object, where: _Where) -> AnswerProblem | None:
    if not isinstance(value, str):
        return where.problem("wrong_type", "text.expected")
    if len(value) > field.max_length:
        return where.problem("too_long", "text.too_long", max=field.max_length, length=len(value))
    return None


def as_number(value: object) -> Decimal | None:
    """The number in an answer (``7``, ``2.5``, ``"2,5"``), or ``None`` if it holds none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _check_number(field: NumberField, value: object, where: _Where) -> AnswerProblem | None:
    number = as_number(value)
    if number is None:
        return where.problem("wrong_type", "number.expected")
    if field.integer and number != number.to_integral_value():
        return where.problem("not_whole", "number.not_whole")
    if field.min is not None and number < field.min:
        return where.problem("out_of_range", "number.too_low", min=field.min)
    if field.max is not None and number > field.max:
        return where.problem("out_of_range", "number.too_high", max=field.max)
    return None


def _check_whole(
    value: object, low: int, high: int | None, where: _Where, *, scale: bool
) -> AnswerProblem | None:
    number = as_number(value)
    if number is None:
        return where.problem("wrong_type", "number.expected")
    if number != number.to_integral_value():
        if scale:
            return where.problem("not_whole", "scale.not_whole", min=low, max=high)
        return where.problem("not_whole", "minutes.not_whole")
    if scale and high is not None and not low <= number <= high:
        return where.problem("out_of_range", "scale.out_of_range", min=low, max=high)
    if not scale and number < low:
        return where.problem("out_of_range", "minutes.too_few", min=low)
    if not scale and high is not None and number > high:
        return where.problem("out_of_range", "minutes.too_many", max=high)
    return None


def _check_choice(field: ChoiceField, value: object, where: _Where) -> AnswerProblem | None:
    if not isinstance(value, str) or value not in {option.id for option in field.options}:
        return where.problem("unknown_option", "choice.unknown")
    return None


def _check_multi_choice(
    field: MultiChoiceField, value: object, where: _Where
) -> AnswerProblem | None:
    if not isinstance(value, list):
        return where.problem("wrong_type", "multi_choice.expected")
    options = {option.id for option in field.options}
    if any(not isinstance(item, str) or item not in options for item in value):
        return where.problem("unknown_option", "multi_choice.unknown")
    if len(set(value)) != len(value):
        return where.problem("wrong_type", "multi_choice.twice")
    return None


def _check_date(value: object, where: _Where) -> AnswerProblem | None:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return None
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if len(value.strip()) == 10:
                return None
    return where.problem("wrong_type", "date.invalid")


def _check_clock(value: object, where: _Where) -> AnswerProblem | None:
    if isinstance(value, datetime.time):
        return None
    if isinstance(value, str) and _CLOCK.match(value.strip()):
        return None
    return where.problem("wrong_type", "clock.invalid")
