"""Benchmark: scoring PHQ-9 responses with the core engine, against plain ``sum()``.

Run with ``make bench`` (``pytest tests/bench --benchmark-enable -q -s``). By default it
scores 20,000 random responses so that it stays quick; ``MAATWERK_BENCH_FULL=1`` scores
1,000,000 (the figure in issue 3), in one round. Under a normal test run benchmarks are
disabled and each function runs once, which still checks that the engine and the
baseline agree on every total.

The baseline is Python's ``sum()`` over the same answer lists, measured in the same run,
so the ratio shows what exact scoring costs (validation of every answer, ``Fraction``
arithmetic, bands, cut-offs, safety rules, explanations) independent of the machine.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

import pytest

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

FULL = os.environ.get("MAATWERK_BENCH_FULL") == "1"
N = 1_000_000 if FULL else 20_000
ROUNDS = 1 if FULL else 3
GROUP = f"PHQ-9 scoring, {N:,} responses"
ITEMS = tuple(f"phq9_{n}" for n in range(1, 10))

Responses = list[tuple[int, ...]]
RESULTS: dict[str, float] = {}
"""Seconds per run (median) by variant: 'baseline', 'engine', later 'fhirpath'."""


@pytest.fixture(scope="module")
def responses() -> Responses:
    """N random PHQ-9 answer lists (items 1-9, each 0-3), the same for every variant."""
    answers = random.Random(20_260_101).randbytes(9 * N)
    return [tuple(b & 3 for b in answers[i : i + 9]) for i in range(0, 9 * N, 9)]


def _run(benchmark: Any, variant: str, target: Callable[[], int]) -> int:
    benchmark.group = GROUP
    benchmark.extra_info["responses"] = N
    total: int = benchmark.pedantic(target, rounds=ROUNDS, iterations=1)
    if benchmark.stats is not None:
        RESULTS[variant] = benchmark.stats.stats.median
        benchmark.extra_info["responses_per_second"] = round(N / RESULTS[variant])
        _print_summary()
    return total


def _print_summary() -> None:
    if not {"baseline", "engine"} <= RESULTS.keys():
        return
    lines = [f"\n{GROUP}:"]
    for variant, label in (
        ("engine", "core engine (score_response)"),
        ("fhirpath", "fhirpathpy calculatedExpression"),
        ("baseline", "baseline sum()"),
    ):
        if variant in RESULTS:
            lines.append(f"  {label:<34} {N / RESULTS[variant]:>14,.0f} responses/s")
    lines.append(
        f"  ratio engine/baseline (time)       {RESULTS['engine'] / RESULTS['baseline']:>14,.1f}x"
    )
    if "fhirpath" in RESULTS:
        lines.append(
            "  ratio fhirpath/engine (time)       "
            f"{RESULTS['fhirpath'] / RESULTS['engine']:>14,.1f}x"
        )
    print("\n".join(lines))


def test_bench_baseline_plain_sum(benchmark: Any, responses: Responses) -> None:
    def plain_sum() -> int:
        return sum(sum(answers) for answers in responses)

    total = _run(benchmark, "baseline", plain_sum)
    assert 0 <= total <= 27 * N


def test_bench_core_engine(benchmark: Any, responses: Responses) -> None:
    phq9 = get_instrument("phq9")
    anyone = Respondent()

    def engine() -> int:
        grand_total = 0
        for answers in responses:
            result = score_response(phq9, dict(zip(ITEMS, answers, strict=True)), respondent=anyone)
            value = result.scales[0].value
            assert value is not None and value.denominator == 1
            grand_total += value.numerator
        return grand_total

    total = _run(benchmark, "engine", engine)
    # The engine and plain addition must agree on every PHQ-9 total (all items answered).
    assert total == sum(sum(answers) for answers in responses)


@pytest.mark.skip(
    reason="placeholder: the fhirpathpy variant comes with `export-fhir` (issue 3, FHIR R4)"
)
def test_bench_fhirpath_calculated_expression(benchmark: Any, responses: Responses) -> None:
    """PLACE FOR THE FHIRPATH VARIANT: export the PHQ-9 as a FHIR Questionnaire, take the
    total score's SDC ``calculatedExpression`` and evaluate it with ``fhirpathpy`` on a
    QuestionnaireResponse built from each answer list. Time it with
    ``_run(benchmark, "fhirpath", target)``, where ``target`` returns the grand total,
    and assert that total equals ``sum(sum(answers) for answers in responses)``; the
    summary then prints its throughput and the fhirpath/engine ratio."""
