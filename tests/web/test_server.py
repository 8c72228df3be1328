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
