from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from maatwerk.web.questionnaires.charts import score_chart_svg


def test_chart_places_points_within_the_plot_and_labels_them() -> None:
    svg = score_chart_svg(
        [
            (datetime(2026, 1, 5, tzinfo=UTC), Decimal(20)),
            (datetime(2026, 2, 5, tzinfo=UTC), Decimal(10)),
            (datetime(2026, 3, 5, tzinfo=UTC), Decimal(0)),
        ],
        low=Decimal(0),
        high=Decimal(27),
        bands=[(Decimal(0), Decimal(4)), (Decimal(5), Decimal(9))],
        title="PHQ-9 <total>",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'aria-label="PHQ-9 &lt;total&gt;"' in svg  # escaped
    assert svg.count("<circle") == 3
    assert ">05-01<" in svg and ">20<" in svg
    # Lowest score on the x axis (y = 200 - 28 = 172), highest scores higher up.
    assert 'cy="172.0"' in svg


def test_chart_with_one_point_draws_no_line() -> None:
    svg = score_chart_svg(
        [(datetime(2026, 1, 5, tzinfo=UTC), Decimal("7.5"))],
        low=Decimal(0),
        high=Decimal(10),
        title="t",
    )
    assert "<polyline" not in svg
    assert ">7.5<" in svg
