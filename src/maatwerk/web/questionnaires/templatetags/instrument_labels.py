"""Questionnaire codes as people read them: ``phq9`` -> "PHQ-9", licence kinds in words."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.registry import get_instrument

register = template.Library()

LICENCE_LABELS = {
    "public_domain": _("public domain"),
    "free_with_credit": _("free to use, with the source named"),
    "free_for_professionals": _("free for care professionals"),
    "licensed": _("licence needed"),
}


@register.filter
def instrument_name(code: str, version: str | None = None) -> str:
    """The short name of a bundled questionnaire ("PHQ-9"); another code in capitals."""
    try:
        return get_instrument(code, version or None).short_name
    except UnknownInstrument:
        return code.upper()


@register.filter
def patient_instrument_name(code: str, version: str | None = None) -> str:
    """The name a patient reads, in the active language ("Vragenlijst over angst om te
    bewegen"): the instrument's patient name, else its full name; never the bare code."""
    try:
        instrument = get_instrument(code, version or None)
    except UnknownInstrument:
        return code.upper()
    return instrument.patient_label(get_language() or "nl")


@register.filter
def licence_label(kind: str) -> str:
    label = LICENCE_LABELS.get(kind)
    return str(label) if label is not None else kind
