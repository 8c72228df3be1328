"""Escalations by the system stored an English note in UTC ("not picked up by
2026-12-03 09:00 UTC"); the signal page now writes that sentence itself, in the reader's
language and time zone, from the signal's deadline. Empty the old notes so they are not
shown twice (clinicians' own notes are never touched: they have an author)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def empty_system_escalation_notes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    events = apps.get_model("questionnaires", "SafetyAlertEvent")
    events.objects.filter(
        status="escalated", by__isnull=True, note__startswith="not picked up by "
    ).update(note="")


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0008_answer_not_applicable")]

    operations = [migrations.RunPython(empty_system_escalation_notes, migrations.RunPython.noop)]
