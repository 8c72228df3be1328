"""Typed input of the providers app: one form per use case.

The forms bind and bound what was posted (or asked in a search) and put every problem on
its field; the services call :func:`maatwerk.web.audit.audited.valid_form` inside their
audited block, so a refusal is one ``refused`` event and nothing is saved. The rules that
need the data (is the provider in the directory, may this GP sign, is the CSV file
right row by row) stay in the services and the core.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from maatwerk.core.referral.directory_csv import LIST_SEPARATOR, PROVIDER_COLUMNS
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.providers.models import Provider, Referral
from maatwerk.web.providers.selectors import DirectoryAccess, ReferralOpened, referral_signers

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
QUESTION_MAX_LENGTH = 4000
LIST_COLUMNS = ("disciplines", "expertise", "modalities", "languages")
# Bounds of the provider form's text fields: the model's own where it has one; the
# numbers, dates and codes the core reads get room for what people type ("52,0907",
# "01-10-2026", "AGB 1234 5678") so the core can say what is wrong with them.
PROVIDER_TEXT_LIMITS: dict[str, int] = {
    "name": 200,
    "practice": 200,
    "street": 200,
    "postcode": 16,
    "place": 100,
    "region": 100,
    "latitude": 32,
    "longitude": 32,
    "waiting_weeks": 16,
    "waiting_as_of": 32,
    "phone": 40,
    "email": 254,
    "website": 300,
    "agb_code": 32,
    "notes": 5000,
}
TOO_LONG = _("This text is too long (at most %(limit_value)s characters).")


def _bounded(limit: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        max_length=limit,
        required=required,
        error_messages={"max_length": TOO_LONG},
    )


# ------------------------------------------------------------------ CSV files


class CsvUploadForm(forms.Form):
    """One CSV file (the directory or the gazetteer), read as bytes. What is in it is
    checked row by row by the core; the problems are put on the ``file`` field."""

    file = forms.FileField(
        allow_empty_file=False,
        error_messages={
            "required": _("Choose a CSV file to import."),
            "empty": _("The file is empty or has no header line."),
            "invalid": _("Choose a CSV file to import."),
            "missing": _("Choose a CSV file to import."),
        },
    )

    @classmethod
    def of_text(cls, text: str, name: str = "import.csv") -> CsvUploadForm:
        """The form as if ``text`` were uploaded (the demo loader and scripts)."""
        upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
        return cls(data={}, files=MultiValueDict({"file": [upload]}))

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return bytes(upload.read())


# ------------------------------------------------------------------ the directory


def _choices(names: Mapping[str, str]) -> list[tuple[str, str]]:
    return list(names.items())


class ProviderForm(forms.Form):
    """One provider, added or changed by an organization admin. The fields are the CSV
    columns (so the core reads a form exactly as it reads a row of a file), plus
    ``expertise_other`` for tags outside the knowledge base."""

    expertise_other = _bounded(2000)
    languages = _bounded(200)
    active = forms.BooleanField(required=False)

    def __init__(
        self, data: Mapping[str, object] | None = None, *, directory: DirectoryAccess
    ) -> None:
        super().__init__(data)
        knowledge = knowledge_for(directory.organization.pk)
        for column, limit in PROVIDER_TEXT_LIMITS.items():
            self.fields[column] = _bounded(limit)
        self.fields["disciplines"] = forms.MultipleChoiceField(
            choices=[(d.id, d.id) for d in knowledge.disciplines.disciplines],
            required=False,
            error_messages={"invalid_choice": _("Choose disciplines from the list.")},
        )
        self.fields["expertise"] = forms.MultipleChoiceField(
            choices=[(i.id, i.id) for i in knowledge.interventions.interventions],
            required=False,
            error_messages={"invalid_choice": _("Choose expertise from the list.")},
        )
        self.fields["modalities"] = forms.MultipleChoiceField(
            choices=[(m, m) for m in Provider.Modality.values],
            required=False,
            error_messages={"invalid_choice": _("Choose modalities from the list.")},
        )

    def cells(self) -> dict[str, str]:
        """The valid fields as the cells of one CSV row, for the core to read."""
        data = self.cleaned_data
        cells = {c: str(data.get(c) or "") for c in PROVIDER_COLUMNS if c not in LIST_COLUMNS}
        cells["disciplines"] = LIST_SEPARATOR.join(data.get("disciplines") or ())
        cells["modalities"] = LIST_SEPARATOR.join(data.get("modalities") or ())
        free = str(data.get("expertise_other") or "").replace(",", " ").split()
        cells["expertise"] = LIST_SEPARATOR.join([*(data.get("expertise") or ()), *free])
        languages = str(data.get("languages") or "").replace(",", " ").split()
        cells["languages"] = LIST_SEPARATOR.join(languages)
        cells["active"] = "yes" if data.get("active") else "no"
        return cells

    def typed(self) -> dict[str, str | list[str]]:
        """What was typed, bounded, to show the form again after a refusal."""
        data = self.data
        values: dict[str, str | list[str]] = {
            column: str(data.get(column, ""))[:limit]
            for column, limit in PROVIDER_TEXT_LIMITS.items()
        }
        getlist = getattr(data, "getlist", None)
        for column in ("disciplines", "expertise", "modalities"):
            chosen = getlist(column) if getlist is not None else data.get(column, [])
            values[column] = [str(v)[:64] for v in chosen][:100]
        values["expertise_other"] = str(data.get("expertise_other", ""))[:2000]
        values["languages"] = str(data.get("languages", ""))[:200]
        values["active"] = "yes" if data.get("active") else "no"
        return values


class ProviderActiveForm(forms.Form):
    """Activate (``active=yes``) or deactivate (nothing, or ``no``) a provider."""

    active = forms.ChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        required=False,
        error_messages={"invalid_choice": _("Choose to activate or deactivate the provider.")},
    )

    def clean_active(self) -> bool:
        return self.cleaned_data.get("active") == "yes"


# ------------------------------------------------------------------ the search


class SearchForm(forms.Form):
    """The directory search's query string. Every field is optional; a field that cannot
    be read is reported and left out of the search (the rest still searches)."""

    postcode = _bounded(10)
    care_level = _bounded(64)
    discipline = _bounded(64)
    expertise = _bounded(64)
    modality = _bounded(32)
    language = _bounded(8)
    region = _bounded(100)
    max_waiting_weeks = _bounded(10)
    max_distance_km = _bounded(10)

    def query(self) -> dict[str, str]:
        """The fields that were asked and could be read, as text."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: str(cleaned[name])
            for name in self.fields
            if name in self.data and name in cleaned
        }

    def asked(self, name: str) -> bool:
        """Whether the query names the field at all (an empty postcode still counts)."""
        return name in self.data

    def problems(self) -> dict[str, list[str]]:
        self.is_valid()
        return {field: [str(m) for m in messages] for field, messages in self.errors.items()}


