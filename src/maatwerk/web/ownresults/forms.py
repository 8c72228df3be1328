"""Typed input of the results page: one form per use case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.web.ownresults.models import NOTE_MAX_LENGTH, TOPIC_MAX_LENGTH


class NoteForm(forms.Form):
    """A note of the patient on one result. The topic is checked against the patient's
    own results by the service (a topic of someone else is refused there)."""

    topic = forms.CharField(max_length=TOPIC_MAX_LENGTH, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your note"),
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write something first, or leave the note empty and do not save."),
            "max_length": _("Your note is too long. Use at most %(limit_value)d characters."),
        },
    )
