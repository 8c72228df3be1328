"""`make load`: patient writes and busy pages under 50, 100 and 200 concurrent users.

Two scenarios, each run once per user count against the same server:

- ``mixed`` - patients saving questionnaire answers and exercise autosaves, clinicians
  reading their caseload, dossiers and results, and the trivial view;
- ``ema`` - N patients sending answers to daily-life (EMA) questions the way the phone
  app does, plus N/20 users on the trivial view.

Starts a fresh PostgreSQL database (or SQLite with ``--engine sqlite``), seeds it
(`prepare.py`), serves it with gunicorn on 127.0.0.1 exactly as `maatwerk serve` does, and
runs locust headless against it once per user count, bounded in time. Prints, per user
count and endpoint, requests, p50/p95/p99 after the ramp (and over the whole run, the ramp
included) and errors, beside a trivial Django view measured in the same run, the time each
request spent in a web worker (from gunicorn's access log), and the audit rows written per
successful patient-data request (it must be 1.000: one event per request, never none,
never two). The table is written to ``var/load/latest.md`` as well;
`docs/reliability.md` records dated runs.

Exits non-zero on any failed request or an audit ratio other than 1.
"""

from __future__ import annotations

import argparse
import csv
import math
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

N = TypeVar("N", int, float)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from local_instance import VENV_BIN, Instance, accesses, local_instance, run  # noqa: E402

BASELINE = "trivial view (baseline)"
# Locust starts its users over this many seconds, then runs the measured seconds.
RAMP_SECONDS = 5


def _mixed(users: int) -> tuple[list[str], int]:
    return ["Patient", "Clinician", "Baseline"], users


