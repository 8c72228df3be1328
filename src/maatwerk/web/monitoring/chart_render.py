"""The feedback charts in a PDF: the same Vega-Lite specification as in the page,
rendered to SVG on the server by vl-convert (Vega and Vega-Lite compiled into the
package; no network, no browser) and embedded as an image with its text alternative.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass

import vl_convert

from maatwerk.core.monitoring.chart_specs import Spec
from maatwerk.web.monitoring.chart_book import FeedbackChart

# The Vega-Lite version vl-convert draws with; the page draws the same (v6) specification
# with the npm package of package-lock.json.
VEGA_LITE_VERSION = "6.4"


@dataclass(frozen=True)
class PdfFigure:
    chart: FeedbackChart
    image: str  # a data: URI of the SVG (WeasyPrint fetches nothing else)


def chart_svg(spec: Spec) -> str:
    svg: str = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
    return svg


def pdf_figures(charts: Iterable[FeedbackChart]) -> tuple[PdfFigure, ...]:
    return tuple(
        PdfFigure(
            chart=chart,
            image="data:image/svg+xml;base64,"
            + base64.b64encode(chart_svg(chart.spec).encode()).decode("ascii"),
        )
        for chart in charts
    )
