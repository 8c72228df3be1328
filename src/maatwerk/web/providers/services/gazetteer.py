"""The gazetteer (postcode areas and their coordinates): importing and exporting it."""

from __future__ import annotations

from django.db import transaction

from maatwerk.core.referral.csv_safety import neutralized_area, restored_area
from maatwerk.core.referral.directory_csv import (
    PostcodeAreaRow,
    read_gazetteer_csv,
    write_gazetteer_csv,
)
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Organization
from maatwerk.web.providers.models import PostcodeArea
from maatwerk.web.providers.selectors import gazetteer_of
from maatwerk.web.providers.services._common import _directory_subject
from maatwerk.web.providers.services.csv_files import (
    DirectoryImportRefused,
    ImportResult,
    _decoded_upload,
    problem_message,
)


def gazetteer_import(*, actor: Actor, organization: Organization, data: bytes) -> ImportResult:
    """Add or update PC4 areas (by PC4); all or nothing."""
    read = read_gazetteer_csv(_decoded_upload(data))
    if not read.ok:
        audit_record(
            actor=actor,
            action="update",
            outcome="error",
            subject=_directory_subject(organization, "gazetteer"),
            detail=f"import refused: {len(read.problems)} problems",
        )
        raise DirectoryImportRefused([problem_message(p) for p in read.problems])
    created = updated = 0
    with transaction.atomic():
        existing = gazetteer_of(organization.pk)
        for row in map(restored_area, read.rows):
            area = existing.get(row.pc4) or PostcodeArea(organization=organization, pc4=row.pc4)
            created, updated = (created + 1, updated) if area.pk is None else (created, updated + 1)
            area.place, area.latitude, area.longitude = row.place, row.latitude, row.longitude
            area.save()
        audit_record(
            actor=actor,
            action="update",
            subject=_directory_subject(organization, "gazetteer"),
            detail=f"import: {created} added, {updated} changed",
        )
    return ImportResult(created, updated)


def gazetteer_export(*, actor: Actor, organization: Organization) -> str:
    rows = (
        neutralized_area(PostcodeAreaRow(a.pc4, a.place, a.latitude, a.longitude))
        for a in PostcodeArea.objects.filter(organization=organization)
    )
    text = write_gazetteer_csv(rows)
    audit_record(
        actor=actor, action="export", subject=_directory_subject(organization, "gazetteer")
    )
    return text
