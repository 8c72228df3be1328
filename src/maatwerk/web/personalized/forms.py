"""Typed input of the personalized measures: one form per use case.

Each form parses and bounds what was posted (lengths from the model fields) and reports
every problem on its field; the services let the core judge the rest (counts, duplicate
names, weights) and report that on the field or row it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Self

from django import forms
from django.forms.formsets import (
    INITIAL_FORM_COUNT,
    MAX_NUM_FORM_COUNT,
    MIN_NUM_FORM_COUNT,
    TOTAL_FORM_COUNT,
    ManagementForm,
    formset_factory,
)
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maatwerk.core.instruments.personalized import (
    GAS_MAX_GOALS,
    GAS_MIN_GOALS,
    GAS_WEIGHT_DECIMALS,
    GAS_WEIGHT_MAX,
    GAS_WEIGHT_MIN,
    NRS_MAX,
    NRS_MIN,
    PSK_MAX_ACTIVITIES,
    TOP_PROBLEMS_MAX,
)
from maatwerk.web.audit.audited import InputRefused, valid_form, valid_formset
from maatwerk.web.personalized import selectors
from maatwerk.web.personalized.models import MeasureItem, MeasureSet

Kind = MeasureSet.Kind
NAME_MAX_LENGTH = MeasureItem._meta.get_field("name").max_length or 200
TEXT_MAX_LENGTH = 2000
WEIGHT_MAX_LENGTH = 20
GAS_LEVEL_KEYS = ("-2", "-1", "1", "2")
GAS_LEVELS = (
    ("-2", _("−2: much less than expected")),
    ("-1", _("−1: less than expected")),
    ("1", _("+1: more than expected")),
    ("2", _("+2: much more than expected")),
)
GAS_ATTAINED = (-2, -1, 0, 1, 2)
BASELINE_CHOICES = (("", "—"), ("-1", "−1"), ("-2", "−2"))

NAME_TOO_LONG = _("Keep each name shorter than 200 characters.")
NRS_OUT_OF_RANGE = _("Choose a whole number from 0 to 10.")
GAS_OUT_OF_RANGE = _("Choose a level from −2 to +2.")
MISSING_RATING: dict[str, Promise] = {
    Kind.PSK: _("Give this activity a score from 0 to 10."),
    Kind.TOP_PROBLEMS: _("Give this problem a score from 0 to 10."),
    Kind.GAS: _("Choose the level this goal has reached."),
}
NRS_CHOICES = tuple((str(v), str(v)) for v in range(NRS_MIN, NRS_MAX + 1))


def _name_field() -> forms.CharField:
    return forms.CharField(
        max_length=NAME_MAX_LENGTH, required=False, error_messages={"max_length": NAME_TOO_LONG}
    )


def _text_field() -> forms.CharField:
    return forms.CharField(max_length=TEXT_MAX_LENGTH, required=False)


def _measured_on_field() -> forms.DateField:
    return forms.DateField(required=False, error_messages={"invalid": _("Enter a valid date.")})


def _not_in_the_future(form: forms.Form) -> date:
    """The measurement date (today when not given); a future date is refused on its field."""
    when: date | None = form.cleaned_data.get("measured_on")
    if when is not None and when > timezone.localdate():
        form.add_error("measured_on", _("The date cannot be in the future."))
    return when or timezone.localdate()


# ------------------------------------------------------------------ PSK


class PskForm(forms.Form):
    """The 3–5 activities the patient chose: ``activity-0`` … ``activity-4``."""

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        super().__init__(data)
        for n in range(PSK_MAX_ACTIVITIES):
            self.fields[f"activity-{n}"] = _name_field()

    def names(self) -> list[str]:
        """The names typed, blank rows left out (refused per field otherwise)."""
        data = valid_form(self)
        texts = (str(data[f"activity-{n}"]) for n in range(PSK_MAX_ACTIVITIES))
        return [" ".join(text.split()) for text in texts if text.strip()]


# ------------------------------------------------------------------ top problems


@dataclass(frozen=True)
class ProblemInput:
    """One row of the top-problems form: its index, the name and the rating typed."""

    index: int
    name: str
    rating: int | None


class TopProblemsForm(forms.Form):
    """Up to three problems, each with a rating 0–10: ``problem-name-N``,
    ``problem-rating-N``."""

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        super().__init__(data)
        for n in range(TOP_PROBLEMS_MAX):
            self.fields[f"problem-name-{n}"] = _name_field()
            self.fields[f"problem-rating-{n}"] = forms.TypedChoiceField(
                choices=(("", "—"), *NRS_CHOICES),
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": NRS_OUT_OF_RANGE},
            )

    def problems(self) -> list[ProblemInput]:
        """The rows with a name or a rating (refused per field otherwise)."""
        data = valid_form(self)
        rows = [
            ProblemInput(
                index=n,
                name=" ".join(str(data[f"problem-name-{n}"]).split()),
                rating=_optional_int(data[f"problem-rating-{n}"]),
            )
            for n in range(TOP_PROBLEMS_MAX)
        ]
        return [row for row in rows if row.name or row.rating is not None]


def _optional_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _whole(value: object) -> int:
    """A value a ``TypedChoiceField(coerce=int)`` has cleaned."""
    if not isinstance(value, int):  # pragma: no cover - the field coerced it
        raise TypeError(value)
    return value


# ------------------------------------------------------------------ GAS

_WEIGHT_STEP = Decimal(1).scaleb(-GAS_WEIGHT_DECIMALS)


def gas_weight(raw: str) -> Decimal | None:
    """A weight as typed (a decimal comma allowed; empty is 1) rounded to the decimals it
    is recorded with, or None when it is no number. The core judges the range
    (:data:`~maatwerk.core.instruments.personalized.GAS_WEIGHT_MIN` …
    :data:`~maatwerk.core.instruments.personalized.GAS_WEIGHT_MAX`)."""
    text = raw.strip().replace(",", ".")
    if not text:
        return Decimal(1)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    # A number too large to round is left as it is: the range refuses it.
    return number if abs(number) > GAS_WEIGHT_MAX else number.quantize(_WEIGHT_STEP)


def weight_out_of_range() -> str:
    """The message for a weight that is no number in the range, in the user's language."""
    return _("Enter a weight from %(minimum)s to %(maximum)s.") % {
        "minimum": number_format(GAS_WEIGHT_MIN, GAS_WEIGHT_DECIMALS),
        "maximum": number_format(GAS_WEIGHT_MAX, GAS_WEIGHT_DECIMALS),
    }


