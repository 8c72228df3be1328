"""Side effects of account events: changing a password ends every other session."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver
from django.http import HttpRequest

from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import sessions_end


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def end_other_sessions(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sessions_end(user=user, keep_session_key=request.session.session_key)
