"""E-mail a patient or their treating clinicians that something waits in Maatwerk.

Privacy: the e-mail says only that there is something new, never what or from whom,
because e-mail leaves our hands (shared mailboxes, lock screens, providers). The
reader logs in to see it.

The decision (who, and whether the quiet period allows it) is taken and recorded in the
caller's transaction. Once that commits, one background task per recipient is enqueued
with ids only; the task loads the address and language itself and sends. A change that
is rolled back therefore never announces anything, and a task that runs twice for the
same decision sends one e-mail (``maatwerk.web.background.once``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from maatwerk.core.notifications import notification_due
from maatwerk.web.accounts.models import User
from maatwerk.web.background.once import claim_once, finish
from maatwerk.web.common.links import site_url
from maatwerk.web.patients.models import CareTeamMember, Patient
from maatwerk.web.treatment.models import NotificationSent

Kind = NotificationSent.Kind


def notify_patient(patient: Patient, kind: str, *, login_url: str | None = None) -> None:
    """The patient (if they have an account) hears that feedback or a message waits."""
    if patient.user_id is None:
        return
    _notify(User.objects.filter(pk=patient.user_id), kind, login_url=login_url)


def notify_care_team(patient: Patient, kind: str, *, login_url: str | None = None) -> None:
    """The treating clinicians (active care team of an active episode) hear that
    homework or a message of one of their patients waits."""
    member_users = CareTeamMember.objects.filter(
        episode__patient=patient, episode__status="active", is_active=True
    ).values("membership__user")
    _notify(User.objects.filter(pk__in=member_users), kind, login_url=login_url)


def _notify(recipients: Iterable[User], kind: str, *, login_url: str | None) -> None:
    """Within the caller's transaction: record the e-mail as sent for every recipient
    outside the quiet period, and enqueue its sending once the transaction commits. The
    rows are locked so two requests at once cannot both decide to send."""
    now = timezone.now()
    due: list[int] = []
    for user in recipients:
        if not user.email or not user.is_active:
            continue
        sent, created = NotificationSent.objects.select_for_update().get_or_create(
            user=user, kind=kind, defaults={"last_sent_at": now}
        )
        if not created:
            if not notification_due(sent.last_sent_at, now):
                continue
            sent.last_sent_at = now
            sent.save(update_fields=["last_sent_at"])
        due.append(user.pk)
    if due:
        # A link built from the request knows the host the reader used; otherwise the
        # configured public address, so the e-mail still holds a link that works.
        link = login_url or site_url(reverse("account_login"))
        decided_at = now.isoformat()

        def enqueue() -> None:
            for user_id in due:
                notification_email_send.enqueue(user_id, kind, decided_at, link)

        transaction.on_commit(enqueue)


@task()
def notification_email_send(user_id: int, kind: str, decided_at: str, login_url: str) -> bool:
    """Send the content-free e-mail of one decision (recipient, kind, moment) at most
    once; returns whether this run sent it."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False  # the account was closed or lost its address since
    key = f"notification:{user_id}:{kind}:{decided_at}"
    if not claim_once(key):
        return False
    try:
        with override(user.language or "nl"):
            send_mail(
                subject=_("New message in Maatwerk"),
                message=_("There is a new message waiting for you in Maatwerk.")
                + "\n\n"
                + _("Log in to read it: %(url)s") % {"url": login_url},
                from_email=None,
                recipient_list=[user.email],
            )
    except Exception as error:
        finish(key, f"failed: {type(error).__name__}")
        raise
    finish(key, "sent")
    return True
