"""The session store: Django's database sessions, read with a prepared query.

Every signed-in request reads its session first. The query never changes shape (one
row by key, not expired), so it is compiled once per process
(:mod:`maatwerk.web.common.prepared`); writing, expiry and clearing stay Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from maatwerk.web.common.prepared import PreparedQuery

_UNEXPIRED = PreparedQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    {"key": (Session, "session_key"), "now": (Session, "expire_date")},
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        found = _UNEXPIRED.first(
            router.db_for_read(Session), key=self.session_key, now=timezone.now()
        )
        if found is None:
            # As Django's store: an unknown or expired key starts an empty session.
            self._session_key = None
        return found
