#!/usr/bin/env python3
"""Crash-safety drill (F23): `make crash`.

A stream of questionnaire answer autosaves, real HTTP as a signed-in demo patient,
against gunicorn (`maatwerk serve`, 2 workers) while the web workers are killed with
SIGKILL every few seconds and, for PostgreSQL, the database server itself (postmaster
and backends) is killed with SIGKILL and started again. Each run ends by killing the
whole server (and the database server) at once; then the database is opened again and
every *acknowledged* save (HTTP 200 ``{"saved": true}`` received by the client) must be
in it.

How a save is found: every request carries a unique token in its User-Agent; the app
writes the first 80 characters of the User-Agent into the access point of the audit
event it commits in the same transaction as the answer. So an acknowledged token whose
audit event is missing is a lost acknowledged write. After each run the hash chain is
verified (`maatwerk audit verify`) and, for SQLite, `PRAGMA integrity_check` is run.

PostgreSQL runs on a private throw-away cluster (initdb in a temporary directory,
127.0.0.1:8115, run as the `postgres` system user when started by root), never on the
shared server. Skipped loudly when the server binaries are missing.

Usage: crash.py [--runs N] [--seconds S]   (defaults 3 runs of 25 s per engine)
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.cookiejar
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAATWERK = str(ROOT / ".venv" / "bin" / "maatwerk")
WEB_PORT = 8111
PG_PORT = 8115
CLIENTS = 4
TIMEOUT = 15

SETUP = """
import json
from decimal import Decimal
from django.core.exceptions import ValidationError
from maatwerk.web.demo.constants import DEMO_PASSWORD
from maatwerk.web.questionnaires import services as s
from maatwerk.web.questionnaires.models import Assignment
found = None
for a in Assignment.objects.filter(status__in=["open", "in_progress"], mode="self"):
    user = a.patient.user
    if user is None or not user.check_password(DEMO_PASSWORD):
        continue
    instrument = s.instrument_of(a)
    items = []
    for item in instrument.items:
        for v in range(0, 11):
            try:
                s._check_answer(instrument, a.patient, item.id, Decimal(v))
            except ValidationError:
                continue
            flags = s.safety_flags(instrument, {item.id: v},
                                   respondent=s.respondent_for(a.patient))
            if not flags:
                items.append([item.id, v])
            break
    if len(items) >= 4:
        found = {"email": user.email, "password": DEMO_PASSWORD,
                 "assignment": str(a.public_id), "items": items}
        break
print(json.dumps(found))
"""

FOUND = """
import json
from maatwerk.web.audit.models import AuditEvent
points = AuditEvent.objects.filter(access_point__contains="crash/%(run)s-",
                                   object_type="questionnaire_answer")
points = points.values_list("access_point", flat=True)
from maatwerk.web.audit.selectors import audit_chain_verify
chain = audit_chain_verify()
print(json.dumps({"tokens": sorted(set(p.split(" ")[-1] for p in points)),
                  "chain_ok": chain.ok, "events": chain.events_checked}))
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def kill9(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


class PrivatePostgres:
    """A throw-away cluster on 127.0.0.1:PG_PORT that this script may kill at will."""

    def __init__(self, work: Path) -> None:
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent
        self.dir = work / "pgdata"
        self.socket = work / "pgsocket"
        self.log = work / "postgres.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        for path in (work, self.socket):
            path.mkdir(exist_ok=True)
        if self.user:
            entry = pwd.getpwnam(self.user)
            for path in (work, self.socket):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.run("initdb", "-D", str(self.dir), "-U", "postgres", "-A", "trust", "--no-sync")
        config = self.dir / "postgresql.conf"
        with config.open("a") as handle:  # durability settings stay at their defaults
            handle.write(
                f"port = {PG_PORT}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.socket}'\nfsync = on\n"
                "synchronous_commit = on\nmax_connections = 50\n"
            )
        self.start()

    def run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / tool) if (self.bin / tool).exists() else tool, *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check)  # noqa: S603

    def start(self) -> None:
        for attempt in range(5):
            done = self.run(
                "pg_ctl", "-D", str(self.dir), "-l", str(self.log), "-w", "-t", "60", "start",
                check=False,
            )  # fmt: skip
            if done.returncode == 0:
                return
            time.sleep(1 + attempt)  # a killed process may not be reaped yet
            if (self.dir / "postmaster.pid").exists() and not alive(self.postmaster()):
                self.stale_locks_remove()
        tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
        raise SystemExit(f"crash: PostgreSQL did not start again:\n{done.stderr}\n{tail}")

    def postmaster(self) -> int:
        return int((self.dir / "postmaster.pid").read_text().splitlines()[0])

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend, like a crash of the database server."""
        pid = self.postmaster()
        family = [pid, *children(pid)]
        for member in family:
            kill9(member)
        deadline = time.monotonic() + 20
        while any(alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.1)
        # A killed process stays a zombie until it is reaped, and PostgreSQL takes a
        # zombie for a running postmaster. Once every process is dead (above), a lock
        # file left behind is stale: after a real crash its process would not exist.
        if Path(f"/proc/{pid}").exists():
            self.stale_locks_remove()

    def stale_locks_remove(self) -> None:
        """The data directory's and the socket's lock files name the dead postmaster."""
        lock = self.socket / f".s.PGSQL.{PG_PORT}.lock"
        self.run("rm", "-f", str(self.dir / "postmaster.pid"), str(lock))

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.dir), "-m", "immediate", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/maatwerk"


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Patient:
    """One browser: a cookie jar signed in as the demo patient."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def sign_in(self, email: str, password: str) -> None:
        with self.opener.open(self.base + "/accounts/login/", timeout=60) as page:
            html = page.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if token is None:
            raise SystemExit("crash: no CSRF token on the login page")
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own http URL
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=60) as page:
            if "/accounts/login/" in page.geturl():
                raise SystemExit("crash: the demo patient could not sign in")

    def save(self, assignment: str, item: str, value: int, token: str) -> bool:
        data = urllib.parse.urlencode({"item": item, "value": str(value)}).encode()
        request = urllib.request.Request(  # noqa: S310 - our own http URL
            f"{self.base}/questionnaires/{assignment}/answer/",
            data=data,
            headers={"X-CSRFToken": self.csrf(), "User-Agent": token, "Referer": self.base},
        )
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                body = json.loads(response.read().decode())
                return response.status == 200 and body.get("saved") is True
        except (urllib.error.URLError, OSError, ValueError):
            return False


