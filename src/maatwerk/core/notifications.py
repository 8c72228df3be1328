"""When to e-mail someone that something waits for them in Maatwerk.

The e-mail only says *that* something waits (never what), so one e-mail per quiet
period is enough: a patient who writes five messages in a row should not flood the
clinician's mailbox, and neither should five pieces of feedback flood the patient's.
The period is a product choice, not a clinical value.
"""

from __future__ import annotations

from datetime import datetime, timedelta

QUIET_PERIOD = timedelta(minutes=15)


def notification_due(
    last_sent_at: datetime | None, now: datetime, *, quiet_period: timedelta = QUIET_PERIOD
) -> bool:
    """True when no e-mail of this kind went to the recipient within ``quiet_period``
    before ``now`` (or never). A last time in the future (a clock set back) counts as
    recent, so a wrong clock never causes a burst of e-mails."""
    if last_sent_at is None:
        return True
    return now - last_sent_at >= quiet_period
