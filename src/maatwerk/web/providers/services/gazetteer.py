"""The gazetteer (postcode areas and their coordinates): importing and exporting it, each
one audited call (object type ``provider_directory``, object ``gazetteer``)."""

from __future__ import annotations

from maatwerk.core.referral.csv_safety import neutralized_area, restored_area
from maatwerk.core.referral.directory_csv import (
    PostcodeAreaRow,
    read_gazetteer_csv,
    write_gazetteer_csv,
)
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.providers.forms import CsvUploadForm
from maatwerk.web.providers.models import PostcodeArea
from maatwerk.web.providers.selectors import DirectoryAccess, gazetteer_of
from maatwerk.web.providers.services.csv_files import ImportResult, problem_message

GAZETTEER = "gazetteer"


def gazetteer_import(
    *, actor: Actor, directory: DirectoryAccess, form: CsvUploadForm
) -> ImportResult:
    """Add or update PC4 areas (by PC4); all or nothing."""
    with audited(actor=actor, action="update", subject=directory.subject(GAZETTEER)) as note:
        data = valid_form(form)["file"]
        if not isinstance(data, bytes):  # pragma: no cover - CsvUploadForm reads bytes
            raise TypeError(data)
        read = read_gazetteer_csv(data)
        if not read.ok:
            raise InputRefused({"file": [problem_message(p) for p in read.problems]})
        created = updated = 0
        existing = gazetteer_of(directory)
        for row in map(restored_area, read.rows):
            area = existing.get(row.pc4) or PostcodeArea(
                organization=directory.organization, pc4=row.pc4
            )
            created, updated = (created + 1, updated) if area.pk is None else (created, updated + 1)
            area.place, area.latitude, area.longitude = row.place, row.latitude, row.longitude
            area.save()
        note.detail = f"import: {created} added, {updated} changed"
    return ImportResult(created, updated)


def gazetteer_export(*, actor: Actor, directory: DirectoryAccess) -> str:
    with audited(actor=actor, action="export", subject=directory.subject(GAZETTEER)):
        rows = (
            neutralized_area(PostcodeAreaRow(a.pc4, a.place, a.latitude, a.longitude))
            for a in gazetteer_of(directory).values()
        )
        return write_gazetteer_csv(rows)
