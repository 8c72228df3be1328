"""Typed input of the formulation: one form or formset per write.

The steps post rows (complaints, consequences, functional analyses, goals) as Django
formsets whose prefixes keep the field names the pages always had
(``complaint-0-text`` …, with ``complaint-TOTAL_FORMS``). Each row form bounds its texts
and checks its choices; ``editing.py`` turns the valid rows into the next core
formulation, which validates itself as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS, NODE_KINDS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TEXT_MAX_LENGTH = 1000
ID_MAX_LENGTH = 64
MAX_ROWS = 200
COMMENT_MAX_LENGTH = 4000
ROLES = ("predisposing", "precipitating", "perpetuating")
FA_PARTS = ("thoughts", "feelings", "behaviour", "short_term", "long_term")
CHECKS = ("feasible", "concrete", "small_steps")
CIRCLE_ACTIONS = ("add_node", "rename_node", "remove_node", "add_edge", "remove_edge")

TOO_LONG = _("Please keep this under 1000 characters.")
RELOAD = _("This could not be saved. Reload the page and try again.")


def _text(*, limit: int = TEXT_MAX_LENGTH, message: StrOrPromise = TOO_LONG) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=limit,
        strip=False,
        error_messages={"max_length": message},
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


class ComplaintRow(forms.Form):
    id = _hidden_id()
    text = _text()
    meaning = _text()  # the meaning analysis: what the complaint means to the patient
    remove = forms.BooleanField(required=False)


class ConsequenceRow(forms.Form):
    id = _hidden_id()
    domain = _choice(CONSEQUENCE_DOMAINS, _("Choose a domain."))
    words = _text()
    maintaining = forms.BooleanField(required=False)
    factor = forms.CharField(
        required=False, max_length=ID_MAX_LENGTH, error_messages={"max_length": RELOAD}
    )
    role = _choice(ROLES, _("Choose one of the answers."))
    remove = forms.BooleanField(required=False)


class AnalysisRow(forms.Form):
    id = _hidden_id()
    situation = _text()
    thoughts = _text()
    feelings = _text()
    behaviour = _text()
    short_term = _text()
    long_term = _text()
    remove = forms.BooleanField(required=False)


class GoalRow(forms.Form):
    id = _hidden_id()
    text = _text()
    feasible = _choice(("yes", "no"), _("Choose one of the answers."))
    concrete = _choice(("yes", "no"), _("Choose one of the answers."))
    small_steps = _choice(("yes", "no"), _("Choose one of the answers."))
    remove = forms.BooleanField(required=False)


RowForms: TypeAlias = "forms.BaseFormSet[forms.Form]"


class ActivityRow(forms.Form):
    id = _hidden_id()
    text = _text()
    when = _text(limit=200, message=_("Please keep this under 200 characters."))
    goal = forms.CharField(
        required=False, max_length=ID_MAX_LENGTH, error_messages={"max_length": RELOAD}
    )
    remove = forms.BooleanField(required=False)


def _formset(form: type[forms.Form]) -> type[RowForms]:
    return forms.formset_factory(
        form, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
    )


ComplaintRows = _formset(ComplaintRow)
ConsequenceRows = _formset(ConsequenceRow)
AnalysisRows = _formset(AnalysisRow)
GoalRows = _formset(GoalRow)
ActivityRows = _formset(ActivityRow)

COMPLAINT_PREFIX = "complaint"
CONSEQUENCE_PREFIX = "consequence"
ANALYSIS_PREFIX = "analysis"
GOAL_PREFIX = "goal"
ACTIVITY_PREFIX = "activity"


def complaint_rows(data: Mapping[str, Any] | None = None) -> RowForms:
    return ComplaintRows(data, prefix=COMPLAINT_PREFIX)


def consequence_rows(data: Mapping[str, Any] | None = None) -> RowForms:
    return ConsequenceRows(data, prefix=CONSEQUENCE_PREFIX)


def analysis_rows(data: Mapping[str, Any] | None = None) -> RowForms:
    return AnalysisRows(data, prefix=ANALYSIS_PREFIX)


def goal_rows(data: Mapping[str, Any] | None = None) -> RowForms:
    return GoalRows(data, prefix=GOAL_PREFIX)


def activity_rows(data: Mapping[str, Any] | None = None) -> RowForms:
    return ActivityRows(data, prefix=ACTIVITY_PREFIX)


# ------------------------------------------------------------------ the circle


class CircleForm(forms.Form):
    """One change of the circle. The field names are the page's (``node-kind``,
    ``edge-source``, ``node-3-label`` for renaming the fourth box)."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in CIRCLE_ACTIONS], error_messages={"invalid_choice": RELOAD}
    )

    def __init__(self, *args: object, node_count: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["node"] = _hidden_id()
        self.fields["source"] = _hidden_id()
        self.fields["target"] = _hidden_id()
        self.fields["node-kind"] = _choice(NODE_KINDS, _("Choose what kind of box this is."))
        self.fields["node-label"] = _text()
        self.fields["node-factor"] = forms.CharField(
            required=False, max_length=ID_MAX_LENGTH, error_messages={"max_length": RELOAD}
        )
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
        """What was typed in a field, to show again with the errors."""
        return str(self.data.get(name, ""))


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
