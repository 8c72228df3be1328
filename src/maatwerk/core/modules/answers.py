"""Checking a patient's answers to an exercise form, for autosave drafts and for submit.

``check_exercise_answers(exercise, answers, final=...)`` returns every problem, each
tied to one field (and row) with a specific message in Dutch and English. A draft
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
from typing import Literal

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
            _text(
                f"Het veld ‘{field_id}’ hoort niet bij deze oefening.",
                f"The field '{field_id}' is not part of this exercise.",
            ),
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

    def problem(self, code: AnswerProblemCode, nl: str, en: str) -> AnswerProblem:
        label_nl = self.field.label.get("nl", fallback=True) or self.field.id
        label_en = self.field.label.get("en", fallback=True) or self.field.id
        prefix_nl, prefix_en = f"‘{label_nl}’: ", f"'{label_en}': "
        if self.row is not None:
            prefix_nl = f"Regel {self.row + 1}, {prefix_nl}"
            prefix_en = f"Row {self.row + 1}, {prefix_en}"
        message = _text(prefix_nl + nl, prefix_en + en)
        if self.group is None:
            return AnswerProblem(self.field.id, code, message)
        return AnswerProblem(self.group.id, code, message, row=self.row, subfield=self.field.id)


def _text(nl: str, en: str) -> LocalizedText:
    return LocalizedText(nl=nl, en=en)


def _check_field(field: FormField, value: object, *, final: bool) -> list[AnswerProblem]:
    if isinstance(field, GroupField):
        return _check_group(field, value, final=final)
    return _check_simple(field, value, _Where(field), final=final)


def _missing(where: _Where, field: FormField) -> AnswerProblem:
    if isinstance(field, ChoiceField | MultiChoiceField):
        return where.problem("required_missing", "maak een keuze.", "please choose an option.")
    return where.problem("required_missing", "vul dit in.", "please fill this in.")


def _check_group(group: GroupField, value: object, *, final: bool) -> list[AnswerProblem]:
    where = _Where(group)
    if is_empty(value):
        needed = max(group.min_rows, 1 if group.required else 0)
        if final and needed:
            return [_missing(where, group) if needed == 1 else _too_few(where, needed)]
        return []
    if not group.repeat:
        if not isinstance(value, Mapping):
            return [where.problem("wrong_type", "dit antwoord is ongeldig.", "invalid answer.")]
        return _check_row(group, value, None, final=final)
    if not isinstance(value, list):
        return [where.problem("wrong_type", "verwacht een lijst regels.", "expected rows.")]
    problems: list[AnswerProblem] = []
    if final and len(value) < group.min_rows:
        problems.append(_too_few(where, group.min_rows))
    if group.max_rows is not None and len(value) > group.max_rows:
        problems.append(
            where.problem(
                "too_many_rows",
                f"vul hoogstens {group.max_rows} regels in.",
                f"fill in at most {group.max_rows} rows.",
            )
        )
    for row, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            problems.append(
                AnswerProblem(
                    group.id,
                    "wrong_type",
                    _text(f"Regel {row + 1} is ongeldig.", f"Row {row + 1} is invalid."),
                    row=row,
                )
            )
            continue
        problems.extend(_check_row(group, entry, row, final=final))
    return problems


def _too_few(where: _Where, count: int) -> AnswerProblem:
    return where.problem(
        "too_few_rows",
        f"vul minstens {count} regel(s) in.",
        f"fill in at least {count} row(s).",
    )


def _check_row(
    group: GroupField, entry: Mapping[object, object], row: int | None, *, final: bool
) -> list[AnswerProblem]:
    known = {field.id for field in group.fields}
    problems = [
        AnswerProblem(
            group.id,
            "unknown_field",
            _text(
                f"Het veld ‘{key}’ hoort niet bij deze regel.",
                f"The field '{key}' is not part of this row.",
            ),
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
        problem = where.problem("wrong_type", "dit antwoord is ongeldig.", "invalid answer.")
    return [] if problem is None else [problem]


def _check_text(field: TextField, value: object, where: _Where) -> AnswerProblem | None:
    if not isinstance(value, str):
        return where.problem("wrong_type", "vul tekst in.", "enter text.")
    if len(value) > field.max_length:
        return where.problem(
            "too_long",
            f"gebruik hoogstens {field.max_length} tekens (nu {len(value)}).",
            f"use at most {field.max_length} characters (now {len(value)}).",
        )
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
        return where.problem("wrong_type", "vul een getal in.", "enter a number.")
    if field.integer and number != number.to_integral_value():
        return where.problem("not_whole", "vul een heel getal in.", "enter a whole number.")
    if field.min is not None and number < field.min:
        return where.problem(
            "out_of_range", f"vul {field.min} of meer in.", f"enter {field.min} or more."
        )
    if field.max is not None and number > field.max:
        return where.problem(
            "out_of_range", f"vul {field.max} of minder in.", f"enter {field.max} or less."
        )
    return None


def _check_whole(
    value: object, low: int, high: int | None, where: _Where, *, scale: bool
) -> AnswerProblem | None:
    number = as_number(value)
    if number is None:
        return where.problem("wrong_type", "vul een getal in.", "enter a number.")
    if number != number.to_integral_value():
        if scale:
            return where.problem(
                "not_whole",
                f"kies een heel getal van {low} tot en met {high}.",
                f"choose a whole number from {low} to {high}.",
            )
        return where.problem("not_whole", "vul hele minuten in.", "enter whole minutes.")
    if scale and high is not None and not low <= number <= high:
        return where.problem(
            "out_of_range",
            f"kies een getal van {low} tot en met {high}.",
            f"choose a number from {low} to {high}.",
        )
    if not scale and number < low:
        return where.problem(
            "out_of_range", f"vul {low} minuten of meer in.", f"enter {low} minutes or more."
        )
    if not scale and high is not None and number > high:
        return where.problem(
            "out_of_range",
            f"vul {high} minuten of minder in.",
            f"enter {high} minutes or less.",
        )
    return None


def _check_choice(field: ChoiceField, value: object, where: _Where) -> AnswerProblem | None:
    if not isinstance(value, str) or value not in {option.id for option in field.options}:
        return where.problem(
            "unknown_option", "kies een van de opties.", "choose one of the options."
        )
    return None


def _check_multi_choice(
    field: MultiChoiceField, value: object, where: _Where
) -> AnswerProblem | None:
    if not isinstance(value, list):
        return where.problem(
            "wrong_type", "kies een of meer opties.", "choose one or more options."
        )
    options = {option.id for option in field.options}
    if any(not isinstance(item, str) or item not in options for item in value):
        return where.problem(
            "unknown_option", "kies alleen uit de opties.", "choose only from the options."
        )
    if len(set(value)) != len(value):
        return where.problem(
            "wrong_type", "kies elke optie maar één keer.", "choose each option only once."
        )
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
    return where.problem("wrong_type", "vul een bestaande datum in.", "enter a valid date.")


def _check_clock(value: object, where: _Where) -> AnswerProblem | None:
    if isinstance(value, datetime.time):
        return None
    if isinstance(value, str) and _CLOCK.match(value.strip()):
        return None
    return where.problem(
        "wrong_type", "vul een tijd in, zoals 07:30.", "enter a time such as 07:30."
    )
