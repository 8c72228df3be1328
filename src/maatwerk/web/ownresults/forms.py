"""Typed input of the results page: one form per use case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.web.ownresults.models import NOTE_MAX_LENGTH, TOPIC_MAX_LENGTH

TEXT_ERRORS = {
    "required": _("Write something first, or leave the note empty and do not save."),
    "max_length": _("Your note is too long. Use at most %(limit_value)d characters."),
}
DAY_ERRORS = {"invalid": _("Give a date, for example 14-3-2026.")}


class NoteChangeForm(forms.Form):
    """The patient changes the words or the day of one of their notes."""

    day = forms.DateField(
        label=_("About which day?"),
        required=False,
        # ISO, the only value a date picker reads (the Dutch input format is day first).
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DAY_ERRORS,
    )
    text = forms.CharField(
        label=_("Your note"),
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )


class NoteForm(NoteChangeForm):
    """A note of the patient on one result, or on one day of the daily-life charts. The
    topic and the day are checked against the patient's own results by the service (a
    topic of someone else, or a day in the future, is refused there)."""

    topic = forms.CharField(max_length=TOPIC_MAX_LENGTH, widget=forms.HiddenInput)
    field_order = ("topic", "day", "text")


class NoteRemoveForm(forms.Form):
    """Removing a note: the patient confirms with the button (no other input)."""

    confirm = forms.BooleanField(
        required=True,
        widget=forms.HiddenInput,
        error_messages={"required": _("Confirm that you want to remove this note.")},
    )
