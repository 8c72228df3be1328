"""Benchmark: scoring PHQ-9 responses with the core engine, against plain ``sum()``.

Run with ``make bench`` (``pytest tests/bench --benchmark-enable -q -s``). By default it
scores 20,000 random responses so that it stays quick; ``MAATWERK_BENCH_FULL=1`` scores
1,000,000 (the required scale), in one round. Under a normal test run benchmarks are
disabled and each function runs once, which still checks that the engine and the
baseline agree on every total.

The baseline is Python's ``sum()`` over the same answer lists, measured in the same run,
so the ratio shows what exact scoring costs (validation of every answer, ``Fraction``
arithmetic, bands, cut-offs, safety rules, explanations) independent of the machine.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from typing import Any

import pytest
from fhirpathpy import compile
from fhirpathpy.models import models

from maatwerk.core.fhir.constants import CALCULATED_EXPRESSION
from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response

FULL = os.environ.get("MAATWERK_BENCH_FULL") == "1"
N = 1_000_000 if FULL else 20_000
FHIRPATH_N = 20_000 if FULL else 1_000
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


def test_bench_fhirpath_calculated_expression(benchmark: Any, responses: Responses) -> None:
    """The same totals from the exported Questionnaire's SDC calculatedExpression,
    evaluated by fhirpathpy on a QuestionnaireResponse per answer list.

    fhirpathpy is much slower, so it scores the first FHIRPATH_N responses; throughputs
    (responses per second) are compared, not total times.
    """
    phq9 = get_instrument("phq9")
    questionnaire = instrument_to_questionnaire(phq9, language="en")
    [score_item] = [i for i in questionnaire["item"] if i["linkId"] == "score.total"]
    [extension] = [e for e in score_item["extension"] if e["url"] == CALCULATED_EXPRESSION]
    expression = compile(extension["valueExpression"]["expression"], models["r4"])
    sample = responses[:FHIRPATH_N]
    resources = [
        json.loads(
            json.dumps(
                response_to_questionnaire_response(
                    phq9,
                    dict(zip(ITEMS, answers, strict=True)),
                    assignment_id="bench",
                    subject_id="bench",
                )
            )
        )
        for answers in sample
    ]

    def fhirpath() -> int:
        grand_total = 0
        for resource in resources:
            [value] = expression(resource, {"resource": resource})
            grand_total += int(value)
        return grand_total

    benchmark.group = GROUP
    benchmark.extra_info["responses"] = len(sample)
    total: int = benchmark.pedantic(fhirpath, rounds=ROUNDS, iterations=1)
    if benchmark.stats is not None:
        # Scaled to the time N responses would take, so the summary compares like with like.
        RESULTS["fhirpath"] = benchmark.stats.stats.median * N / len(sample)
        _print_summary()
    assert total == sum(sum(answers) for answers in sample)