def _ema(users: int) -> tuple[list[str], int]:
    # EmaPatient weighs 20, Baseline 1 (locustfile): ``users`` patients and users/20 more.
    return ["EmaPatient", "Baseline"], users + max(1, users // 20)


SCENARIOS = {"mixed": _mixed, "ema": _ema}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", default="50,100,200", help="comma-separated user counts")
    parser.add_argument("--seconds", type=int, default=40, help="measured seconds per count")
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--threads", type=int, default=1, help="threads per web worker")
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--scenarios", default="mixed,ema", help="comma-separated: mixed, ema")
    parser.add_argument("--database", default="maatwerk_load", help="PostgreSQL database name")
    parser.add_argument(
        "--request-log",
        type=Path,
        help="keep every request's start, name and time here, one file per run",
    )
    args = parser.parse_args()
    counts = [int(part) for part in args.users.split(",")]
    scenarios = [part for part in args.scenarios.split(",") if part]
    if unknown := set(scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")
    if "ema" in scenarios and max(counts) > args.patients:
        parser.error("the ema scenario needs a seeded patient per user: raise --patients")
    # A user waits at least 1 s between answers: this many prompts per run always suffice.
    ema_prompts = len(counts) * (args.seconds + 10) if "ema" in scenarios else 0

    work = Path(tempfile.mkdtemp(prefix="maatwerk-load-"))
    try:
        with local_instance(
            work=work,
            engine=args.engine,
            database=args.database,
            port=args.port,
            workers=args.web_workers,
            threads=args.threads,
            patients=args.patients,
            clinicians=10,
            seed_args=("--ema-prompts", str(ema_prompts)),
        ) as instance:
            rows: list[dict[str, str]] = []
            failures: list[dict[str, str]] = []
            ratios: dict[tuple[str, int], float] = {}
            server_times: dict[tuple[str, int], dict[str, list[int]]] = {}
            timings: dict[tuple[str, int], dict[str, Timing]] = {}
            for scenario in scenarios:
                for round_number, users in enumerate(counts):
                    before = instance.audit_rows()
                    log_start = instance.log_size()
                    request_log = (args.request_log or work) / f"{scenario}-{users}.tsv"
                    request_log.parent.mkdir(parents=True, exist_ok=True)
                    request_log.unlink(missing_ok=True)
                    stats, failed = _locust(
                        instance,
                        scenario,
                        users,
                        args.seconds,
                        work,
                        {
                            "LOAD_ROUND": str(round_number),
                            "LOAD_ROUNDS": str(len(counts)),
                            "LOAD_REQUEST_LOG": str(request_log.resolve()),
                        },
                    )
                    started, timings[scenario, users] = _timings(request_log, RAMP_SECONDS)
                    where = {"users": str(users), "scenario": scenario}
                    failures += [row | where for row in failed]
                    _settle(instance)
                    after = instance.audit_rows()
                    served = instance.log_since(log_start)
                    successful = _served_patient_data(served)
                    server_times[scenario, users] = _server_times(
                        served, ramp_until=started + RAMP_SECONDS
                    )
                    ratios[scenario, users] = (after - before) / successful if successful else 0.0
                    rows += [
                        row | {"users": str(users), "scenario": scenario}
                        for row in stats
                        if row["Name"] != "Aggregated"
                    ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = _report(rows, ratios, args, failures, server_times, timings)
    print(report)
    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(report, encoding="utf-8")
    failures = sum(int(row["Failure Count"]) for row in rows)
    exact = all(abs(ratio - 1.0) < 0.0005 for ratio in ratios.values())
    return 0 if failures == 0 and exact else 1


@dataclass(frozen=True)
class Timing:
    """One endpoint's client-side milliseconds in one run, from locust's request log."""

    steady: list[float]  # requests started after the ramp: all users running, workers warm
    whole: list[float]  # every request, the ramp included


def _timings(request_log: Path, ramp: float) -> tuple[float, dict[str, Timing]]:
    """Per endpoint, the requests' times after the ramp and over the whole run. During
    the ramp locust starts its users (on the machine it measures) and each web worker
    serves its first requests of each kind; the steady figures are read against the
    goal, the whole-run ones are reported beside them. Also returns when the first
    request started (seconds since the epoch)."""
    lines = [line.split("\t") for line in request_log.read_text(encoding="utf-8").splitlines()]
    if not lines:
        return 0.0, {}
    start = min(float(started) for started, _name, _ms in lines)
    steady: dict[str, list[float]] = {}
    whole: dict[str, list[float]] = {}
    for started, name, ms in lines:
        whole.setdefault(name, []).append(float(ms))
        if float(started) >= start + ramp:
            steady.setdefault(name, []).append(float(ms))
    return start, {
        name: Timing(steady=steady.get(name, []), whole=times) for name, times in whole.items()
    }


def _settle(instance: Instance, *, quiet_seconds: float = 3, limit: float = 120) -> None:
    """Wait until requests still in flight when locust stopped are finished: the access
    log has not grown for ``quiet_seconds`` (at most ``limit`` seconds). Audit rows and
    log lines are only compared once the server is idle."""
    deadline = time.monotonic() + limit
    size = instance.log_size()
    while time.monotonic() < deadline:
        time.sleep(quiet_seconds)
        grown = instance.log_size()
        if grown == size:
            return
        size = grown


def _served_patient_data(log_lines: list[str]) -> int:
    """Successful patient-data requests the server answered, from its access log: the
    client's own counts miss requests still in flight when locust stops."""
    return sum(
        1
        for access in accesses(log_lines)
        if 200 <= access.status < 300
        and access.method in ("GET", "POST")
        and not access.path.startswith("/health/")
    )


def _server_times(log_lines: list[str], *, ramp_until: float) -> dict[str, list[int]]:
    """The worker's milliseconds per kind of request, from the access log: patient
    writes (POST), pages (GET) and the trivial view, each also for the requests logged
    during the ramp (before ``ramp_until``, seconds since the epoch; the log has whole
    seconds)."""
    times: dict[str, list[int]] = {}
    for access in accesses(log_lines):
        if access.path.startswith("/health/"):
            kind = BASELINE
        else:
            kind = "patient writes (POST)" if access.method == "POST" else "pages (GET)"
        times.setdefault(kind, []).append(access.ms)
        if access.logged.timestamp() < int(ramp_until):
            times.setdefault(f"{kind}, during the ramp", []).append(access.ms)
    return times


def _percentile(values: Sequence[N], share: float) -> N:
    """The nearest-rank percentile (``share`` 0.95: the value 95 % of the values are at
    or below)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _locust(
    instance: Instance,
    scenario: str,
    users: int,
    seconds: int,
    work: Path,
    env: dict[str, str],
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    prefix = work / f"locust-{scenario}-{users}"
    ramp = RAMP_SECONDS
    user_classes, total = SCENARIOS[scenario](users)
    run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "scripts" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(total),
            "-r",
            str(max(1, total // ramp)),
            "-t",
            f"{seconds + ramp}s",
            "--host",
            instance.url,
            "--csv",
            str(prefix),
            "--exit-code-on-error",
            "0",
            *user_classes,
        ],
        instance.env | {"LOAD_PLAN": str(instance.plan)} | env,
        quiet=True,
    )
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    with Path(f"{prefix}_failures.csv").open(encoding="utf-8") as failed:
        return rows, list(csv.DictReader(failed))


def _report(
    rows: list[dict[str, str]],
    ratios: dict[tuple[str, int], float],
    args: argparse.Namespace,
    failures: list[dict[str, str]],
    server_times: dict[tuple[str, int], dict[str, list[int]]],
    timings: dict[tuple[str, int], dict[str, Timing]],
) -> str:
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    kind = f"gthread workers × {args.threads} threads" if args.threads > 1 else "sync workers"
    lines = [
        f"Load run {when}: {args.engine}, gunicorn {args.web_workers} {kind}, "
        f"{args.patients} seeded patients, {args.seconds} s measured per user count after "
        f"a {RAMP_SECONDS} s ramp in which locust starts its users, users wait 1–3 s between "
        f"requests. Command: `{_command()}`.",
        "",
        "p50/p95/p99: client-side ms of the requests started after the ramp; the last two",
        "time columns: over the whole run, the ramp included (cold workers, locust starting",
        "its users on the same cores). Requests, req/s and errors: the whole run.",
        "",
        "| scenario | users | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms "
        "| p95 ms with ramp | p99 ms with ramp | errors |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in sorted(
        rows, key=lambda r: (r["scenario"], int(r["users"]), r["Name"] != BASELINE, r["Name"])
    ):
        timing = timings.get((row["scenario"], int(row["users"])), {}).get(row["Name"])
        steady = timing.steady if timing is not None and timing.steady else [float("nan")]
        whole = timing.whole if timing is not None else [float("nan")]
        lines.append(
            f"| {row['scenario']} | {row['users']} | {row['Name']} | {row['Request Count']} | "
            f"{float(row['Requests/s']):.1f} | {_percentile(steady, 0.5):.0f} | "
            f"{_percentile(steady, 0.95):.0f} | {_percentile(steady, 0.99):.0f} | "
            f"{_percentile(whole, 0.95):.0f} | {_percentile(whole, 0.99):.0f} | "
            f"{row['Failure Count']} |"
        )
    if failures:
        lines += ["", "Failed requests (what locust saw):"]
        lines += [
            f"- {row['scenario']}, {row['users']} users, {row['Name']}: "
            f"{row['Occurrences']} × {row['Error'][:200]}"
            for row in failures
        ]
    lines += [
        "",
        "Time in the web worker, from its access log, over the whole run (ms; the rest of",
        "the client's time is waiting for a free worker and the network):",
        "",
        "| scenario | users | requests | count | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {scenario} | {users} | {kind} | {len(values)} | {_percentile(values, 0.5)} | "
        f"{_percentile(values, 0.95)} | {_percentile(values, 0.99)} |"
        for (scenario, users), kinds in sorted(server_times.items())
        for kind, values in sorted(kinds.items())
    ]
    lines += ["", "Audit rows per successful patient-data request:"]
    lines += [
        f"- {scenario}, {users} users: {ratio:.3f}" for (scenario, users), ratio in ratios.items()
    ]
    return "\n".join(lines) + "\n"


def _command() -> str:
    """How this run was started, to repeat it: ``make load`` passes its LOAD_ARGS here."""
    arguments = " ".join(sys.argv[1:])
    return f'make load LOAD_ARGS="{arguments}"' if arguments else "make load"


if __name__ == "__main__":
    sys.exit(main())
