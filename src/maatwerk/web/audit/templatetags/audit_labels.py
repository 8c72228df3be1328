from __future__ import annotations

from django import template

from maatwerk.web.audit.labels import audit_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return audit_label("action", code)


@register.filter
def outcome_label(code: str) -> str:
    return audit_label("outcome", code)


@register.filter
def role_label(code: str) -> str:
    return audit_label("role", code)


@register.filter
def object_label(code: str) -> str:
    return audit_label("object_type", code)
