"""Typed input of the records pages: one form per use case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.records.destruction import Decision, RecordPart, RefusalGround
from maatwerk.web.records.parts import PART_LABELS

NOTE_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 2000

GROUND_LABELS = {
    RefusalGround.OTHER_PERSON_INTEREST: _(
        "Keeping it is of considerable importance to someone else (art. 7:455 lid 2 BW)"
    ),
    RefusalGround.LEGAL_RETENTION: _("A legal rule forbids destroying it (art. 7:455 lid 2 BW)"),
}


class DestructionRequestForm(forms.Form):
    """The patient's request: which parts, and optionally why."""

    parts = forms.MultipleChoiceField(
        label=_("Which parts of your file should be destroyed?"),
        choices=[(part.value, PART_LABELS[part]) for part in RecordPart],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one part."),
            "invalid_choice": _("Choose parts from the list."),
        },
    )
    note = forms.CharField(
        label=_("Do you want to say why? (you do not have to)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Your text is too long. Use at most %(limit_value)d characters.")
        },
    )
    confirm = forms.BooleanField(
        label=_("I understand that destroyed data cannot be brought back."),
        error_messages={"required": _("Tick this box to send your request.")},
    )


class DecisionForm(forms.Form):
    """The responsible clinician's decision on a request."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.GRANT.value, _("Destroy the requested parts now")),
            (Decision.REFUSE.value, _("Refuse")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to destroy or refuse."),
            "invalid_choice": _("Choose whether to destroy or refuse."),
        },
    )
    ground = forms.ChoiceField(
        label=_("Legal ground for refusing"),
        required=False,
        choices=[("", "—"), *[(g.value, label) for g, label in GROUND_LABELS.items()]],
        error_messages={"invalid_choice": _("Choose one of the legal grounds.")},
    )
    reason = forms.CharField(
        label=_("Reason the patient reads"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("The reason is too long. Use at most %(limit_value)d characters.")
        },
    )
