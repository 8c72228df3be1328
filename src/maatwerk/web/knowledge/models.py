"""An organization's own versions of knowledge-base and screening-content collections.

Every save is a new row and rows are never changed afterwards except for ``is_active``:
the history is the list of rows. At most one row per organization, content set and
collection is active; its ``document`` replaces the bundled file of that collection, or,
when ``document`` is empty, the organization went back to the bundled version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KnowledgeRevision(models.Model):
    class ContentSet(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Knowledge base")
        SCREENING = "screening", _("Screening content")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="knowledge_revisions",
    )
    content_set = models.CharField(max_length=20, choices=ContentSet.choices)
    collection = models.CharField(max_length=40)
    # NULL (not ""): "back to bundled" must differ from an (invalid) empty document.
    document = models.TextField(  # noqa: DJ001
        null=True,
        blank=True,
        help_text="The JSON text exactly as saved; empty: back to the bundled version.",
    )
    version = models.CharField(max_length=40, help_text="The document's version.")
    based_on_bundled_version = models.CharField(max_length=40)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(help_text="Why this change was made.")
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "content_set", "collection"],
                condition=models.Q(is_active=True),
                name="one_active_revision_per_collection",
            )
        ]
        indexes = [models.Index(fields=["organization", "content_set", "collection", "-saved_at"])]

    def __str__(self) -> str:
        kind = "bundled" if self.is_bundled else self.version
        return f"{self.content_set}/{self.collection} {kind} of organization {self.organization_id}"

    @property
    def is_bundled(self) -> bool:
        """This row records going back to the bundled version."""
        return self.document is None
