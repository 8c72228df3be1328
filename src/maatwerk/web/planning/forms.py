"""Typed input of the plan pages: one form per use case.

The forms parse and bound what was posted and put every problem on its field; the
services (``maatwerk.web.planning.services``) call :func:`maatwerk.web.audit.audited.valid_form`
inside their audited block, so a refusal is one ``refused`` event and nothing is saved.
The rules that need the plan (is there a draft, does the decision fit) stay in the
services. The plan's goals are posted as the GAS rows of the personalized measures
(:class:`maatwerk.web.personalized.forms.GoalsForm`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.screening.model import Modality
from maatwerk.web.audit.audited import InputRefused, valid_form
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import PlanDecisionRecord

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MODALITIES = ("no_preference", "online", "face_to_face", "blended")
REASON_MAX_LENGTH = 2000
WORDS_MAX_LENGTH = 500
MAX_AT_ONCE_LIMIT = 10


def _catalogue_choices() -> list[tuple[str, str]]:
    return [(module_id, module_id) for module_id in selectors.catalogue().ids]


def _flag_choices() -> list[tuple[str, str]]:
    return [(flag.id, flag.id) for flag in selectors.planning_rules().clinician_flags]


def _reason(required: StrOrPromise, *, too_long: StrOrPromise | None = None) -> forms.CharField:
    return forms.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": required,
            "max_length": too_long or _("Keep the reason shorter than 2000 characters."),
        },
    )


def typed_back(form: forms.Form, *names: str) -> dict[str, str]:
    """What was typed into the named fields (all fields when none are named), read
    through the bound form, to show a refused form again as it was."""
    return {name: str(form[name].value() or "") for name in names or tuple(form.fields)}


@dataclass(frozen=True)
class PostedPreferences:
    """The preferences as typed, to show the form again after a refusal."""

    modality: str
    excluded: dict[str, str]  # module id -> the patient's words
    max_at_once: str
    flags: list[str]


@dataclass(frozen=True)
class Preferences:
    """The preferences as values (the demo and scripts), turned into the form's data."""

    modality: str = "no_preference"
    excluded: Mapping[str, str] = field(default_factory=dict)  # module id -> their words
    max_at_once: str = ""
    flags: Sequence[str] = ()

    def form(self) -> PrepareForm:
        data: MultiValueDict[str, str] = MultiValueDict(
            {
                "modality": [self.modality],
                "max_at_once": [self.max_at_once],
                "exclude": list(self.excluded),
                "flag": list(self.flags),
            }
        )
        for module_id, words in self.excluded.items():
            data[f"exclude-{module_id}-words"] = words
        return PrepareForm(data)


class PrepareForm(forms.Form):
    """The patient's preferences and the clinician's flags (the recommendation's input).

    Errors are reported under the names the page shows them by: ``modality``,
    ``excluded``, ``max_at_once`` and ``flags``.
    """

    modality = forms.ChoiceField(
        choices=[(m, m) for m in MODALITIES],
        required=False,
        error_messages={"invalid_choice": _("Choose how the patient wants to work.")},
    )
    max_at_once = forms.CharField(max_length=10, required=False)

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        super().__init__(data)
        self.fields["exclude"] = forms.MultipleChoiceField(
            choices=_catalogue_choices(),
            required=False,
            error_messages={"invalid_choice": _("Choose modules from the list.")},
        )
        self.fields["flag"] = forms.MultipleChoiceField(
            choices=_flag_choices(),
            required=False,
            error_messages={"invalid_choice": _("Choose from the listed situations.")},
        )
        for module_id in selectors.catalogue().ids:
            self.fields[f"exclude-{module_id}-words"] = forms.CharField(
                max_length=WORDS_MAX_LENGTH,
                required=False,
                error_messages={
                    "max_length": _("Keep the patient's words shorter than 500 characters.")
                },
            )

    def clean_modality(self) -> str:
        return str(self.cleaned_data.get("modality") or "no_preference")

    def clean_max_at_once(self) -> int | None:
        raw = str(self.cleaned_data.get("max_at_once") or "").strip()
        if not raw:
            return None
        number = whole_number(raw)
        if number is None or not 1 <= number <= MAX_AT_ONCE_LIMIT:
            raise forms.ValidationError(_("Enter a whole number from 1 to 10."))
        return number

    def posted(self) -> PostedPreferences:
        """What was typed, read back through the bound fields, to show the form again."""
        # Only modules of the catalogue have a words field; others cannot be shown.
        words_of = {
            module_id: name
            for module_id in self["exclude"].value() or []
            if (name := f"exclude-{module_id}-words") in self.fields
        }
        return PostedPreferences(
            modality=str(self["modality"].value() or "no_preference"),
            excluded={
                module_id: str(self[name].value() or "") for module_id, name in words_of.items()
            },
            max_at_once=str(self["max_at_once"].value() or ""),
            flags=[str(f) for f in self["flag"].value() or []],
        )


