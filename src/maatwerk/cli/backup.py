"""``maatwerk backup``, ``maatwerk restore``, ``maatwerk db-checksums`` and the audit anchors.

Every refusal is one clear message on stderr and exit status 1 (2 for configuration
errors), never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def _django() -> None:
    from maatwerk.cli.main import _django as setup

    setup()


def _anchor_dir(option: Path | None) -> Path:
    from django.conf import settings

    return option if option is not None else Path(settings.MAATWERK_AUDIT_ANCHOR_DIR)


def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write (e.g. maatwerk.backup).")],
    anchor_dir: Annotated[
        Path | None,
        typer.Option(help="Where to anchor the audit head (default: MAATWERK_AUDIT_ANCHOR_DIR)."),
    ] = None,
) -> None:
    """Back up the whole database (consistent while in use) with a manifest of checksums."""
    _django()
    from maatwerk.web.backup.archive import BackupError
    from maatwerk.web.backup.services import backup_create

    try:
        result = backup_create(out.resolve(), anchor_dir=_anchor_dir(anchor_dir))
    except (BackupError, OSError) as problem:
        errors.print(f"[red]Backup failed[/red]: {problem}")
        raise typer.Exit(1) from None
    manifest = result.manifest
    rows = sum(t.rows for t in manifest.tables.values())
    console.print(
        f"[green]Backup written[/green]: {result.path} ({manifest.engine}, "
        f"{len(manifest.tables)} tables, {rows} rows, {manifest.data_bytes} bytes, "
        f"{result.seconds:.1f} s)."
    )
    if manifest.audit_head is not None:
        console.print(
            f"Audit chain head #{manifest.audit_head.sequence} "
            f"{manifest.audit_head.hash[:16]}… anchored in {result.anchor_log}."
        )


def restore(
    source: Annotated[Path, typer.Argument(help="A file written by `maatwerk backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already has tables.")
    ] = False,
) -> None:
    """Restore a backup into the configured database, all or nothing, and check it."""
    _django()
    from maatwerk.web.backup.archive import BackupError
    from maatwerk.web.backup.services import backup_restore

    try:
        result = backup_restore(source.resolve(), force=force)
    except (BackupError, OSError) as problem:
        errors.print(f"[red]Restore refused[/red]: {problem}")
        raise typer.Exit(1) from None
    manifest = result.manifest
    console.print(
        f"[green]Restored[/green] the backup of {manifest.created_at} into {result.target} "
        f"in {result.seconds:.1f} s: {len(manifest.tables)} tables, row counts and "
        "checksums equal to the manifest."
    )
    if manifest.audit_head is not None:
        console.print(
            f"The audit chain ends at #{manifest.audit_head.sequence}; check it with "
            "`maatwerk audit verify --anchors`: events anchored after the backup are "
            "reported as lost."
        )


def db_checksums(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the row count and content checksum of every table and the audit head."""
    _django()
    from maatwerk.web.backup.archive import BackupError
    from maatwerk.web.backup.services import database_snapshot

    try:
        snapshot = database_snapshot()
    except BackupError as problem:
        errors.print(f"[red]Cannot read the database[/red]: {problem}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(asdict(snapshot), indent=2, sort_keys=True))
        return
    table = Table("table", "rows", "sha256")
    for name, summary in snapshot.tables.items():
        table.add_row(name, str(summary.rows), summary.sha256[:16])
    console.print(table)


def audit_anchor(
    anchor_dir: Annotated[
        Path | None,
        typer.Option(help="The anchor directory or log (default: MAATWERK_AUDIT_ANCHOR_DIR)."),
    ] = None,
) -> None:
    """Append the audit chain head to the anchor log (run it on a schedule)."""
    _django()
    from maatwerk.web.backup.archive import BackupError
    from maatwerk.web.backup.services import anchor_write

    try:
        log, head = anchor_write(_anchor_dir(anchor_dir), reason="audit anchor")
    except (BackupError, OSError) as problem:
        errors.print(f"[red]Cannot anchor the audit trail[/red]: {problem}")
        raise typer.Exit(1) from None
    console.print(f"Audit chain head #{head.sequence} {head.hash[:16]}… anchored in {log}.")


def anchors_problems(path: Path) -> list[str]:
    """Problems of the configured database's chain against the anchors at ``path``."""
    from maatwerk.web.backup.archive import BackupError
    from maatwerk.web.backup.services import anchors_check

    try:
        return [f"event #{b.sequence}: {b.reason}" for b in anchors_check(path)]
    except (BackupError, OSError) as problem:
        return [f"cannot check the anchors: {problem}"]
