"""Forms of the knowledge pages: they check the shape of the input; the content itself
is validated by the core, in the service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.web.knowledge.services import MAX_DOCUMENT_CHARACTERS

OPERATORS = (">", ">=", "<", "<=", "==")
COMMENT_HELP = _("Why this change: the reason and, for a clinical value, its source.")


class CommentField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Reason for the change"),
            max_length=1000,
            help_text=COMMENT_HELP,
            error_messages={"required": _("Say why you make this change.")},
            widget=forms.Textarea(attrs={"rows": 2}),
            **kwargs,
        )


class DocumentForm(forms.Form):
    document = forms.CharField(
        label=_("The collection as JSON"),
        max_length=MAX_DOCUMENT_CHARACTERS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        error_messages={"required": _("The document is empty.")},
    )
    comment = CommentField()
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    comment = CommentField()


class RestoreForm(forms.Form):
    revision = forms.UUIDField(widget=forms.HiddenInput)
    comment = CommentField()


class ThresholdForm(forms.Form):
    """One instrument threshold of a factor (a prefixed form per measure)."""

    operator = forms.ChoiceField(label=_("Operator"), choices=[(o, o) for o in OPERATORS])
    threshold = forms.CharField(label=_("Threshold"), max_length=20)
    source = forms.ChoiceField(label=_("Source"), required=False)
    unverified = forms.BooleanField(label=_("Unverified"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", _("no source (then mark it unverified)"))] + [
                (source, source) for source in sources
            ]

    def clean_threshold(self) -> Decimal:
        text = self.cleaned_data["threshold"].strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Give a number, for example 37 or 2.5.")) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Give a number, for example 37 or 2.5."))
        return value


SEVERITY_LEVELS = [("mild", _("mild")), ("moderate", _("moderate")), ("severe", _("severe"))]
LEVEL_ERRORS = {
    "required": _("Choose a severity: mild, moderate or severe."),
    "invalid_choice": _("Choose a severity: mild, moderate or severe."),
}


class SteppedCareSwitchesForm(forms.Form):
    """Which care rules are in use, and the configurable numbers of the rules."""

    min_elevated = forms.IntegerField(
        label=_("Psychological risk profile: at least this many risk factors elevated"),
        min_value=1,
        max_value=50,
    )
    severe_more_than_weeks = forms.IntegerField(
        label=_("'Severe' needs complaints lasting more than this many weeks"),
        min_value=0,
        max_value=520,
    )
    raise_steps = forms.IntegerField(
        label=_("A comorbidity raises the severity by this many steps"),
        min_value=0,
        max_value=2,
    )
    clusters_at_most = forms.ChoiceField(
        label=_("On the symptom clusters alone, severity is at most"),
        choices=SEVERITY_LEVELS,
        help_text=_(
            "The highest severity the number of symptom clusters supports on its own; above "
            "it the functional limitation decides. NHG-Standaard SOLK: 'severe' needs a "
            "severe limitation in functioning, so the bundled rule says 'moderate'."
        ),
        error_messages=LEVEL_ERRORS,
    )
    raise_at_most = forms.ChoiceField(
        label=_("A comorbidity raises the severity to at most"),
        choices=SEVERITY_LEVELS,
        help_text=_(
            "A suspected depressive or anxiety disorder, or a chronic somatic disease, "
            "raises the severity by the steps above, but never above this level. The "
            "bundled rule says 'moderate': a comorbidity alone does not make SOLK severe."
        ),
        error_messages=LEVEL_ERRORS,
    )
    earlier_treatment = forms.BooleanField(
        label=_("'Severe' needs earlier treatment of the complaints"),
        required=False,
        help_text=_(
            "The clinician records in the SCEGS exploration whether the complaints were "
            "treated before. Switched on, a first presentation (not treated before) is at "
            "most the level below, because care starts in general practice; when it was not "
            "asked yet, the advice asks the clinician to check it. Switched off, earlier "
            "treatment does not change the severity."
        ),
    )
    first_presentation_at_most = forms.ChoiceField(
        label=_("At a first presentation, severity is at most"),
        choices=SEVERITY_LEVELS,
        help_text=_(
            "Used only while the earlier-treatment rule above is switched on. The bundled "
            "rule says 'moderate'."
        ),
        error_messages=LEVEL_ERRORS,
    )
    comment = CommentField()

    def __init__(self, *args: Any, rules: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule_id, label in rules:
            self.fields[f"rule_{rule_id}"] = forms.BooleanField(label=label, required=False)

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("rule_")]

    def number_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("min_elevated", "severe_more_than_weeks", "raise_steps")]

    def level_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("clusters_at_most", "raise_at_most")]
