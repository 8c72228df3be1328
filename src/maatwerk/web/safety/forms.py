"""Forms of the safety workflow. Parsing only: what a follow-up needs is the core rule,
applied by the service; its problems come back here as one error per field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy

from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.safety.closure import ClosureProblem, FollowUpRecord
from maatwerk.core.safety.content import FollowUpContent, bundled_follow_up_content
from maatwerk.web.questionnaires.models import SafetyAlert, SafetyFollowUp

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ASSESSMENT_PREFIX = "a_"

REQUIRED_MESSAGES: dict[str, Promise] = {
    "contact_outcome": gettext_lazy("Say whether you spoke with the patient."),
    "contact_at": gettext_lazy("Enter when you spoke with (or tried to reach) the patient."),
    "contact_method": gettext_lazy("Choose how you contacted the patient."),
    "contact_by": gettext_lazy("Enter who made the contact."),
    "gp_informed": gettext_lazy("Say whether the GP has been informed."),
    "crisis_ggz_involved": gettext_lazy("Say whether the acute or crisis GGZ is involved."),
    "safety_plan": gettext_lazy("Say whether a safety plan was made or updated."),
    "next_contact_at": gettext_lazy("Enter when the next contact with the patient is."),
}
CODE_MESSAGES: dict[str, Promise] = {
    "unknown_option": gettext_lazy("Choose one of the options."),
    "in_future": gettext_lazy("This moment is in the future."),
    "before_signal": gettext_lazy("This moment is before the signal was raised."),
    "not_after_contact": gettext_lazy("The next contact must come after this contact."),
}
NOT_REACHED_MESSAGES: dict[str, Promise] = {
    "attempts": gettext_lazy(
        "The patient was not reached: describe the attempts (when, how, by whom)."
    ),
    "gp_informed": gettext_lazy(
        "The patient was not reached: inform the GP or involve the acute or crisis GGZ."
    ),
    "crisis_ggz_involved": gettext_lazy(
        "The patient was not reached: inform the GP or involve the acute or crisis GGZ."
    ),
}
BY_ANSWER_MESSAGE = gettext_lazy(
    "With this risk estimate the acute or crisis GGZ must be involved before closing."
)


def _label(text: LocalizedText | None) -> str:
    language = "en" if get_language() == "en" else "nl"
    return (text.get(language, fallback=True) or "") if text is not None else ""


def problem_message(problem: ClosureProblem, content: FollowUpContent) -> str:
    if problem.code == "required":
        known = REQUIRED_MESSAGES.get(problem.field)
        if known is not None:
            return str(known)
        question = content.question(problem.field)
        return str(gettext_lazy("Record the answer to “%(question)s”.")) % {
            "question": _label(question.label)
        }
    if problem.code == "required_when_not_reached":
        return str(NOT_REACHED_MESSAGES.get(problem.field, NOT_REACHED_MESSAGES["gp_informed"]))
    if problem.code == "required_by_answer":
        return str(BY_ANSWER_MESSAGE)
    return str(CODE_MESSAGES[problem.code])


def form_field_of(field: str, content: FollowUpContent) -> str:
    if any(question.id == field for question in content.assessment):
        return ASSESSMENT_PREFIX + field
    return field


class FollowUpForm(forms.Form):
    """Every field optional here: the closing rule reports what is missing, per field."""

    contact_outcome = forms.ChoiceField(
        label=gettext_lazy("Contact"),
        choices=SafetyFollowUp.ContactOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    contact_at = forms.DateTimeField(label=gettext_lazy("When"), widget=DATETIME, required=False)
    contact_method = forms.ChoiceField(label=gettext_lazy("How"), required=False)
    contact_by = forms.CharField(label=gettext_lazy("By whom"), max_length=200, required=False)
    attempts = forms.CharField(
        label=gettext_lazy("Attempts to reach the patient (when, how, by whom)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    safety_plan = forms.ChoiceField(
        label=gettext_lazy("Safety plan"), widget=forms.RadioSelect, required=False
    )
    gp_informed = forms.ChoiceField(
        label=gettext_lazy("GP informed"), choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    crisis_ggz_involved = forms.ChoiceField(
        label=gettext_lazy("Acute or crisis GGZ involved"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    next_contact_at = forms.DateTimeField(
        label=gettext_lazy("Next contact agreed on"), widget=DATETIME, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    close = forms.BooleanField(label=gettext_lazy("Close the signal"), required=False)

    def __init__(self, *args: Any, content: FollowUpContent | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = content or bundled_follow_up_content()
        self.fields["contact_method"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (option.id, _label(option.label)) for option in self.content.contact_methods.options
        ]
        self.fields["safety_plan"].choices = [  # type: ignore[attr-defined]
            (option.id, _label(option.label)) for option in self.content.safety_plan.options
        ]
        for question in self.content.assessment:
            name = ASSESSMENT_PREFIX + question.id
            if question.kind == "choice":
                self.fields[name] = forms.ChoiceField(
                    label=_label(question.label),
                    help_text=_label(question.help),
                    choices=[(o.id, _label(o.label)) for o in question.options],
                    widget=forms.RadioSelect,
                    required=False,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=_label(question.label),
                    help_text=_label(question.help),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                )

    def assessment_fields(self) -> list[forms.BoundField]:
        return [self[ASSESSMENT_PREFIX + q.id] for q in self.content.assessment]

    def record(self) -> FollowUpRecord:
        data = self.cleaned_data
        outcome = data.get("contact_outcome")

        def yes_no(name: str) -> bool | None:
            value = data.get(name)
            return None if not value else value == "yes"

        return FollowUpRecord(
            contact_outcome=outcome if outcome in ("reached", "not_reached") else None,
            contact_at=data.get("contact_at"),
            contact_method=data.get("contact_method") or None,
            contact_by=data.get("contact_by") or "",
            attempts=data.get("attempts") or "",
            assessment={
                q.id: value
                for q in self.content.assessment
                if (value := (data.get(ASSESSMENT_PREFIX + q.id) or "").strip())
            },
            safety_plan=data.get("safety_plan") or None,
            gp_informed=yes_no("gp_informed"),
            crisis_ggz_involved=yes_no("crisis_ggz_involved"),
            next_contact_at=data.get("next_contact_at"),
            note=data.get("note") or "",
        )

    def add_problems(self, problems: tuple[ClosureProblem, ...]) -> None:
        for problem in problems:
            field = form_field_of(problem.field, self.content)
            message = problem_message(problem, self.content)
            if field in self.fields and message not in self.errors.get(field, []):
                self.add_error(field, message)


class RaiseForm(forms.Form):
    raised_from = forms.ChoiceField(
        label=gettext_lazy("Where the text comes from"),
        choices=SafetyAlert.RaisedFrom.choices,
        error_messages={"required": gettext_lazy("Choose where the text comes from.")},
    )
    quote = forms.CharField(
        label=gettext_lazy("The patient's words (quoted as evidence)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": gettext_lazy("Quote the words that worry you.")},
    )
    source_ref = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Your note (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class RaiseSuggestionForm(forms.Form):
    """The raise form opened from a page (a message, a diary entry) with the words to
    quote: ``?from=…&quote=…&ref=…``. A query string is only a suggestion, so a value
    that does not fit its field is left out instead of refused."""

    quote = forms.CharField(required=False, max_length=4000)
    ref = forms.CharField(required=False, max_length=64)

    def __init__(self, query: Mapping[str, str]) -> None:
        super().__init__(query)
        # "from" is a Python keyword: the field is added by name.
        self.fields["from"] = forms.ChoiceField(
            required=False, choices=SafetyAlert.RaisedFrom.choices
        )

    def suggested(self) -> dict[str, str]:
        self.is_valid()
        fitting = self.cleaned_data
        return {
            "raised_from": fitting.get("from") or SafetyAlert.RaisedFrom.DOSSIER,
            "quote": fitting.get("quote", ""),
            "source_ref": fitting.get("ref", ""),
        }


class HelpForm(forms.Form):
    """The patient's "I need help now": a few optional words for the care team."""

    words = forms.CharField(
        label=gettext_lazy("Do you want to say something about it? (you don't have to)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
