"""Typed input of the questionnaires: assigning one, saving one answer, and sending the
whole questionnaire in (the no-JavaScript path). The answers themselves are judged by
the core (``maatwerk.core.instruments.answers``) in the service."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maatwerk.web.questionnaires.instruments import instruments_for
from maatwerk.web.questionnaires.models import Assignment

# Item ids are short identifiers; an answer is a number or "nvt".
ITEM_ID_MAX_LENGTH = 40
VALUE_MAX_LENGTH = 20
# A questionnaire has far fewer items than this; more posted fields is not a form of ours.
MAX_ITEMS = 200


def instrument_choices(organization_id: int) -> list[tuple[str, str]]:
    """The questionnaires this organization can administer (texts shipped or imported),
    each once: assigning a code gives its latest version, so older versions are not listed."""
    language = "en" if get_language() == "en" else "nl"
    names = {
        instrument.code: instrument.name.get(language, fallback=True) or instrument.code
        for instrument, usable in instruments_for(organization_id)  # oldest version first
        if usable
    }
    return list(names.items())


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), choices=())
    due_at = forms.DateTimeField(
        label=_("Fill in before (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    mode = forms.ChoiceField(label=_("Who fills it in"), choices=Assignment.Mode.choices)

    def __init__(self, data: QueryDict | None = None, *, organization_id: int) -> None:
        super().__init__(data)
        self.fields["instrument"].choices = instrument_choices(organization_id)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    """One answer as the page's script saves it."""

    item = forms.CharField(max_length=ITEM_ID_MAX_LENGTH)
    value = forms.CharField(max_length=VALUE_MAX_LENGTH, required=False)


class SubmitForm(forms.Form):
    """The whole questionnaire sent in: ``item-<id>`` fields, each bounded."""

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data)
        keys = [key for key in (data or {}) if key.startswith("item-")][: MAX_ITEMS + 1]
        for key in keys:
            self.fields[key] = forms.CharField(
                max_length=VALUE_MAX_LENGTH, required=False, strip=True
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if len([k for k in self.fields if k.startswith("item-")]) > MAX_ITEMS:
            raise forms.ValidationError(_("This form has more answers than any questionnaire."))
        return cleaned

    def values(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {}) or {}
        return {
            key.removeprefix("item-")[:ITEM_ID_MAX_LENGTH]: str(value or "")
            for key, value in data.items()
            if key.startswith("item-")
        }
