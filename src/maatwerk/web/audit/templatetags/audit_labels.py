from __future__ import annotations

from django import template

from maatwerk.web.audit.labels import audit_label as label_for

register = template.Library()


@register.filter
def audit_label(code: str, kind: str) -> str:
    """``{{ event.action|audit_label:"action" }}`` → the translated label of the code."""
    return label_for(kind, code)
