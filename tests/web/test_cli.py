"""The `maatwerk` command: help, demo data, and `audit verify` on an intact and a
tampered database (a real SQLite file, in a subprocess, as an operator would run it)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

MAATWERK = [sys.executable, "-m", "maatwerk.cli"]


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MAATWERK_ENV"}
    }
    env.update({"MAATWERK_DATA_DIR": str(data_dir), "COLUMNS": "200"})
    return subprocess.run(
        [*MAATWERK, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for command in ("serve", "demo", "manage", "audit", "demo-code"):
        assert command in result.stdout


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    result = run(["demo", "--no-serve"], data_dir)
    assert result.returncode == 0, result.stderr
    assert "huisarts@demo.maatwerk.nl" in result.stdout
    assert "demo-code" in result.stdout
    again = run(["demo", "--no-serve"], data_dir)
    assert "already present" in again.stdout
    return data_dir


def test_audit_verify_passes_on_an_intact_trail(demo_database: Path) -> None:
    result = run(["audit", "verify"], demo_database)
    assert result.returncode == 0, result.stderr
    assert "events verified" in result.stdout


def test_audit_verify_fails_when_an_event_is_altered(demo_database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    database = copy / "maatwerk.sqlite3"
    source = sqlite3.connect(demo_database / "maatwerk.sqlite3")
    target = sqlite3.connect(database)
    source.backup(target)
    source.close()
    (copy / "secret_key").write_text((demo_database / "secret_key").read_text())
    # A database administrator bypasses the application and its triggers.
    target.execute("DROP TRIGGER audit_event_no_update")
    target.execute("UPDATE audit_auditevent SET user_display = 'nobody' WHERE sequence = 3")
    target.commit()
    target.close()
    result = run(["audit", "verify"], copy)
    assert result.returncode == 1
    assert "event #3: content does not match its hash" in result.stderr


def test_the_application_cannot_change_audit_events(demo_database: Path) -> None:
    connection = sqlite3.connect(demo_database / "maatwerk.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE audit_auditevent SET detail = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM audit_auditevent")
    connection.close()


def test_a_bad_setting_is_reported_clearly(tmp_path: Path) -> None:
    env_result = subprocess.run(
        [*MAATWERK, "audit", "verify"],
        capture_output=True,
        text=True,
        env={**os.environ, "MAATWERK_ENV": "production", "MAATWERK_DATA_DIR": str(tmp_path)},
        timeout=120,
        check=False,
    )
    assert env_result.returncode == 2
    assert "MAATWERK_SECRET_KEY must be set" in env_result.stderr


def test_demo_patients_have_baseline_and_repeated_results(demo_database: Path) -> None:
    connection = sqlite3.connect(demo_database / "maatwerk.sqlite3")
    rows = connection.execute(
        "SELECT a.patient_id, COUNT(*) FROM questionnaires_assignment a "
        "WHERE a.status = 'completed' GROUP BY a.patient_id"
    ).fetchall()
    alerts = connection.execute("SELECT COUNT(*) FROM questionnaires_safetyalert").fetchone()[0]
    statuses = {
        status for (status,) in connection.execute("SELECT status FROM questionnaires_safetyalert")
    }
    measure_sets = connection.execute(
        "SELECT kind, COUNT(*) FROM personalized_measureset GROUP BY kind ORDER BY kind"
    ).fetchall()
    connection.close()
    assert len(rows) == 10
    assert sum(1 for _, completed in rows if completed >= 2) >= 8
    # Lucas Peters' PHQ-9 item 9 answer, plus the safety demo: open, escalated, closed.
    assert alerts == 4
    assert {"open", "escalated", "closed"} <= statuses
    # Marieke's GAS goals, and the plan goals of Sophie and Yasmina (GAS sets too).
    assert measure_sets == [("gas", 3), ("psk", 1)]
