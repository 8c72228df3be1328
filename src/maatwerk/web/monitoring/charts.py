"""Feedback charts: each slider question of the patient's daily-life list as a line of
its mean answer per day over the last 14 days, for the patient's and the clinician's
page (inline SVG, with the numbers as a table for screen readers and for reading
together). Called inside the page's audited read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from maatwerk.core.monitoring.chart import DayValue, LineChart, daily_means, line_chart
from maatwerk.core.monitoring.clock import DEFAULT_ZONE, local_date
from maatwerk.web.monitoring import selectors
from maatwerk.web.monitoring.answering import questions
from maatwerk.web.monitoring.models import MonitoringSchedule, Prompt, PromptState
from maatwerk.web.patients.opening import PatientAccess

DAYS = 14


@dataclass(frozen=True)
class ItemChart:
    title: str
    low: str
    high: str
    minimum: int
    maximum: int
    first_day: date
    last_day: date
    chart: LineChart
    days: tuple[DayValue, ...]

    @property
    def polylines(self) -> tuple[str, ...]:
        return tuple(
            " ".join(f"{point.x},{point.y}" for point in segment) for segment in self.chart.segments
        )

    @property
    def middle_y(self) -> float:
        return (self.chart.top + self.chart.bottom) / 2


def feedback_charts(opened: PatientAccess, *, now: datetime) -> tuple[ItemChart, ...]:
    schedules = list(
        MonitoringSchedule.objects.filter(
            patient=opened.patient, kind=MonitoringSchedule.Kind.EMA
        ).order_by("pk")
    )
    if not schedules:
        return ()
    zone = schedules[0].time_zone or DEFAULT_ZONE
    last_day = local_date(now, zone)
    first_day = last_day - timedelta(days=DAYS - 1)
    answered = list(
        selectors.patient_prompts(opened, since=now - timedelta(days=DAYS + 1), until=now)
        .filter(state=PromptState.ANSWERED)
        .exclude(kind=Prompt.Kind.ROM)
        .values_list("answered_at", "due_at", "answers")
    )
    seen: set[str] = set()
    charts: list[ItemChart] = []
    for schedule in schedules:
        for question in questions(schedule.items):
            if question.kind != "slider" or question.key in seen:
                continue
            seen.add(question.key)
            values = [
                (local_date(answered_at or due_at, zone), float(answers[question.key]))
                for answered_at, due_at, answers in answered
                if isinstance(answers, dict) and isinstance(answers.get(question.key), int | float)
            ]
            means = tuple(d for d in daily_means(values) if d.day >= first_day)
            if not means:
                continue
            charts.append(
                ItemChart(
                    title=question.text,
                    low=question.low,
                    high=question.high,
                    minimum=question.minimum,
                    maximum=question.maximum,
                    first_day=first_day,
                    last_day=last_day,
                    chart=line_chart(
                        means,
                        first_day=first_day,
                        days=DAYS,
                        minimum=question.minimum,
                        maximum=question.maximum,
                    ),
                    days=means,
                )
            )
    return tuple(charts)
