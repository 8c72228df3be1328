"""The anchor log: an append-only JSON-lines file of audit chain heads, kept outside the
database (``MAATWERK_AUDIT_ANCHOR_DIR``, best on other storage than the database)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from maatwerk.core.audit_anchor import Anchor
from maatwerk.web.backup.archive import BackupError
from maatwerk.web.backup.inventory import AuditHead

ANCHOR_FILE = "audit-anchors.jsonl"


def anchor_log_path(path: Path) -> Path:
    """A directory (or a new path without a suffix) means the anchor log inside it."""
    if path.is_file():
        return path
    return path / ANCHOR_FILE if path.is_dir() or not path.suffix else path


def anchor_append(path: Path, head: AuditHead, *, reason: str, database: str) -> Path:
    """Append the head to the log and flush it to disk; returns the log's path."""
    log = anchor_log_path(path)
    log.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "sequence": head.sequence,
            "hash": head.hash,
            "first_hash": head.first_hash,
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "reason": reason,
            "database": database,
        },
        sort_keys=True,
    )
    with log.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return log


def anchors_read(path: Path) -> list[Anchor]:
    log = anchor_log_path(path)
    if not log.is_file():
        raise BackupError(f"no anchor log at {log}")
    anchors: list[Anchor] = []
    for number, line in enumerate(log.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            anchors.append(
                Anchor(
                    sequence=int(raw["sequence"]),
                    hash=str(raw["hash"]),
                    recorded_at=str(raw["recorded_at"]),
                    reason=str(raw.get("reason", "")),
                )
            )
        except (ValueError, KeyError, TypeError) as problem:
            raise BackupError(f"{log}, line {number}: not an anchor ({problem!r})") from None
    return anchors
