"""A throw-away Maatwerk instance on 127.0.0.1 for `make load` and `make fuzz`.

A fresh database (PostgreSQL database ``NAME`` on the local server, or SQLite in a
temporary data directory), seeded by ``scripts/load/prepare.py``, served by gunicorn
exactly as `maatwerk serve` serves it, with its access log kept for counting.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


# A line of gunicorn's access log (maatwerk.web.server.ACCESS_LOG_FORMAT): when it was
# logged, the request line in quotes, the status right after it, and at the end the web
# worker's milliseconds. Read as a whole: a referrer or user agent may hold anything.
_ACCESS_LINE = re.compile(
    r'\[(?P<logged>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) '
    r".* (?P<ms>\d+)ms$"
)


@dataclass(frozen=True)
class Access:
    """One request the server answered, from its access log."""

    logged: datetime
    method: str
    path: str
    status: int
    ms: int


def accesses(lines: Iterable[str]) -> list[Access]:
    """The access-log lines among ``lines`` (the server's other output is skipped)."""
    found = (_ACCESS_LINE.search(line.rstrip()) for line in lines)
    return [
        Access(
            logged=datetime.strptime(match["logged"], "%d/%b/%Y:%H:%M:%S %z"),
            method=match["method"],
            path=match["path"],
            status=int(match["status"]),
            ms=int(match["ms"]),
        )
        for match in found
        if match is not None
    ]


@dataclass(frozen=True)
class Instance:
    env: dict[str, str]
    port: int
    log: Path
    plan: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def python(self, code: str) -> str:
        """Run ``code`` with Django set up against this instance; its printed output."""
        output = subprocess.run(  # noqa: S603 - our own interpreter and code
            [str(VENV_BIN / "python"), "-c", "import django;django.setup();" + code],
            env=self.env,
            check=True,
            capture_output=True,
        )
        return output.stdout.decode().strip()

    def audit_rows(self) -> int:
        code = "from maatwerk.web.audit.models import AuditEvent;print(AuditEvent.objects.count())"
        return int(self.python(code).splitlines()[-1])

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, start: int) -> list[str]:
        with self.log.open("rb") as lines:
            lines.seek(start)
            return [raw.decode("utf-8", "replace") for raw in lines]


@contextmanager
def local_instance(
    *,
    work: Path,
    engine: str,
    database: str,
    port: int,
    workers: int,
    patients: int,
    clinicians: int,
    seed_args: Sequence[str] = (),
    threads: int = 1,
) -> Iterator[Instance]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "maatwerk.web.config.settings",
            "MAATWERK_ENV": "development",
            "MAATWERK_DEBUG": "false",
            "MAATWERK_DATA_DIR": str(work / "data"),
            "MAATWERK_CACHE": "database",
            "MAATWERK_LOG_LEVEL": "WARNING",
            "MAATWERK_SITE_URL": f"http://127.0.0.1:{port}",
        }
    )
    if engine == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    else:
        env.pop("DATABASE_URL", None)
    plan = work / "plan.json"
    run(
        [
            str(VENV_BIN / "python"),
            str(ROOT / "scripts" / "load" / "prepare.py"),
            "--patients",
            str(patients),
            "--clinicians",
            str(clinicians),
            "--out",
            str(plan),
            *seed_args,
        ],
        env,
    )
    log = work / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "maatwerk"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                *(("--threads", str(threads)) if threads > 1 else ()),
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(port, log)
        yield Instance(env=env, port=port, log=log, plan=plan)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def _wait_until_up(port: int, log: Path) -> None:
    deadline = time.monotonic() + 240  # a busy shared machine boots workers slowly
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start; see {log}")


def run(command: list[str], env: dict[str, str], *, quiet: bool = False) -> None:
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=quiet, check=False)  # noqa: S603
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout.decode() + result.stderr.decode())
        raise SystemExit(f"failed: {' '.join(command[:3])} … (exit {result.returncode})")
