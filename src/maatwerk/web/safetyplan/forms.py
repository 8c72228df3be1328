"""The safety plan's edit form: one formset of rows per section (``<section>-<n>-text``
and ``-phone``), parsed by Django instead of by hand.

The rows are bounded here (how many, how long a phone number); what a plan needs (a
text per row, a readable phone number, the text's length) is the core's rule
(``maatwerk.core.safety_plan``), which reports every problem on its row and field.

The form posts no management form: the number of rows is the highest row index posted
(at most ``MAX_ROWS``), so a page that adds a row in the browser needs no counter."""

from __future__ import annotations

import re

from django import forms
from django.forms.formsets import ManagementForm
from django.http import QueryDict
from django.utils.functional import cached_property

from maatwerk.core.safety_plan import EntryInput, SafetyPlanContentFile

MAX_ROWS = 60


class EntryForm(forms.Form):
    text = forms.CharField(required=False, strip=True)
    phone = forms.CharField(required=False, strip=True)  # the core reads (and bounds) it


class SectionRows(forms.BaseFormSet):  # type: ignore[type-arg]
    """The rows of one section; the count comes from the row indices posted."""

    @cached_property
    def management_form(self) -> ManagementForm:
        if not self.is_bound:
            return super().management_form
        pattern = re.compile(rf"^{re.escape(str(self.prefix))}-(\d+)-(text|phone)$")
        indices = [int(m.group(1)) for key in self.data if (m := pattern.match(key))]
        total = min(max(indices, default=-1) + 1, MAX_ROWS)
        form = ManagementForm(
            {
                f"{self.prefix}-TOTAL_FORMS": str(total),
                f"{self.prefix}-INITIAL_FORMS": "0",
                f"{self.prefix}-MIN_NUM_FORMS": "0",
                f"{self.prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
            },
            auto_id=self.auto_id,
            prefix=self.prefix,
        )
        form.full_clean()
        return form


SectionRowsFormSet = forms.formset_factory(
    EntryForm, formset=SectionRows, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


class SafetyPlanForm:
    """One formset per section the editor may change (a patient: only their own)."""

    def __init__(
        self, data: QueryDict | dict[str, str], content: SafetyPlanContentFile, *, for_patient: bool
    ) -> None:
        self.sections = [
            section for section in content.sections if not for_patient or section.patient_editable
        ]
        self.formsets = {
            section.id: SectionRowsFormSet(data, prefix=section.id) for section in self.sections
        }
        self.with_phone = {section.id: section.with_phone for section in self.sections}

    def errors(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for section_id, formset in self.formsets.items():
            if formset.is_valid():
                continue
            for index, form in enumerate(formset.forms):
                for field, messages in form.errors.items():
                    found[f"{section_id}-{index}-{field}"] = [str(m) for m in messages]
            if formset.non_form_errors():
                found[section_id] = [str(m) for m in formset.non_form_errors()]
        return found

    def entries(self) -> dict[str, list[EntryInput]]:
        """The rows per section, in order; a row left empty is no row. Call after
        :meth:`errors` returned nothing."""
        result: dict[str, list[EntryInput]] = {}
        for section_id, formset in self.formsets.items():
            rows = []
            for form in formset.forms:
                text = str(form.cleaned_data.get("text", ""))
                phone = (
                    str(form.cleaned_data.get("phone", "")) if self.with_phone[section_id] else ""
                )
                if text or phone:
                    rows.append(EntryInput(text, phone))
            result[section_id] = rows
        return result
