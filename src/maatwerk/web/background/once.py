"""Make the effect of a task happen once, however often the task runs.

Task queues deliver at least once: a task can be enqueued twice for one event (two
workers' schedulers, a retry), or run again after a worker died. A task therefore claims
its effect under a key that names the event, e.g. ``"notification:12:message:<time>"``:

- **Database effects** (mark a signal escalated, create a prompt): call
  :func:`claim_once` inside the same ``transaction.atomic()`` that writes the effect. The
  claim and the effect commit together or not at all: exactly once.
- **Effects outside the database** (send an e-mail, a push message): call
  :func:`claim_once` on its own (it commits at once), then act, then :func:`finish`. A
  second run finds the claim and does nothing, so the effect happens at most once; a
  worker killed between the claim and the act loses that one effect, and the claim
  without ``finished_at`` shows it to the operator.

Two workers claiming the same key at the same moment: the unique index lets one insert
win; PostgreSQL makes the other wait for that commit and then fail the insert, SQLite
serializes writers. Either way exactly one claim succeeds.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from maatwerk.web.background.models import DoneOnce

KEY_LENGTH = DoneOnce._meta.get_field("key").max_length or 200


def claim_once(key: str) -> bool:
    """True when this caller is the first to claim ``key`` (and must now do the work);
    False when it was claimed before (the work is done or being done elsewhere)."""
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"a claim key must be 1 to {KEY_LENGTH} characters, got {key!r}")
    try:
        with transaction.atomic():
            DoneOnce.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def finish(key: str, outcome: str) -> None:
    """Record what the claimed work came to ("sent", or the error that stopped it)."""
    DoneOnce.objects.filter(key=key).update(finished_at=timezone.now(), outcome=outcome[:200])
