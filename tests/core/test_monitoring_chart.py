from datetime import date, timedelta

import pytest

from maatwerk.core.monitoring.chart import DayValue, daily_means, line_chart

D = date(2026, 3, 1)


def test_daily_means_average_each_day() -> None:
    means = daily_means([(D, 20), (D, 40), (D + timedelta(days=2), 70)])
    assert means == (DayValue(D, 30.0, 2), DayValue(D + timedelta(days=2), 70.0, 1))


def test_the_line_breaks_where_a_day_has_no_answer_and_higher_is_up() -> None:
    chart = line_chart(
        daily_means([(D, 0), (D + timedelta(days=1), 100), (D + timedelta(days=3), 50)]),
        first_day=D,
        days=4,
        minimum=0,
        maximum=100,
    )
    assert [len(s) for s in chart.segments] == [2, 1]
    first, second, fourth = chart.points
    assert first.x == chart.left and fourth.x == chart.right
    assert first.y == chart.bottom and second.y == chart.top
    assert fourth.y == (chart.top + chart.bottom) / 2


def test_values_outside_the_period_are_left_out_and_a_bad_scale_is_refused() -> None:
    chart = line_chart(
        [DayValue(D - timedelta(days=1), 5, 1)], first_day=D, days=7, minimum=0, maximum=10
    )
    assert chart.segments == ()
    with pytest.raises(ValueError):
        line_chart([], first_day=D, days=7, minimum=10, maximum=10)
