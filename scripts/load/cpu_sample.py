"""Where the machine's CPU goes during a load run, per process group, from /proc.

    .venv/bin/python scripts/load/cpu_sample.py --interval 5 > var/load/cpu.log &
    make load ...
    kill %1

Every ``--interval`` seconds it prints the CPU seconds per second used since the last line
by the load generator (locust), the web workers (gunicorn, started by ``maatwerk serve``),
the PostgreSQL server processes and everything else. Divided by the requests per second
of the same phase it gives the CPU per request of each part (docs/performance.md,
"Figures"). Linux only; processes that start and end between two samples are missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

GROUPS = ("locust", "gunicorn", "postgres", "other")


def _group(command: str) -> str:
    if "locust" in command:
        return "locust"
    if "gunicorn" in command or "maatwerk serve" in command:
        return "gunicorn"
    if command.startswith("postgres") or "postgres:" in command:
        return "postgres"
    return "other"


def _snapshot() -> dict[tuple[str, str], float]:
    ticks = os.sysconf("SC_CLK_TCK")
    seen: dict[tuple[str, str], float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        seen[(entry.name, _group(command))] = (int(fields[11]) + int(fields[12])) / ticks
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between lines")
    args = parser.parse_args()
    previous = _snapshot()
    while True:
        time.sleep(args.interval)
        current = _snapshot()
        used = dict.fromkeys(GROUPS, 0.0)
        for key, seconds in current.items():
            used[key[1]] += seconds - previous.get(key, 0.0)
        previous = current
        line = " ".join(f"{group}={used[group] / args.interval:.2f}" for group in GROUPS)
        print(time.strftime("%H:%M:%S"), line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
