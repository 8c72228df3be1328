"""Safety alerts raised by answers: one signal per fired rule per questionnaire, with the
question and the answer given as its evidence; the care team is e-mailed once the
signals are committed (through the task queue)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from maatwerk.core.instruments.model import Instrument, OptionsResponseSet
from maatwerk.core.instruments.scoring import SafetyFlag
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.questionnaires.models import Assignment, SafetyAlert
from maatwerk.web.safety.tasks import signal_email_send


def number_text(value: Decimal | int | float) -> str:
    """The canonical text of an answer value: ``2`` not ``2.000``, ``2.5`` not ``2.50``."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def instrument_of(assignment: Assignment) -> Instrument:
    """The instrument (and version) the assignment was given with."""
    return instrument_for(
        assignment.patient.organization_id,
        assignment.instrument_code,
        assignment.instrument_version,
    )


def _notify_care_team_after_commit(alerts: list[SafetyAlert]) -> None:
    """Once the signals are committed, a background task e-mails the treating clinicians
    (ids only: the task loads the rest)."""
    alert_ids = sorted(str(alert.public_id) for alert in alerts)
    transaction.on_commit(lambda: signal_email_send.enqueue(alert_ids))


def evidence_of(instrument: Instrument, item_id: str, answer: Fraction) -> tuple[str, str]:
    """The question as the patient read it (Dutch) and the answer with its label, such as
    ("Gedachten dat je beter dood zou zijn ...", "2 – meer dan de helft van de dagen")."""
    value = number_text(Decimal(answer.numerator) / Decimal(answer.denominator))
    item = instrument.item(item_id) if instrument.has_item(item_id) else None
    name = instrument.name.get("nl", fallback=True) or instrument.code
    question = (item.text.get("nl", fallback=True) if item and item.text else None) or (
        f"{name}, {item_id}"
    )
    label = None
    if item is not None:
        response_set = instrument.response_set(item.response_set)
        if isinstance(response_set, OptionsResponseSet):
            for option in response_set.options:
                if number_text(option.value) == value and option.label is not None:
                    label = option.label.get("nl", fallback=True)
    return question, f"{value} – {label}" if label else value


def _raise_alerts(
    assignment: Assignment, flags: tuple[SafetyFlag, ...], *, at: datetime | None = None
) -> list[SafetyAlert]:
    """One signal per fired rule per questionnaire, with the question and the answer given
    as its evidence; returns only the new ones."""
    from maatwerk.web.safety.services import raise_from_rule

    if not flags:
        return []
    alerts: list[SafetyAlert] = []
    instrument = instrument_of(assignment)
    for flag in flags:
        question, answer = evidence_of(instrument, flag.item_id, flag.answer)
        alert, created = raise_from_rule(
            assignment=assignment,
            rule_id=flag.rule_id,
            severity=flag.severity,
            message=flag.clinician_message.get("nl", fallback=True) or flag.rule_id,
            evidence_item=question,
            evidence_answer=answer,
            at=at,
        )
        if created:
            alerts.append(alert)
    return alerts
