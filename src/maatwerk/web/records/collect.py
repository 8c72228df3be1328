"""Every stored row about one patient, walked through Django's app registry.

The rows of a part are its root rows (a key to the patient) and everything under them:
the reverse relations to models without their own patient key, followed through
non-nullable keys (the answers of an assignment, the versions of a formulation, the
feedback on an exercise …). A nullable key is a *reference*, not ownership (a screening
step that points at a questionnaire belongs to the screening), so it is not followed;
destroying the referenced row clears the reference instead.

Used for the copy (:func:`record_items`) and for destruction (:func:`rows_of_parts`).
Both read the rows in batches (:class:`RecordRows`): one query per model and relation,
however many rows a long treatment left.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from itertools import chain

from django.db.models import Field, ForeignKey, ForeignObjectRel, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.records.bundle import RecordField, RecordItem
from maatwerk.core.records.destruction import RecordPart
from maatwerk.web.patients.models import Patient
from maatwerk.web.records.parts import (
    SECRET_FIELD_MARKERS,
    is_root,
    model_label,
    part_label_of,
    patient_keys,
    root_models,
)


def _reverse_relations(model: type[Model]) -> Iterator[ForeignObjectRel]:
    """Every reverse relation to ``model``, also those without a name (``related_name="+"``,
    which ``_meta.related_objects`` leaves out)."""
    for found in model._meta.get_fields(include_hidden=True):
        if isinstance(found, ForeignObjectRel) and found.auto_created and not found.concrete:
            yield found


@cache
def _owned_children(model: type[Model]) -> tuple[ForeignObjectRel, ...]:
    """Reverse relations from ``model`` to the rows it owns (asked for every row of a
    copy; the models do not change while the process runs)."""
    return tuple(
        relation
        for relation in _reverse_relations(model)
        if isinstance(relation.related_model, type)
        and relation.related_model.__module__.startswith("maatwerk.")
        and not is_root(relation.related_model)
        and not relation.many_to_many
        and not relation.field.null
    )


def _children_of(row: Model) -> Iterator[Model]:
    """The rows ``row`` owns, one query per relation (a whole record is read with
    :class:`RecordRows` instead)."""
    for relation in _owned_children(type(row)):
        child_model = relation.related_model
        if not isinstance(child_model, type):  # pragma: no cover - _owned_children checked
            continue
        yield from child_model._default_manager.filter(**{relation.field.name: row}).order_by("pk")


def root_rows(patient: Patient, model: type[Model]) -> Iterator[Model]:
    for key in patient_keys(model):
        yield from model._default_manager.filter(**{key: patient}).order_by("pk")


# Keys per ``__in`` query: far below the bound parameters SQLite and PostgreSQL allow, and
# more than a long treatment has rows of one kind under one relation.
BATCH = 2_000


def _batches(keys: list[object]) -> Iterator[list[object]]:
    for start in range(0, len(keys), BATCH):
        yield keys[start : start + BATCH]


@dataclass
class RecordRows:
    """Every row of one patient's record, read in batches: one query per key to the
    patient for the root rows, then one query per owned relation for the rows under all
    rows of a model at once, so the number of queries does not grow with the rows."""

    roots: dict[type[Model], list[Model]] = field(default_factory=dict)
    # (relation, the parent's key value) -> the rows under that parent, in order of pk.
    owned: dict[tuple[ForeignObjectRel, object], list[Model]] = field(default_factory=dict)

    @classmethod
    def read(cls, patient: Patient, models: list[type[Model]]) -> RecordRows:
        rows = cls(roots={model: list(root_rows(patient, model)) for model in models})
        expanded: dict[type[Model], set[object]] = {}
        waiting: dict[type[Model], dict[object, Model]] = {}
        for model, found in rows.roots.items():
            waiting.setdefault(model, {}).update((row.pk, row) for row in found)
        while waiting:
            waiting = rows._read_owned(waiting, expanded)
        return rows

    def _read_owned(
        self,
        waiting: dict[type[Model], dict[object, Model]],
        expanded: dict[type[Model], set[object]],
    ) -> dict[type[Model], dict[object, Model]]:
        """The rows under the ``waiting`` rows not read yet; returns the new rows."""
        found: dict[type[Model], dict[object, Model]] = {}
        for model, by_pk in waiting.items():
            done = expanded.setdefault(model, set())
            parents = [row for pk, row in by_pk.items() if pk not in done]
            done.update(row.pk for row in parents)
            for relation in _owned_children(model):
                child_model = relation.related_model
                if not isinstance(child_model, type):  # pragma: no cover - checked
                    continue
                key = relation.field
                values = list(
                    dict.fromkeys(getattr(row, key.target_field.attname) for row in parents)
                )
                for chunk in _batches(values):
                    children = child_model._default_manager.filter(
                        **{f"{key.name}__in": chunk}
                    ).order_by("pk")
                    for child in children:
                        parent_key = getattr(child, key.attname)
                        self.owned.setdefault((relation, parent_key), []).append(child)
                        found.setdefault(child_model, {})[child.pk] = child
        return found

    def children_of(self, row: Model) -> Iterator[Model]:
        for relation in _owned_children(type(row)):
            yield from self.owned.get(
                (relation, getattr(row, relation.field.target_field.attname)), []
            )

    def every_row(self) -> Iterator[Model]:
        for found in self.roots.values():
            yield from found
        for children in self.owned.values():
            yield from children


# ---------------------------------------------------------------------------- the copy


def _text(value: object) -> tuple[str, str]:
    """(stored value as text, the value as a person reads it)."""
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return ("true", _("yes")) if value else ("false", _("no"))
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.isoformat(), local.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.isoformat(), value.strftime("%d-%m-%Y")
    if isinstance(value, (bytes, memoryview)):
        data = bytes(value)
        return base64.b64encode(data).decode(), _("a document of %(size)s kB") % {
            "size": max(1, len(data) // 1024)
        }
    if isinstance(value, (dict, list)):
        written = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return written, written
    return str(value), str(value)


# (model label, key) -> (stored reference, readable name) of related rows, per copy.
_RELATED: ContextVar[dict[tuple[str, object], tuple[str, str]] | None] = ContextVar(
    "records_related", default=None
)


def _related_names() -> dict[tuple[str, object], tuple[str, str]]:
    names = _RELATED.get()
    if names is None:
        names = {}
        _RELATED.set(names)
    return names


def _secret(model_field: Field) -> bool:  # type: ignore[type-arg]
    return model_field.name == "id" or any(
        marker in model_field.name for marker in SECRET_FIELD_MARKERS
    )


def _read_related_names(rows: Iterable[Model]) -> None:
    """Name every user, team or other row that ``rows`` point to, one query per kind of
    row pointed to (instead of one per row on first use)."""
    wanted: dict[tuple[type[Model], Field], set[object]] = {}  # type: ignore[type-arg]
    for row in rows:
        for model_field in row._meta.concrete_fields:
            related_model = model_field.related_model
            if not isinstance(model_field, ForeignKey) or related_model is Patient:
                continue
            key = getattr(row, model_field.attname)
            if key is not None and isinstance(related_model, type) and not _secret(model_field):
                target = model_field.target_field
                wanted.setdefault((related_model, target), set()).add(key)
    names = _related_names()
    for (related_model, target), keys in wanted.items():
        for chunk in _batches(list(keys)):
            found = related_model._base_manager.filter(**{f"{target.name}__in": chunk})
            for related in found.select_related():
                ref = getattr(related, "public_id", None)
                names[(str(related_model), getattr(related, target.attname))] = (
                    str(ref if ref is not None else related),
                    str(related),
                )


def _record_field(row: Model, model_field: Field) -> RecordField | None:  # type: ignore[type-arg]
    name = model_field.name
    if _secret(model_field):
        return None
    if model_field.is_relation:
        if model_field.related_model is Patient:
            return None
        key = getattr(row, model_field.attname)
        if key is None:
            return RecordField(name, str(model_field.verbose_name), "", "")
        # The same user or team is named on many rows: read once per copy (all at once by
        # _read_related_names; a row met otherwise is read here).
        cache_key = (str(model_field.related_model), key)
        names = _related_names()
        if cache_key not in names:
            related = getattr(row, name)
            ref = getattr(related, "public_id", None)
            names[cache_key] = (str(ref if ref is not None else related), str(related))
        stored_ref, shown_ref = names[cache_key]
        return RecordField(name, str(model_field.verbose_name), stored_ref, shown_ref)
    value = getattr(row, name)
    stored, shown = _text(value)
    if model_field.choices and value not in (None, ""):
        shown = str(dict(model_field.flatchoices).get(value, shown))
    return RecordField(name, str(model_field.verbose_name), stored, shown)


def _created(row: Model) -> datetime | None:
    for model_field in row._meta.concrete_fields:
        value = getattr(row, model_field.attname, None)
        if isinstance(value, datetime):
            return value
    return None


def record_item(
    row: Model,
    part_label: str,
    seen: set[tuple[str, object]] | None = None,
    children_of: Callable[[Model], Iterator[Model]] = _children_of,
) -> RecordItem:
    """``row`` with the rows under it; a row owned twice (a care-level decision is under
    its screening and under the profile it was made from) is shown once, where it is
    met first."""
    seen = set() if seen is None else seen
    seen.add((model_label(type(row)), row.pk))
    fields = tuple(
        found
        for model_field in row._meta.concrete_fields
        if (found := _record_field(row, model_field)) is not None
    )
    ref = getattr(row, "public_id", None)
    children = [
        child for child in children_of(row) if (model_label(type(child)), child.pk) not in seen
    ]
    seen.update((model_label(type(child)), child.pk) for child in children)
    return RecordItem(
        kind=model_label(type(row)),
        kind_label=str(row._meta.verbose_name),
        part_label=part_label,
        ref=str(ref if ref is not None else row.pk),
        created=_created(row),
        fields=fields,
        children=tuple(record_item(child, part_label, seen, children_of) for child in children),
    )


def record_items(patient: Patient) -> list[RecordItem]:
    """Every row about ``patient``: their own details, every part and the administrative
    data."""
    seen: set[tuple[str, object]] = set()
    _RELATED.set({})
    models = root_models()
    rows = RecordRows.read(patient, models)
    _read_related_names(chain([patient], rows.every_row()))
    return [record_item(patient, _("Your details"), seen, rows.children_of)] + [
        record_item(row, part_label_of(model_label(model)), seen, rows.children_of)
        for model in models
        for row in rows.roots[model]
        if (model_label(model), row.pk) not in seen
    ]


# ------------------------------------------------------------------------ destruction


@dataclass
class PartRows:
    """The rows of some parts of one patient's record, per model, and the references to
    them from rows that stay (cleared when they are destroyed)."""

    rows: dict[type[Model], set[object]] = field(default_factory=dict)

    def add(self, row: Model) -> None:
        self.rows.setdefault(type(row), set()).add(row.pk)

    @property
    def count(self) -> int:
        return sum(len(pks) for pks in self.rows.values())


def rows_of_parts(patient: Patient, parts: frozenset[RecordPart]) -> PartRows:
    found = PartRows()
    for row in RecordRows.read(patient, root_models(parts)).every_row():
        found.add(row)
    return found


@dataclass(frozen=True)
class Reference:
    """A key from a row outside the destroyed parts to a destroyed row."""

    model: type[Model]
    key: str
    nullable: bool
    pks: frozenset[object]


def references_into(found: PartRows) -> list[Reference]:
    """Keys from rows that are not destroyed to rows that are."""
    references: list[Reference] = []
    for target, target_pks in found.rows.items():
        for relation in _reverse_relations(target):
            source = relation.related_model
            if not isinstance(source, type) or relation.many_to_many:
                continue
            key = relation.field.name
            staying = source._default_manager.filter(**{f"{key}__in": target_pks}).exclude(
                pk__in=found.rows.get(source, set())
            )
            pks = frozenset(staying.values_list("pk", flat=True))
            if pks:
                references.append(Reference(source, key, relation.field.null, pks))
    return references
