"""Typed input of the treatment app: one form per use case. Each parses and bounds what
is posted and reports every problem on its field; the services check what needs the
database or the module content (the exercise's own answers are checked by the core,
``maatwerk.core.modules.answers``)."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.common.untrusted_input import load_json
from maatwerk.web.treatment.models import RelativeAccess
from maatwerk.web.treatment.services.feedback import FEEDBACK_MAX_LENGTH
from maatwerk.web.treatment.services.graded_activity import MINUTES_IN_A_DAY
from maatwerk.web.treatment.services.messages import MESSAGE_MAX_LENGTH

# Posted exercise answers are a JSON value per field; a whole G-schema is far below this.
ANSWER_MAX_CHARACTERS = 100_000
# An entry number; exercises ask for at most 14 entries (``Exercise.entries``).
ENTRY_MAX_DIGITS = 2


# ASCII digits only, at most 16 (a device time in milliseconds has 13).
ASCII_DIGITS = re.compile(r"[0-9]{1,16}")


class WholeNumberField(forms.CharField):
    """A whole number written with ASCII digits only (no "²", no "١٢", no sign)."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
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
    """An autosave of one field: its id, its value as JSON, and the device's time."""

    field = forms.CharField(max_length=60)
    value = forms.CharField(max_length=ANSWER_MAX_CHARACTERS, strip=False, required=False)
    stamp = WholeNumberField(min_value=0, max_value=10**15, required=False)

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


class ActivityTargetForm(forms.Form):
    target = WholeNumberField(
        min_value=1, max_value=MINUTES_IN_A_DAY, label=_("Minutes a day"), required=True
    )


class MessageForm(forms.Form):
    text = forms.CharField(max_length=MESSAGE_MAX_LENGTH, label=_("Message"))


class FeedbackForm(forms.Form):
    text = forms.CharField(max_length=FEEDBACK_MAX_LENGTH, label=_("Feedback"))


class AssignModulesForm(forms.Form):
    modules = forms.MultipleChoiceField(choices=(), label=_("Modules"))

    def __init__(self, *args: Any, module_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["modules"].choices = module_choices  # type: ignore[attr-defined]
        self.fields["modules"].error_messages["required"] = _("Choose at least one module.")


class RelativeInviteForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(max_length=254, label=_("E-mail address"))
    relation = forms.ChoiceField(choices=RelativeAccess.Relation.choices, label=_("This person is"))
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = _(
            "Enter the name of the person you invite."
        )
        self.fields["relation"].error_messages["required"] = _("Choose partner or parent.")
        self.fields["relation"].error_messages["invalid_choice"] = _("Choose partner or parent.")


class AcceptInvitationForm(forms.Form):
    """Setting a password when accepting an invitation without an account."""

    password1 = forms.CharField(max_length=4096, strip=False, required=False)
    password2 = forms.CharField(max_length=4096, strip=False, required=False)


class EmptyForm(forms.Form):
    """A post that carries nothing but the CSRF token (open a module, end an access)."""
