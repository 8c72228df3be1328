"""How a prompt reaches the patient: e-mail, Web Push, or a development outbox.

A channel's :meth:`send` returns an :class:`Outcome` or raises :class:`SendFailed` with a
short reason for the delivery log. Messages say only *that* a question waits, never
what it asks (a lock screen or a shared mailbox shows them): the patient opens the app
to see it.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from maatwerk.web.common.links import site_url
from maatwerk.web.monitoring.models import Channel, Prompt, PushSubscription

logger = logging.getLogger(__name__)


def web_push_configured() -> bool:
    """The server can send phone notifications: both VAPID keys are set."""
    return bool(settings.MAATWERK_VAPID_PUBLIC_KEY and settings.MAATWERK_VAPID_PRIVATE_KEY)


@dataclass(frozen=True)
class Outcome:
    delivered: bool  # the channel confirmed the message reached the device/outbox
    detail: str = ""


class SendFailed(Exception):
    """The message did not go out; ``str(error)`` is the reason for the log."""


class PromptChannel(Protocol):
    def send(self, prompt: Prompt, *, reminder: bool) -> Outcome: ...


def _texts(prompt: Prompt, reminder: bool) -> tuple[str, str]:
    with override(prompt.patient.language or "nl"):
        if reminder:
            return _("Reminder: a short question waits"), _(
                "There is still a short question waiting for you in Maatwerk."
            )
        if prompt.kind == Prompt.Kind.ROM:
            return _("A questionnaire waits"), _(
                "There is a questionnaire waiting for you in Maatwerk."
            )
        return _("A short question waits"), _(
            "There is a short question waiting for you in Maatwerk."
        )


def _link() -> str:
    return site_url("/portal/")


class EmailChannel:
    def send(self, prompt: Prompt, *, reminder: bool) -> Outcome:
        user = prompt.patient.user
        if user is None or not user.email or not user.is_active:
            raise SendFailed("no_email_address")
        subject, body = _texts(prompt, reminder)
        with override(prompt.patient.language or "nl"):
            text = body + "\n\n" + _("Open Maatwerk to answer: %(url)s") % {"url": _link()}
        send_mail(subject=subject, message=text, from_email=None, recipient_list=[user.email])
        return Outcome(delivered=False)  # e-mail gives no receipt


class FileChannel:
    """Development: one JSON line per message in ``MAATWERK_MONITORING_OUTBOX``."""

    def send(self, prompt: Prompt, *, reminder: bool) -> Outcome:
        path = Path(settings.MAATWERK_MONITORING_OUTBOX)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "prompt": str(prompt.public_id),
                "reminder": reminder,
                "sent_at": timezone.now().isoformat(),
                "pid": os.getpid(),
            }
        )
        # One write of one short line with O_APPEND: lines of several workers never mix.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (line + "\n").encode())
        finally:
            os.close(descriptor)
        return Outcome(delivered=True, detail="outbox")


class ConsoleChannel:
    def send(self, prompt: Prompt, *, reminder: bool) -> Outcome:
        subject, _body = _texts(prompt, reminder)
        logger.warning("[monitoring console] %s: %s", prompt.public_id, subject)
        return Outcome(delivered=True, detail="console")


class PushChannel:
    """Web Push (RFC 8030) with payload encryption (RFC 8291) and VAPID (RFC 8292)
    through ``pywebpush``, to every live subscription of the patient."""

    def send(self, prompt: Prompt, *, reminder: bool) -> Outcome:
        from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

        private_key = settings.MAATWERK_VAPID_PRIVATE_KEY
        if not private_key:
            raise SendFailed("vapid_not_configured")
        subscriptions = list(
            PushSubscription.objects.filter(patient_id=prompt.patient_id, gone_at__isnull=True)
        )
        if not subscriptions:
            raise SendFailed("no_push_subscription")
        title, body = _texts(prompt, reminder)
        payload = json.dumps(
            {"title": title, "body": body, "url": _link(), "prompt": str(prompt.public_id)}
        )
        ttl = max(60, int((prompt.expires_at - timezone.now()).total_seconds()))
        accepted = 0
        statuses: list[str] = []
        for subscription in subscriptions:
            try:
                response = webpush(
                    subscription_info={
                        "endpoint": subscription.endpoint,
                        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                    },
                    data=payload,
                    vapid_private_key=private_key,
                    vapid_claims={"sub": settings.MAATWERK_VAPID_SUBJECT},
                    ttl=ttl,
                    timeout=10,
                )
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                statuses.append(str(status or type(error).__name__))
                if status in (404, 410):
                    PushSubscription.objects.filter(pk=subscription.pk).update(
                        gone_at=timezone.now()
                    )
                continue
            statuses.append(str(getattr(response, "status_code", "ok")))
            accepted += 1
            PushSubscription.objects.filter(pk=subscription.pk).update(
                last_success_at=timezone.now()
            )
        if not accepted:
            raise SendFailed("push_refused:" + ",".join(statuses))
        # The push service accepted it; whether the phone showed it, only the phone knows.
        return Outcome(delivered=False, detail="push:" + ",".join(statuses))


CHANNELS: dict[str, PromptChannel] = {
    Channel.EMAIL: EmailChannel(),
    Channel.PUSH: PushChannel(),
    Channel.FILE: FileChannel(),
    Channel.CONSOLE: ConsoleChannel(),
}


def channel_for(name: str) -> PromptChannel:
    return CHANNELS[name]
