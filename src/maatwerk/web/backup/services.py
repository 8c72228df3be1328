"""Backup, restore, checksums and anchors of the configured database.

``target`` arguments are Django ``DATABASES`` entries; the default is the platform's
own database. Every refusal is a ``BackupError`` whose message tells the operator why.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import connections

import maatwerk
from maatwerk.core.audit import ChainBreak
from maatwerk.core.audit_anchor import anchor_breaks
from maatwerk.web.backup import postgres, sqlite
from maatwerk.web.backup.anchors import anchor_append, anchors_read
from maatwerk.web.backup.archive import (
    DATA_NAMES,
    BackupError,
    Manifest,
    archive_read,
    archive_write,
    file_sha256,
)
from maatwerk.web.backup.inventory import (
    AuditHead,
    Connection,
    DatabaseSettings,
    Engine,
    TableSummary,
    applied_migrations,
    audit_hash_at,
    audit_head,
    database_summary,
)

T = TypeVar("T")
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Snapshot:
    """What a database holds: per table rows and checksum, migrations, audit head."""

    engine: Engine
    tables: dict[str, TableSummary]
    migrations: dict[str, list[str]]
    audit_head: AuditHead | None


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    anchor_log: Path | None
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    target: str
    seconds: float
    warnings: list[str] = field(default_factory=list)


def engine_of(database: DatabaseSettings) -> Engine:
    name = str(database["ENGINE"])
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")


def database_settings(entry: Mapping[str, object]) -> DatabaseSettings:
    """The connection settings of a Django ``DATABASES`` entry."""

    def text(key: str) -> str:
        value = entry.get(key)
        return "" if value is None else str(value)

    return DatabaseSettings(
        ENGINE=text("ENGINE"),
        NAME=text("NAME"),
        USER=text("USER"),
        PASSWORD=text("PASSWORD"),
        HOST=text("HOST"),
        PORT=text("PORT"),
    )


def _settings_of(entry: Mapping[str, object] | None) -> DatabaseSettings:
    """``entry`` (a ``DATABASES`` entry), or the platform's own database."""
    return database_settings(entry or settings.DATABASES["default"])


def _read_snapshot(engine: Engine) -> Callable[[Connection], Snapshot]:
    def read(connection: Connection) -> Snapshot:
        return Snapshot(
            engine=engine,
            tables=database_summary(connection, engine),
            migrations=applied_migrations(connection, engine),
            audit_head=audit_head(connection, engine),
        )

    return read


def _with_connection(database: DatabaseSettings, read: Callable[[Connection], T]) -> T:
    if engine_of(database) == "postgresql":
        return postgres.pg_read(database, read)
    name = str(database["NAME"])
    if name.startswith("file:"):  # the in-memory test database: read through Django's
        connection = connections["default"]
        connection.ensure_connection()
        return read(connection.connection)
    if not Path(name).is_file():
        raise BackupError(f"there is no SQLite database at {name}")
    with closing(sqlite3.connect(f"file:{name}?mode=ro", uri=True, timeout=30)) as raw:
        return read(raw)


def database_snapshot(target: Mapping[str, object] | None = None) -> Snapshot:
    """Row counts, checksums, migrations and audit head of a database (default: ours)."""
    database = _settings_of(target)
    return _with_connection(database, _read_snapshot(engine_of(database)))


def _database_label(database: DatabaseSettings) -> str:
    if engine_of(database) == "sqlite":
        return f"sqlite:{database['NAME']}"
    host = database.get("HOST") or "localhost"
    return f"postgresql://{host}:{database.get('PORT') or 5432}/{database['NAME']}"


def backup_create(out: Path, *, anchor_dir: Path | None = None) -> BackupResult:
    """Write a backup of the platform's database to ``out`` and anchor its audit head."""
    started = time.monotonic()
    database = _settings_of(None)
    engine = engine_of(database)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="maatwerk-backup-", dir=out.parent) as work:
        data = Path(work) / DATA_NAMES[engine]
        if engine == "sqlite":
            connection = connections["default"]
            connection.ensure_connection()
            sqlite.sqlite_snapshot(connection.connection, data)
            with closing(sqlite3.connect(data)) as copy:
                snapshot = _read_snapshot(engine)(copy)
        else:
            snapshot = postgres.pg_snapshot(database, data, _read_snapshot(engine))
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            engine=engine,
            software_version=maatwerk.__version__,
            data_name=data.name,
            data_sha256=file_sha256(data),
            data_bytes=data.stat().st_size,
            tables=snapshot.tables,
            migrations=snapshot.migrations,
            audit_head=snapshot.audit_head,
            source=_database_label(database),
        )
        archive_write(out, manifest, data)
    log = None
    if anchor_dir is not None and snapshot.audit_head is not None:
        log = anchor_append(
            anchor_dir,
            snapshot.audit_head,
            reason=f"backup {out.name}",
            database=_database_label(database),
        )
    return BackupResult(out, manifest, log, time.monotonic() - started)


