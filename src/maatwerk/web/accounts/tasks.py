"""The invitation e-mail, sent by a background task that receives the invitation's id.

The task derives the link's token again (``invitation_token``), so no secret passes
through the task queue; it claims the invitation first (``claim_once``), so a task
delivered twice sends one e-mail. An invitation used, revoked or expired by the time the
task runs is not sent. The e-mail holds no clinical content: who invites, the link, and
until when it works."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from maatwerk.web.accounts.models import Invitation
from maatwerk.web.background.once import claim_once, finish
from maatwerk.web.common.links import site_url


@task()
def invitation_email_send(invitation_id: int) -> int:
    """E-mail the invitation link to the invited user, at most once; returns 1 or 0."""
    from maatwerk.web.accounts.services import invitation_token

    invitation = (
        Invitation.objects.select_related("user", "created_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.used_at or invitation.revoked_at:
        return 0
    if invitation.expires_at <= timezone.now() or not invitation.user.is_active:
        return 0
    key = f"invitation-email:{invitation.pk}"
    if not claim_once(key):
        return 0
    user = invitation.user
    link = site_url(f"/invite/{invitation_token(invitation)}/")
    with override(user.language):
        valid_until = timezone.localtime(invitation.expires_at)
        body = _(
            "Hello %(name)s,\n\n"
            "%(inviter)s has invited you to Maatwerk, where you and your care provider work "
            "on your care together.\n\n"
            "Open this link to read how we handle your data and to choose your password:\n"
            "%(link)s\n\n"
            "The link works once, until %(until)s. Has it expired? Ask your care provider "
            "for a new link."
        ) % {
            "name": user.full_name,
            "inviter": invitation.created_by.full_name,
            "link": link,
            "until": f"{valid_until:%d-%m-%Y %H:%M}",
        }
        subject = _("Your invitation to Maatwerk")
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as error:  # pragma: no cover - recorded for the operator
        finish(key, f"not sent: {type(error).__name__}")
        raise
    finish(key, "sent")
    return 1
