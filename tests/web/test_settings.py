"""Settings from the environment: typed parsing, loud failures, production checks, SQLite WAL."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from maatwerk.web.config.env import Env, SettingError

PYTHON = sys.executable
MAATWERK = str(Path(sys.executable).with_name("maatwerk"))
TIMEOUT = 180


# --- Env over an explicit mapping ------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " true "])
def test_bool_true_spellings(value: str) -> None:
    assert Env({"MAATWERK_DEBUG": value}).boolean("MAATWERK_DEBUG", default=False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "Off", " false "])
def test_bool_false_spellings(value: str) -> None:
    assert Env({"MAATWERK_DEBUG": value}).boolean("MAATWERK_DEBUG", default=True) is False


@pytest.mark.parametrize("environ", [{}, {"MAATWERK_DEBUG": ""}, {"MAATWERK_DEBUG": "   "}])
@pytest.mark.parametrize("default", [True, False])
def test_bool_unset_or_blank_uses_the_default(environ: dict[str, str], default: bool) -> None:
    assert Env(environ).boolean("MAATWERK_DEBUG", default=default) is default


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("maybe", "MAATWERK_DEBUG='maybe' is not a boolean (use true or false)"),
        ("2", "MAATWERK_DEBUG='2' is not a boolean (use true or false)"),
        (" y ", "MAATWERK_DEBUG='y' is not a boolean (use true or false)"),
    ],
)
def test_bool_refuses_anything_else(value: str, message: str) -> None:
    with pytest.raises(SettingError) as problem:
        Env({"MAATWERK_DEBUG": value}).boolean("MAATWERK_DEBUG", default=False)

    assert str(problem.value) == message


@pytest.mark.parametrize(("value", "number"), [("15", 15), (" 7 ", 7), ("1", 1), ("+3", 3)])
def test_int_parses_whole_numbers(value: str, number: int) -> None:
    env = Env({"MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES": value})

    assert env.integer("MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES", 15, minimum=1) == number


def test_int_unset_uses_the_default() -> None:
    assert Env({}).integer("MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES", 15, minimum=1) == 15


@pytest.mark.parametrize(
    ("value", "minimum", "message"),
    [
        (
            "abc",
            1,
            "MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES='abc' is not a whole number",
        ),
        (
            "1.5",
            1,
            "MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES='1.5' is not a whole number",
        ),
        ("0", 1, "MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES=0 must be at least 1"),
        ("-5", 0, "MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES=-5 must be at least 0"),
    ],
)
def test_int_refuses_bad_values_with_a_clear_message(
    value: str, minimum: int, message: str
) -> None:
    env = Env({"MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES": value})

    with pytest.raises(SettingError) as problem:
        env.integer("MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES", 15, minimum=minimum)

    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("maatwerk.example.org", ["maatwerk.example.org"]),
        (" a.example.org , b.example.org ", ["a.example.org", "b.example.org"]),
        ("a.example.org,,b.example.org,", ["a.example.org", "b.example.org"]),
    ],
)
def test_list_splits_on_commas_and_drops_blanks(value: str, items: list[str]) -> None:
    assert Env({"MAATWERK_ALLOWED_HOSTS": value}).strings("MAATWERK_ALLOWED_HOSTS") == items


@pytest.mark.parametrize("environ", [{}, {"MAATWERK_ALLOWED_HOSTS": " "}])
def test_list_unset_or_blank_uses_the_default(environ: dict[str, str]) -> None:
    env = Env(environ)

    assert env.strings("MAATWERK_ALLOWED_HOSTS", ("localhost",)) == ["localhost"]
    assert env.strings("MAATWERK_ALLOWED_HOSTS") == []


ENVIRONMENTS = ("development", "production", "test")


@pytest.mark.parametrize("value", ENVIRONMENTS)
def test_choice_accepts_listed_values(value: str) -> None:
    assert Env({"MAATWERK_ENV": value}).choice("MAATWERK_ENV", ENVIRONMENTS, "development") == value


def test_choice_unset_uses_the_default() -> None:
    assert Env({}).choice("MAATWERK_ENV", ENVIRONMENTS, "development") == "development"


@pytest.mark.parametrize("value", ["bogus", "Production"])
def test_choice_refuses_unlisted_values_naming_the_allowed_ones(value: str) -> None:
    with pytest.raises(SettingError) as problem:
        Env({"MAATWERK_ENV": value}).choice("MAATWERK_ENV", ENVIRONMENTS, "development")

    assert str(problem.value) == (
        f"MAATWERK_ENV={value!r} must be one of: development, production, test"
    )


@pytest.mark.parametrize("environ", [{}, {"MAATWERK_SECRET_KEY": "  "}])
def test_str_without_default_must_be_set(environ: dict[str, str]) -> None:
    with pytest.raises(SettingError) as problem:
        Env(environ).string("MAATWERK_SECRET_KEY")

    assert str(problem.value) == "MAATWERK_SECRET_KEY must be set"


def test_str_strips_surrounding_whitespace() -> None:
    assert Env({"MAATWERK_BASE_URL": " https://x.example.org \n"}).string("MAATWERK_BASE_URL") == (
        "https://x.example.org"
    )


def test_file_variant_is_read_and_stripped(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret_key"
    secret_file.write_text("s3cret-from-a-mounted-file\n", encoding="utf-8")

    env = Env({"MAATWERK_SECRET_KEY_FILE": str(secret_file)})

    assert env.string("MAATWERK_SECRET_KEY") == "s3cret-from-a-mounted-file"


def test_file_variant_wins_over_the_plain_variable(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret_key"
    secret_file.write_text("from-file", encoding="utf-8")

    env = Env({"MAATWERK_SECRET_KEY_FILE": str(secret_file), "MAATWERK_SECRET_KEY": "plain"})

    assert env.string("MAATWERK_SECRET_KEY") == "from-file"


def test_file_variant_feeds_the_typed_readers(tmp_path: Path) -> None:
    minutes_file = tmp_path / "minutes"
    minutes_file.write_text("0\n", encoding="utf-8")
    env = Env({"MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES_FILE": str(minutes_file)})

    with pytest.raises(SettingError) as problem:
        env.integer("MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES", 15, minimum=1)

    assert str(problem.value) == "MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES=0 must be at least 1"


def test_empty_file_variable_falls_back_to_the_plain_variable() -> None:
    env = Env({"MAATWERK_SECRET_KEY_FILE": "", "MAATWERK_SECRET_KEY": "plain"})

    assert env.string("MAATWERK_SECRET_KEY") == "plain"


def test_unreadable_file_variant_names_the_variable_and_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file"
    env = Env({"MAATWERK_SECRET_KEY_FILE": str(missing)})

    with pytest.raises(SettingError) as problem:
        env.string("MAATWERK_SECRET_KEY")

    assert str(problem.value).startswith(
        f"MAATWERK_SECRET_KEY_FILE={str(missing)!r} cannot be read:"
    )


# --- the settings module in a clean process --------------------------------------------


def clean_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A minimal environment: nothing inherited but PATH (no DJANGO_SETTINGS_MODULE,
    DATABASE_URL or MAATWERK_* from the test process), data kept under ``tmp_path``."""
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "MAATWERK_DATA_DIR": str(tmp_path / "data"),
    }
    environ.update(variables)
    for leaked in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        assert leaked in variables or leaked not in environ
    return environ