class Server:
    """`maatwerk serve` (the gunicorn master) in its own session."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with socket.socket() as probe:  # never test whatever else listens there
            if probe.connect_ex(("127.0.0.1", WEB_PORT)) == 0:
                raise SystemExit(f"crash: port {WEB_PORT} is in use; stop what listens there")
        with self.log_path.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                [MAATWERK, "serve", "--port", str(WEB_PORT), "--workers", "2"],
                env=self.env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{WEB_PORT}/accounts/login/", timeout=5
                ):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        raise SystemExit(f"crash: the server did not start, see {self.log_path}")

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def kill_all(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None


def maatwerk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [MAATWERK, *args], env=env, capture_output=True, text=True, check=False
    )


def python(env: dict[str, str], code: str) -> object:
    done = maatwerk(env, "manage", "shell", "-c", code)
    if done.returncode != 0:
        raise SystemExit(f"crash: manage shell failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class RunResult:
    run: str
    acknowledged: int
    failed: int
    lost: int
    worker_kills: int
    db_kills: int
    chain_ok: bool
    integrity: str
    seconds: float


def one_run(
    run: str,
    env: dict[str, str],
    work: Path,
    target: dict[str, object],
    seconds: float,
    database: PrivatePostgres | None,
) -> RunResult:
    server = Server(env, work / "gunicorn.log")
    try:
        return _run_with_server(run, env, target, seconds, database, server)
    finally:
        server.kill_all()


def _run_with_server(
    run: str,
    env: dict[str, str],
    target: dict[str, object],
    seconds: float,
    database: PrivatePostgres | None,
    server: Server,
) -> RunResult:
    started = time.monotonic()
    server.start()
    base = f"http://127.0.0.1:{WEB_PORT}"
    tally = Tally()
    stop = threading.Event()
    browsers = []
    for _ in range(CLIENTS):
        browser = Patient(base)
        browser.sign_in(str(target["email"]), str(target["password"]))
        browsers.append(browser)
    items = list(target["items"])  # type: ignore[call-overload]

    def client(number: int, browser: Patient) -> None:
        item, value = items[number % len(items)]
        n = 0
        while not stop.is_set():
            token = f"crash/{run}-{number}-{n}"
            if browser.save(str(target["assignment"]), item, value, token):
                with tally.lock:
                    tally.acknowledged.append(token)
            else:
                with tally.lock:
                    tally.failed += 1
                time.sleep(0.2)
            n += 1

    threads = [
        threading.Thread(target=client, args=(i, b), daemon=True) for i, b in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    worker_kills = 0
    db_kills = 0
    end = time.monotonic() + seconds
    db_kill_at = {time.monotonic() + seconds * f for f in (0.3, 0.65)} if database else set()
    while time.monotonic() < end:
        time.sleep(random.uniform(4.0, 7.0))  # noqa: S311 - timing jitter, not security
        now = time.monotonic()
        workers = server.workers()
        if workers:
            kill9(random.choice(workers))  # noqa: S311
            worker_kills += 1
        due = [t for t in db_kill_at if t <= now]
        if due and database is not None:
            db_kill_at -= set(due)
            time.sleep(random.uniform(0.5, 1.5))  # noqa: S311
            database.kill()
            db_kills += 1
            time.sleep(random.uniform(0.5, 1.5))  # noqa: S311
            database.start()
    # The end: everything dies at once while clients are still writing.
    server.kill_all()
    if database is not None:
        database.kill()
        db_kills += 1
    stop.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)
    if database is not None:
        database.start()
    integrity = "restarted"  # PostgreSQL: crash recovery ran and the server accepts connections
    if database is None:
        with sqlite3.connect(Path(env["MAATWERK_DATA_DIR"]) / "maatwerk.sqlite3") as check:
            integrity = str(check.execute("PRAGMA integrity_check").fetchone()[0])
    after = python(env, FOUND % {"run": run})
    if not isinstance(after, dict):
        raise SystemExit("crash: the check after the run printed no result")
    found = set(after["tokens"])
    lost = [t for t in tally.acknowledged if t not in found]
    return RunResult(
        run=run,
        acknowledged=len(tally.acknowledged),
        failed=tally.failed,
        lost=len(lost),
        worker_kills=worker_kills,
        db_kills=db_kills,
        chain_ok=after["chain_ok"] is True,
        integrity=integrity,
        seconds=time.monotonic() - started,
    )


def engine_runs(engine: str, runs: int, seconds: float) -> tuple[list[RunResult], str]:
    with tempfile.TemporaryDirectory(prefix=f"maatwerk-crash-{engine}-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)  # noqa: S103 - the postgres user must reach its cluster
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MAATWERK_ENV"}
        }
        env.update(
            {"MAATWERK_DATA_DIR": str(work / "data"), "MAATWERK_DEBUG": "false", "COLUMNS": "200"}
        )
        database = None
        if engine == "postgresql":
            database = PrivatePostgres(work / "pg")
            database.run(
                "psql", "-h", str(database.socket), "-p", str(PG_PORT), "-U", "postgres",
                "-c", "CREATE DATABASE maatwerk",
            )  # fmt: skip
            env["DATABASE_URL"] = database.url
        try:
            log(f"{engine}: loading the demo data")
            done = maatwerk(env, "demo", "--no-serve")
            if done.returncode != 0:
                raise SystemExit(f"crash: demo load failed:\n{done.stderr[-3000:]}")
            if engine == "sqlite":
                mode = sqlite_synchronous(env)
            else:
                mode = "synchronous_commit=on, fsync=on (defaults)"
            target = python(env, SETUP)
            if not isinstance(target, dict):
                raise SystemExit("crash: no open questionnaire for a demo patient")
            results = []
            for number in range(1, runs + 1):
                run = f"{engine[:2]}{number}x{random.randrange(10**6)}"  # noqa: S311
                result = one_run(run, env, work, target, seconds, database)
                log(
                    f"{engine} run {number}: {result.acknowledged} acknowledged, "
                    f"{result.lost} lost, {result.failed} failed requests, "
                    f"{result.worker_kills} worker kills, {result.db_kills} database kills, "
                    f"chain {'ok' if result.chain_ok else 'BROKEN'}, {result.seconds:.0f} s"
                )
                results.append(result)
            return results, mode
        finally:
            if database is not None:
                database.stop()


def sqlite_synchronous(env: dict[str, str]) -> str:
    code = (
        "import json; from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); j = c.fetchone()[0]; "
        "c.execute('PRAGMA synchronous'); s = c.fetchone()[0]; "
        "print(json.dumps(f'journal_mode={j}, synchronous={s} "
        "(0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA)'))"
    )
    return str(python(env, code))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=25.0)
    options = parser.parse_args()
    engines: list[str] = ["sqlite"]
    if glob.glob("/usr/lib/postgresql/*/bin/initdb") and shutil.which("runuser"):
        engines.append("postgresql")
    else:
        print("#" * 72)
        print("#  PostgreSQL crash runs SKIPPED: no server binaries (initdb) found.")
        print("#" * 72)
    report: dict[str, tuple[list[RunResult], str]] = {}
    for engine in engines:
        report[engine] = engine_runs(engine, options.runs, options.seconds)
    print("\n== crash summary", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "==")
    print(
        f"{'engine':<11} {'run':<12} {'acked':>6} {'lost':>5} {'failed':>7} "
        f"{'w-kills':>8} {'db-kills':>9} {'chain':>6} {'integrity':>10} {'secs':>5}"
    )
    ok = True
    for engine, (results, mode) in report.items():
        for r in results:
            print(
                f"{engine:<11} {r.run:<12} {r.acknowledged:>6} {r.lost:>5} {r.failed:>7} "
                f"{r.worker_kills:>8} {r.db_kills:>9} {'ok' if r.chain_ok else 'BROKEN':>6} "
                f"{r.integrity:>10} {r.seconds:>5.0f}"
            )
            ok = ok and r.lost == 0 and r.chain_ok and r.integrity in ("ok", "restarted")
            ok = ok and r.acknowledged > 0
        print(f"{engine:<11} durability: {mode}")
    print("PASS: 0 acknowledged saves lost" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
