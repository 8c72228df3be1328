"""`make load`: patient writes and busy pages under 50, 100 and 200 concurrent users.

Starts a fresh PostgreSQL database (or SQLite with ``--engine sqlite``), seeds it
(`prepare.py`), serves it with gunicorn on 127.0.0.1 exactly as `maatwerk serve` does, and
runs locust headless against it once per user count, bounded in time. Prints, per user
count and endpoint, requests, p50/p95/p99 and errors, beside a trivial Django view
measured in the same run, and the audit rows written per successful patient-data request
(it must be 1.000: one event per request, never none, never two). The table is written to
``var/load/latest.md`` as well; `docs/reliability.md` records dated runs.

Exits non-zero on any failed request or an audit ratio other than 1.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
BASELINE = "trivial view (baseline)"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", default="50,100,200", help="comma-separated user counts")
    parser.add_argument("--seconds", type=int, default=40, help="measured seconds per count")
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--patients", type=int, default=200)
    args = parser.parse_args()
    counts = [int(part) for part in args.users.split(",")]

    work = Path(tempfile.mkdtemp(prefix="maatwerk-load-"))
    env = _environment(work, args.engine, args.port)
    server: subprocess.Popen[bytes] | None = None
    try:
        _fresh_database(env, args.engine)
        plan = work / "plan.json"
        _run(
            [
                str(VENV_BIN / "python"),
                str(ROOT / "scripts" / "load" / "prepare.py"),
                "--patients",
                str(args.patients),
                "--out",
                str(plan),
            ],
            env,
        )
        server = _serve(env, args.port, args.web_workers, work)
        rows: list[dict[str, str]] = []
        ratios: dict[int, float] = {}
        for users in counts:
            before = _audit_rows(env)
            log_start = (work / "server.log").stat().st_size
            stats = _locust(env, plan, users, args.seconds, args.port, work)
            time.sleep(2)  # requests still in flight when locust stopped finish on the server
            after = _audit_rows(env)
            successful = _served_patient_data(work / "server.log", log_start)
            ratios[users] = (after - before) / successful if successful else 0.0
            rows += [row | {"users": str(users)} for row in stats if row["Name"] != "Aggregated"]
        report = _report(rows, ratios, args)
        print(report)
        out = ROOT / "var" / "load"
        out.mkdir(parents=True, exist_ok=True)
        (out / "latest.md").write_text(report, encoding="utf-8")
        failures = sum(int(row["Failure Count"]) for row in rows)
        exact = all(abs(ratio - 1.0) < 0.0005 for ratio in ratios.values())
        return 0 if failures == 0 and exact else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _environment(work: Path, engine: str, port: int) -> dict[str, str]:
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
            "LOAD_DATABASE": "maatwerk_load",
        }
    )
    if engine == "postgres":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/maatwerk_load"
    else:
        env.pop("DATABASE_URL", None)
    return env


def _fresh_database(env: dict[str, str], engine: str) -> None:
    if engine != "postgres":
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS maatwerk_load WITH (FORCE)")
        connection.execute("CREATE DATABASE maatwerk_load")


def _audit_rows(env: dict[str, str]) -> int:
    code = (
        "import django;django.setup();"
        "from maatwerk.web.audit.models import AuditEvent;print(AuditEvent.objects.count())"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [str(VENV_BIN / "python"), "-c", code], env=env, check=True, capture_output=True
    )
    return int(output.stdout.decode().strip().splitlines()[-1])


def _served_patient_data(log: Path, start: int) -> int:
    """Successful patient-data requests the server answered, from its access log: the
    client's own counts miss requests still in flight when locust stops."""
    served = 0
    with log.open("rb") as lines:
        lines.seek(start)
        for raw in lines:
            line = raw.decode("utf-8", "replace")
            if '"GET /health/' in line or '" 2' not in line:
                continue
            if any(f'"{method} /' in line for method in ("GET", "POST")):
                served += 1
    return served


def _serve(env: dict[str, str], port: int, workers: int, work: Path) -> subprocess.Popen[bytes]:
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "maatwerk"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start; see {work / 'server.log'}")


def _locust(
    env: dict[str, str], plan: Path, users: int, seconds: int, port: int, work: Path
) -> list[dict[str, str]]:
    prefix = work / f"locust-{users}"
    ramp = 5
    _run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "scripts" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(max(1, users // ramp)),
            "-t",
            f"{seconds + ramp}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--exit-code-on-error",
            "0",
        ],
        env | {"LOAD_PLAN": str(plan)},
        quiet=True,
    )
    with (work / f"locust-{users}_stats.csv").open(encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def _report(rows: list[dict[str, str]], ratios: dict[int, float], args: argparse.Namespace) -> str:
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Load run {when}: {args.engine}, gunicorn {args.web_workers} sync workers, "
        f"{args.patients} seeded patients, {args.seconds} s measured per user count "
        f"(plus a 5 s ramp, included in the figures), users wait 1–3 s between requests; "
        "`make load`.",
        "",
        "| users | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines.extend(
        f"| {row['users']} | {row['Name']} | {row['Request Count']} | "
        f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
        f"{row['Failure Count']} |"
        for row in sorted(rows, key=lambda r: (int(r["users"]), r["Name"] != BASELINE, r["Name"]))
    )
    lines += ["", "Audit rows per successful patient-data request:"]
    lines += [f"- {users} users: {ratio:.3f}" for users, ratio in ratios.items()]
    return "\n".join(lines) + "\n"


def _run(command: list[str], env: dict[str, str], *, quiet: bool = False) -> None:
    result = subprocess.run(  # noqa: S603
        command, env=env, cwd=ROOT, capture_output=quiet, check=False
    )
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout.decode() + result.stderr.decode())
        raise SystemExit(f"failed: {' '.join(command[:3])} … (exit {result.returncode})")


if __name__ == "__main__":
    sys.exit(main())
