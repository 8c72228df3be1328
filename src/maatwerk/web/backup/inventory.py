"""Row counts and content checksums of every table, read through a DB-API connection.

Works on a raw ``sqlite3`` or ``psycopg`` connection (not the Django ORM), so the same
code reads a live database, a backup copy and a restored database. A table's checksum
is the SHA-256 of its rows in primary-key order, each row in one canonical JSON form;
text keys are ordered bytewise (``COLLATE "C"`` on PostgreSQL) so the order does not
depend on the database's locale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal, Protocol, TypedDict
from uuid import UUID

Engine = Literal["sqlite", "postgresql"]

Row = Sequence[object]
"""A row as the driver gives it: values of whatever type its column has."""


class Cursor(Protocol):
    """The part of a DB-API cursor (``sqlite3``, ``psycopg``) the inventory uses."""

    def execute(self, query: str, params: Sequence[object] = ..., /) -> object: ...

    def fetchone(self) -> Row | None: ...

    def fetchmany(self, size: int = ..., /) -> Sequence[Row]: ...

    def fetchall(self) -> Sequence[Row]: ...


class Connection(Protocol):
    """A raw DB-API connection: a live database, a backup copy or a restored one."""

    def cursor(self) -> Cursor: ...


class DatabaseSettings(TypedDict):
    """The part of a Django ``DATABASES`` entry a backup reads (empty: not set)."""

    ENGINE: str
    NAME: str
    USER: str
    PASSWORD: str
    HOST: str
    PORT: str


def whole(value: object) -> int:
    """A whole number the database gave (a count, a sequence; ``None`` for none)."""
    if value is None:
        return 0
    if isinstance(value, int | str | Decimal):
        return int(value)
    raise TypeError(f"not a whole number: {value!r}")


AUDIT_EVENT_TABLE = "audit_auditevent"
AUDIT_HEAD_TABLE = "audit_auditchainhead"
MIGRATIONS_TABLE = "django_migrations"


@dataclass(frozen=True)
class TableSummary:
    rows: int
    sha256: str


@dataclass(frozen=True)
class AuditHead:
    """The audit chain as stored: the head row, and the events themselves."""

    sequence: int
    hash: str
    events: int
    last_event_sequence: int
    first_hash: str


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _mark(engine: Engine) -> str:
    return "?" if engine == "sqlite" else "%s"


def table_names(connection: Connection, engine: Engine) -> list[str]:
    cursor = connection.cursor()
    if engine == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    return [str(row[0]) for row in cursor.fetchall()]


def _order_by(connection: Connection, engine: Engine, table: str) -> str:
    cursor = connection.cursor()
    if engine == "sqlite":
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        columns = cursor.fetchall()  # cid, name, type, notnull, default, pk position
        primary = sorted((c for c in columns if c[5]), key=lambda c: whole(c[5]))
        return ", ".join(quote(str(c[1])) for c in (primary or columns))
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        [quote(table)],
    )
    keys: Sequence[Row] = cursor.fetchall()
    if not keys:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        keys = cursor.fetchall()
    textual = ("char", "text")
    return ", ".join(
        quote(str(name)) + (' COLLATE "C"' if any(t in str(kind) for t in textual) else "")
        for name, kind in keys
    )


def _plain(value: object) -> object:
    """The value as it goes into the row's canonical JSON (``default=str`` for the rest)."""
    if isinstance(value, bool):  # SQLite stores 0/1; Django's converter reads True/False
        return int(value)
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return "bytes:" + value.hex()
    if isinstance(value, datetime | date | time | Decimal | UUID):
        # str() is also how Django writes these into SQLite, so a value read through
        # Django's converters and the same value read raw give the same text.
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def table_summary(connection: Connection, engine: Engine, table: str) -> TableSummary:
    cursor = connection.cursor()
    order = _order_by(connection, engine, table)
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608 - catalog names, quoted
    digest = hashlib.sha256()
    rows = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(
                json.dumps([_plain(v) for v in row], separators=(",", ":"), default=str).encode()
            )
            digest.update(b"\n")
            rows += 1
    return TableSummary(rows, digest.hexdigest())


def database_summary(connection: Connection, engine: Engine) -> dict[str, TableSummary]:
    names = table_names(connection, engine)
    return {name: table_summary(connection, engine, name) for name in names}


def audit_head(connection: Connection, engine: Engine) -> AuditHead | None:
    """The stored chain head and events; None when the database has no audit tables."""
    names = set(table_names(connection, engine))
    if AUDIT_EVENT_TABLE not in names or AUDIT_HEAD_TABLE not in names:
        return None
    cursor = connection.cursor()
    cursor.execute(f"SELECT sequence, hash FROM {AUDIT_HEAD_TABLE} WHERE id = 1")  # noqa: S608 - constant names
    head = cursor.fetchone()
    cursor.execute(f"SELECT count(*), max(sequence) FROM {AUDIT_EVENT_TABLE}")  # noqa: S608 - constant names
    events, last = cursor.fetchone() or (0, 0)
    cursor.execute(f"SELECT hash FROM {AUDIT_EVENT_TABLE} WHERE sequence = 1")  # noqa: S608 - constant names
    first = cursor.fetchone()
    return AuditHead(
        sequence=whole(head[0]) if head else 0,
        hash=str(head[1]) if head else "",
        events=whole(events),
        last_event_sequence=whole(last),
        first_hash=str(first[0]) if first else "",
    )


def audit_hash_at(connection: Connection, engine: Engine, sequence: int) -> str | None:
    cursor = connection.cursor()
    cursor.execute(
        f"SELECT hash FROM {AUDIT_EVENT_TABLE} WHERE sequence = {_mark(engine)}",  # noqa: S608
        [sequence],
    )
    row = cursor.fetchone()
    return None if row is None else str(row[0])


def applied_migrations(connection: Connection, engine: Engine) -> dict[str, list[str]]:
    if MIGRATIONS_TABLE not in table_names(connection, engine):
        return {}
    cursor = connection.cursor()
    cursor.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE} ORDER BY app, name")  # noqa: S608 - constant names
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(str(app), []).append(str(name))
    return applied
