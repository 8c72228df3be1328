"""Existing safety alerts become signals with a history.

An alert marked as handled becomes a closed signal (its note kept in the history, noting
that it was closed before a structured follow-up existed); an unhandled one is open,
with the pick-up deadline of the default policy counted from when it was raised.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from maatwerk.core.safety.deadline import PickUpPolicy, pick_up_deadline


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    alerts = apps.get_model("questionnaires", "SafetyAlert")
    events = apps.get_model("questionnaires", "SafetyAlertEvent")
    policy = PickUpPolicy()
    for alert in alerts.objects.all():
        alert.pick_up_deadline = pick_up_deadline(alert.raised_at, policy)
        events.objects.create(alert=alert, status="open", at=alert.raised_at)
        if alert.acknowledged_at is not None:
            alert.status = "closed"
            alert.closed_at = alert.acknowledged_at
            note = "Marked as handled before a structured follow-up was recorded."
            if alert.acknowledgement_note:
                note += " " + alert.acknowledgement_note
            events.objects.create(
                alert=alert,
                status="closed",
                at=alert.acknowledged_at,
                by_id=alert.acknowledged_by_id,
                note=note,
            )
        else:
            alert.status = "open"
        alert.save(update_fields=["pick_up_deadline", "status", "closed_at"])


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    alerts = apps.get_model("questionnaires", "SafetyAlert")
    for alert in alerts.objects.filter(status="closed"):
        closing = alert.events.filter(status="closed").order_by("-at").first()
        alert.acknowledged_at = alert.closed_at
        alert.acknowledged_by_id = closing.by_id if closing else None
        alert.acknowledgement_note = closing.note[:2000] if closing else ""
        alert.save(
            update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"]
        )


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0004_safety_signals")]

    operations = [migrations.RunPython(forwards, backwards)]
