"""Partners and parents: inviting and revoking a relative, accepting an invitation, and
what a relative may see.

An invitation makes no account and looks up none: the answer to the inviter is the same
whether the address belongs to nobody, to a patient or to a staff member, and nobody can
claim an address for an account before its owner does. The account is made (or an
existing one linked) only when the invited person accepts with the link sent to them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.age import may_be_minor
from maatwerk.core.modules.model import Module
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess, patient_subject
from maatwerk.web.planning.relatives import RelativePlan, plan_for_relatives
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ModuleAssignment, RelativeAccess
from maatwerk.web.treatment.services._common import check_input, module_of
from maatwerk.web.treatment.services.parent import parent_view_allowed


def relatives_read(*, actor: Actor, access: PatientAccess) -> list[RelativeAccess]:
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(selectors.OBJECT_RELATIVE),
        emergency=access.emergency,
    ) as note:
        relatives = list(selectors.relatives_of(access))
        note.detail = f"{len(relatives)} shown"
    return relatives


@dataclass(frozen=True)
class RelativeInvited:
    relative: RelativeAccess
    token: str  # the secret in the link; only ever sent to the invited address

    @property
    def path(self) -> str:
        return f"/treatment/relatives/accept/{self.token}/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def relative_invite(
    *,
    form: forms.Form | None = None,
    actor: Actor,
    access: PatientAccess,
    email: str,
    full_name: str,
    relation: str,
    consent: bool,
    link_base: str = "",
) -> RelativeInvited:
    """Invite a partner or parent for the limited view, with the patient's consent: the
    patient gives it themselves, or the clinician records that the patient gave it.

    The link is e-mailed to the address (``link_base``: scheme and host for it). No
    account is looked up or made here, so the result tells the inviter nothing about
    the address."""
    by_clinician = not access.by_patient
    email = email.strip().lower()
    full_name = full_name.strip()
    with audited(
        actor=actor,
        action="create",
        subject=access.subject(selectors.OBJECT_RELATIVE),
        emergency=access.emergency,
        detail=f"{relation} invited; consent "
        + ("recorded by clinician" if by_clinician else "given by patient"),
    ) as note:
        check_input(form)
        errors: dict[str, list[str]] = {}
        if not consent:
            errors["consent"] = [
                _("Tick the box to confirm that the patient agrees.")
                if by_clinician
                else _("Tick the box to confirm that you agree.")
            ]
        if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
            errors["email"] = [_("Enter a valid e-mail address.")]
        if not full_name or len(full_name) > 200:
            errors["full_name"] = [_("Enter the name of the person you invite.")]
        if relation not in RelativeAccess.Relation.values:
            errors["relation"] = [_("Choose partner or parent.")]
        if errors:
            raise InputRefused(errors)
        if actor.user is None:  # pragma: no cover - the opener let only a user in
            raise InputRefused(_("Log in first."))
        # The patient's own list: whom they invited already is theirs to know.
        already = selectors.relatives_of(access).filter(revoked_at__isnull=True)
        if any(r.invited_email == email or (r.user and r.user.email == email) for r in already):
            raise InputRefused({"email": [_("You already invited this person.")]})
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        relative = RelativeAccess.objects.create(
            patient=access.patient,
            user=None,
            invited_email=email,
            invited_name=full_name,
            token_digest=_digest(token),
            invitation_expires_at=now + timedelta(hours=settings.MAATWERK_INVITATION_VALID_HOURS),
            relation=relation,
            consent_given_by=actor.user,
            consent_recorded_by_clinician=by_clinician,
            consent_given_at=now,
        )
        note.about(object_ref=str(relative.public_id))
    invited = RelativeInvited(relative=relative, token=token)
    send_mail(
        _("You are invited to Maatwerk"),
        _(
            "%(patient)s invited you to read along with part of their care in Maatwerk. "
            "Accept with this link: %(path)s"
        )
        % {"patient": access.patient.full_name.split(" ")[0], "path": link_base + invited.path},
        None,
        [email],
        fail_silently=True,
    )
    return invited


def relative_revoke(
    *, form: forms.Form | None = None, actor: Actor, opened: Opened[RelativeAccess]
) -> None:
    relative = opened.object
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(selectors.OBJECT_RELATIVE),
        emergency=opened.emergency,
        detail="access ended",
    ):
        check_input(form)
        if relative.revoked_at is not None:
            raise InputRefused(_("This access was already ended."))
        relative.revoked_at = timezone.now()
        relative.revoked_by = actor.user
        relative.save(update_fields=["revoked_at", "revoked_by"])


# ------------------------------------------------------------------ accepting


class InvitationNotValid(LookupError):
    """No pending invitation has this key (unknown, used, ended or expired)."""


def pending_invitation(token: str) -> RelativeAccess:
    """The pending invitation with this key (the key is the secret sent by e-mail)."""
    found = (
        RelativeAccess.objects.select_related("patient__organization")
        .filter(
            token_digest=_digest(token),
            user__isnull=True,
            revoked_at__isnull=True,
            invitation_expires_at__gt=timezone.now(),
        )
        .first()
        if token
        else None
    )
    if found is None:
        raise InvitationNotValid(token[:8])
    return found


def account_exists_for(relative: RelativeAccess) -> bool:
    """Whether the invited address already has an account (told only to the holder of
    the link, who owns the address): then they log in to accept."""
    return User.objects.filter(email__iexact=relative.invited_email).exists()


def _may_read_along(user: User, patient: Patient) -> bool:
    """A staff member or a patient of the care organization cannot be someone's partner
    account, nor can the patient themselves."""
    return user.pk != patient.user_id and not Membership.objects.filter(user=user).exists()


def _accept_subject(relative: RelativeAccess) -> AuditSubject:
    return patient_subject(
        relative.patient,
        object_type=selectors.OBJECT_RELATIVE,
        object_ref=str(relative.public_id),
    )


def relative_accept(
    *,
    actor: Actor,
    token: str,
    password1: str = "",
    password2: str = "",
) -> tuple[RelativeAccess, User]:
    """Accept an invitation: a signed-in user whose address it was sent to is linked;
    someone without an account sets a password and the account is made now. Writes one
    audit event (refused when the passwords or the account do not fit).
    Raises :class:`InvitationNotValid` for a key that opens no pending invitation."""
    relative = pending_invitation(token)
    with audited(
        actor=actor,
        action="update",
        subject=_accept_subject(relative),
        detail=f"{relative.relation} invitation accepted",
    ):
        locked = RelativeAccess.objects.select_for_update().get(pk=relative.pk)
        if locked.user_id is not None or locked.revoked_at is not None:
            raise InputRefused(_("This invitation has already been used."))
        user = actor.user
        if user is not None:
            if user.email.lower() != locked.invited_email:
                raise InputRefused(_("This invitation was sent to another e-mail address."))
        else:
            if account_exists_for(locked):
                raise InputRefused(_("You already have an account. Log in first."))
            user = User.objects.create_user(
                email=locked.invited_email,
                password=_new_password(password1, password2),
                full_name=locked.invited_name,
            )
        if not _may_read_along(user, locked.patient):
            raise InputRefused(_("This account cannot be used to read along."))
        locked.user = user
        locked.accepted_at = timezone.now()
        locked.token_digest = ""
        locked.save(update_fields=["user", "accepted_at", "token_digest"])
    return locked, user


def _new_password(password1: str, password2: str) -> str:
    if not password1:
        raise InputRefused({"password1": [_("Choose a password.")]})
    if password1 != password2:
        raise InputRefused({"password2": [_("The two passwords are not the same.")]})
    try:
        validate_password(password1)
    except ValidationError as error:
        raise InputRefused({"password1": list(error.messages)}) from None
    return password1


# ------------------------------------------------------------------ what a relative sees


@dataclass(frozen=True)
class SharedView:
    relative: RelativeAccess
    modules: list[tuple[ModuleAssignment, Module]]
    plan_summary: RelativePlan | None  # the agreed plan's goals and length, if any
    # Under 18 or, in the year they turn 18, possibly so: only the year of birth is
    # stored (``maatwerk.core.age``).
    may_be_minor: bool
    # A parent of a (possible) minor or of a patient with a parent involved also sees
    # the plan and homework (``treatment.services.parent``).
    parent_view: bool = False


def shared_read(*, actor: Actor, relative: RelativeAccess, today: date) -> SharedView:
    """What a partner or parent may see: the psycho-education of the assigned modules,
    the agreed plan summary (if the planning app offers one) and, for a patient who may
    be a minor, the parent-report questionnaires. One audit event names the patient."""
    patient = relative.patient
    with audited(
        actor=actor,
        action="read",
        subject=patient_subject(
            patient, object_type=selectors.OBJECT_SHARED, object_ref=str(relative.public_id)
        ),
        detail=f"{relative.relation} view",
    ):
        modules = [
            (assignment, module_of(assignment))
            for assignment in selectors.modules_shared_with(relative)
        ]
        return SharedView(
            relative=relative,
            modules=modules,
            plan_summary=_plan_summary(patient),
            may_be_minor=may_be_minor(patient.birth_year, today),
            parent_view=parent_view_allowed(relative, today),
        )


def _plan_summary(patient: Patient) -> RelativePlan | None:
    """The agreed plan as far as a relative reads it (its goals and length)."""
    return plan_for_relatives(patient)
