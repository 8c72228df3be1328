from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.services import phone_for_record, postcode_for_record

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def birth_date_checked(form: forms.Form) -> date | None:
    """The date of birth, if given: not in the future, and in the year of birth typed."""
    born: date | None = form.cleaned_data.get("birth_date")
    if born is None:
        return None
    if born > timezone.localdate():
        raise forms.ValidationError(_("The date of birth cannot be in the future."))
    year = form.cleaned_data.get("birth_year")
    if year is not None and born.year != year:
        raise forms.ValidationError(_("The date of birth is not in the year of birth."))
    return born


def _phone_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "type": "tel"}),
        help_text=help_text,
    )


class PatientRegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,  # the account's column; the validator alone allows 320
        help_text=_("The patient logs in with this address."),
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. Needed for rules that depend on the exact age."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Patient.Sex.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("nl", "Nederlands"), ("en", "English")], initial="nl"
    )
    presenting_complaint = forms.CharField(
        label=_("Main complaint, in the patient's words"), max_length=300, required=False
    )
    condition = forms.CharField(
        label=_("Condition or reason for care"), max_length=200, required=False
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("Optional, such as 3511 AB. Used to find care providers nearby."),
    )

    def clean_birth_year(self) -> int:
        year = int(self.cleaned_data["birth_year"])
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def clean_birth_date(self) -> date | None:
        return birth_date_checked(self)


class PatientDetailsForm(forms.Form):
    """Correcting a registered patient's details (the e-mail address is the account's)."""

    full_name = forms.CharField(label=_("Name"), max_length=200)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. Needed for rules that depend on the exact age."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Patient.Sex.choices,
        help_text=_("Used for questionnaires with questions for women or men only (PHQ-15)."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("nl", "Nederlands"), ("en", "English")]
    )
    presenting_complaint = forms.CharField(
        label=_("Main complaint, in the patient's words"), max_length=300, required=False
    )
    interpreter_language = forms.CharField(
        label=_("Interpreter needed: language"),
        max_length=60,
        required=False,
        help_text=_("Leave empty when no interpreter is needed, such as Arabisch or Pools."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("Optional, such as 3511 AB. Used to find care providers nearby."),
    )
    phone_mobile = _phone_field(
        _("Mobile phone"), _("Optional, such as 06-12345678 or +32 470 12 34 56.")
    )
    phone_landline = _phone_field(_("Landline phone"), _("Optional, such as 020-1234567."))
    gp_name = forms.CharField(label=_("Name of the GP"), max_length=200, required=False)
    gp_practice = forms.CharField(label=_("GP practice"), max_length=200, required=False)
    gp_phone = _phone_field(_("Phone number of the GP practice"))

    def clean_birth_year(self) -> int:
        year = int(self.cleaned_data["birth_year"])
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def clean_birth_date(self) -> date | None:
        return birth_date_checked(self)

    def _clean_phone(self, name: str) -> str:
        # Checked here so every wrong number is reported with the other problems; the
        # service checks again and stores the normalized (E.164) form.
        text = str(self.cleaned_data.get(name, ""))
        try:
            phone_for_record(text, field=name)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict[name]) from None
        return text

    def clean_phone_mobile(self) -> str:
        return self._clean_phone("phone_mobile")

    def clean_phone_landline(self) -> str:
        return self._clean_phone("phone_landline")

    def clean_gp_phone(self) -> str:
        return self._clean_phone("gp_phone")

    def clean_postcode(self) -> str:
        # Checked here too, so that a wrong postcode is reported together with the other
        # problems; the service checks it again and stores the normalized form.
        text = str(self.cleaned_data.get("postcode", ""))
        try:
            postcode_for_record(text)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["postcode"]) from None
        return text


class CaseloadSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)


class EmergencySearchForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100)


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for emergency access"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=1000,
        help_text=_("Your reason is logged and reviewed by the organization."),
    )
