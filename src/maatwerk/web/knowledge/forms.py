"""Forms of the knowledge pages, one per write: they check the shape of the input (and
bound every length); the content itself is validated by the core, in the service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from maatwerk.web.audit.audited import InputRefused

OPERATORS = (">", ">=", "<", "<=", "==")
# Each operator in words: the score is "more than", "at least" ... the threshold.
OPERATOR_LABELS = {
    ">": _("more than the threshold"),
    ">=": _("the threshold or more"),
    "<": _("less than the threshold"),
    "<=": _("the threshold or less"),
    "==": _("exactly the threshold"),
}
MAX_DOCUMENT_CHARACTERS = 2_000_000
COMMENT_CHARACTERS = 1000
REVISION_CHARACTERS = 64
COMMENT_HELP = _("Why this change: the reason and, for a clinical value, its source.")


class CommentField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(
            label=_("Reason for the change"),
            max_length=COMMENT_CHARACTERS,
            help_text=COMMENT_HELP,
            error_messages={"required": _("Say why you make this change.")},
            widget=forms.Textarea(attrs={"rows": 2}),
        )


class BaseRevisionField(forms.CharField):
    """The version the editor started from ("" for the bundled one), for the check that
    nobody else saved in between."""

    def __init__(self) -> None:
        super().__init__(
            required=False,
            max_length=REVISION_CHARACTERS,
            widget=forms.HiddenInput,
            error_messages={"max_length": _("Open the page again and make your change there.")},
        )


def base_revision_of(form: forms.Form) -> str | None:
    """The version the editor started from; without the field (a save not from our
    editor) there is no concurrency check (None)."""
    if not form.is_bound or "base_revision" not in form.data:
        return None
    return str(form.cleaned_data.get("base_revision", "")).strip()


class DocumentForm(forms.Form):
    document = forms.CharField(
        label=_("The collection as JSON"),
        max_length=MAX_DOCUMENT_CHARACTERS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        error_messages={"required": _("The document is empty.")},
    )
    comment = CommentField()
    base_revision = BaseRevisionField()


class RestoreBundledForm(forms.Form):
    """Going back to the bundled version: only the reason."""

    comment = CommentField()


class RestoreForm(forms.Form):
    """Saving an earlier version again: which one, and why."""

    revision = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the version to use again."),
            "invalid": _("Choose the version to use again."),
        },
    )
    comment = CommentField()


class ThresholdForm(forms.Form):
    """One instrument threshold of a factor (a prefixed form per measure)."""

    operator = forms.ChoiceField(
        label=_("The score is"), choices=[(o, OPERATOR_LABELS[o]) for o in OPERATORS]
    )
    threshold = forms.CharField(label=_("Threshold"), max_length=20)
    source = forms.ChoiceField(label=_("Source"), required=False)
    unverified = forms.BooleanField(label=_("Unverified"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(
        self,
        data: Mapping[str, str] | None,
        *,
        prefix: str,
        initial: Mapping[str, object],
        sources: Sequence[tuple[str, str]],
    ) -> None:
        """``sources``: (source id, readable citation) of every source one may cite."""
        super().__init__(data, prefix=prefix, initial=dict(initial))
        field = self.fields["source"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", _("no source (then mark it unverified)")), *sources]

    def clean_threshold(self) -> Decimal:
        text = self.cleaned_data["threshold"].strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Give a number, for example 37 or 2.5.")) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Give a number, for example 37 or 2.5."))
        return value


class FactorThresholdsForm(forms.Form):
    """A factor's instrument thresholds: one prefixed :class:`ThresholdForm` per measure
    (prefix ``m<position in the factor's measures>``) with the reason for the change.

    ``errors`` holds every field's problems under its prefixed name (``m0-threshold``),
    so a refusal names the exact field."""

    comment = CommentField()
    base_revision = BaseRevisionField()

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        measures: Sequence[tuple[int, Mapping[str, object]]],
        sources: Sequence[tuple[str, str]],
        initial: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        self.measures = [
            (
                position,
                measure,
                ThresholdForm(
                    data,
                    prefix=f"m{position}",
                    initial=_threshold_initial(measure),
                    sources=sources,
                ),
            )
            for position, measure in measures
        ]

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        # Every form is checked (not stopping at the first) so all errors show at once.
        for _position, _measure, form in self.measures:
            for field, messages in form.errors.items():
                key = form.add_prefix(field) if field != NON_FIELD_ERRORS else NON_FIELD_ERRORS
                self.errors.setdefault(key, self.error_class()).extend(messages)

    def show(self, refusal: InputRefused) -> None:
        """Put a service's refusal on the field it names (``m0-threshold``), on the
        measure it names (``m0``) or on this form (the reason, the rest)."""
        forms_by_prefix = {form.prefix: form for _p, _m, form in self.measures}
        for key, messages in refusal.errors.items():
            prefix, _dash, name = key.partition("-")
            form = forms_by_prefix.get(prefix)
            if form is None:
                target = key if key in self.fields else None
                for message in messages:
                    if message not in self.errors.get(target or NON_FIELD_ERRORS, []):
                        self.add_error(target, message)
                continue
            field = name if name in form.fields else None
            for message in messages:
                if message not in form.errors.get(field or NON_FIELD_ERRORS, []):
                    form.add_error(field, message)
                if message not in self.errors.get(key, []):
                    self.errors.setdefault(key, self.error_class()).append(message)

    def changes(self) -> list[ThresholdValues]:
        """The valid input, one value set per measure."""
        return [
            ThresholdValues(
                position=position,
                operator=str(form.cleaned_data["operator"]),
                threshold=form.cleaned_data["threshold"],
                source=str(form.cleaned_data["source"]) or None,
                unverified=bool(form.cleaned_data["unverified"]),
                note=str(form.cleaned_data["note"]).strip() or None,
            )
            for position, _measure, form in self.measures
        ]


def _threshold_initial(measure: Mapping[str, object]) -> dict[str, object]:
    return {
        "operator": measure.get("operator"),
        "threshold": str(measure.get("threshold")),
        "source": measure.get("source") or "",
        "unverified": measure.get("unverified") is True,
        "note": measure.get("note") or "",
    }


@dataclass(frozen=True)
class ThresholdValues:
    """New values for the instrument threshold at ``position`` in a factor's measures."""

    position: int
    operator: str
    threshold: Decimal
    source: str | None
    unverified: bool
    note: str | None


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
    base_revision = BaseRevisionField()

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        initial: Mapping[str, object],
        rules: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(data, initial=dict(initial))
        for rule_id, label in rules:
            self.fields[f"rule_{rule_id}"] = forms.BooleanField(label=label, required=False)

    def enabled_rules(self) -> set[str]:
        return {
            name.removeprefix("rule_")
            for name in self.fields
            if name.startswith("rule_") and self.cleaned_data[name]
        }

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("rule_")]

    def number_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("min_elevated", "severe_more_than_weeks", "raise_steps")]

    def level_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("clusters_at_most", "raise_at_most")]
