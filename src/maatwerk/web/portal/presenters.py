"""The patient's access log, readable on a phone: repeated events grouped per session and page.

Autosave writes an audit event on every save, so one evening with an exercise leaves
hundreds of identical lines. The log shows one line per person, session and part of the
file (same action and outcome), with how often and from when to when. A *session* is a
person's run of events without a pause longer than the idle timeout after which the
platform signs them out: events further apart cannot be one session. Nothing is hidden:
every event is counted in a line, and emergency access and refusals are never merged with
ordinary events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from maatwerk.web.audit.models import AuditEvent

__all__ = ["AccessLine", "group_access_events"]


@dataclass
class AccessLine:
    """One line of the log: the latest event of a group and how many it stands for."""

    occurred_at: datetime
    user_display: str
    role: str
    action: str
    outcome: str
    object_type: str
    emergency: bool
    first_at: datetime
    repeats: int = 1


def _session_gap() -> timedelta:
    return timedelta(
        minutes=max(
            settings.MAATWERK_SESSION_IDLE_PATIENT_MINUTES,
            settings.MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES,
        )
    )


def group_access_events(events: Iterable[AuditEvent]) -> list[AccessLine]:
    """Group ``events`` (newest first) into lines, newest first."""
    gap = _session_gap()
    sessions: dict[str, tuple[int, datetime]] = {}  # person -> (session number, earliest seen)
    lines: dict[tuple[object, ...], AccessLine] = {}
    for event in events:
        person = event.user_ref or event.user_display
        number, earliest = sessions.get(person, (0, event.occurred_at))
        if earliest - event.occurred_at > gap:
            number += 1
        sessions[person] = (number, event.occurred_at)
        key = (
            person,
            number,
            event.role,
            event.on_behalf_of,
            event.object_type,
            event.object_ref,
            event.action,
            event.outcome,
            event.emergency,
        )
        line = lines.get(key)
        if line is None:
            lines[key] = AccessLine(
                occurred_at=event.occurred_at,
                user_display=event.user_display,
                role=event.role,
                action=event.action,
                outcome=event.outcome,
                object_type=event.object_type,
                emergency=event.emergency,
                first_at=event.occurred_at,
            )
        else:
            line.repeats += 1
            line.first_at = event.occurred_at
    return list(lines.values())
