"""What the safety screens show: labels from the content, never codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.safety.content import bundled_follow_up_content
from maatwerk.web.common.actor import Actor
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.questionnaires.models import Assignment, SafetyAlert, SafetyFollowUp


def _text(value: LocalizedText | None) -> str:
    language = "en" if get_language() == "en" else "nl"
    return (value.get(language, fallback=True) or "") if value is not None else ""


@dataclass(frozen=True)
class RiskBanner:
    """One patient's open signals and those closed recently (newest first): what the risk
    banner on the patient's pages shows. Empty signals: no banner."""

    patient_id: str
    signals: tuple[SafetyAlert, ...]


@dataclass(frozen=True)
class SignalView:
    source: str
    evidence_item: str
    evidence_answer: str
    evidence_quote: str
    deadline: datetime | None
    overdue: bool


def source_label(alert: SafetyAlert) -> str:
    if alert.source == SafetyAlert.Source.CLINICIAN and alert.raised_from:
        return _("Raised by a clinician from: %(place)s") % {
            "place": alert.get_raised_from_display()
        }
    if alert.source == SafetyAlert.Source.QUESTIONNAIRE and alert.assignment is not None:
        return _("Questionnaire %(code)s") % {"code": _instrument_short_name(alert.assignment)}
    return str(alert.get_source_display())


def _instrument_short_name(assignment: Assignment) -> str:
    """The name people write (PHQ-9, 4DKL), not the code the instrument is stored under."""
    try:
        instrument = instrument_for(
            assignment.patient.organization_id,
            assignment.instrument_code,
            assignment.instrument_version,
        )
    except UnknownInstrument:
        return assignment.instrument_code.upper()
    return instrument.short_name


def signal_view(alert: SafetyAlert) -> SignalView:
    deadline = alert.pick_up_deadline
    return SignalView(
        source=source_label(alert),
        evidence_item=alert.evidence_item,
        evidence_answer=alert.evidence_answer,
        evidence_quote=alert.evidence_quote,
        deadline=deadline,
        overdue=bool(
            deadline
            and alert.status in (SafetyAlert.Status.OPEN, SafetyAlert.Status.ESCALATED)
            and deadline < timezone.now()
        ),
    )


def follow_up_view(follow_up: SafetyFollowUp) -> list[tuple[str, str]]:
    """The recorded follow-up as (label, value) rows in the reader's language."""
    content = bundled_follow_up_content()
    methods = {o.id: _text(o.label) for o in content.contact_methods.options}
    plans = {o.id: _text(o.label) for o in content.safety_plan.options}
    local = timezone.localtime
    rows: list[tuple[str, str]] = [
        (_("Contact"), str(follow_up.get_contact_outcome_display())),
        (_("When"), f"{local(follow_up.contact_at):%d-%m-%Y %H:%M}"),
        (_("How"), methods.get(follow_up.contact_method, follow_up.contact_method)),
        (_("By whom"), follow_up.contact_by),
    ]
    if follow_up.attempts:
        rows.append((_("Attempts"), follow_up.attempts))
    for question in content.assessment:
        answer = follow_up.assessment.get(question.id)
        if answer is None:
            continue
        options = {o.id: _text(o.label) for o in question.options}
        rows.append((_text(question.label), options.get(answer, answer)))
    if follow_up.safety_plan:
        rows.append((_("Safety plan"), plans.get(follow_up.safety_plan, follow_up.safety_plan)))
    rows.append((_("GP informed"), _("Yes") if follow_up.gp_informed else _("No")))
    rows.append(
        (_("Acute or crisis GGZ involved"), _("Yes") if follow_up.crisis_ggz_involved else _("No"))
    )
    if follow_up.next_contact_at:
        rows.append(
            (_("Next contact agreed on"), f"{local(follow_up.next_contact_at):%d-%m-%Y %H:%M}")
        )
    if follow_up.note:
        rows.append((_("Note"), follow_up.note))
    return rows


def follow_up_initial(follow_up: SafetyFollowUp | None, actor: Actor) -> dict[str, Any]:
    if follow_up is None:
        name = actor.user.full_name if actor.user is not None else ""
        return {"contact_by": name}
    initial: dict[str, Any] = {
        "contact_outcome": follow_up.contact_outcome,
        "contact_at": timezone.localtime(follow_up.contact_at),
        "contact_method": follow_up.contact_method,
        "contact_by": follow_up.contact_by,
        "attempts": follow_up.attempts,
        "safety_plan": follow_up.safety_plan,
        "gp_informed": "yes" if follow_up.gp_informed else "no",
        "crisis_ggz_involved": "yes" if follow_up.crisis_ggz_involved else "no",
        "next_contact_at": (
            timezone.localtime(follow_up.next_contact_at) if follow_up.next_contact_at else None
        ),
        "note": follow_up.note,
    }
    for key, value in follow_up.assessment.items():
        initial[f"a_{key}"] = value
    return initial


@dataclass(frozen=True)
class PatientDeadline:
    """What the patient is told about when the care team will see their signal."""

    at: datetime
    escalated: bool  # the deadline passed: a colleague and the GP have been told
    picked_up: bool


def patient_deadline(signal: SafetyAlert | None) -> PatientDeadline | None:
    if signal is None or signal.pick_up_deadline is None:
        return None
    return PatientDeadline(
        at=timezone.localtime(signal.pick_up_deadline),
        escalated=signal.status == SafetyAlert.Status.ESCALATED,
        picked_up=signal.status
        in (
            SafetyAlert.Status.PICKED_UP,
            SafetyAlert.Status.FOLLOWED_UP,
        ),
    )
