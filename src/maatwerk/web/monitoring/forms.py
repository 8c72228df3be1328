"""Typed input of the monitoring pages: the answers to one prompt, and starting an entry
of the patient's own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from maatwerk.web.monitoring.answering import Question
from maatwerk.web.monitoring.models import NotificationChoice

NOTE = "note"  # the patient's own words with an answer ("what happened here")
NOTE_LENGTH = 300


class AnswerForm(forms.Form):
    """One field per question (named by the item's key); ``answer_id`` is the id the
    device gave this answer, so a retry is recognized as the same answer."""

    answer_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Do you want to write down what happened? You may leave this empty."),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(questions)
        for question in self.questions:
            field: forms.Field
            if question.kind == "slider":
                field = forms.IntegerField(
                    label=question.text,
                    min_value=question.minimum,
                    max_value=question.maximum,
                    error_messages={
                        "required": _("Move the slider to give your answer."),
                        "invalid": _("Give a whole number."),
                    },
                )
            else:
                field = forms.ChoiceField(
                    label=question.text,
                    choices=[(option.value, option.label) for option in question.options],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose one answer.")},
                )
            self.fields[question.key] = field

    def answers(self) -> dict[str, int | str]:
        found = {question.key: self.cleaned_data[question.key] for question in self.questions}
        note = self.cleaned_data.get("note", "").strip()
        if note:
            found[NOTE] = note
        return found

    def answer_uuid(self) -> uuid.UUID | None:
        value = self.cleaned_data.get("answer_id")
        return value if isinstance(value, uuid.UUID) else None


class StartEntryForm(forms.Form):
    """The patient starts an entry of their own in one of their EMA schedules."""

    schedule = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a list."), "invalid": _("Choose a list.")},
    )


class RadioSelectWithHeldOptions(forms.RadioSelect):
    """Radio buttons of which some are shown but not selectable (yet)."""

    # Replaced, never changed in place: a form's copy of the widget shares this value.
    held: frozenset[str] = frozenset()

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.held:
            option["attrs"] = {**option["attrs"], "disabled": True}
        return option


class NotificationForm(forms.Form):
    """The patient's choice of messages, or pausing / resuming them. Phone notifications
    are a choice only when the server can send them (``push_available``)."""

    SAVE, PAUSE, RESUME = "save", "pause", "resume"

    action = forms.ChoiceField(
        choices=[(SAVE, SAVE), (PAUSE, PAUSE), (RESUME, RESUME)],
        initial=SAVE,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Something went wrong. Please try again."),
            "invalid_choice": _("Something went wrong. Please try again."),
        },
    )
    choice = forms.ChoiceField(
        label=_("How do you want to hear that a question is waiting?"),
        choices=NotificationChoice.choices,
        widget=RadioSelectWithHeldOptions,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )

    def __init__(self, *args: Any, push_available: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not push_available:
            cast(forms.ChoiceField, self.fields["choice"]).choices = [
                (value, label)
                for value, label in NotificationChoice.choices
                if value != NotificationChoice.PUSH
            ]

    def hold_phone_until_allowed(self) -> None:
        """Show the phone choice but not selectable: no phone of the patient allowed
        notifications yet. The page's button asks this phone and then enables it."""
        widget = cast(RadioSelectWithHeldOptions, self.fields["choice"].widget)
        widget.held = widget.held | {NotificationChoice.PUSH.value}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An invalid choice already has its error; a missing one gets it here.
        if (
            data.get("action") == self.SAVE
            and not data.get("choice")
            and "choice" not in self.errors
        ):
            self.add_error("choice", _("Choose one of the options."))
        return data


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionIn(BaseModel):
    """The subscription the browser's push manager gives (``PushSubscription.toJSON()``)."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(min_length=10, max_length=1000)
    keys: PushKeys
