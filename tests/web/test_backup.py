"""`maatwerk backup` / `maatwerk restore` and the audit anchors (F24), on the database the
tests run on: SQLite, or PostgreSQL when DATABASE_URL points there.

Round trip into a fresh database with equal row counts and checksums, a rewound chain
caught by the anchors, and clear refusals of a damaged file, a backup of the other
engine and a non-empty target. Data must be committed for the copy to see it, so these
tests use the transactional database.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.backup.archive import BackupError, Manifest, archive_write
from maatwerk.web.backup.services import (
    anchors_check,
    backup_create,
    backup_restore,
    database_snapshot,
    engine_of,
)
from maatwerk.web.common.actor import system_actor
from maatwerk.web.organizations.models import Organization

pytestmark = pytest.mark.usefixtures("committed")


def _audit_triggers(*, present: bool) -> None:
    """Create or drop the append-only triggers of the audit table (audit migration 0002)."""
    triggers = importlib.import_module("maatwerk.web.audit.migrations.0002_append_only_triggers")
    vendor = "SQLITE" if connection.vendor == "sqlite" else "POSTGRES"
    with connection.cursor() as cursor:
        for statement in getattr(triggers, f"{vendor}_BACKWARD"):
            cursor.execute(statement)
        if present:
            for statement in getattr(triggers, f"{vendor}_FORWARD"):
                cursor.execute(statement)


@pytest.fixture(scope="module", autouse=True)
def _audit_triggers_restored(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Put the audit triggers back when this module is done (see ``committed``)."""
    yield
    with django_db_blocker.unblock():
        _audit_triggers(present=True)


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """A backup copies only committed rows, so these tests commit for real and the test
    database is emptied afterwards by deleting every row. The audit table is append-only
    by database triggers, which would refuse that clean-up: they are in force during the
    test (and so in every backup) and lifted just before the clean-up."""
    _audit_triggers(present=True)
    yield
    _audit_triggers(present=False)


def _drop_postgres(database: dict[str, Any]) -> None:
    with psycopg.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Any]:
    """Hands out new, empty target databases of the tests' engine; drops them afterwards."""
    made: list[dict[str, Any]] = []
    default = dict(settings.DATABASES["default"])

    def make(name: str) -> dict[str, Any]:
        if engine_of(default) == "sqlite":
            target = {**default, "NAME": str(tmp_path / f"{name}.sqlite3")}
        else:
            target = {**default, "NAME": f"{default['NAME']}_{name}"}
            _drop_postgres(target)
        made.append(target)
        return target

    yield make
    for target in made:
        if engine_of(target) == "postgresql":
            _drop_postgres(target)


def _events(count: int) -> None:
    for number in range(count):
        audit_record(
            actor=system_actor("backup test"),
            action="create",
            subject=AuditSubject("test_object", object_ref=str(number)),
        )


def test_a_backup_restores_into_a_fresh_database_with_equal_checksums(
    tmp_path: Path, fresh: Any
) -> None:
    Organization.objects.create(name="Praktijk Noord")
    Organization.objects.create(name="Praktijk Zuid")
    _events(3)
    live = database_snapshot()

    made = backup_create(tmp_path / "one.backup", anchor_dir=tmp_path / "anchors")
    assert made.manifest.tables == live.tables
    assert made.manifest.tables["organizations_organization"].rows == 2
    assert made.manifest.audit_head is not None
    assert made.manifest.audit_head.sequence == 3
    assert made.manifest.migrations == live.migrations

    target = fresh("restored")
    backup_restore(tmp_path / "one.backup", target=target)
    restored = database_snapshot(target)
    assert restored.tables == live.tables
    assert restored.audit_head == live.audit_head
    assert anchors_check(tmp_path / "anchors", target) == ()


def test_the_anchors_catch_a_chain_rewound_by_restoring_an_older_backup(
    tmp_path: Path, fresh: Any
) -> None:
    anchors = tmp_path / "anchors"
    _events(2)
    backup_create(tmp_path / "older.backup", anchor_dir=anchors)
    _events(2)
    backup_create(tmp_path / "newer.backup", anchor_dir=anchors)
    assert anchors_check(anchors) == ()

    target = fresh("rewound")
    backup_restore(tmp_path / "older.backup", target=target)
    breaks = anchors_check(anchors, target)
    assert [b.sequence for b in breaks] == [4]
    assert "rewound" in breaks[0].reason

    # The operator's view: the chain itself is intact, only the anchors show the rewind.
    plain = _cli(["audit", "verify"], tmp_path, target)
    assert plain.returncode == 0, plain.stderr
    anchored = _cli(["audit", "verify", "--anchors", str(anchors)], tmp_path, target)
    assert anchored.returncode == 1
    assert "event #4: the chain was rewound" in anchored.stderr
    assert "Traceback" not in anchored.stderr


def test_a_damaged_backup_is_refused_and_nothing_is_restored(tmp_path: Path, fresh: Any) -> None:
    _events(1)
    good = tmp_path / "good.backup"
    backup_create(good, anchor_dir=tmp_path / "anchors")
    data = bytearray(good.read_bytes())
    flipped = tmp_path / "flipped.backup"
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(good.read_bytes()[: len(data) // 3])
    target = fresh("damaged")
    for damaged in (flipped, truncated):
        with pytest.raises(BackupError, match="damaged"):
            backup_restore(damaged, target=target)
    with pytest.raises(BackupError, match="not a Maatwerk backup"):
        (tmp_path / "text.backup").write_text("hello")
        backup_restore(tmp_path / "text.backup", target=target)
    if engine_of(target) == "sqlite":
        assert not Path(target["NAME"]).exists()
    else:
        with pytest.raises(BackupError, match="does not exist"):
            database_snapshot(target)


def test_a_backup_of_the_other_engine_and_a_non_empty_target_are_refused(
    tmp_path: Path, fresh: Any
) -> None:
    _events(1)
    made = backup_create(tmp_path / "mine.backup", anchor_dir=tmp_path / "anchors")
    other_engine = "postgresql" if made.manifest.engine == "sqlite" else "sqlite"
    other_name = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[other_engine]
    payload = tmp_path / other_name
    payload.write_bytes(b"x")
    fields = {
        **made.manifest.__dict__,
        "engine": other_engine,
        "data_name": other_name,
        "data_bytes": 1,
        "data_sha256": "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
    }
    archive_write(tmp_path / "other.backup", Manifest(**fields), payload)
    target = fresh("engine")
    with pytest.raises(BackupError, match="is a backup of a"):
        backup_restore(tmp_path / "other.backup", target=target)

    backup_restore(tmp_path / "mine.backup", target=target)
    with pytest.raises(BackupError, match=r"not empty.*--force"):
        backup_restore(tmp_path / "mine.backup", target=target)
    backup_restore(tmp_path / "mine.backup", target=target, force=True)
    assert database_snapshot(target).tables == made.manifest.tables


def _cli(
    args: list[str], data_dir: Path, database: dict[str, Any] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `maatwerk` command as an operator would, on ``database`` when given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MAATWERK_ENV"}
    }
    env["MAATWERK_DATA_DIR"] = str(data_dir)
    if database is not None and engine_of(database) == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    elif database is not None:
        user = database.get("USER") or "postgres"
        password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
        host = database.get("HOST") or "127.0.0.1"
        port = database.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"
    return subprocess.run(
        [sys.executable, "-m", "maatwerk.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_the_restore_command_refuses_a_damaged_file_without_a_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(os.urandom(2000))
    result = _cli(["restore", str(junk)], tmp_path)
    assert result.returncode == 1
    assert "Restore refused" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
