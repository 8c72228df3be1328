"""How `maatwerk serve` configures gunicorn (without starting it)."""

from __future__ import annotations

import pytest

from maatwerk.web import server


class _Captured(Exception):
    pass


def _options(monkeypatch: pytest.MonkeyPatch, **kwargs: int) -> dict[str, object]:
    seen: dict[str, object] = {}

    def capture(self: server._Server, options: dict[str, object]) -> None:
        seen.update(options)
        raise _Captured

    monkeypatch.setattr(server._Server, "__init__", capture)
    with pytest.raises(_Captured):
        server.run_gunicorn(host="127.0.0.1", port=8999, workers=1, **kwargs)
    return seen


def test_the_server_does_not_claim_gunicorns_shared_control_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """gunicorn's control socket is one path per user, so a second server on the machine
    (the demo beside a load run or the browser tests) took over the first one's socket."""
    options = _options(monkeypatch)
    assert options["control_socket_disable"] is True
    # Every option we set is one gunicorn knows (a misspelt key would fail at start-up).
    from gunicorn.config import Config

    assert set(options) <= set(Config().settings)


def test_threads_choose_the_threaded_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _options(monkeypatch)["worker_class"] == "sync"
    assert _options(monkeypatch, threads=4)["worker_class"] == "gthread"


def test_the_access_log_gives_each_requests_worker_time_and_the_load_run_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    from datetime import datetime, timedelta
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    assert _options(monkeypatch)["access_log_format"] == server.ACCESS_LOG_FORMAT
    config = Config()
    config.set("access_log_format", server.ACCESS_LOG_FORMAT)
    request = SimpleNamespace(
        method="POST", path="/monitoring/x/answer/", query="", version=(1, 1), headers=[]
    )
    response = SimpleNamespace(status="200 OK", sent=35, headers=[])
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/monitoring/x/answer/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    atoms = Logger(config).atoms(response, request, environ, timedelta(milliseconds=12))
    line = server.ACCESS_LOG_FORMAT % atoms

    scripts = Path(__file__).resolve().parents[2] / "scripts"
    monkeypatch.syspath_prepend(str(scripts))
    monkeypatch.syspath_prepend(str(scripts / "load"))
    sys.modules.pop("run", None)
    import run  # type: ignore[import-not-found]

    logged_at = datetime.strptime(atoms["t"], "[%d/%b/%Y:%H:%M:%S %z]").timestamp()
    assert run._server_times([line], ramp_until=logged_at) == {"patient writes (POST)": [12]}
    assert run._server_times([line], ramp_until=logged_at + 1) == {
        "patient writes (POST)": [12],
        "patient writes (POST), during the ramp": [12],
    }
    assert run._served_patient_data([line]) == 1

    # The status is the one after the request line, never a number at the end of a
    # user agent or referrer next to the worker's time ("... agent" 5ms).
    from local_instance import accesses  # type: ignore[import-not-found]

    agent_line = line.replace('"-" 12ms', '"fuzzer" 5ms')
    assert agent_line != line
    (access,) = accesses([agent_line, "[2026-12-07 09:00:00] [INFO] Booting worker"])
    assert (access.status, access.ms, access.method) == (200, 5, "POST")
    failed = agent_line.replace('" 200 ', '" 502 ')
    assert [a.status for a in accesses([failed])] == [502]
    assert run._served_patient_data([failed]) == 0


def test_the_load_run_reads_its_steady_state_after_the_ramp(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    import sys
    from pathlib import Path

    scripts = Path(__file__).resolve().parents[2] / "scripts"
    monkeypatch.syspath_prepend(str(scripts))
    monkeypatch.syspath_prepend(str(scripts / "load"))
    sys.modules.pop("run", None)
    import run

    log = Path(str(tmp_path)) / "mixed-200.tsv"
    log.write_text(
        "100.0\tanswer save\t900\n"  # in the ramp: cold workers, users starting
        "104.9\tanswer save\t300\n"
        "105.0\tanswer save\t12\n"
        "130.5\tanswer save\t20\n"
        "131.0\tcaseload\t40\n",
        encoding="utf-8",
    )
    started, timings = run._timings(log, 5)
    assert started == 100.0
    assert timings["answer save"].steady == [12.0, 20.0]
    assert timings["answer save"].whole == [900.0, 300.0, 12.0, 20.0]
    assert timings["caseload"].steady == [40.0]
    assert run._percentile([5, 1, 4, 2, 3], 0.5) == 3
    assert run._percentile(list(range(1, 101)), 0.95) == 95
