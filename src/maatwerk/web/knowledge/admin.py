"""Platform admins can read every organization's knowledge revisions, never edit them
here: an edit must pass the full validation, which only the organization pages run."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from maatwerk.web.knowledge.models import KnowledgeRevision


@admin.register(KnowledgeRevision)
class KnowledgeRevisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "organization",
        "content_set",
        "collection",
        "version",
        "based_on_bundled_version",
        "saved_by",
        "saved_at",
        "is_active",
    )
    list_filter = ("content_set", "collection", "is_active", "organization")
    search_fields = ("comment", "version")
    ordering = ("-saved_at",)

    def get_readonly_fields(
        self, request: HttpRequest, obj: KnowledgeRevision | None = None
    ) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: KnowledgeRevision | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: KnowledgeRevision | None = None
    ) -> bool:
        return False
