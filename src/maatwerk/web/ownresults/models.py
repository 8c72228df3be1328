"""A patient's own notes on their results ("Mijn uitslagen").

A note belongs to one topic of the results page: a questionnaire scale or a personal
measure set. Notes are added, never edited, so what the patient wrote stays as written.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from maatwerk.web.patients.models import Patient

NOTE_MAX_LENGTH = 500
TOPIC_MAX_LENGTH = 80


class ResultNote(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="result_notes")
    # "scale:<instrument>:<scale>" or "measure:<measure set public id>"; never shown.
    topic = models.CharField(max_length=TOPIC_MAX_LENGTH)
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at"]
        indexes = [models.Index(fields=["patient", "topic"], name="result_note_patient_topic")]

    def __str__(self) -> str:
        return f"note {self.public_id}"