_PREPARE_ERROR_NAMES = {"exclude": "excluded", "flag": "flags"}


@dataclass(frozen=True)
class ChosenPreferences:
    """Valid preferences: modality, excluded modules with the patient's words,
    max_at_once (None: the rules' default), the clinician's flags."""

    modality: Modality
    excluded: dict[str, str]
    max_at_once: int | None
    flags: tuple[str, ...]


def preferences_of(form: PrepareForm) -> ChosenPreferences:
    """The valid preferences (refused per field otherwise)."""
    if not form.is_valid():
        errors: dict[str, list[str]] = {}
        for field, messages in form.errors.items():
            name = _PREPARE_ERROR_NAMES.get(field, field)
            if field.startswith("exclude-"):
                name = "excluded"
            errors.setdefault(name, []).extend(str(m) for m in messages)
        raise InputRefused(errors)
    data = form.cleaned_data
    return ChosenPreferences(
        modality=data["modality"],
        excluded={
            module_id: " ".join(str(data.get(f"exclude-{module_id}-words", "")).split())
            for module_id in data["exclude"]
        },
        max_at_once=data["max_at_once"],
        flags=tuple(data["flag"]),
    )


class DecideForm(forms.Form):
    """Accept, remove or add one module (removing and adding need a reason)."""

    action = forms.ChoiceField(
        choices=PlanDecisionRecord.Action.choices,
        error_messages={
            "required": _("Choose accept, remove or add."),
            "invalid_choice": _("Choose accept, remove or add."),
        },
    )
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _("Keep the reason shorter than 2000 characters.")},
    )

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        super().__init__(data)
        self.fields["module"] = forms.ChoiceField(
            choices=_catalogue_choices(),
            error_messages={
                "required": _("Choose a module from the list."),
                "invalid_choice": _("Choose a module from the list."),
            },
        )

    def clean(self) -> dict[str, object]:
        cleaned: dict[str, object] = super().clean() or {}
        action = cleaned.get("action")
        if action in ("remove", "add") and not str(cleaned.get("reason", "")).strip():
            self.add_error(
                "reason",
                _("Give a reason for removing this module.")
                if action == "remove"
                else _("Give a reason for adding this module."),
            )
        return cleaned

    def posted(self) -> dict[str, str]:
        return typed_back(self, "module", "action", "reason")


class RevisionForm(forms.Form):
    revision_reason = _reason(_("Say why the plan is revised."))


class DiscardForm(forms.Form):
    discard_reason = _reason(_("Say why the revision is discarded."))


class StepUpForm(forms.Form):
    to_level = forms.CharField(
        max_length=60,
        error_messages={"required": _("Choose the next level of care from the list.")},
    )
    step_reason = _reason(_("Give a reason for stepping up the level of care."))


class CompleteForm(forms.Form):
    end_note = _reason(
        _("Write a note on how the treatment ended."),
        too_long=_("Keep the note shorter than 2000 characters."),
    )


def text_of(form: forms.Form, field: str) -> str:
    """The valid text of one field (refused per field otherwise)."""
    return str(valid_form(form)[field]).strip()


class RegiebehandelaarForm(forms.Form):
    """The clinician's explicit choice of regiebehandelaar (a user id from the care
    team), or nobody (empty)."""

    member = forms.CharField(max_length=64, required=False)
