"""PostgreSQL: ``pg_dump -Fc`` from an exported snapshot, restore in one transaction.

The backup opens a REPEATABLE READ transaction, exports its snapshot and lets
``pg_dump --snapshot`` dump exactly that state while the manifest's checksums are read
in the same transaction: manifest and dump describe one moment, however busy the
database is. The restore turns the dump into SQL first (so a damaged dump stops before
anything is sent) and runs it with ``psql --single-transaction -v ON_ERROR_STOP=1``:
the target gets all of it or none of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg.conninfo import make_conninfo

from maatwerk.web.backup.archive import BackupError
from maatwerk.web.backup.inventory import Connection, DatabaseSettings, table_names

T = TypeVar("T")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools")
    return path


def _environment(params: DatabaseSettings) -> dict[str, str]:
    given = {
        "PGHOST": params["HOST"],
        "PGPORT": params["PORT"],
        "PGUSER": params["USER"],
        "PGPASSWORD": params["PASSWORD"],
        "PGDATABASE": params["NAME"],
    }
    return {**os.environ, **{variable: value for variable, value in given.items() if value}}


def _connect(
    params: DatabaseSettings, dbname: str | None = None, *, autocommit: bool = False
) -> psycopg.Connection[tuple[object, ...]]:
    keywords = {
        "dbname": dbname or params["NAME"],
        "user": params["USER"],
        "password": params["PASSWORD"],
        "host": params["HOST"],
        "port": params["PORT"],
    }
    given = {key: value for key, value in keywords.items() if value}
    return psycopg.connect(make_conninfo(connect_timeout=10, **given), autocommit=autocommit)


def pg_snapshot(params: DatabaseSettings, dump: Path, read: Callable[[Connection], T]) -> T:
    """Dump the database to ``dump`` and return ``read(connection)`` of the same snapshot."""
    pg_dump = _tool("pg_dump")
    try:
        with _connect(params) as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            (snapshot,) = connection.execute("SELECT pg_export_snapshot()").fetchone() or ("",)
            done = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                env=_environment(params),
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            result = read(connection)
            connection.rollback()
            return result
    except psycopg.Error as problem:
        raise BackupError(f"cannot read the PostgreSQL database ({problem})") from None


def pg_target_tables(params: DatabaseSettings) -> list[str]:
    """The target's tables; creates the database when it does not exist yet."""
    try:
        with _connect(params) as connection:
            return table_names(connection, "postgresql")
    except psycopg.OperationalError as problem:
        if "does not exist" not in str(problem):
            raise BackupError(f"cannot connect to the target database ({problem})") from None
    try:
        with _connect(params, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{params["NAME"]}"')
    except psycopg.Error as problem:
        raise BackupError(f"cannot create the target database ({problem})") from None
    return []


def pg_restore(dump: Path, params: DatabaseSettings, *, replace: bool, work_dir: Path) -> None:
    """Restore ``dump`` into the target in one transaction (``replace``: drop what is there)."""
    script = work_dir / "restore.sql"
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours
        [_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"the dump in the backup is damaged: {done.stderr.strip()[:500]}")
    command = [_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    if replace:
        command += ["-c", "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"]
    command += ["-f", str(script)]
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours
        command,
        env=_environment(params),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(
            f"restoring into {params['NAME']} failed and was rolled back: "
            f"{done.stderr.strip()[:500]}"
        )


def pg_read(params: DatabaseSettings, read: Callable[[Connection], T]) -> T:
    try:
        with _connect(params) as connection:
            return read(connection)
    except psycopg.Error as problem:
        raise BackupError(f"cannot read the PostgreSQL database ({problem})") from None
