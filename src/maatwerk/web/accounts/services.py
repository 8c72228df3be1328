"""Account life cycle: invitations, setting a first password, disabling, ending sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.accounts.models import Invitation, User
from maatwerk.web.accounts.tasks import invitation_email_send
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor


class InvitationInvalid(Exception):
    """The link is unknown, used, revoked or expired; the message says which, gently."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        return f"/invite/{self.token}/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation) -> str:
    """The link's secret, derived from the invitation and the installation's secret key.

    Only its digest is stored, so a database copy alone cannot open the link; the
    background task that e-mails the link receives the invitation's id and derives the
    token again (no secret in the task queue)."""
    message = f"maatwerk-invitation:{invitation.pk}:{invitation.created_at.isoformat()}"
    mac = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def invitation_issue(*, user: User, created_by: User) -> IssuedInvitation:
    """A new single-use link for ``user``; earlier open links stop working. The caller
    e-mails it with :func:`invitation_mail_after_commit`."""
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        invitation = Invitation.objects.create(
            user=user,
            # A placeholder until the row has its id, from which the token is derived.
            token_digest=_digest(secrets.token_urlsafe(32)),
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(hours=settings.MAATWERK_INVITATION_VALID_HOURS),
        )
        token = invitation_token(invitation)
        invitation.token_digest = _digest(token)
        invitation.save(update_fields=["token_digest"])
    return IssuedInvitation(invitation=invitation, token=token)


def invitation_mail_after_commit(issued: IssuedInvitation) -> None:
    """Once the caller's transaction commits, a background task e-mails the link (the
    invitation's id only)."""
    invitation_id = issued.invitation.pk
    transaction.on_commit(lambda: invitation_email_send.enqueue(invitation_id))


def invitation_find(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("user").filter(token_digest=_digest(token)).first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationInvalid(
            _("This invitation link is not valid. Ask your care provider for a new link.")
        )
    if invitation.used_at is not None:
        raise InvitationInvalid(
            _("This invitation link has already been used. Log in with your password.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("This invitation link has expired. Ask your care provider for a new link.")
        )
    if not invitation.user.is_active:
        raise InvitationInvalid(
            _("This invitation link is not valid. Ask your care provider for a new link.")
        )
    return invitation


@dataclass(frozen=True)
class Accepted:
    user: User
    is_patient: bool  # goes on to the privacy statement


def invitation_accept(*, token: str, form: forms.Form, access_point: str) -> Accepted:
    """Set the first password with a valid invitation; the link can never be used again.
    A password the rules refuse is one refused event (which field, never the password)."""
    from maatwerk.web.common.actor import actor_for_user

    invitation = invitation_find(token=token)
    actor = actor_for_user(invitation.user, access_point=access_point)
    patient = actor.patient
    subject = AuditSubject(
        object_type="account",
        object_ref=str(invitation.user.public_id),
        patient_ref=str(patient.public_id) if patient is not None else "",
        organization_ref=str(patient.organization.public_id) if patient is not None else "",
    )
    with audited(
        actor=actor, action="update", subject=subject, detail="password set with invitation"
    ):
        password = str(valid_form(form)["password1"])
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None:
            raise InvitationInvalid(
                _("This invitation link has already been used. Log in with your password.")
            )
        user = locked.user
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise InputRefused({"password1": error.messages}) from error
        user.set_password(password)
        user.save(update_fields=["password"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        return Accepted(user=user, is_patient=patient is not None)


def sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End the user's sessions on the server (all, or all but the current one)."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        if keep_session_key is not None and user_session.session_key == keep_session_key:
            continue
        user_session.end()
        ended += 1
    return ended


def user_disable(*, actor: Actor, user: User) -> None:
    """Disable an account: it can no longer log in and its open sessions end now. An admin
    cannot disable their own account (refused)."""
    with audited(
        actor=actor,
        action="update",
        subject=AuditSubject(object_type="account", object_ref=str(user.public_id)),
        detail="account disabled",
    ):
        if actor.user is not None and actor.user.pk == user.pk:
            raise InputRefused(_("You cannot disable your own account."))
        user.is_active = False
        user.save(update_fields=["is_active"])
        Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        sessions_end(user=user)


def validation_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]
