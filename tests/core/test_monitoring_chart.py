from datetime import date, timedelta

from maatwerk.core.monitoring.chart import DayValue, daily_means

D = date(2026, 3, 1)


def test_daily_means_average_each_day_and_leave_days_without_answers_out() -> None:
    means = daily_means([(D + timedelta(days=2), 70), (D, 20), (D, 40)])
    assert means == (DayValue(D, 30.0, 2), DayValue(D + timedelta(days=2), 70.0, 1))
