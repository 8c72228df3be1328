"""SELECTs of a fixed shape, compiled to SQL once per process.

Django builds the SQL of every query anew: for a query with joins and annotations that
costs more CPU than running it (about 0.3-0.6 ms on the load machine, against 0.1 ms for
sending the same SQL and reading its rows; docs/performance.md). A handful of queries
run on nearly every request - the session, the signed-in user with the actor's facts,
the object a patient's write opens - and differ only in the values they look up. A
:class:`PreparedQuery` builds such a query once, with stand-in values, keeps Django's
compiled SQL and its bookkeeping (which columns belong to which related model), and on
each call puts the new values into the parameters and lets Django's own iterator turn
the rows into model instances, related objects and annotations included.

What may be prepared: a queryset whose SQL does not depend on the values looked up,
with each value compared to one model field (``field=value``, ``field__gt=value``). Not
``__in`` with lists (the SQL depends on their length) and not ``None`` (``IS NULL``):
:meth:`PreparedQuery.rows` refuses ``None``. ``tests/web/test_prepared_queries.py``
checks each prepared query of the code base against the SQL and parameters Django
compiles for the same values, on both database engines.
"""

from __future__ import annotations

import copy
import secrets
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

_INTEGER_KINDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)
_TEXT_KINDS = frozenset({"CharField", "TextField", "SlugField", "EmailField"})


@dataclass(frozen=True)
class _Compiled(Generic[M]):
    queryset: QuerySet[M]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    # Per value name: the model field it is compared with and its places in ``params``.
    places: Mapping[str, tuple[Field[Any, Any], tuple[int, ...]]]


class PreparedQuery(Generic[M]):
    """``build(**values)`` returns the queryset to run; ``fields`` names, per value, the
    model field it is compared with as ``(model, field name)``, the model as a class or
    as ``"app_label.Model"`` (read when first compiled), the field name ``"pk"`` allowed.
    Both are used only when the query is first run, after the apps are loaded."""

    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        fields: Mapping[str, tuple[type[Model] | str, str]],
    ) -> None:
        self._build = build
        self._fields = dict(fields)
        self._compiled: dict[str, _Compiled[M]] = {}
        self._lock = threading.Lock()

    def rows(self, using: str = "default", **values: Any) -> list[M]:
        """The rows for ``values``, as model instances (as ``list(build(**values))``)."""
        compiled = self._compiled_for(using)
        if compiled.queryset.query.select_for_update and connections[using].get_autocommit():
            # Django checks this when it compiles; the compiled query must check it here.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        queryset = compiled.queryset._chain()  # type: ignore[attr-defined]
        compiler = copy.copy(compiled.compiler)
        # The compiled query keeps its SQL; this thread's connection runs it.
        compiler.connection = connections[using]
        sql, params = compiled.sql, self._bind(compiled, values, using)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    def first(self, using: str = "default", **values: Any) -> M | None:
        """The first row for ``values`` or None (build a query of at most one row)."""
        found = self.rows(using, **values)
        return found[0] if found else None

    def bound_sql(self, using: str = "default", **values: Any) -> tuple[str, tuple[Any, ...]]:
        """The SQL and parameters :meth:`rows` sends for ``values`` (for the tests)."""
        compiled = self._compiled_for(using)
        return compiled.sql, self._bind(compiled, values, using)

    def _bind(
        self, compiled: _Compiled[M], values: Mapping[str, Any], using: str
    ) -> tuple[Any, ...]:
        if values.keys() != compiled.places.keys():
            raise TypeError(f"expected values for {sorted(compiled.places)}, got {sorted(values)}")
        params = list(compiled.params)
        connection = connections[using]
        for name, (field, places) in compiled.places.items():
            value = values[name]
            if value is None:
                raise ValueError(f"{name}: a prepared query cannot look up None")
            prepared = field.get_db_prep_value(value, connection, prepared=False)
            for place in places:
                params[place] = prepared
        return tuple(params)

    def _compiled_for(self, using: str) -> _Compiled[M]:
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compile(using)
                self._compiled[using] = compiled
        return compiled

    def _compile(self, using: str) -> _Compiled[M]:
        """Compile with stand-in values and find where each value lands in the
        parameters. Twice, with other stand-ins: a stand-in that happens to equal a
        constant of the query would claim the constant's place too, and the two
        compilations then disagree (tried again)."""
        fields = {name: _field(*where) for name, where in self._fields.items()}
        for _attempt in range(5):
            first, second = self._compile_with(using, fields), self._compile_with(using, fields)
            if first.sql == second.sql and first.places == second.places:
                return first
        raise TypeError("the query's SQL depends on the values it looks up")

    def _compile_with(self, using: str, fields: Mapping[str, Field[Any, Any]]) -> _Compiled[M]:
        connection = connections[using]
        stand_ins = {name: _stand_in(field, connection) for name, field in fields.items()}
        queryset = self._build(**stand_ins).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        places: dict[str, tuple[Field[Any, Any], tuple[int, ...]]] = {}
        for name, field in fields.items():
            prepared = field.get_db_prep_value(stand_ins[name], connection, prepared=False)
            found = tuple(
                index
                for index, param in enumerate(params)
                if type(param) is type(prepared) and param == prepared
            )
            if not found:
                raise TypeError(f"{name}: its value does not reach the query's parameters")
            places[name] = (field, found)
        return _Compiled(
            queryset=queryset, compiler=compiler, sql=sql, params=tuple(params), places=places
        )


def _field(model: type[Model] | str, name: str) -> Field[Any, Any]:
    if isinstance(model, str):
        model = apps.get_model(model)
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, Field):  # pragma: no cover - a reverse relation
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


def _stand_in(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Any:
    """A random value of the field's type, within its range (Django compiles a value out
    of an integer field's range to an empty result, without SQL)."""
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    if kind in _INTEGER_KINDS:
        low, high = connection.ops.integer_field_range(kind)
        high = 2**31 - 1 if high is None else high
        low = max(0 if low is None else low, high // 2)
        return low + secrets.randbelow(high - low)
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind in _TEXT_KINDS:
        return f"stand-in-{uuid.uuid4().hex}"
    if kind == "DateTimeField":
        return datetime(1901, 1, 1, tzinfo=UTC) + timedelta(
            seconds=secrets.randbelow(10**7), microseconds=1 + secrets.randbelow(999_998)
        )
    raise TypeError(f"{field.name}: no stand-in value for a {kind}")
