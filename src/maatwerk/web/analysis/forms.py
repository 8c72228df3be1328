"""Typed input of the analysis pages: one form per write. Parsing and bounds only; the
services check the values against the patient's data inside their transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from maatwerk.core.instruments.reference import UnknownSexNorm

MAX_LINK_ROWS = 50
"""At most this many diary questions are linked in one go (the import accepts fewer)."""

MAX_ARROWS = 50
"""At most this many arrows are added to the circle in one go."""


class EmaUploadForm(forms.Form):
    # Not required here: a missing file is refused (and audited) by the service.
    file = forms.FileField(label=gettext_lazy("CSV file with the diary data"), required=False)
    variables = forms.CharField(
        label=gettext_lazy("Variables (columns, separated by commas; empty: all other columns)"),
        required=False,
        max_length=500,
    )
    day = forms.CharField(
        label=gettext_lazy("Column with the day (optional)"), required=False, max_length=60
    )
    beep = forms.CharField(
        label=gettext_lazy("Column with the beep number within the day (optional)"),
        required=False,
        max_length=60,
    )


class EmaLinksForm(forms.Form):
    """Which box of the circle each diary question measures: ``count`` rows of a hidden
    ``var-N`` (the question) and a chosen ``node-N`` (a box id, or empty for none)."""

    count = forms.IntegerField(min_value=0, max_value=MAX_LINK_ROWS)

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        super().__init__(data)
        raw = str(self.data.get("count", "")) if self.is_bound else ""
        rows = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else 0
        for n in range(min(rows, MAX_LINK_ROWS)):
            self.fields[f"var-{n}"] = forms.CharField(max_length=200)
            self.fields[f"node-{n}"] = forms.CharField(max_length=80, required=False)


class EdgesField(forms.Field):
    """Arrows as ``source|target`` values of checked boxes (one ``edge`` per arrow)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[tuple[str, str]]:
        values = [str(v) for v in value] if isinstance(value, list | tuple) else []
        if len(values) > MAX_ARROWS:
            raise ValidationError(
                gettext_lazy("Choose at most %(limit)s arrows at once."),
                code="max",
                params={"limit": MAX_ARROWS},
            )
        arrows: list[tuple[str, str]] = []
        for text in values:
            source, bar, target = text.partition("|")
            if not bar or "|" in target or not source or not target or len(text) > 161:
                raise ValidationError(
                    gettext_lazy("Choose arrows from the list."), code="invalid_choice"
                )
            arrows.append((source, target))
        return arrows

    def validate(self, value: object) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class ArrowsForm(forms.Form):
    edge = EdgesField(
        error_messages={
            "required": gettext_lazy("Choose at least one arrow that is not in the circle yet.")
        }
    )


class NormChoiceForm(forms.Form):
    norm = forms.ChoiceField(
        choices=[(norm.value, norm.value) for norm in UnknownSexNorm],
        error_messages={"invalid_choice": gettext_lazy("Choose one of the norms.")},
    )