@dataclass(frozen=True)
class GoalInput:
    """One GAS goal as typed in the form (texts; the service lets the core judge them)."""

    name: str
    weight: str = ""
    expected_outcome: str = ""
    levels: Mapping[str, str] = field(default_factory=dict)
    baseline: str = ""  # chosen by the clinician with the patient: "-1" or "-2"

    @property
    def is_blank(self) -> bool:
        return not (
            self.name.strip()
            or self.expected_outcome.strip()
            or any(text.strip() for text in self.levels.values())
        )


class GoalForm(forms.Form):
    """One GAS goal: the goal in the patient's words, a weight, the expected outcome (0),
    the four other levels and the level the patient starts at (chosen, never preset).

    The weight is parsed with :func:`gas_weight` and its range judged by the core
    together with the row's other problems (so every problem of every row is shown at
    once), with the message :func:`weight_out_of_range`."""

    name = _name_field()
    weight = forms.CharField(max_length=WEIGHT_MAX_LENGTH, required=False, initial="1")
    expected = _text_field()
    baseline = forms.ChoiceField(
        choices=BASELINE_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("The starting level is −1 or −2.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in GAS_LEVEL_KEYS:
            self.fields[f"level{key}"] = _text_field()

    def has_changed(self) -> bool:
        """A row is a goal once something is written in it; a weight or a starting level
        alone does not make one (the formset leaves such a row out)."""
        return not self.typed().is_blank

    def goal(self) -> GoalInput:
        """The goal as cleaned; a row left out by the formset is a blank goal."""
        data = self.cleaned_data
        if not data:
            return GoalInput(name="")
        return GoalInput(
            name=data["name"],
            weight=data["weight"],
            expected_outcome=data["expected"],
            levels={key: data[f"level{key}"] for key in GAS_LEVEL_KEYS},
            baseline=data["baseline"],
        )

    def typed(self) -> GoalInput:
        """What was typed (also when invalid), to show the form again; an empty row
        starts with weight 1."""

        def typed(name: str) -> str:
            value = self[name].value()
            return "" if value is None else str(value)

        return GoalInput(
            name=typed("name"),
            weight=typed("weight"),
            expected_outcome=typed("expected"),
            levels={key: typed(f"level{key}") for key in GAS_LEVEL_KEYS},
            baseline=typed("baseline"),
        )


class _GoalRows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Always :data:`GAS_MAX_GOALS` rows ``goal-0`` … ``goal-4``: the pages show every
    row, so the count is fixed here and no management form is posted (a row beyond the
    last is never read)."""

    default_error_messages = {"too_few_forms": _("Set 1 to 5 goals.")}

    @property
    def management_form(self) -> ManagementForm:
        counts = {
            TOTAL_FORM_COUNT: GAS_MAX_GOALS,
            INITIAL_FORM_COUNT: 0,
            MIN_NUM_FORM_COUNT: GAS_MIN_GOALS,
            MAX_NUM_FORM_COUNT: GAS_MAX_GOALS,
        }
        form = ManagementForm(
            {f"{self.prefix}-{name}": count for name, count in counts.items()},
            auto_id=self.auto_id,
            prefix=self.prefix,
            renderer=self.renderer,  # type: ignore[attr-defined]
        )
        form.full_clean()
        return form


GoalRows = formset_factory(
    GoalForm,
    formset=_GoalRows,
    extra=GAS_MAX_GOALS - GAS_MIN_GOALS,
    min_num=GAS_MIN_GOALS,
    validate_min=True,
    max_num=GAS_MAX_GOALS,
    validate_max=True,
    absolute_max=GAS_MAX_GOALS,
)
GOAL_PREFIX = "goal"


class GoalsForm(forms.Form):
    """1–5 GAS goals, rows ``goal-0`` … ``goal-4`` (a formset of :class:`GoalForm`; the GAS
    set here and the plan's goals in ``maatwerk.web.planning`` post the same rows)."""

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        super().__init__(data)
        self.goal_rows = GoalRows(data, prefix=GOAL_PREFIX)
        self.rows: list[GoalForm] = list(self.goal_rows.forms)

    @classmethod
    def of(cls, goals: Sequence[GoalInput]) -> Self:
        """The form filled in with ``goals`` (the demo and scripts)."""
        data: dict[str, str] = {}
        for n, goal in enumerate(goals):
            data |= {
                f"goal-{n}-name": goal.name,
                f"goal-{n}-weight": goal.weight,
                f"goal-{n}-expected": goal.expected_outcome,
                f"goal-{n}-baseline": goal.baseline,
                **{f"goal-{n}-level{key}": goal.levels.get(key, "") for key in GAS_LEVEL_KEYS},
            }
        return cls(data)

    def goals(self) -> list[GoalInput]:
        """The goals, blank rows included so each keeps its index (refused on the field
        ``goal-N-<field>``, and too few goals above the form, otherwise)."""
        errors: dict[str, list[str]] = {}
        if not self.is_valid():
            errors.update({k: [str(m) for m in v] for k, v in self.errors.items()})
        try:
            valid_formset(self.goal_rows)
        except InputRefused as refusal:
            errors.update(refusal.errors)
        if errors:
            raise InputRefused(errors)
        return [row.goal() for row in self.rows]

    def typed(self) -> list[GoalInput]:
        return [row.typed() for row in self.rows]

    def row_errors(self, refused: Mapping[str, list[str]]) -> list[list[str]]:
        """The problems of each goal row, to show with the row: what the service refused
        for the whole row (``goal-N``, judged by the core) and the row form's own field
        errors (the formset's, none for an unbound form or a row left empty)."""
        return [
            [
                *refused.get(f"{GOAL_PREFIX}-{n}", []),
                *(str(message) for messages in row.errors.values() for message in messages),
            ]
            for n, row in enumerate(self.rows)
        ]


class GasForm(GoalsForm):
    """1–5 GAS goals (rows ``goal-0`` … ``goal-4``) and the date of their starting levels."""

    measured_on = _measured_on_field()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        _not_in_the_future(self)
        return cleaned

    def goals_on(self) -> tuple[list[GoalInput], date]:
        """The goals and the date (refused per goal field and on the date otherwise)."""
        goals = self.goals()
        when: date = self.cleaned_data.get("measured_on") or timezone.localdate()
        return goals, when


# ------------------------------------------------------------------ rating


class RateForm(forms.Form):
    """A rating (0–10) or an attained GAS level (−2 … +2) for every item of one set,
    ``item-<item id>``; the clinician may give the date of the measurement."""

    def __init__(
        self, data: Mapping[str, object] | None = None, *, opened: selectors.OpenedSet
    ) -> None:
        super().__init__(data)
        self.opened = opened
        self.items = selectors.items_of(opened)
        kind = opened.object.kind
        choices = (
            tuple((str(level), str(level)) for level in GAS_ATTAINED)
            if kind == Kind.GAS
            else NRS_CHOICES
        )
        for item in self.items:
            self.fields[self.key(item)] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                error_messages={
                    "required": str(MISSING_RATING[kind]),
                    "invalid_choice": GAS_OUT_OF_RANGE if kind == Kind.GAS else NRS_OUT_OF_RANGE,
                },
            )
        if not opened.by_patient:
            self.fields["measured_on"] = _measured_on_field()

    @staticmethod
    def key(item: MeasureItem) -> str:
        return f"item-{item.public_id}"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if "measured_on" in self.fields:
            _not_in_the_future(self)
        return cleaned

    def values(self) -> tuple[list[tuple[MeasureItem, int]], date]:
        """Each item with its value, and the date (refused per item otherwise)."""
        data = valid_form(self)
        when = data.get("measured_on")
        return (
            [(item, _whole(data[self.key(item)])) for item in self.items],
            when if isinstance(when, date) else timezone.localdate(),
        )
