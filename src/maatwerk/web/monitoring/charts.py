"""Feedback charts on the answering app's list (``/monitoring/me/``): each slider
question of the patient's daily-life list as a line of its mean answer per day over the
last 14 days, drawn from a Vega-Lite specification with its numbers as a table
(:mod:`maatwerk.web.monitoring.chart_book` builds them; the patient's results page and
the clinician's monitoring page show the full set). Called inside the page's audited read.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import get_language

from maatwerk.web.monitoring.chart_book import FeedbackChart, daily_life
from maatwerk.web.patients.opening import PatientAccess

DAYS = 14
ItemChart = FeedbackChart  # the name the answering pages use


def feedback_charts(opened: PatientAccess, *, now: datetime) -> tuple[FeedbackChart, ...]:
    return daily_life(
        opened, now=now, language=get_language() or "nl", days=DAYS, charts_only=True
    ).daily
