"""Account life cycle: invitations, setting a first password, disabling, ending sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.accounts.models import Invitation, User
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.audit.services import AuditSubject, audit_record
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


def invitation_issue(*, user: User, created_by: User) -> IssuedInvitation:
    """A new single-use link for ``user``; earlier open links stop working."""
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            user=user,
            token_digest=_digest(token),
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(hours=settings.MAATWERK_INVITATION_VALID_HOURS),
        )
    return IssuedInvitation(invitation=invitation, token=token)


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


def invitation_accept(*, token: str, password: str, access_point: str) -> User:
    """Set the first password with a valid invitation; the link can never be used again."""
    with transaction.atomic():
        invitation = invitation_find(token=token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationInvalid(
                _("This invitation link has already been used. Log in with your password.")
            )
        user = invitation.user
        validate_password(password, user=user)
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        from maatwerk.web.common.actor import actor_for_user

        actor = actor_for_user(user, access_point=access_point)
        patient = actor.patient
        audit_record(
            actor=actor,
            action="update",
            subject=AuditSubject(
                object_type="account",
                object_ref=str(user.public_id),
                patient_ref=str(patient.public_id) if patient is not None else "",
                organization_ref=str(patient.organization.public_id) if patient is not None else "",
            ),
            detail="password set with invitation",
        )
    return user


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