# ------------------------------------------------------------------ referrals


class ReferralChoiceForm(forms.Form):
    """The provider chosen in the search (and the care level searched for), which opens
    the referral form."""

    provider = forms.UUIDField(required=False)
    care_level = _bounded(64)

    def asked_provider(self) -> bool:
        return bool(self.data.get("provider"))


class ReferralCreateForm(forms.Form):
    """A draft referral: to which provider, for which care level, and the question."""

    provider = forms.UUIDField(
        error_messages={
            "required": _("Choose a provider in the search."),
            "invalid": _("Choose a provider in the search."),
        }
    )
    question = forms.CharField(
        max_length=QUESTION_MAX_LENGTH,
        error_messages={
            "required": _("Write the reason for the referral and your question."),
            "max_length": _("The text is too long (at most 4000 characters)."),
        },
    )

    def __init__(self, data: Mapping[str, object] | None = None, *, organization_id: int) -> None:
        super().__init__(data)
        knowledge = knowledge_for(organization_id)
        self.fields["care_level"] = forms.ChoiceField(
            choices=[(c.id, c.id) for c in knowledge.care_levels.care_levels],
            error_messages={
                "required": _("Choose the care level this referral is for."),
                "invalid_choice": _("Choose the care level this referral is for."),
            },
        )

    def typed(self) -> dict[str, str]:
        """What was typed, bounded, to show the form again after a refusal."""
        return {
            "care_level": str(self.data.get("care_level", ""))[:64],
            "question": str(self.data.get("question", ""))[:QUESTION_MAX_LENGTH],
        }


class ReferralConsentForm(forms.Form):
    consent_method = forms.ChoiceField(
        choices=Referral.ConsentMethod.choices,
        error_messages={
            "required": _("Choose how the patient gave their consent."),
            "invalid_choice": _("Choose how the patient gave their consent."),
        },
    )


NO_GP = _(
    "Only a GP (huisarts) may sign a referral, and your organization has no GP in "
    "Maatwerk. Ask your administrator to add one."
)


class ReferralSendForm(forms.Form):
    """The GP who signs the referral: one of the referral's possible signers
    (``selectors.referral_signers``: who may refer, ``maatwerk.core.referral.roles``)."""

    def __init__(self, data: Mapping[str, object] | None = None, *, opened: ReferralOpened) -> None:
        super().__init__(data)
        signers = referral_signers(opened)
        self.signers = tuple(signers)
        message = _("Choose the GP who signs this referral.") if signers else NO_GP
        self.fields["signer"] = forms.ChoiceField(
            choices=[(str(m.user.public_id), m.user.full_name) for m in signers],
            error_messages={"required": message, "invalid_choice": message},
        )


class ReferralCancelForm(forms.Form):
    """Cancelling a draft takes no input; the form keeps every write on one path."""
