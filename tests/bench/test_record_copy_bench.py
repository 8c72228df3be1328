"""Benchmark: reading a patient's record for the complete copy (F26) in batches, against
the row-by-row walk it replaced.

Run with ``make bench`` (or ``pytest tests/bench/test_record_copy_bench.py
--benchmark-enable -q -s``). The baseline is the earlier path, kept here only: every row
asks for the rows under it (one query per row and relation) and every user or team it
names is read on first use. Both run in the same test database in the same run, on the
same record: patient A of the test world with data in many parts and 60 completed PHQ-9s
with their answers and 120 messages (over 700 rows), so the ratio does not depend on the
machine. Both must give the same items; the query counts are printed too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from maatwerk.core.records.bundle import RecordItem, count_rows
from maatwerk.web.patients.models import Patient
from maatwerk.web.records.collect import _RELATED, record_item, record_items, root_rows
from maatwerk.web.records.parts import model_label, part_label_of, root_models
from tests.web.test_records_copy import _rich_record, many_rows
from tests.web.world import build_world

ASSIGNMENTS = 60
GROUP = "record copy"
RESULTS: dict[str, float] = {}
QUERIES: dict[str, int] = {}
ROWS: list[int] = []


def row_by_row_items(patient: Patient) -> list[RecordItem]:
    """The copy's items as they were read before batching (the baseline)."""
    seen: set[tuple[str, object]] = set()
    _RELATED.set({})
    return [record_item(patient, _("Your details"), seen)] + [
        record_item(row, part_label_of(model_label(model)), seen)
        for model in root_models()
        for row in root_rows(patient, model)
        if (model_label(model), row.pk) not in seen
    ]


@pytest.fixture
def patient(db: None) -> Patient:
    world = build_world()
    _rich_record(world)
    many_rows(world, ASSIGNMENTS)
    return world.patient_a


def _measure(
    benchmark: Any, name: str, read: Callable[[Patient], list[RecordItem]], patient: Patient
) -> list[RecordItem]:
    with CaptureQueriesContext(connection) as queries:
        items = read(patient)
    QUERIES[name] = len(queries.captured_queries)
    ROWS[:] = [count_rows(items)]
    benchmark.group = GROUP
    benchmark.pedantic(read, args=(patient,), rounds=5, iterations=1, warmup_rounds=1)
    if benchmark.stats is not None:
        RESULTS[name] = benchmark.stats.stats.median
    return items


def _summary() -> None:
    if {"baseline", "batched"} <= RESULTS.keys():
        print(
            f"\nRecord copy, reading every row of a record of {ROWS[0]} rows:\n"
            f"  batched      {RESULTS['batched'] * 1000:>8.0f} ms, {QUERIES['batched']} queries\n"
            f"  row by row   {RESULTS['baseline'] * 1000:>8.0f} ms, "
            f"{QUERIES['baseline']} queries\n"
            f"  ratio row by row / batched = {RESULTS['baseline'] / RESULTS['batched']:.1f}x"
        )


def test_bench_record_copy_row_by_row(benchmark: Any, patient: Patient) -> None:
    items = _measure(benchmark, "baseline", row_by_row_items, patient)
    assert count_rows(items) > 10 * ASSIGNMENTS
    _summary()


def test_bench_record_copy_batched(benchmark: Any, patient: Patient) -> None:
    items = _measure(benchmark, "batched", record_items, patient)
    assert items == row_by_row_items(patient), "batching must not change the copy"
    assert QUERIES["batched"] < count_rows(items) / 10
    _summary()
