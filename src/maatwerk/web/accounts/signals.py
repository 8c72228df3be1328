"""Side effects of account events: changing a password ends every other session;
activating TOTP counts as passing the second factor in this session."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.models import Authenticator
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import sessions_end


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def end_other_sessions(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    sessions_end(user=user, keep_session_key=request.session.session_key)


@receiver(post_save, sender=Authenticator)
def second_factor_passed_on_activation(
    sender: type[Authenticator], instance: Authenticator, created: bool, **kwargs: object
) -> None:
    # Activating TOTP requires a valid code from the new authenticator, so the session
    # that activates it has just passed the second factor; without this record the user
    # would be sent to log in again straight after setting it up.
    if not created or instance.type != Authenticator.Type.TOTP:
        return
    from allauth.account.internal.flows.login import record_authentication
    from allauth.core import context

    request = context.request
    if request is None or getattr(request.user, "pk", None) != instance.user_id:
        return
    record_authentication(
        request, request.user, "mfa", id=instance.pk, type=instance.type, activated=True
    )
