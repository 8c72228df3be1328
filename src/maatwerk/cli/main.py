"""The ``maatwerk`` command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from maatwerk.cli.analysis import analyze_app
from maatwerk.cli.backup import audit_anchor, backup, db_checksums, restore
from maatwerk.cli.fhir import export_fhir
from maatwerk.cli.instruments import instruments_app
from maatwerk.cli.score_file import score

app = typer.Typer(
    name="maatwerk",
    help="Maatwerk: personalized psychological care for persistent somatic symptoms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
audit_app = typer.Typer(help="The NEN 7513 audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(instruments_app, name="instruments")
app.add_typer(analyze_app, name="analyze")
app.command("score")(score)
app.command("backup")(backup)
app.command("restore")(restore)
app.command("db-checksums")(db_checksums)
audit_app.command("anchor")(audit_anchor)
instruments_app.command("export-fhir")(export_fhir)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def _django() -> None:
    """Configure Django for commands that need the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.web.config.settings")
    import django

    from maatwerk.web.config.env import SettingError

    try:
        django.setup()
    except SettingError as problem:
        errors.print(f"[red]Configuration error:[/red] {problem}")
        raise typer.Exit(2) from None


def _manage(*args: str, verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command(*args, verbosity=verbosity)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `maatwerk manage migrate`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["maatwerk manage", *ctx.args])


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(help="Number of web worker processes (default: MAATWERK_WEB_WORKERS)."),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(help="Threads per web worker (default: MAATWERK_WEB_THREADS)."),
    ] = None,
) -> None:
    """Serve the platform with gunicorn (static files through WhiteNoise)."""
    _django()
    from django.conf import settings

    from maatwerk.web.config.env import SettingError
    from maatwerk.web.server import run_gunicorn, workers_share_security_state

    count = settings.MAATWERK_WEB_WORKERS if workers is None else workers
    try:
        workers_share_security_state(count)
    except SettingError as problem:
        errors.print(f"[red]Configuration error:[/red] {problem}")
        raise typer.Exit(2) from None
    console.print(f"Maatwerk is running on [bold]http://{host}:{port}[/bold]  (Ctrl-C stops it)")
    run_gunicorn(
        host=host,
        port=port,
        workers=count,
        threads=settings.MAATWERK_WEB_THREADS if threads is None else threads,
    )


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only load the data.")] = False,
) -> None:
    """Migrate the database, load the demo organization and serve the platform."""
    # A demo is shown to people: production-like error pages, never a traceback or the
    # URL list. Static files are served by WhiteNoise from the collected files.
    os.environ.setdefault("MAATWERK_DEBUG", "false")
    # E-mails link back to the platform: to this demo's own address, not a bare path.
    address = f"[{host}]" if ":" in host else host  # an IPv6 address needs brackets in a URL
    os.environ.setdefault("MAATWERK_SITE_URL", f"http://{address}:{port}")
    _django()
    _manage("migrate", "--no-input", verbosity=0)
    _manage("collectstatic", "--no-input", verbosity=0)
    from maatwerk.web.demo.constants import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from maatwerk.web.demo.services import demo_load

    summary = demo_load()
    console.print(
        f"[green]Demo data ready[/green] ({summary.patients} patients, "
        f"{summary.clinicians} clinicians{', already present' if summary.existed else ''})."
    )
    console.print(f"\nOpen [bold]http://{host}:{port}/[/bold] and log in with:")
    for login in summary.logins:
        console.print(f"  {login.role:<28} {login.email:<34} {DEMO_PASSWORD}")
    console.print(
        "\nStaff accounts ask for a second factor. Add this demo secret to an authenticator\n"
        f"app ([bold]{DEMO_TOTP_SECRET}[/bold]) or run [bold]maatwerk demo-code[/bold] "
        "in another terminal for the current code. Patients log in without it."
    )
    if not no_serve:
        from maatwerk.web.server import run_gunicorn

        # The background worker runs beside the web server as a child process; Ctrl-C
        # reaches both (same process group) and leaving this block stops it in any case.
        worker = _worker_process_start()
        console.print(f"Background worker started (process {worker.pid}).")
        console.print(
            f"\nMaatwerk is running on [bold]http://{host}:{port}[/bold]  (Ctrl-C stops it)"
        )
        try:
            run_gunicorn(host=host, port=port, workers=2)
        finally:
            _worker_process_stop(worker)


