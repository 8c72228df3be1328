"""Benchmark: verifying the audit hash chain against the cost of hashing alone.

Run with `make bench`. The baseline is SHA-256 over the same canonical bytes, measured
in the same run, so the ratio shows what verification adds on top of hashing (JSON
canonicalization and the link checks) independent of how fast this machine is.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from maatwerk.core.audit import GENESIS_HASH, AuditRecord, chain_hash, verify_chain

EVENTS = 10_000


def _chain() -> list[tuple[AuditRecord, str, str]]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    stored = []
    previous = GENESIS_HASH
    for number in range(1, EVENTS + 1):
        record = AuditRecord(
            sequence=number,
            occurred_at=start + timedelta(seconds=number),
            user_ref="5f0c3f2e-8a59-4a43-9a55-0d3f43a1c001",
            user_display="Dr. Anna de Vries",
            role="clinician",
            on_behalf_of="",
            organization_ref="0b5d6d0e-2d43-4d8e-9d1c-8e7b7e3b0002",
            patient_ref=f"patient-{number % 200}",
            object_type="patient",
            object_ref=f"patient-{number % 200}",
            action="read",
            outcome="success",
            access_point="web 127.0.0.1 Mozilla/5.0",
            emergency=False,
            detail="",
        )
        digest = chain_hash(previous, record)
        stored.append((record, previous, digest))
        previous = digest
    return stored


@pytest.fixture(scope="module")
def chain() -> list[tuple[AuditRecord, str, str]]:
    return _chain()


RESULTS: dict[str, float] = {}


def test_bench_baseline_sha256(benchmark: Any, chain: list[tuple[AuditRecord, str, str]]) -> None:
    payloads = [record.canonical() for record, _, _ in chain]

    def hash_only() -> None:
        for payload in payloads:
            hashlib.sha256(payload).hexdigest()

    benchmark.group = "audit chain, 10,000 events"
    benchmark(hash_only)
    if benchmark.stats is not None:
        RESULTS["baseline"] = benchmark.stats.stats.median


def test_bench_verify_chain(benchmark: Any, chain: list[tuple[AuditRecord, str, str]]) -> None:
    benchmark.group = "audit chain, 10,000 events"
    result = benchmark(verify_chain, chain)
    assert result.ok and result.events_checked == EVENTS
    if benchmark.stats is not None:
        RESULTS["verify"] = benchmark.stats.stats.median
    if {"baseline", "verify"} <= RESULTS.keys():
        ratio = RESULTS["verify"] / RESULTS["baseline"]
        print(
            f"\nverify_chain: {EVENTS / RESULTS['verify']:,.0f} events/s; "
            f"baseline sha256: {EVENTS / RESULTS['baseline']:,.0f} events/s; "
            f"ratio verify/baseline = {ratio:.1f}x"
        )