def run(
    args: list[str], tmp_path: Path, environ: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        env=environ,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def one_line(text: str) -> str:
    # Rich wraps long console lines; compare messages with whitespace collapsed.
    return " ".join(text.split())


IMPORT_SETTINGS = "import maatwerk.web.config.settings"


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = run(
        [PYTHON, "-c", IMPORT_SETTINGS],
        tmp_path,
        clean_env(
            tmp_path,
            MAATWERK_ENV="production",
            MAATWERK_ALLOWED_HOSTS="maatwerk.example.org",
        ),
    )

    assert result.returncode != 0
    assert "SettingError: MAATWERK_SECRET_KEY must be set" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = run(
        [PYTHON, "-c", IMPORT_SETTINGS],
        tmp_path,
        clean_env(tmp_path, MAATWERK_ENV="production", MAATWERK_SECRET_KEY="x" * 49),
    )

    assert result.returncode != 0
    assert "MAATWERK_SECRET_KEY must be at least 50 characters long" in result.stderr


def test_production_without_secret_key_is_a_configuration_error_in_the_cli(
    tmp_path: Path,
) -> None:
    result = run(
        [MAATWERK, "manage", "check"],
        tmp_path,
        clean_env(tmp_path, MAATWERK_ENV="production"),
    )

    assert result.returncode == 2
    assert "Configuration error: MAATWERK_SECRET_KEY must be set" in one_line(result.stderr)


def test_unknown_environment_names_the_allowed_values(tmp_path: Path) -> None:
    message = "MAATWERK_ENV='bogus' must be one of: development, production, test"
    environ = clean_env(tmp_path, MAATWERK_ENV="bogus")

    imported = run([PYTHON, "-c", IMPORT_SETTINGS], tmp_path, environ)
    cli = run([MAATWERK, "manage", "check"], tmp_path, environ)

    assert imported.returncode != 0
    assert message in imported.stderr
    assert cli.returncode == 2
    assert message in one_line(cli.stderr)


def test_production_profile_passes_the_deploy_check(tmp_path: Path) -> None:
    secret_key = secrets.token_urlsafe(48)
    assert len(secret_key) == 64

    result = run(
        [MAATWERK, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        clean_env(
            tmp_path,
            MAATWERK_ENV="production",
            MAATWERK_SECRET_KEY=secret_key,
            MAATWERK_ALLOWED_HOSTS="maatwerk.example.org",
            MAATWERK_DATA_DIR=str(tmp_path),
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- SQLite in write-ahead-log mode ----------------------------------------------------


@pytest.mark.django_db
def test_sqlite_connections_are_configured_for_wal() -> None:
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the WAL setting only applies to SQLite")

    init_command = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    assert "journal_mode=WAL" in init_command
    assert "foreign_keys=ON" in init_command
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
    # The test database lives in memory, where SQLite cannot use a WAL file.
    assert journal_mode in {"memory", "wal"}


MIGRATE_AND_REPORT = """
import django
from django.core.management import call_command
from django.db import connection

django.setup()
call_command("migrate", verbosity=0, interactive=False)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode=" + cursor.fetchone()[0])
print("name=" + str(connection.settings_dict["NAME"]))
"""


def test_default_development_database_is_a_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = run(
        [PYTHON, "-c", MIGRATE_AND_REPORT],
        tmp_path,
        clean_env(
            tmp_path,
            MAATWERK_DATA_DIR=str(data_dir),
            DJANGO_SETTINGS_MODULE="maatwerk.web.config.settings",
        ),
    )

    assert result.returncode == 0, result.stderr
    database = data_dir / "maatwerk.sqlite3"
    assert result.stdout.split() == ["journal_mode=wal", f"name={database}"]
    # WAL is stored in the file itself, so a fresh connection sees it too.
    with sqlite3.connect(database) as independent:
        assert independent.execute("PRAGMA journal_mode").fetchone() == ("wal",)
