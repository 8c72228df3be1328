"""SQLite: a consistent copy through the online backup API, and restore through it too.

The backup API copies the database page by page under one read transaction, so the
copy is a consistent snapshot even while the platform writes (WAL mode). Restoring
with the same API into the target connection is one write transaction on the target:
it is replaced completely or not at all, and its WAL file stays coherent (a file copy
over a live database would leave stale ``-wal``/``-shm`` files behind).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from maatwerk.web.backup.archive import BackupError
from maatwerk.web.backup.inventory import table_names


def sqlite_snapshot(source: sqlite3.Connection, copy: Path) -> None:
    """Copy the database behind ``source`` to the new file ``copy`` (rollback journal)."""
    with closing(sqlite3.connect(copy)) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")


def sqlite_check(copy: Path) -> None:
    """Refuse a copy SQLite itself finds damaged."""
    try:
        with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as database:
            result = database.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as problem:
        raise BackupError(f"the database copy in the backup is damaged ({problem})") from None
    if result != [("ok",)]:
        raise BackupError(f"the database copy in the backup is damaged: {result[:3]}")


def sqlite_target_tables(target: Path) -> list[str]:
    if not target.exists() or target.stat().st_size == 0:
        return []
    try:
        with closing(sqlite3.connect(target, timeout=30)) as database:
            return table_names(database, "sqlite")
    except sqlite3.DatabaseError as problem:
        raise BackupError(f"{target} is not a readable SQLite file ({problem})") from None


def sqlite_restore(copy: Path, target: Path) -> None:
    """Replace the target database with ``copy`` in one transaction."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(target, timeout=30)) as destination,
        ):
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as problem:
        raise BackupError(f"restoring into {target} failed, nothing changed ({problem})") from None
