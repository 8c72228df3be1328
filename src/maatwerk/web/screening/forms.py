"""Typed fields of the screening forms. Parsing only: the service validates the whole
exploration against the knowledge base, refuses (and audits) bad input, and saves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy

from maatwerk.web.screening.models import ScegsAssessment

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

NOT_ASKED = ""
NOT_ASKED_LABEL = gettext_lazy("Not asked yet")
EARLIER_TREATMENT_CHOICES: list[tuple[str, StrOrPromise]] = [
    (NOT_ASKED, NOT_ASKED_LABEL),
    *ScegsAssessment.EarlierTreatment.choices,
]


def earlier_treatment_field() -> forms.TypedChoiceField:
    """'Were these complaints treated before?': the three answers plus 'not asked yet'
    (blank). NHG-Standaard SOLK: severe SOLK needs earlier treatment, so a first
    presentation is at most moderate."""
    return forms.TypedChoiceField(
        label=gettext_lazy("Were these complaints treated before?"),
        choices=EARLIER_TREATMENT_CHOICES,
        required=False,
        empty_value=NOT_ASKED,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose one of the answers: not treated before, treated in general practice, "
                "treated in mental health care, or not asked yet."
            )
        },
    )
