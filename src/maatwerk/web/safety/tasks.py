"""E-mails about safety signals, sent by background tasks that receive ids.

No e-mail carries clinical content: it says that a signal waits and links to the page
where a signed-in clinician reads it. Each task claims its event first (``claim_once``),
so a task delivered twice sends its e-mails once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from maatwerk.web.accounts.models import User
from maatwerk.web.background.once import claim_once, finish
from maatwerk.web.common.links import site_url
from maatwerk.web.organizations.models import Discipline
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.questionnaires.models import SafetyAlert


@task()
def signal_email_send(alert_ids: list[str]) -> int:
    """E-mail the active care team that a signal waits, at most once for these signals;
    returns how many e-mails were sent (one per language)."""
    alerts = list(SafetyAlert.objects.filter(public_id__in=alert_ids))
    if not alerts:
        return 0
    members = CareTeamMember.objects.filter(
        episode__patient_id=alerts[0].patient_id,
        episode__status="active",
        is_active=True,
        membership__user__is_active=True,
    ).select_related("membership__user")
    # The signals of one answer or submission are one event: its first signal names it.
    return _send_once(
        key=f"safety-alert-email:{min(alert_ids)}",
        users=(member.membership.user for member in members),
        subject=lambda: _("Maatwerk: a safety alert needs your attention"),
        body=lambda: _(
            "A safety signal of one of your patients needs your attention now. "
            "Log in to Maatwerk and open your alerts."
        ),
        path=reverse("clinic:alerts"),
    )


@task()
def escalation_email_send(alert_id: str) -> int:
    """E-mail the backup clinicians of the treating teams and the GPs on the care team that
    a signal was not picked up in time, at most once per escalated signal."""
    alert = SafetyAlert.objects.filter(public_id=alert_id).first()
    if alert is None:
        return 0
    return _send_once(
        key=f"safety-escalation-email:{alert_id}",
        users=escalation_recipients(alert.patient_id),
        subject=lambda: _("Maatwerk: a safety signal has not been picked up"),
        body=lambda: _(
            "A safety signal of a patient in your team has not been picked up in time. "
            "Log in to Maatwerk and open the team's open safety signals."
        ),
        path=reverse("safety:team"),
    )


def escalation_recipients(patient_id: int) -> list[User]:
    """The backup clinicians of the teams treating the patient and the GPs (huisartsen)
    on the patient's care team."""
    entries = CareTeamMember.objects.filter(
        episode__patient_id=patient_id, episode__status="active", is_active=True
    ).select_related("episode__team__backup_clinician__user", "membership__user")
    users: dict[int, User] = {}
    for entry in entries:
        backup = entry.episode.team.backup_clinician
        if backup is not None and backup.is_active and backup.user.is_active:
            users[backup.user.pk] = backup.user
        membership = entry.membership
        is_gp = membership.discipline == Discipline.HUISARTS
        if is_gp and membership.is_active and membership.user.is_active:
            users[membership.user.pk] = membership.user
    return [users[pk] for pk in sorted(users)]


def _send_once(
    *,
    key: str,
    users: Iterable[User],
    subject: Callable[[], str],
    body: Callable[[], str],
    path: str,
) -> int:
    """Claim the event, then send one e-mail per language (the texts are made inside the
    language, hence callables)."""
    by_language: dict[str, set[str]] = {}
    for user in users:
        if user.email:
            by_language.setdefault(user.language or "nl", set()).add(user.email)
    if not by_language or not claim_once(key):
        return 0
    sent = 0
    try:
        for language, addresses in sorted(by_language.items()):
            with override(language):
                message = body()
                link = site_url(path)
                # A relative path is no use in a mail client: only a full address is added.
                if link.startswith(("https://", "http://")):
                    message += "\n\n" + link
                send_mail(
                    subject=subject(),
                    message=message,
                    from_email=None,
                    recipient_list=sorted(addresses),
                )
            sent += 1
    except Exception as error:
        finish(key, f"failed after {sent} e-mail(s): {type(error).__name__}")
        raise
    finish(key, f"sent {sent} e-mail(s)")
    return sent
