"""Readable names of content sets and collections (the ids stay in URLs and files)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "knowledge": _("Knowledge base"),
    "screening": _("Screening content"),
    "sources": _("Sources"),
    "conditions": _("Conditions"),
    "factors": _("Risk and resilience factors"),
    "medication": _("Medication"),
    "care_levels": _("Care levels"),
    "disciplines": _("Disciplines"),
    "interventions": _("Interventions"),
    "complaints": _("Complaints and symptom clusters"),
    "batteries": _("Screening batteries"),
    "stepped_care": _("Stepped-care rules"),
    "subgroups": _("Subgroups"),
    "patient_texts": _("Texts for patients"),
}


@register.filter
def content_label(name: str) -> str:
    """The label of a content set or collection; an unknown name is shown as it is."""
    label = LABELS.get(name)
    return str(label) if label is not None else name