def _worker_process_start() -> subprocess.Popen[bytes]:
    # Our own interpreter and module, no shell.
    return subprocess.Popen(
        [sys.executable, "-m", "maatwerk.cli", "worker", "--stop-with-parent"],
    )


def _worker_process_stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@app.command()
def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the tasks waiting now, then stop.")
    ] = False,
    no_tick: Annotated[
        bool,
        typer.Option("--no-tick", help="Do not enqueue the periodic tick every minute."),
    ] = False,
    queue: Annotated[
        list[str] | None, typer.Option(help="Queue to work on (repeatable; default: default).")
    ] = None,
    stop_with_parent: Annotated[bool, typer.Option("--stop-with-parent", hidden=True)] = False,
) -> None:
    """Run the background worker (tasks and the periodic tick) for the configured backend."""
    _django()
    from maatwerk.web.background.scheduler import TickScheduler
    from maatwerk.web.background.worker import WorkerError, run_worker

    try:
        run_worker(
            scheduler=None if no_tick else TickScheduler(),
            batch=batch,
            queues=tuple(queue or ("default",)),
            stop_with_parent=stop_with_parent,
        )
    except WorkerError as problem:
        errors.print(f"[red]Cannot start the worker:[/red] {problem}")
        raise typer.Exit(2) from None


@app.command("worker-status")
def worker_status(
    max_age: Annotated[
        int, typer.Option(help="Minutes since the last tick before the worker counts as down.")
    ] = 3,
) -> None:
    """Show when the worker last ran the periodic tick; exit 1 when that is too long ago."""
    _django()
    from datetime import timedelta

    from django.utils import timezone

    from maatwerk.web.background.selectors import worker_status as status_of

    now = timezone.now()
    status = status_of(now)
    if status.last_tick is None:
        errors.print("[red]No periodic tick has run yet[/red]: is `maatwerk worker` running?")
        raise typer.Exit(1)
    age = now - status.last_tick
    console.print(
        f"Last periodic tick: {status.last_tick.isoformat()} "
        f"({int(age.total_seconds())} s ago); "
        f"failed periodic jobs in the last day: {status.failed_runs_last_day}."
    )
    if age > timedelta(minutes=max_age):
        errors.print(f"[red]The worker looks down[/red]: no tick for over {max_age} minutes.")
        raise typer.Exit(1)


@app.command("demo-code")
def demo_code() -> None:
    """Print the current second-factor code of the demo accounts (demo only)."""
    from maatwerk.core.totp import totp_now
    from maatwerk.web.demo.constants import DEMO_TOTP_SECRET

    console.print(totp_now(DEMO_TOTP_SECRET))


@audit_app.command("verify")
def audit_verify(
    anchors: Annotated[
        Path | None,
        typer.Option(
            help="Also check the chain against this anchor log or directory "
            "(e.g. MAATWERK_AUDIT_ANCHOR_DIR): a rewound chain fails."
        ),
    ] = None,
) -> None:
    """Check the audit trail's hash chain; exit 1 when it has been tampered with."""
    _django()
    from maatwerk.cli.backup import anchors_problems
    from maatwerk.web.audit.selectors import audit_chain_verify

    result = audit_chain_verify()
    problems = [f"event #{b.sequence}: {b.reason}" for b in result.breaks]
    if anchors is not None:
        problems += anchors_problems(anchors)
    if not problems:
        checked = " and its anchors" if anchors is not None else ""
        console.print(
            f"[green]Audit trail intact[/green]: {result.events_checked} events verified{checked}."
        )
        return
    errors.print(
        f"[red]Audit trail broken[/red]: {len(problems)} problem(s) "
        f"in {result.events_checked} events checked."
    )
    for problem in problems[:50]:
        errors.print(f"  {problem}")
    raise typer.Exit(1)
