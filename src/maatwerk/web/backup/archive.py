"""The backup file: a tar archive holding ``manifest.json`` and the database copy.

The manifest records what the copy holds (per table row count and checksum, applied
migrations, the audit chain head) and the copy's SHA-256, so a damaged or altered file
is refused before anything is restored.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from maatwerk.web.backup.inventory import AuditHead, Engine, TableSummary

FORMAT = "maatwerk-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_NAMES: dict[str, str] = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: Engine
    software_version: str
    data_name: str
    data_sha256: str
    data_bytes: int
    tables: dict[str, TableSummary]
    migrations: dict[str, list[str]]
    audit_head: AuditHead | None
    source: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            raw: dict[str, Any] = json.loads(text)
            if raw.get("format") != FORMAT:
                raise BackupError("the file is not a Maatwerk backup (no Maatwerk manifest)")
            if raw.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"backup format version {raw.get('format_version')} is not supported "
                    f"(this version reads {FORMAT_VERSION})"
                )
            head = raw.get("audit_head")
            return cls(
                created_at=str(raw["created_at"]),
                engine=raw["engine"],
                software_version=str(raw["software_version"]),
                data_name=str(raw["data_name"]),
                data_sha256=str(raw["data_sha256"]),
                data_bytes=int(raw["data_bytes"]),
                tables={
                    str(name): TableSummary(int(t["rows"]), str(t["sha256"]))
                    for name, t in raw["tables"].items()
                },
                migrations={str(k): [str(n) for n in v] for k, v in raw["migrations"].items()},
                audit_head=None if head is None else AuditHead(**head),
                source=str(raw.get("source", "")),
                notes=[str(n) for n in raw.get("notes", [])],
            )
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as problem:
            raise BackupError(f"the backup's manifest is damaged ({problem!r})") from None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def archive_write(out: Path, manifest: Manifest, data: Path) -> None:
    """Write the archive next to ``out`` and move it into place only when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    encoded = manifest.to_json().encode()
    with tarfile.open(partial, "w") as tar:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(encoded)
        info.mtime = int(time.time())
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(encoded))
        tar.add(data, arcname=manifest.data_name, recursive=False)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.chmod(0o600)
    os.replace(partial, out)


def archive_read(source: Path, data_to: Path) -> Manifest:
    """Check the archive and extract its database copy to ``data_to``; refuse a damaged one."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file")
    try:
        with tarfile.open(source, "r:") as tar:
            names = tar.getnames()
            if MANIFEST_NAME not in names:
                raise BackupError(f"{source} is not a Maatwerk backup (it has no manifest)")
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise BackupError(f"{source}: the manifest is not a file")
            manifest = Manifest.from_json(member.read().decode("utf-8"))
            if manifest.data_name not in names or manifest.data_name != DATA_NAMES.get(
                manifest.engine
            ):
                raise BackupError(f"{source}: the database copy is missing from the backup")
            data = tar.extractfile(manifest.data_name)
            if data is None:
                raise BackupError(f"{source}: the database copy is not a file")
            digest = hashlib.sha256()
            size = 0
            with data_to.open("wb") as handle:
                while chunk := data.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
                    handle.write(chunk)
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError) as problem:
        raise BackupError(f"{source} is damaged or not a Maatwerk backup ({problem})") from None
    if size != manifest.data_bytes or digest.hexdigest() != manifest.data_sha256:
        raise BackupError(
            f"{source} is damaged: the database copy does not match the checksum in its "
            f"manifest ({size} bytes, expected {manifest.data_bytes})"
        )
    return manifest
