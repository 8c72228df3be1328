"""Serve the WSGI application with gunicorn, configured in code."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.urls import get_resolver

        from maatwerk.web.config.wsgi import application

        # Import every view now, while the worker boots and before it accepts a request:
        # otherwise the first request a new worker serves pays for it (seconds on a busy
        # machine).
        get_resolver().url_patterns  # noqa: B018 - the import is the point
        return application


KEEPALIVE_SECONDS = 75
# gunicorn's default access-log line plus the time the worker took for the request, in
# milliseconds from reading it to the response sent: beside a client's timing it tells
# time in Django from time spent waiting for a worker (`make load` reports both).
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def workers_share_security_state(workers: int) -> None:
    """Refuse several workers over a per-process cache (login throttling, TOTP replay)."""
    from django.conf import settings

    from maatwerk.web.config.env import SettingError

    backend = settings.CACHES["default"]["BACKEND"]
    if workers > 1 and backend.endswith("LocMemCache"):
        raise SettingError(
            f"{workers} web workers cannot share a per-process memory cache: set "
            "MAATWERK_CACHE=database (default) or MAATWERK_REDIS_URL, or use one worker"
        )


def run_gunicorn(*, host: str, port: int, workers: int, threads: int = 1) -> None:
    """Serve with ``workers`` processes; with ``threads`` above 1 each process serves that
    many requests at once in threads (gunicorn's ``gthread`` worker), so a request that
    waits for the database does not hold a whole process."""
    workers_share_security_state(workers)
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "timeout": 60,
            # Threaded workers keep a client's connection open between its requests; longer
            # than any client here waits between two (the default of 2 s closed connections
            # under clients that had just sent their next request, docs/reliability.md).
            # Sync workers close every connection after its response and ignore this.
            "keepalive": KEEPALIVE_SECONDS,
            "forwarded_allow_ips": "127.0.0.1",
            # gunicorn's control interface listens on one socket per user by default
            # (~/.gunicorn/gunicorn.ctl), so a second server on the machine (the demo beside
            # a load run or the browser tests) took over the first one's socket. Maatwerk
            # does not use the interface.
            "control_socket_disable": True,
        }
    ).run()
