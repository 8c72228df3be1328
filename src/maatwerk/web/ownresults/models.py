"""A patient's own notes on their results ("Mijn uitslagen").

A note belongs to one topic of the results page: a questionnaire scale, a personal
measure set, or a day of the daily-life charts ("what happened here?"). A note with a
``day`` is a mark on that day of the topic's chart. The patient may change or remove
their own notes; each change is one audited event.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from maatwerk.web.patients.models import Patient

NOTE_MAX_LENGTH = 500
TOPIC_MAX_LENGTH = 80
DAY_TOPIC = "day"  # a note on a day of the daily-life charts


class ResultNote(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="result_notes")
    # "scale:<instrument>:<scale>" or "measure:<measure set public id>"; never shown.
    topic = models.CharField(max_length=TOPIC_MAX_LENGTH)
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    # The day the note is about (its mark on the chart); empty for a note on the topic.
    day = models.DateField(null=True, blank=True)
    written_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["written_at"]
        indexes = [models.Index(fields=["patient", "topic"], name="result_note_patient_topic")]

    def __str__(self) -> str:
        return f"note {self.public_id}"
