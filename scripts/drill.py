#!/usr/bin/env python3
"""Backup/restore drill (F24): `make drill`.

For SQLite and for PostgreSQL (skipped loudly when nothing answers at 127.0.0.1:5432;
a failure with CI=true), as an operator would do it, through the `maatwerk` command:

1. a source instance with the demo data (`maatwerk demo --no-serve`);
2. quiet backup: `maatwerk backup`, `maatwerk restore` into a fresh instance (a new
   SQLite file / a new PostgreSQL database), then every table's row count and checksum
   of source and restored compared (`maatwerk db-checksums --json`), including the audit
   tables, and `maatwerk audit verify --anchors` on the restored instance;
3. online backup: a writer commits, for a few seconds, one organization row plus one
   audit event per transaction into the source while `maatwerk backup` runs; the backup
   is restored into another fresh instance, which must hold a whole prefix of the
   writer's transactions (as many rows as events, numbered 0..k-1 without gaps, k > 0
   and fewer than the writer's total) and an intact chain.

Prints one table per engine and exits 1 on any difference. Databases used:
maatwerk_drills_drill_* on the shared server (dropped and re-created by this script).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAATWERK = [str(ROOT / ".venv" / "bin" / "maatwerk")]
PG_SERVER = os.environ.get("DRILL_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_PREFIX = os.environ.get("DRILL_PG_PREFIX", "maatwerk_drills_drill")
WRITER_SECONDS = 12

WRITER = """
import json, time
from django.db import transaction
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import system_actor
from maatwerk.web.organizations.models import Organization
actor = system_actor("drill writer")
n = 0
deadline = time.monotonic() + %(seconds)s
while time.monotonic() < deadline:
    with transaction.atomic():
        Organization.objects.create(name=f"drill-writer-{n}")
        audit_record(actor=actor, action="create",
                     subject=AuditSubject("drill_write", object_ref=str(n)))
    n += 1
print(json.dumps({"committed": n}))
"""

COUNTS = """
import json
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.organizations.models import Organization
rows = sorted(int(n.rsplit("-", 1)[1]) for n in
              Organization.objects.filter(name__startswith="drill-writer-")
              .values_list("name", flat=True))
events = sorted(int(r) for r in AuditEvent.objects.filter(object_type="drill_write")
                .values_list("object_ref", flat=True))
