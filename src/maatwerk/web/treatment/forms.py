"""Typed input of the treatment app: one form per use case. Each parses and bounds what
is posted and reports every problem on its field; the services check what needs the
database or the module content (the exercise's own answers are checked by the core,
``maatwerk.core.modules.answers``)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from maatwerk.core.common.untrusted_input import load_json
from maatwerk.core.modules.model import Exercise, FormField, GroupField, MultiChoiceField
from maatwerk.web.treatment.models import RelativeAccess
from maatwerk.web.treatment.services.graded_activity import MINUTES_IN_A_DAY

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# Posted exercise answers are a JSON value per field; a whole G-schema is far below this.
ANSWER_MAX_CHARACTERS = 100_000
# An entry number; exercises ask for at most 14 entries (``Exercise.entries``).
ENTRY_MAX_DIGITS = 2


# ASCII digits only, at most 16 (a device time in milliseconds has 13).
ASCII_DIGITS = re.compile(r"[0-9]{1,16}")


class WholeNumberField(forms.CharField):
    """A whole number written with ASCII digits only (no "²", no "١٢", no sign)."""

    def __init__(
        self,
        *,
        min_value: int,
        max_value: int,
        required: bool = True,
        label: StrOrPromise | None = None,
    ) -> None:
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(required=required, label=label)

    def to_python(self, value: object) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        stripped = str(text).strip()
        number = int(stripped) if ASCII_DIGITS.fullmatch(stripped) else None
        if number is None:
            raise forms.ValidationError(_("Enter a whole number."), code="invalid")
        if not self.min_value <= number <= self.max_value:
            raise forms.ValidationError(
                _("Enter a number from %(min)s to %(max)s.")
                % {"min": self.min_value, "max": self.max_value},
                code="range",
            )
        return number


class EntryForm(forms.Form):
    """Which entry of an exercise (1 unless the exercise asks for several)."""

    entry = WholeNumberField(min_value=1, max_value=14, required=False)

    def entry_number(self) -> int:
        return int(self.cleaned_data.get("entry") or 1)


class ExerciseFieldForm(EntryForm):
    """An autosave of one field: its id, its value as JSON, and the device's time. The
    entry of an exercise with several is in the page's address (``?entry=N``), read by
    its own form; an entry in the body is used when the address names none."""

    field = forms.CharField(max_length=60)
    value = forms.CharField(max_length=ANSWER_MAX_CHARACTERS, strip=False, required=False)
    stamp = WholeNumberField(min_value=0, max_value=10**15, required=False)

    def __init__(self, data: QueryDict, *, address: QueryDict) -> None:
        super().__init__(data)
        self.address = EntryForm(address)

    @classmethod
    def of(cls, field_id: str, value: object, *, stamp: int | None = None) -> ExerciseFieldForm:
        """The form as the page's script posts it (the demo and scripts)."""
        data = QueryDict(mutable=True)
        data.update({"field": field_id, "value": json.dumps(value)})
        if stamp is not None:
            data["stamp"] = str(stamp)
        return cls(data, address=QueryDict())

    def clean_entry(self) -> int | None:
        if not self.address.is_valid():
            raise forms.ValidationError(list(self.address.errors["entry"]))
        in_address: int | None = self.address.cleaned_data.get("entry")
        in_body: int | None = self.cleaned_data.get("entry")
        return in_address or in_body

    def clean_value(self) -> object:
        raw = self.cleaned_data.get("value") or "null"
        try:
            return load_json(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise forms.ValidationError(_("This answer is invalid."), code="invalid") from None


ACTION = re.compile(
    r"^(hand_in|save|reopen|add_row:[a-z0-9_]{1,60}|remove_row:[a-z0-9_]{1,60}:[^:]{0,10})$"
)


class ExerciseActionForm(EntryForm):
    """What the exercise form's button asks: hand in (the default), save, continue
    after hand-in ("reopen"), or — without JavaScript — add or remove a row."""

    action = forms.CharField(max_length=80, required=False)

    def clean_action(self) -> str:
        action = self.cleaned_data.get("action") or "hand_in"
        if not ACTION.match(action):
            raise forms.ValidationError(_("This action is not known."), code="invalid")
        return str(action)


# A row of a repeating group: ``f-<group>-<row>-<field>`` (at most 9999 rows).
ROW_NAME = r"^f-{group}-(\d{{1,4}})-"


class ExerciseAnswersForm(forms.Form):
    """The answers posted by an exercise page (the hand-in, or saving without
    JavaScript): one input ``f-<field>`` per field of the exercise's form, and the rows
    of a group as ``f-<group>-<row>-<field>``. The form only reads them; the answers
    are checked by the core (``maatwerk.core.modules.answers``) when they are saved."""

    def __init__(self, data: QueryDict, *, exercise: Exercise) -> None:
        super().__init__(data)
        self.rows: dict[str, list[int]] = {}
        for definition in exercise.form:
            if not isinstance(definition, GroupField):
                self.fields[f"f-{definition.id}"] = _answer_field(definition)
                continue
            pattern = re.compile(ROW_NAME.format(group=re.escape(definition.id)))
            rows = sorted({int(m.group(1)) for name in data if (m := pattern.match(name))})
            self.rows[definition.id] = rows
            for row in rows:
                for sub in definition.fields:
                    self.fields[f"f-{definition.id}-{row}-{sub.id}"] = _answer_field(sub)
        self.exercise = exercise

    def answers(self) -> dict[str, object]:
        """The answers by field id; rows whose inputs are all empty are left out (an
        "add a row" that was never filled in)."""
        self.is_valid()
        answers: dict[str, object] = {}
        for definition in self.exercise.form:
            if not isinstance(definition, GroupField):
                answers[definition.id] = self._answer(f"f-{definition.id}")
                continue
            rows = []
            for row in self.rows[definition.id]:
                values = {
                    sub.id: self._answer(f"f-{definition.id}-{row}-{sub.id}")
                    for sub in definition.fields
                }
                filled = {key: value for key, value in values.items() if value not in (None, [])}
                if filled:
                    rows.append(filled)
            answers[definition.id] = rows if definition.repeat else (rows[0] if rows else None)
        return answers

    def _answer(self, name: str) -> object:
        value = self.cleaned_data.get(name)
        if isinstance(value, list):
            return [str(v) for v in value if v]
        return value if isinstance(value, str) and value.strip() else None


def _answer_field(definition: FormField) -> forms.Field:
    """An input as posted: the options ticked (a list), or the text typed (kept as it
    is; an answer of only spaces counts as none)."""
    if isinstance(definition, MultiChoiceField):
        return forms.Field(required=False, widget=forms.SelectMultiple)
    return forms.CharField(required=False, strip=False)


class ActivityTargetForm(forms.Form):
    target = WholeNumberField(
        min_value=1, max_value=MINUTES_IN_A_DAY, label=_("Minutes a day"), required=True
    )


class MessageForm(forms.Form):
    """Binds the typed message; :func:`~maatwerk.web.treatment.services.message_send`
    judges it (empty, longer than ``MESSAGE_MAX_LENGTH``) for every caller alike, so
    the form refuses nothing itself."""

    text = forms.CharField(required=False, strip=False, label=_("Message"))


class FeedbackForm(forms.Form):
    """Binds the typed feedback; :func:`~maatwerk.web.treatment.services.feedback_give`
    judges it (empty, longer than ``FEEDBACK_MAX_LENGTH``)."""

    text = forms.CharField(required=False, strip=False, label=_("Feedback"))


class AssignModulesForm(forms.Form):
    modules = forms.MultipleChoiceField(choices=(), label=_("Modules"))

    def __init__(self, data: QueryDict, *, module_choices: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["modules"].choices = module_choices  # type: ignore[attr-defined]
        self.fields["modules"].error_messages["required"] = _("Choose at least one module.")


class RelativeInviteForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(max_length=254, label=_("E-mail address"))
    relation = forms.ChoiceField(choices=RelativeAccess.Relation.choices, label=_("This person is"))
    consent = forms.BooleanField(required=False)

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data)
        self.fields["full_name"].error_messages["required"] = _(
            "Enter the name of the person you invite."
        )
        self.fields["relation"].error_messages["required"] = _("Choose partner or parent.")
        self.fields["relation"].error_messages["invalid_choice"] = _("Choose partner or parent.")


class AcceptInvitationForm(forms.Form):
    """Setting a password when accepting an invitation without an account. Binds the
    passwords only: :func:`~maatwerk.web.treatment.services.relative_accept` judges them
    (given, the same twice, ``AUTH_PASSWORD_VALIDATORS`` with its maximum length)."""

    password1 = forms.CharField(strip=False, required=False)
    password2 = forms.CharField(strip=False, required=False)


class EmptyForm(forms.Form):
    """A post that carries nothing but the CSRF token (open a module, end an access)."""
