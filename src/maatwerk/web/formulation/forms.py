"""Typed input of the formulation: one form or formset per write.

The steps post rows (complaints, consequences, functional analyses, goals, activities)
as Django formsets of ``StepRow`` forms whose prefixes keep the field names the pages
always had (``complaint-0-text`` …, with ``complaint-TOTAL_FORMS``). Each row form bounds
its texts, checks its choices and cleans to the core's types; ``editing.py`` turns the
valid rows into the next core formulation, which validates itself as a whole.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.formulation import (
    Activity,
    Complaint,
    Consequence,
    Formulation,
    FunctionalAnalysis,
    Goal,
)
from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS, NODE_KINDS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TEXT_MAX_LENGTH = 1000
ID_MAX_LENGTH = 64
MAX_ROWS = 200
COMMENT_MAX_LENGTH = 4000
ROLES = ("predisposing", "precipitating", "perpetuating")
FA_PARTS = ("thoughts", "feelings", "behaviour", "short_term", "long_term")
CIRCLE_ACTIONS = ("add_node", "rename_node", "remove_node", "add_edge", "remove_edge")

# What a row of a step edits.
Entry = Complaint | Consequence | FunctionalAnalysis | Goal | Activity

TOO_LONG = _("Please keep this under 1000 characters.")
RELOAD = _("This could not be saved. Reload the page and try again.")


def _text(
    *, limit: int = TEXT_MAX_LENGTH, message: StrOrPromise = TOO_LONG, strip: bool = False
) -> forms.CharField:
    """A text as typed (the core says when it may not be empty); ``strip`` for a text
    whose outer spaces mean nothing."""
    return forms.CharField(
        required=False, max_length=limit, strip=strip, error_messages={"max_length": message}
    )


def _hidden_id() -> forms.CharField:
    return forms.CharField(
        required=False, max_length=ID_MAX_LENGTH, error_messages={"max_length": RELOAD}
    )


def _choice(values: Sequence[str], message: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", ""), *((v, v) for v in values)],
        required=False,
        error_messages={"invalid_choice": message},
    )


class StartForm(forms.Form):
    """Start empty or from the screening profile."""

    source = forms.ChoiceField(
        choices=[("empty", "empty"), ("screening", "screening")],
        required=False,
        error_messages={"invalid_choice": _("Choose how to start.")},
    )

    def from_screening(self) -> bool:
        return self.is_valid() and self.cleaned_data["source"] == "screening"


# ------------------------------------------------------------------ the step rows


class LinesField(forms.CharField):
    """A text of one entry per line, as the core keeps it: the non-blank lines, stripped."""

    def clean(self, value: object) -> tuple[str, ...]:
        text = str(super().clean(value))
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    def prepare_value(self, value: object) -> object:
        return "\n".join(value) if isinstance(value, tuple) else value


class AnswerField(forms.TypedChoiceField):
    """Yes, no, or not discussed yet: ``True``, ``False`` or ``None`` in the core."""

    def __init__(self) -> None:
        super().__init__(
            choices=[("", ""), ("yes", "yes"), ("no", "no")],
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            error_messages={"invalid_choice": _("Choose one of the answers.")},
        )

    def prepare_value(self, value: object) -> object:
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def _lines() -> LinesField:
    return LinesField(
        required=False, max_length=TEXT_MAX_LENGTH, error_messages={"max_length": TOO_LONG}
    )


def _reference() -> forms.CharField:
    """The id of something the row or box points at (a factor, a goal); blank is
    ``None``."""
    return forms.CharField(
        required=False,
        max_length=ID_MAX_LENGTH,
        empty_value=None,
        error_messages={"max_length": RELOAD},
    )


def _filled(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


class StepRow(forms.Form):
    """One row of a step: the entry ``id`` names (blank: a new entry), or none when
    ``remove`` is ticked. Every other field is an attribute of the core's entry, under
    its own name or the page's (``page_names``), and cleans to the core's type; so one
    loop (``editing.merged``) turns the rows of any step into entries and one builder
    (``views.common.row_views``) shows them again: a new field is a change of its row
    form and its template only."""

    # The formset's prefix (``complaint-0-text``), also the prefix of a new entry's id.
    prefix_name: ClassVar[str]
    # The core formulation's section of these entries, as in a problem's path.
    section: ClassVar[str]
    # The core attribute -> the page's field name, where they differ.
    page_names: ClassVar[Mapping[str, str]] = {}
    # A new row in which none of these is filled in adds nothing.
    filled_by: ClassVar[tuple[str, ...]] = ("text",)

    id = _hidden_id()
    remove = forms.BooleanField(required=False)

    @classmethod
    def entry_fields(cls) -> dict[str, str]:
        """The core attribute -> the field it is typed in."""
        typed = (name for name in cls.base_fields if name not in ("id", "remove"))
        core_names = {page: core for core, page in cls.page_names.items()}
        return {core_names.get(name, name): name for name in typed}

    @classmethod
    def stored(cls, document: Formulation) -> tuple[Entry, ...]:
        """The entries of this section in a formulation."""
        entries: tuple[Entry, ...] = getattr(document, cls.section)
        return entries

    @classmethod
    def initial_of(cls, entry: Entry) -> dict[str, object]:
        values = {name: getattr(entry, core) for core, name in cls.entry_fields().items()}
        return {"id": entry.id, **values}

    def entry_id(self) -> str:
        return str(self.cleaned_data.get("id") or "")

    def removed(self) -> bool:
        return bool(self.cleaned_data.get("remove"))

    def is_blank(self) -> bool:
        return not any(_filled(self.cleaned_data.get(name)) for name in self.filled_by)

    def values(self) -> dict[str, object]:
        """The entry's attributes as typed (an untouched blank row has none)."""
        cleaned = self.cleaned_data
        return {
            core: cleaned[name] for core, name in self.entry_fields().items() if name in cleaned
        }