print(json.dumps({"rows": rows, "events": events}))
"""


class Instance:
    """One installation: a data directory and, for PostgreSQL, its own database."""

    def __init__(self, engine: str, name: str, work: Path) -> None:
        self.engine = engine
        self.name = name
        self.data_dir = work / name
        self.data_dir.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MAATWERK_ENV"}
        }
        self.env.update(
            {
                "MAATWERK_DATA_DIR": str(self.data_dir),
                "MAATWERK_AUDIT_ANCHOR_DIR": str(work / "anchors"),
                "COLUMNS": "200",
            }
        )
        if engine == "postgresql":
            self.database = f"{PG_PREFIX}_{name}"
            self.env["DATABASE_URL"] = f"{PG_SERVER}/{self.database}"
            psql("postgres", f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            if name == "source":  # the others are created by `maatwerk restore`
                psql("postgres", f'CREATE DATABASE "{self.database}"')

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603 - our own command
            [*MAATWERK, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise SystemExit(
                f"FAIL: maatwerk {' '.join(args[:2])} on {self.engine}/{self.name} "
                f"exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
        return done

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603 - our own command
            [*MAATWERK, *args], env=self.env, stdout=subprocess.PIPE, text=True
        )

    def checksums(self) -> dict[str, dict[str, object]]:
        return dict(json.loads(self.run("db-checksums", "--json").stdout))

    def python(self, code: str) -> dict[str, object]:
        return dict(
            json.loads(self.run("manage", "shell", "-c", code).stdout.strip().splitlines()[-1])
        )

    def drop(self) -> None:
        if self.engine == "postgresql":
            psql("postgres", f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def psql(database: str, sql: str) -> None:
    subprocess.run(  # noqa: S603 - fixed tool
        ["psql", "-X", "-q", f"{PG_SERVER}/{database}", "-c", sql],  # noqa: S607
        check=True,
        capture_output=True,
    )


def postgres_available() -> bool:
    if shutil.which("pg_isready") is None or shutil.which("pg_dump") is None:
        return False
    url = PG_SERVER.removeprefix("postgres://")
    host_port = url.split("@", 1)[-1]
    host, _, port = host_port.partition(":")
    done = subprocess.run(  # noqa: S603 - fixed tool
        ["pg_isready", "-q", "-h", host, "-p", port or "5432"],  # noqa: S607
        check=False,
    )
    return done.returncode == 0


def compare(
    source: dict[str, dict[str, object]], restored: dict[str, dict[str, object]]
) -> list[tuple[str, str, str, str]]:
    lines = []
    tables_a = dict(source["tables"])
    tables_b = dict(restored["tables"])
    for table in sorted(set(tables_a) | set(tables_b)):
        a = tables_a.get(table)
        b = tables_b.get(table)
        rows_a = str(a["rows"]) if a else "-"
        rows_b = str(b["rows"]) if b else "-"
        verdict = "equal" if a is not None and a == b else "DIFFERENT"
        lines.append((table, rows_a, rows_b, verdict))
    return lines


def drill(engine: str, work: Path) -> tuple[bool, list[str]]:
    summary: list[str] = []
    source = Instance(engine, "source", work)
    restored = Instance(engine, "restored", work)
    online = Instance(engine, "online", work)
    try:
        started = time.monotonic()
        source.run("demo", "--no-serve")
        summary.append(f"demo data loaded in {time.monotonic() - started:.0f} s")

        backup = work / f"{engine}.backup"
        started = time.monotonic()
        source.run("backup", str(backup))
        backup_seconds = time.monotonic() - started
        started = time.monotonic()
        restored.run("restore", str(backup))
        restore_seconds = time.monotonic() - started
        summary.append(
            f"backup {backup.stat().st_size / 1e6:.1f} MB in {backup_seconds:.1f} s; "
            f"restore into a fresh instance (incl. its own checks) in {restore_seconds:.1f} s"
        )

        lines = compare(source.checksums(), restored.checksums())
        width = max(len(t) for t, *_ in lines)
        print(f"\n== {engine}: source vs restored, every table ==")
        print(f"{'table':<{width}}  {'source':>7}  {'restored':>8}  checksum")
        for table, rows_a, rows_b, verdict in lines:
            print(f"{table:<{width}}  {rows_a:>7}  {rows_b:>8}  {verdict}")
        different = [t for t, *_, verdict in lines if verdict != "equal"]
        rows = sum(int(r) for _, r, _, _ in lines if r != "-")
        summary.append(
            f"{len(lines)} tables, {rows} rows: {len(lines) - len(different)} equal, "
            f"{len(different)} different{': ' + ', '.join(different) if different else ''}"
        )
        verify = restored.run("audit", "verify", "--anchors", str(work / "anchors"), check=False)
        summary.append(
            "restored audit chain + anchors: "
            + (verify.stdout.strip() if verify.returncode == 0 else "BROKEN " + verify.stderr)
        )
        ok = not different and verify.returncode == 0

        # Online: back up while a writer commits row + audit event pairs.
        writer = source.popen("manage", "shell", "-c", WRITER % {"seconds": WRITER_SECONDS})
        time.sleep(WRITER_SECONDS / 3)
        live_backup = work / f"{engine}-online.backup"
        source.run("backup", str(live_backup))
        out, _ = writer.communicate(timeout=WRITER_SECONDS * 10)
        committed = int(json.loads(out.strip().splitlines()[-1])["committed"])
        online.run("restore", str(live_backup))
        counts = online.python(COUNTS)
        rows_list = list(counts["rows"])  # type: ignore[call-overload]
        events_list = list(counts["events"])  # type: ignore[call-overload]
        k = len(rows_list)
        prefix = rows_list == list(range(k)) and events_list == rows_list
        online_ok = prefix and 0 < k < committed
        verify = online.run("audit", "verify", check=False)
        online_ok = online_ok and verify.returncode == 0
        summary.append(
            f"online backup while a writer committed {committed} transactions "
            f"(row + audit event each): the restored copy holds {k} rows and "
            f"{len(events_list)} events, "
            + ("a whole prefix 0..k-1" if prefix else "NOT a consistent prefix")
            + f"; chain {'intact' if verify.returncode == 0 else 'BROKEN'}"
        )
        return ok and online_ok, summary
    finally:
        for instance in (source, restored, online):
            instance.drop()


def main() -> int:
    engines = ["sqlite"]
    if postgres_available():
        engines.append("postgresql")
    elif os.environ.get("CI") == "true":
        print("ERROR: PostgreSQL is not reachable; CI must run the PostgreSQL drill.")
        return 1
    else:
        print("#" * 72)
        print(f"#  PostgreSQL drill SKIPPED: nothing answers at {PG_SERVER}.")
        print("#  Only the SQLite drill runs. Start PostgreSQL and run `make drill` again.")
        print("#" * 72)
    results: dict[str, tuple[bool, list[str]]] = {}
    for engine in engines:
        with tempfile.TemporaryDirectory(prefix=f"maatwerk-drill-{engine}-") as work:
            try:
                results[engine] = drill(engine, Path(work))
            except SystemExit as failure:
                results[engine] = (False, [str(failure)])
    print("\n== drill summary", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "==")
    for engine, (ok, lines) in results.items():
        print(f"{engine}: {'PASS' if ok else 'FAIL'}")
        for line in lines:
            print(f"  - {line}")
    return 0 if all(ok for ok, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