def _unknown_migrations(manifest: Manifest) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    ]


def snapshot_differences(
    expected: dict[str, TableSummary], found: dict[str, TableSummary]
) -> list[str]:
    """One line per table whose rows or checksum differ, or that is only on one side."""
    problems = []
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            problems.append(f"{name}: missing")
        elif name not in expected:
            problems.append(f"{name}: not in the backup")
        elif expected[name] != found[name]:
            problems.append(
                f"{name}: {found[name].rows} rows (expected {expected[name].rows}), "
                f"checksum {'equal' if found[name].sha256 == expected[name].sha256 else 'differs'}"
            )
    return problems


def backup_restore(
    source: Path, *, force: bool = False, target: Mapping[str, object] | None = None
) -> RestoreResult:
    """Restore ``source`` into ``target`` (default: the platform's database), all or nothing.

    Refuses a damaged file, a backup of the other engine or of a newer version, and a
    target that already has tables unless ``force``. Afterwards the target's row counts
    and checksums are compared with the manifest.
    """
    started = time.monotonic()
    database = _settings_of(target)
    engine = engine_of(database)
    with tempfile.TemporaryDirectory(prefix="maatwerk-restore-") as work:
        manifest = archive_read(source, Path(work) / "data")
        if manifest.engine != engine:
            raise BackupError(
                f"{source} is a backup of a {ENGINE_LABELS[manifest.engine]} database; the "
                f"target is {ENGINE_LABELS[engine]}: restore it into a "
                f"{ENGINE_LABELS[manifest.engine]} database"
            )
        unknown = _unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                f"{source} was made by a newer version: this version does not know the "
                f"migrations {', '.join(unknown[:5])}"
            )
        data = Path(work) / "data"
        if engine == "sqlite":
            sqlite.sqlite_check(data)
            with closing(sqlite3.connect(f"file:{data}?mode=ro", uri=True)) as copy:
                copied = database_summary(copy, "sqlite")
            if snapshot_differences(manifest.tables, copied):
                raise BackupError(f"{source} is damaged: its database does not match its manifest")
            existing = sqlite.sqlite_target_tables(Path(database["NAME"]))
        else:
            existing = postgres.pg_target_tables(database)
        if existing and not force:
            raise BackupError(
                f"the target database is not empty ({len(existing)} tables, e.g. "
                f"{', '.join(existing[:3])}); restoring replaces everything in it: "
                "pass --force to do so"
            )
        if engine == "sqlite":
            sqlite.sqlite_restore(data, Path(database["NAME"]))
        else:
            postgres.pg_restore(data, database, replace=bool(existing), work_dir=Path(work))
    restored = database_snapshot(target)
    problems = snapshot_differences(manifest.tables, restored.tables)
    if problems:
        raise BackupError(
            "the restored database differs from the backup's manifest: " + "; ".join(problems[:10])
        )
    return RestoreResult(manifest, _database_label(database), time.monotonic() - started)


def anchor_write(anchor_dir: Path, *, reason: str) -> tuple[Path, AuditHead]:
    """Append the live audit chain head to the anchor log."""
    database = _settings_of(None)
    head = database_snapshot(database).audit_head
    if head is None:
        raise BackupError("the database has no audit trail (run `maatwerk manage migrate`)")
    return anchor_append(anchor_dir, head, reason=reason, database=_database_label(database)), head


def anchors_check(path: Path, target: Mapping[str, object] | None = None) -> tuple[ChainBreak, ...]:
    """The anchors in the log at ``path`` that the database's audit chain does not honour."""
    anchors = anchors_read(path)
    database = _settings_of(target)
    engine = engine_of(database)

    def check(connection: Connection) -> tuple[ChainBreak, ...]:
        head = audit_head(connection, engine)
        last = 0 if head is None else head.last_event_sequence
        return anchor_breaks(
            anchors,
            last_sequence=last,
            hash_at=lambda sequence: audit_hash_at(connection, engine, sequence),
        )

    return _with_connection(database, check)