class ComplaintRow(StepRow):
    prefix_name = "complaint"
    section = "complaints"

    text = _text()
    meaning = _text(strip=True)  # the meaning analysis: what the complaint means to the patient


class ConsequenceRow(StepRow):
    prefix_name = "consequence"
    section = "consequences"
    page_names = {"factor_id": "factor"}
    filled_by = ("words",)

    domain = _choice(CONSEQUENCE_DOMAINS, _("Choose a domain."))
    words = _text()
    maintaining = forms.BooleanField(required=False)
    factor = _reference()
    role = forms.TypedChoiceField(
        choices=[("", ""), *((r, r) for r in ROLES)],
        empty_value=None,  # not set: the core counts a maintaining consequence as perpetuating
        required=False,
        error_messages={"invalid_choice": _("Choose one of the answers.")},
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        kept = not cleaned.get("remove") and (cleaned.get("id") or not self.is_blank())
        if kept and not cleaned.get("domain") and "domain" not in self.errors:
            self.add_error("domain", _("Choose a domain."))
        return cleaned


class AnalysisRow(StepRow):
    prefix_name = "analysis"
    section = "functional_analyses"
    filled_by = ("situation", *FA_PARTS)

    situation = _text()
    thoughts = _lines()
    feelings = _lines()
    behaviour = _lines()
    short_term = _lines()
    long_term = _lines()


class GoalRow(StepRow):
    prefix_name = "goal"
    section = "goals"

    text = _text()
    feasible = AnswerField()
    concrete = AnswerField()
    small_steps = AnswerField()


class ActivityRow(StepRow):
    prefix_name = "activity"
    section = "activities"
    page_names = {"goal_id": "goal"}

    text = _text()
    when = _text(limit=200, message=_("Please keep this under 200 characters."), strip=True)
    goal = _reference()


StepRows: TypeAlias = "forms.BaseFormSet[StepRow]"


@functools.cache
def _formset(row: type[StepRow]) -> type[StepRows]:
    return forms.formset_factory(
        row, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
    )


def step_rows(
    row: type[StepRow],
    data: Mapping[str, object] | None = None,
    document: Formulation | None = None,
) -> StepRows:
    """The rows of one section as posted, or (no ``data``) the section's entries in
    ``document`` with one blank row after them to add a new one."""
    formset = _formset(row)
    if data is not None:
        return formset(data, prefix=row.prefix_name)
    entries = row.stored(document) if document is not None else ()
    initial = [row.initial_of(entry) for entry in entries]
    return formset(initial=[*initial, {}], prefix=row.prefix_name)


class StepSubmit(forms.Form):
    """Which button saved a step: go on to the next step, or stay on this one."""

    then = forms.ChoiceField(choices=[("next", "next"), ("stay", "stay")], required=False)

    def stays(self) -> bool:
        return self.is_valid() and self.cleaned_data["then"] == "stay"


# ------------------------------------------------------------------ the circle


@dataclass(frozen=True)
class CircleChange:
    """One change of the circle as the clinician typed it (``CircleForm.change``)."""

    action: str
    node: str  # the box renamed or removed
    node_labels: tuple[str, ...]  # the words of every box, by place (renaming)
    label: str  # the words of the new box
    kind: str  # the kind of the new box
    factor_id: str | None  # the factor the new box stands for
    source: str  # the arrow added or removed
    target: str
    edge_label: str  # the words on the new arrow


class CircleForm(forms.Form):
    """One change of the circle. The field names are the page's (``node-kind``,
    ``edge-source``, ``node-3-label`` for renaming the fourth box)."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in CIRCLE_ACTIONS], error_messages={"invalid_choice": RELOAD}
    )

    def __init__(self, *args: object, node_count: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.node_count = node_count
        self.fields["node"] = _hidden_id()
        self.fields["source"] = _hidden_id()
        self.fields["target"] = _hidden_id()
        self.fields["node-kind"] = _choice(NODE_KINDS, _("Choose what kind of box this is."))
        self.fields["node-label"] = _text()
        self.fields["node-factor"] = _reference()
        self.fields["edge-source"] = _hidden_id()
        self.fields["edge-target"] = _hidden_id()
        self.fields["edge-label"] = _text()
        for index in range(node_count):
            self.fields[f"node-{index}-label"] = _text()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        adds = cleaned.get("action") == "add_node"
        if adds and not cleaned.get("node-kind") and "node-kind" not in self.errors:
            self.add_error("node-kind", _("Choose what kind of box this is."))
        return cleaned

    def typed(self, name: str) -> str:
        """What was typed in a field, to show again with the errors ("" on a new page)."""
        value = self[name].value() if name in self.fields else None
        return "" if value is None else str(value)

    def action_name(self) -> str:
        """The change asked for, once it is one of the known ones ("" before)."""
        return str(self.cleaned_data.get("action", "")) if self.is_valid() else ""

    def change(self) -> CircleChange:
        """The change, once the form is valid."""
        cleaned = self.cleaned_data

        def text(name: str) -> str:
            value = cleaned.get(name)
            return value if isinstance(value, str) else ""

        action = text("action")
        edge = "" if action == "remove_edge" else "edge-"  # removing names the arrow so
        factor = cleaned.get("node-factor")
        labels = (text(f"node-{n}-label") for n in range(self.node_count))
        return CircleChange(
            action=action,
            node=text("node"),
            node_labels=tuple(labels),
            label=text("node-label"),
            kind=text("node-kind"),
            factor_id=factor if isinstance(factor, str) else None,
            source=text(f"{edge}source"),
            target=text(f"{edge}target"),
            edge_label=text("edge-label"),
        )


# ------------------------------------------------------------------ the patient's answer


class ResponseForm(forms.Form):
    """ "Past dit bij jou?": the patient agrees, or writes what is not right."""

    answer = forms.ChoiceField(
        choices=[("agree", "agree"), ("comment", "comment")],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the answers.")},
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": _("Please keep it shorter: at most 4000 characters.")},
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("answer") != "agree" and not cleaned.get("comment") and not self.errors:
            self.add_error("comment", _("Write what is not right or what is missing."))
        return cleaned

    def agreed(self) -> bool:
        return self.cleaned_data.get("answer") == "agree"


def start_form(*, from_screening: bool) -> StartForm:
    """A bound start form (the demo and the tests start formulations so)."""
    return StartForm({"source": "screening" if from_screening else "empty"})


def response_form(*, agreed: bool, comment: str = "") -> ResponseForm:
    """A bound answer of the patient (the demo answers so)."""
    return ResponseForm({"answer": "agree" if agreed else "comment", "comment": comment})
