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
    for command in ("serve", "demo", "manage", "audit", "demo-code", "worker", "worker-status"):
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


def test_the_worker_runs_the_queued_tasks_and_the_tick(demo_database: Path) -> None:
    # The demo queued its notification e-mails; a batch run sends them (console backend)
    # and runs this minute's tick, which worker-status then reports.
    worker = run(["worker", "--batch"], demo_database)
    assert worker.returncode == 0, worker.stderr
    assert "database backend" in worker.stderr
    assert "Nieuw bericht in Maatwerk" in worker.stdout or "New message" in worker.stdout
    status = run(["worker-status"], demo_database)
    assert status.returncode == 0, status.stderr
    assert "Last periodic tick" in status.stdout


def test_the_rq_worker_needs_redis_configured(tmp_path: Path) -> None:
    env_result = subprocess.run(
        [*MAATWERK, "worker"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "MAATWERK_TASK_BACKEND": "rq",
            "MAATWERK_REDIS_URL": "",
            "MAATWERK_DATA_DIR": str(tmp_path),
        },
        timeout=120,
        check=False,
    )
    assert env_result.returncode == 2
    assert "MAATWERK_TASK_BACKEND=rq needs MAATWERK_REDIS_URL" in env_result.stderr


def test_worker_status_fails_when_no_tick_ever_ran(tmp_path: Path) -> None:
    assert run(["manage", "migrate", "--no-input", "-v", "0"], tmp_path).returncode == 0
    status = run(["worker-status"], tmp_path)
    assert status.returncode == 1
    assert "No periodic tick has run yet" in status.stderr


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


def test_no_demo_patient_has_the_same_questionnaire_open_twice(demo_database: Path) -> None:
    connection = sqlite3.connect(demo_database / "maatwerk.sqlite3")
    open_twice = connection.execute(
        "SELECT patient_id, instrument_code FROM questionnaires_assignment "
        "WHERE status = 'open' GROUP BY patient_id, instrument_code HAVING COUNT(*) > 1"
    ).fetchall()
    sophie_phq9 = connection.execute(
        "SELECT a.status, COUNT(*) FROM questionnaires_assignment a "
        "JOIN patients_patient p ON p.id = a.patient_id "
        "WHERE p.full_name = 'Sophie Jansen' AND a.instrument_code = 'phq9' GROUP BY a.status"
    ).fetchall()
    connection.close()
    assert open_twice == []
    # Sophie's chronic-pain battery asks the PHQ-9 once more; the earlier ones are answered.
    statuses = dict(sophie_phq9)
    assert statuses["open"] == 1
    assert statuses["completed"] >= 1


def test_the_gp_is_on_every_demo_care_team_with_the_poh_ggz(demo_database: Path) -> None:
    """The GP refers and stays medically responsible for POH-GGZ care (Dutch convention,
    as the plan page says), so a GP who could not open the POH-GGZ's patients (seen in a
    walk of the demo) contradicted it."""
    connection = sqlite3.connect(demo_database / "maatwerk.sqlite3")
    teams = connection.execute(
        "SELECT e.id, GROUP_CONCAT(m.discipline) FROM patients_careepisode e "
        "JOIN patients_careteammember t ON t.episode_id = e.id AND t.is_active "
        "JOIN organizations_membership m ON m.id = t.membership_id "
        "WHERE e.status = 'active' GROUP BY e.id"
    ).fetchall()
    connection.close()
    with_poh = [set(disciplines.split(",")) for _, disciplines in teams if "poh_ggz" in disciplines]
    assert with_poh, "the demo has POH-GGZ care"
    assert all("huisarts" in disciplines for disciplines in with_poh), with_poh


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str], str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=data)  # noqa: S310 - a loopback address
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_demo_serves_without_debug_pages_and_with_static_files(demo_database: Path) -> None:
    import time
    import urllib.error

    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MAATWERK_ENV", "MAATWERK_DEBUG"}
    }
    env.update({"MAATWERK_DATA_DIR": str(demo_database), "COLUMNS": "200"})
    server = subprocess.Popen(
        [*MAATWERK, "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                status, _headers, _body = _get(f"{base}/accounts/login/")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert server.poll() is None, "the demo server stopped"
            assert time.monotonic() < deadline, "the demo server did not answer"
            time.sleep(0.5)
        status, _headers, body = _get(f"{base}/no-such-page/")
        assert status == 404
        assert "Pagina niet gevonden" in body or "Page not found" in body
        for leak in ("URLconf", "Traceback", "DEBUG = True", "urlpatterns"):
            assert leak not in body
        status, headers, _body = _get(f"{base}/static/css/maatwerk.css")
        assert status == 200
        assert "no-store" not in headers.get("Cache-Control", "")
        status, _headers, body = _get(f"{base}/accounts/login/?next=%00")
        assert status == 400
        assert "Traceback" not in body
    finally:
        server.terminate()
        server.wait(timeout=60)
