"""What one patient write costs, in-process: queries and Python time per request.

    .venv/bin/python scripts/load/profile_writes.py --database maatwerk_perf
    .venv/bin/python scripts/load/profile_writes.py --requests 200 --top 25 --queries

Seeds a fresh PostgreSQL database exactly as `make load` does (`prepare.py`: patients with
an open PHQ-9, a G-schema module and open EMA prompts, signed-in sessions), then sends,
through Django's whole request path (every middleware, CSRF checked, the session cookie of
the seeded patient) but without gunicorn or a network:

- ``ema`` - EMA answer submits (the phone app's JSON post with an answer id);
- ``answer`` - questionnaire answer saves;
- ``autosave`` - exercise autosaves;
- ``health`` - the trivial view, the cost of the Django stack itself;
- ``caseload``, ``dossier``, ``results`` - the clinician pages of the mixed load scenario
  (signed in with the second factor passed, as in ``make load``).

For each it prints the queries per request (with ``--queries`` the statements of one
request; BEGIN, COMMIT and savepoints count, they are round trips too), the CPU time this
process spent per request (Django and the driver; the database server's own time is not
in it) and the wall time per request, both without a profiler (``--requests`` requests
over ``--patients`` patients), and the functions that take the most time under cProfile
(``--top``, ordered by ``--sort``). The CPU time is the figure to compare on a busy
machine: the wall time includes waiting for the CPU and the database. The figures in
`docs/performance.md` come from this script.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="maatwerk_perf", help="PostgreSQL database name")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--top", type=int, default=20, help="cProfile lines per endpoint")
    parser.add_argument("--queries", action="store_true", help="print one request's queries")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    parser.add_argument("--only", default="ema,answer,autosave,health")
    parser.add_argument(
        "--timer",
        choices=("wall", "cpu"),
        default="wall",
        help="cProfile clock: wall (waits on the database included) or cpu (this process only)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="maatwerk-profile-"))
    _environment(work, args.database)

    sys.path.insert(0, str(ROOT / "scripts" / "load"))
    import django

    django.setup()
    import prepare
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    # Every request answers a fresh prompt: three rounds (warm-up, counted, timed, profiled).
    per_patient = 4 * (args.requests // args.patients + 1)
    plan = prepare._seed(patients=args.patients, clinicians=2, ema_prompts=per_patient)
    endpoints = _endpoints(plan)
    for name in [part for part in args.only.split(",") if part]:
        _measure(name, endpoints[name], args)
    return 0


def _environment(work: Path, database: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "maatwerk.web.config.settings",
            "MAATWERK_ENV": "development",
            "MAATWERK_DEBUG": "false",
            "MAATWERK_DATA_DIR": str(work / "data"),
            "MAATWERK_CACHE": "database",
            "MAATWERK_LOG_LEVEL": "WARNING",
            "MAATWERK_SITE_URL": "http://127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        }
    )


Send = Callable[[], Any]


def _endpoints(plan: dict[str, Any]) -> dict[str, Callable[[int], Send]]:
    """For each endpoint: request number -> a call that sends that request."""
    from django.test import Client

    patients = plan["patients"]
    clients = []
    for account in patients:
        client = Client(
            enforce_csrf_checks=True, SERVER_NAME="127.0.0.1", HTTP_USER_AGENT="profile"
        )
        client.cookies["sessionid"] = account["session"]
        client.cookies["csrftoken"] = account["csrf"]
        clients.append(client)
    prompts = [iter(account["ema_answers"]) for account in patients]

    def post(number: int, path: str, data: dict[str, str], *, json_: bool = False) -> Send:
        account = patients[number % len(patients)]
        client = clients[number % len(patients)]
        headers = {"X-CSRFToken": account["csrf"]}
        if json_:
            headers["Accept"] = "application/json"

        def send() -> Any:
            response = client.post(path, data, headers=headers)
            if response.status_code != 200 or not json.loads(response.content).get("saved"):
                raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")

        return send

    def ema(number: int) -> Send:
        index = number % len(patients)
        data = {
            "bank:pain": str(number % 100),
            "bank:mood_down": str((number * 7) % 100),
            "bank:where": ("home", "work", "outside")[number % 3],
            "answer_id": str(uuid.uuid4()),
        }
        return post(number, next(prompts[index]), data, json_=True)

    def answer(number: int) -> Send:
        account = patients[number % len(patients)]
        item = account["items"][number % len(account["items"])]
        return post(number, account["answer"], {"item": item, "value": str(number % 4)})

    def autosave(number: int) -> Send:
        account = patients[number % len(patients)]
        text = json.dumps(f"Ik bukte en voelde een steek in mijn rug ({number})")
        data = {"field": "event", "value": text, "stamp": str(number + 1)}
        return post(number, account["exercise_save"], data)

    def health(number: int) -> Send:
        client = clients[number % len(patients)]

        def send() -> Any:
            response = client.get(plan["health"])
            if response.status_code != 200:
                raise SystemExit(f"health: {response.status_code}")

        return send

    staff = plan["clinicians"]
    staff_clients = []
    for account in staff:
        client = Client(SERVER_NAME="127.0.0.1", HTTP_USER_AGENT="profile")
        client.cookies["sessionid"] = account["session"]
        staff_clients.append(client)

    def page(name: str, paths: Callable[[dict[str, Any]], list[str]]) -> Callable[[int], Send]:
        def endpoint(number: int) -> Send:
            account = staff[number % len(staff)]
            client = staff_clients[number % len(staff)]
            choices = paths(account)
            path = choices[number % len(choices)]

            def send() -> Any:
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{name} {path}: {response.status_code}")

            return send

        return endpoint

    return {
        "ema": ema,
        "answer": answer,
        "autosave": autosave,
        "health": health,
        "caseload": page("caseload", lambda _account: [plan["caseload"]]),
        "dossier": page("dossier", lambda account: account["dossiers"]),
        "results": page("results", lambda account: account["results"]),
    }


def _measure(name: str, endpoint: Callable[[int], Send], args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    count = args.requests
    number = iter(range(10**9))
    for _ in range(args.patients):  # warm-up: every session once, the caches
        endpoint(next(number))()
    with CaptureQueriesContext(connection) as captured:
        sends = [endpoint(next(number)) for _ in range(count)]
        for send in sends:
            send()
    per_request = len(captured.captured_queries) / count
    sends = [endpoint(next(number)) for _ in range(count)]
    times = []
    server_start = _server_cpu_seconds()
    cpu_start = time.process_time()
    for send in sends:
        start = time.perf_counter()
        send()
        times.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu_start) * 1000 / count
    server_cpu = (_server_cpu_seconds() - server_start) * 1000 / count
    sends = [endpoint(next(number)) for _ in range(count)]
    profile = cProfile.Profile(time.process_time) if args.timer == "cpu" else cProfile.Profile()
    profile.enable()
    for send in sends:
        send()
    profile.disable()
    print(
        f"\n== {name}: {per_request:.2f} queries/request; Python CPU {cpu:.2f} ms/request; "
        f"database server CPU {server_cpu:.2f} ms/request; "
        f"wall ms/request median {statistics.median(times):.2f}, "
        f"p95 {sorted(times)[int(0.95 * len(times))]:.2f} ({count} requests)"
    )
    if args.queries:
        with CaptureQueriesContext(connection) as one:
            endpoint(next(number))()
        for query in one.captured_queries:
            print(f"   {query['time']}s  {query['sql'][:220]}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue().split("\n", 6)[-1])


def _server_cpu_seconds() -> float:
    """CPU time (user + system) of the PostgreSQL backend serving this process's
    connection, read from /proc: the server runs on this machine (127.0.0.1)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
