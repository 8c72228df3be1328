"""Typed input of the screening: one form per write (assign a battery, the intake, the
SCEGS exploration, the decision on the level of care).

Each form parses and bounds what was posted and reports every problem on its field; the
choices come from the organization's knowledge and screening content. The service binds
nothing itself: it asks the form for its typed value (``InputRefused`` when invalid,
audited as one ``refused`` event) and checks the rules that need the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.judgement import judgeable_factor_ids
from maatwerk.web.audit.audited import valid_form
from maatwerk.web.screening.models import ScegsAssessment, ScreeningIntake
from maatwerk.web.screening.sources import content_of, knowledge_of

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

NOT_ASKED = ""
NOT_ASKED_LABEL = gettext_lazy("Not asked yet")
EARLIER_TREATMENT_CHOICES: list[tuple[str, StrOrPromise]] = [
    (NOT_ASKED, NOT_ASKED_LABEL),
    *ScegsAssessment.EarlierTreatment.choices,
]

OWN_WORDS_MAX = 2000
FIRST_PROBLEM_MAX = 1000
NOTES_MAX = 4000
REASON_MAX = 2000
DURATION_MAX_WEEKS = 52 * 80  # a lifetime; anything longer is a typing error
FACTOR_PREFIX = "factor-"
JUDGEMENTS = ("present", "absent", "not_assessed")
CHOOSE_ONE = gettext_lazy("Choose one of the answers.")


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


def _ids(values: Iterable[object]) -> list[tuple[str, str]]:
    return [(str(getattr(v, "id")), str(getattr(v, "id"))) for v in values]  # noqa: B009


def _several(choices: list[tuple[str, str]], message: StrOrPromise) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, error_messages={"invalid_choice": message}
    )


def _one_of(choices: Sequence[tuple[str, object]], *, blank: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "")] + [(str(v), str(label)) for v, label in choices]
        if blank
        else [(str(v), str(label)) for v, label in choices],
        required=False,
        error_messages={"invalid_choice": CHOOSE_ONE},
    )


def _text(limit: int, message: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        required=False, max_length=limit, strip=True, error_messages={"max_length": message}
    )


# ------------------------------------------------------------------ assign


class AssignForm(forms.Form):
    """Which screening battery to assign."""

    battery = forms.ChoiceField(
        error_messages={
            "required": gettext_lazy("Choose one of the screening batteries."),
            "invalid_choice": gettext_lazy("Choose one of the screening batteries."),
        }
    )

    def __init__(self, *args: object, organization_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        content = content_of(organization_id)
        self.fields["battery"].choices = _ids(content.batteries)  # type: ignore[attr-defined]

    def battery_id(self) -> str:
        return str(valid_form(self)["battery"])


# ------------------------------------------------------------------ intake


@dataclass(frozen=True)
class IntakeInput:
    """The intake as typed values."""

    complaints: Sequence[str] = ()
    own_words: str = ""
    first_problem: str = ""
    wants_help_now: str = ""
    modality: str = ""


class IntakeForm(forms.Form):
    complaints = forms.MultipleChoiceField(required=False)
    own_words = _text(OWN_WORDS_MAX, gettext_lazy("Please keep this shorter than 2000 characters."))
    first_problem = _text(
        FIRST_PROBLEM_MAX, gettext_lazy("Please keep this shorter than 1000 characters.")
    )
    wants_help_now = _one_of(ScreeningIntake.HelpWanted.choices)
    modality = _one_of(ScreeningIntake.Modality.choices)
    # The button pressed: "Send in" or "Save and continue later" (an autosave sends none).
    action = forms.ChoiceField(
        choices=[
            ("save", gettext_lazy("Save and continue later")),
            ("submit", gettext_lazy("Send in")),
        ],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("This action is not known.")},
    )

    def __init__(self, *args: object, content: ScreeningContent, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["complaints"]
        field.choices = _ids(content.complaints)  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = gettext_lazy("Choose complaints from the list.")

    def typed(self) -> IntakeInput:
        data = valid_form(self)
        return IntakeInput(
            complaints=tuple(dict.fromkeys(str(c) for c in data["complaints"])),  # type: ignore[attr-defined]
            own_words=str(data["own_words"]),
            first_problem=str(data["first_problem"]),
            wants_help_now=str(data["wants_help_now"]),
            modality=str(data["modality"]),
        )

    def submits(self) -> bool:
        """Whether "Send in" was pressed (an unknown action is refused on its field)."""
        self.is_valid()
        return self.cleaned_data.get("action") == "submit"

    def as_typed(self) -> IntakeInput:
        """What was posted, read back through the bound fields, to show again with the
        errors (not validated)."""
        return IntakeInput(
            complaints=_typed_list(self, "complaints"),
            own_words=_typed(self, "own_words"),
            first_problem=_typed(self, "first_problem"),
            wants_help_now=_typed(self, "wants_help_now"),
            modality=_typed(self, "modality"),
        )


def intake_form(organization_id: int, value: IntakeInput) -> IntakeForm:
    """A bound form from a typed value (the demo and the tests fill the intake in so)."""
    data = {
        "complaints": list(value.complaints),
        "own_words": value.own_words,
        "first_problem": value.first_problem,
        "wants_help_now": value.wants_help_now,
        "modality": value.modality,
    }
    return IntakeForm(_query(data), content=content_of(organization_id))


# ------------------------------------------------------------------ SCEGS


@dataclass(frozen=True)
class ScegsInput:
    """The SCEGS exploration as typed values (``judged_factors``: factor id -> present,
    absent or not_assessed)."""

    conditions: Sequence[str] = ()
    symptom_clusters: Sequence[str] = ()
    duration_weeks: str = ""
    functional_limitation: str = ""
    earlier_treatment: str = ""  # blank: not asked yet
    comorbidity: Sequence[str] = ()
    medication: Sequence[str] = ()
    judged_factors: Mapping[str, str] | None = None
    low_literacy: bool = False
    migration_background: bool = False
    parent_involved: bool = False
    notes: str = ""


class ScegsForm(forms.Form):
    conditions = forms.MultipleChoiceField(required=False)
    symptom_clusters = forms.MultipleChoiceField(required=False)
    duration_weeks = forms.CharField(required=False, max_length=10, strip=True)
    functional_limitation = _one_of(ScegsAssessment.Limitation.choices)
    earlier_treatment = earlier_treatment_field()
    comorbidity = forms.MultipleChoiceField(required=False)
    medication = forms.MultipleChoiceField(required=False)
    low_literacy = forms.BooleanField(required=False)
    migration_background = forms.BooleanField(required=False)
    parent_involved = forms.BooleanField(required=False)
    notes = _text(NOTES_MAX, gettext_lazy("Please keep the notes shorter than 4000 characters."))

    def __init__(
        self,
        *args: object,
        knowledge: KnowledgeBase,
        content: ScreeningContent,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["conditions"] = _several(
            _ids(knowledge.conditions.conditions), gettext_lazy("Choose conditions from the list.")
        )
        self.fields["symptom_clusters"] = _several(
            _ids(content.clusters), gettext_lazy("Choose symptom clusters from the list.")
        )
        self.fields["comorbidity"] = _several(
            _ids(content.rules.comorbidities), gettext_lazy("Choose comorbidity from the list.")
        )
        self.fields["medication"] = _several(
            _ids(knowledge.medication.medication), gettext_lazy("Choose medication from the list.")
        )
        self.judgeable = tuple(judgeable_factor_ids(knowledge))
        for factor_id in self.judgeable:
            self.fields[FACTOR_PREFIX + factor_id] = forms.ChoiceField(
                choices=[("", ""), *((j, j) for j in JUDGEMENTS)],
                required=False,
                error_messages={
                    "invalid_choice": gettext_lazy("Choose present, absent or not assessed.")
                },
            )

    def clean_duration_weeks(self) -> int | None:
        raw = str(self.cleaned_data.get("duration_weeks") or "")
        if not raw:
            return None
        duration = whole_number(raw)
        if duration is None:
            raise forms.ValidationError(
                gettext_lazy("Enter the duration as a whole number of weeks.")
            )
        if duration > DURATION_MAX_WEEKS:
            raise forms.ValidationError(gettext_lazy("This duration is longer than a lifetime."))
        return duration

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        known = set(self.fields)
        if any(key.startswith(FACTOR_PREFIX) and key not in known for key in self.data):
            self.add_error(None, gettext_lazy("A factor was judged that cannot be judged here."))
        return cleaned

    def judged(self) -> dict[str, bool]:
        """factor id -> present (True) or absent (False); not assessed is left out."""
        data = self.cleaned_data
        return {
            factor_id: data[FACTOR_PREFIX + factor_id] == "present"
            for factor_id in self.judgeable
            if data.get(FACTOR_PREFIX + factor_id) in ("present", "absent")
        }

    def typed(self) -> ScegsInput:
        data = valid_form(self)
        duration = data["duration_weeks"]
        return ScegsInput(
            conditions=tuple(dict.fromkeys(data["conditions"])),  # type: ignore[call-overload]
            symptom_clusters=tuple(dict.fromkeys(data["symptom_clusters"])),  # type: ignore[call-overload]
            duration_weeks="" if duration is None else str(duration),
            functional_limitation=str(data["functional_limitation"]),
            earlier_treatment=str(data["earlier_treatment"]),
            comorbidity=tuple(dict.fromkeys(data["comorbidity"])),  # type: ignore[call-overload]
            medication=tuple(dict.fromkeys(data["medication"])),  # type: ignore[call-overload]
            judged_factors={
                factor_id: "present" if present else "absent"
                for factor_id, present in self.judged().items()
            },
            low_literacy=bool(data["low_literacy"]),
            migration_background=bool(data["migration_background"]),
            parent_involved=bool(data["parent_involved"]),
            notes=str(data["notes"]),
        )

    def as_typed(self) -> ScegsInput:
        """What was posted, to show again with the errors (not validated)."""
        return ScegsInput(
            conditions=_typed_list(self, "conditions"),
            symptom_clusters=_typed_list(self, "symptom_clusters"),
            duration_weeks=_typed(self, "duration_weeks"),
            functional_limitation=_typed(self, "functional_limitation"),
            earlier_treatment=_typed(self, "earlier_treatment"),
            comorbidity=_typed_list(self, "comorbidity"),
            medication=_typed_list(self, "medication"),
            judged_factors={
                name.removeprefix(FACTOR_PREFIX): _typed(self, name)
                for name in self.fields
                if name.startswith(FACTOR_PREFIX)
            },
            low_literacy=bool(self["low_literacy"].value()),
            migration_background=bool(self["migration_background"].value()),
            parent_involved=bool(self["parent_involved"].value()),
            notes=_typed(self, "notes"),
        )


def scegs_form(organization_id: int, value: ScegsInput) -> ScegsForm:
    """A bound form from a typed value (the demo and the tests record SCEGS so)."""
    data: dict[str, object] = {
        "conditions": list(value.conditions),
        "symptom_clusters": list(value.symptom_clusters),
        "duration_weeks": value.duration_weeks,
        "functional_limitation": value.functional_limitation,
        "earlier_treatment": value.earlier_treatment,
        "comorbidity": list(value.comorbidity),
        "medication": list(value.medication),
        "notes": value.notes,
    }
    for flag in ("low_literacy", "migration_background", "parent_involved"):
        if getattr(value, flag):
            data[flag] = "on"
    for factor_id, judgement in (value.judged_factors or {}).items():
        data[FACTOR_PREFIX + factor_id] = judgement
    return ScegsForm(
        _query(data),
        knowledge=knowledge_of(organization_id),
        content=content_of(organization_id),
    )


# ------------------------------------------------------------------ care level


class DecisionForm(forms.Form):
    """Accept the advised level of care, or choose another one and say why."""

    snapshot = forms.CharField(max_length=40, required=False)
    decision = forms.ChoiceField(
        choices=[("accept", "accept"), ("override", "override")],
        error_messages={
            "required": gettext_lazy("Choose to accept the advice or to choose another level."),
            "invalid_choice": gettext_lazy(
                "Choose to accept the advice or to choose another level."
            ),
        },
    )
    care_level = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": gettext_lazy("Choose a level of care.")}
    )
    reason = _text(REASON_MAX, gettext_lazy("Please keep the reason shorter than 2000 characters."))

    def __init__(self, *args: object, knowledge: KnowledgeBase, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["care_level"].choices = [  # type: ignore[attr-defined]
            ("", ""),
            *_ids(knowledge.care_levels.care_levels),
        ]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "override":
            if not cleaned.get("care_level") and "care_level" not in self.errors:
                self.add_error("care_level", gettext_lazy("Choose a level of care."))
            if not cleaned.get("reason") and "reason" not in self.errors:
                self.add_error(
                    "reason",
                    gettext_lazy("Give the reason why you choose another level of care."),
                )
        return cleaned

    def posted(self) -> dict[str, str]:
        return {name: _typed(self, name) for name in self.fields}


def _query(data: Mapping[str, object]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    return query


def assign_form(organization_id: int, battery_id: str) -> AssignForm:
    """A bound form for assigning ``battery_id`` (the demo and the tests assign so)."""
    return AssignForm(_query({"battery": battery_id}), organization_id=organization_id)


def decision_form(
    organization_id: int, *, snapshot_id: str, decision: str, care_level: str = "", reason: str = ""
) -> DecisionForm:
    """A bound decision form (the demo decides so)."""
    return DecisionForm(
        _query(
            {
                "snapshot": snapshot_id,
                "decision": decision,
                "care_level": care_level,
                "reason": reason,
            }
        ),
        knowledge=knowledge_of(organization_id),
    )


def _typed(form: forms.Form, name: str) -> str:
    """What was typed into one field of the bound form (also when it is invalid)."""
    return str(form[name].value() or "")


def _typed_list(form: forms.Form, name: str) -> tuple[str, ...]:
    """The values chosen in one field of several of the bound form."""
    return tuple(str(value) for value in form[name].value() or ())
