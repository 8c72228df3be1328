"""The quiet period between two "something waits for you" e-mails of the same kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from maatwerk.core.notifications import QUIET_PERIOD, notification_due

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_quiet_period_is_fifteen_minutes() -> None:
    # The product rule for notifications: at most one e-mail per recipient per
    # 15 minutes for the same kind.
    assert timedelta(minutes=15) == QUIET_PERIOD


def test_never_notified_is_due() -> None:
    assert notification_due(None, NOW)


def test_within_the_quiet_period_is_not_due() -> None:
    assert not notification_due(NOW - timedelta(minutes=14, seconds=59), NOW)
    assert not notification_due(NOW, NOW)


def test_at_and_after_the_end_of_the_quiet_period_is_due() -> None:
    # 15 minutes exactly: the period has passed (>=), so the next e-mail may go.
    assert notification_due(NOW - timedelta(minutes=15), NOW)
    assert notification_due(NOW - timedelta(hours=3), NOW)


def test_a_last_time_in_the_future_counts_as_recent() -> None:
    assert not notification_due(NOW + timedelta(minutes=5), NOW)


def test_the_period_can_be_given() -> None:
    assert notification_due(NOW - timedelta(minutes=2), NOW, quiet_period=timedelta(minutes=1))
