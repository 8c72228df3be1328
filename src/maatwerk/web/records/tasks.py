"""Making a copy of the record in the background (it can be large: every row, the access
log, a PDF). The task receives the copy's id and is idempotent: a copy that is ready (or
expired) is left alone, and the files are written under a row lock in one transaction, so
a second delivery of the task does nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from maatwerk.web.records.copies import copy_content, copy_files
from maatwerk.web.records.models import RecordCopy


@task()
def record_copy_build(copy_id: str) -> int:
    """Make the files of one copy; returns the number of rows in it (0 when there was
    nothing to do)."""
    copy = RecordCopy.objects.select_related("patient").filter(public_id=copy_id).first()
    if copy is None or copy.status != RecordCopy.Status.PREPARING:
        return 0
    with override(copy.patient.language or "nl"):
        content = copy_content(copy.patient)
        fhir, pdf = copy_files(content)
    with transaction.atomic():
        locked = RecordCopy.objects.select_for_update().filter(pk=copy.pk).first()
        if locked is None or locked.status != RecordCopy.Status.PREPARING:
            return 0
        locked.fhir_bundle = fhir
        locked.pdf = pdf
        locked.rows = content.rows
        locked.status = RecordCopy.Status.READY
        locked.ready_at = timezone.now()
        locked.save(update_fields=["fhir_bundle", "pdf", "rows", "status", "ready_at"])
    return content.rows
