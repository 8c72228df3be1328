"""The authentication backend: allauth's, with a user read that brings the actor along.

Django reads the signed-in user once per request (``get_user``). Every request then
builds the actor (:func:`maatwerk.web.common.actor.actor_for_user`): the user's patient
record, whether they have a TOTP authenticator (the second-factor check) and whether
they work here. Reading those in the same query as the user makes a patient's request
one query cheaper than reading them after it, and two cheaper than before either
(docs/performance.md, "What a patient write costs").
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend

from maatwerk.web.common.actor import signed_in_user


class ActorAuthenticationBackend(AuthenticationBackend):  # type: ignore[misc]
    """allauth's backend (login by e-mail address); only the per-request user read
    differs. Sessions signed in with Django's or allauth's own backend keep working:
    both stay listed after this one in ``AUTHENTICATION_BACKENDS``."""

    def get_user(self, user_id: Any) -> Any:
        user = signed_in_user(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
