from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core.audit import AUDIT_ACTIONS, AUDIT_OUTCOMES, AuditRecord


class AuditEvent(models.Model):
    """One NEN 7513 log line. Append-only: database triggers refuse UPDATE and DELETE.

    References are stored as public ids and display names, not foreign keys, so the log
    outlives the rows it describes and never blocks their deletion.
    """

    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user_ref = models.CharField(max_length=64, blank=True, db_index=True)
    user_display = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=64, blank=True)
    on_behalf_of = models.CharField(max_length=200, blank=True)
    organization_ref = models.CharField(max_length=64, blank=True)
    patient_ref = models.CharField(max_length=64, blank=True, db_index=True)
    object_type = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32, choices=[(a, a) for a in AUDIT_ACTIONS])
    outcome = models.CharField(max_length=16, choices=[(o, o) for o in AUDIT_OUTCOMES])
    access_point = models.CharField(max_length=200, blank=True)
    emergency = models.BooleanField(default=False)
    detail = models.CharField(max_length=300, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}"

    def to_record(self) -> AuditRecord:
        return AuditRecord(
            sequence=self.sequence,
            occurred_at=self.occurred_at,
            user_ref=self.user_ref,
            user_display=self.user_display,
            role=self.role,
            on_behalf_of=self.on_behalf_of,
            organization_ref=self.organization_ref,
            patient_ref=self.patient_ref,
            object_type=self.object_type,
            object_ref=self.object_ref,
            action=self.action,
            outcome=self.outcome,
            access_point=self.access_point,
            emergency=self.emergency,
            detail=self.detail,
        )


class AuditChainHead(models.Model):
    """The last sequence number and hash; locked by every audit write to keep one chain."""

    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"
