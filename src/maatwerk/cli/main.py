"""The ``maatwerk`` command line."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

from maatwerk.cli.fhir import export_fhir
from maatwerk.cli.instruments import instruments_app, score

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
app.command("score")(score)
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
    run_gunicorn(host=host, port=port, workers=count)


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

        console.print(
            f"\nMaatwerk is running on [bold]http://{host}:{port}[/bold]  (Ctrl-C stops it)"
        )
        run_gunicorn(host=host, port=port, workers=2)


@app.command("demo-code")
def demo_code() -> None:
    """Print the current second-factor code of the demo accounts (demo only)."""
    from maatwerk.core.totp import totp_now
    from maatwerk.web.demo.constants import DEMO_TOTP_SECRET

    console.print(totp_now(DEMO_TOTP_SECRET))


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; exit 1 when it has been tampered with."""
    _django()
    from maatwerk.web.audit.selectors import audit_chain_verify

    result = audit_chain_verify()
    if result.ok:
        console.print(
            f"[green]Audit trail intact[/green]: {result.events_checked} events verified."
        )
        return
    errors.print(
        f"[red]Audit trail broken[/red]: {len(result.breaks)} problem(s) "
        f"in {result.events_checked} events checked."
    )
    for problem in result.breaks[:50]:
        errors.print(f"  event #{problem.sequence}: {problem.reason}")
    raise typer.Exit(1)
