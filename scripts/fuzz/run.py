"""`make fuzz`: schemathesis against the running API with real sessions.

For each database engine, a throw-away instance on 127.0.0.1 (`scripts/local_instance.py`)
with two patients and two clinicians, each signed in (staff with their second factor).
Schemathesis generates requests from the API's own OpenAPI schema, once with the
sessions' real ids in the paths (so it reaches past the 404 into the handlers) and once
with generated ids, and checks that no answer is a server error. The server's access
log counts what was really sent; its error log is searched for tracebacks.

The form fuzzer over every HTML form is `tests/web/test_form_fuzz.py` (every CI run);
this part runs in CI with few examples (`FUZZ_ARGS=--max-examples 5`) and with 400 in
the documented run (`docs/reliability.md`). Exits non-zero on any server error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from local_instance import PG_ADMIN, VENV_BIN, Instance, accesses, local_instance, run  # noqa: E402

SCHEMA_CODE = (
    "import json;from maatwerk.web.api.apis import api;"
    "print(json.dumps(api.get_openapi_schema(path_prefix='/api/v1')))"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--port", type=int, default=8192)
    args = parser.parse_args()
    lines = []
    failed = False
    for engine in args.engines.split(","):
        if engine == "postgres" and not _postgres_reachable():
            if os.environ.get("CI") == "true":
                print("ERROR: PostgreSQL is not reachable; CI must fuzz it.", file=sys.stderr)
                return 1
            print(
                "\n#### API fuzzing on PostgreSQL SKIPPED: nothing answers at 127.0.0.1:5432 ####\n"
            )
            continue
        work = Path(tempfile.mkdtemp(prefix="maatwerk-fuzz-"))
        try:
            with local_instance(
                work=work,
                engine=engine,
                database="maatwerk_fuzz",
                port=args.port,
                workers=2,
                patients=2,
                clinicians=2,
            ) as instance:
                row, engine_failed = _fuzz(instance, engine, args.max_examples, work)
                lines.append(row)
                failed |= engine_failed
        finally:
            shutil.rmtree(work, ignore_errors=True)
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n".join(
        [
            f"API fuzz run {when}, {args.max_examples} examples per operation and session "
            "(2 patients, 2 clinicians; real and generated ids); `make fuzz`.",
            "",
            "| engine | requests | 2xx | server errors (5xx) | tracebacks | schemathesis |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
            *lines,
        ]
    )
    print(report)
    out = ROOT / "var" / "fuzz"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(report + "\n", encoding="utf-8")
    return 1 if failed else 0


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN, connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


def _fuzz(instance: Instance, engine: str, examples: int, work: Path) -> tuple[str, bool]:
    schema = work / "openapi.json"
    schema.write_text(instance.python(SCHEMA_CODE).splitlines()[-1], encoding="utf-8")
    plan = json.loads(instance.plan.read_text(encoding="utf-8"))
    patient = plan["patients"][0]
    real_ids = work / "real-ids.toml"
    real_ids.write_text(
        "[parameters]\n"
        f'"path.patient_id" = "{patient["patient_id"]}"\n'
        f'"path.assignment_id" = "{patient["assignment_id"]}"\n'
        '"path.instrument_code" = "phq9"\n',
        encoding="utf-8",
    )
    generated = work / "generated.toml"
    generated.write_text("", encoding="utf-8")
    start = instance.log_size()
    outcomes = []
    for account in plan["patients"][:2] + plan["clinicians"][:2]:
        for config in (real_ids, generated):
            try:
                run(
                    [
                        str(VENV_BIN / "schemathesis"),
                        "--config-file",
                        str(config),
                        "run",
                        str(schema),
                        "--url",
                        instance.url,
                        "-H",
                        f"Cookie: sessionid={account['session']}; csrftoken={account['csrf']}",
                        "-H",
                        f"X-CSRFToken: {account['csrf']}",
                        "-H",
                        f"Referer: {instance.url}/",
                        "--checks",
                        "not_a_server_error",
                        "--max-examples",
                        str(examples),
                        "--seed",
                        "20261206",
                        "--request-timeout",
                        "30",
                        "--suppress-health-check",
                        "all",
                    ],
                    instance.env,
                    quiet=True,
                )
                outcomes.append("ok")
            except SystemExit as failure:
                outcomes.append(str(failure))
    log = instance.log_since(start)
    api = [a for a in accesses(log) if a.path.startswith("/api/")]
    requests = len(api)
    answered = sum(1 for a in api if 200 <= a.status < 300)
    server_errors = sum(1 for a in api if a.status >= 500)
    tracebacks = sum(1 for line in log if "Traceback" in line)
    failed = server_errors > 0 or tracebacks > 0 or any(o != "ok" for o in outcomes)
    verdict = "ok" if all(o == "ok" for o in outcomes) else "; ".join(set(outcomes))
    row = f"| {engine} | {requests} | {answered} | {server_errors} | {tracebacks} | {verdict} |"
    return row, failed


if __name__ == "__main__":
    sys.exit(main())
