"""Partners and parents: inviting and revoking a relative, and what a relative may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis
from maatwerk.core.age import may_be_minor
from maatwerk.core.modules.model import Module
from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import IssuedInvitation, invitation_issue
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ModuleAssignment, RelativeAccess
from maatwerk.web.treatment.services._common import _clinician_membership, _subject, module_of


def relatives_read(*, actor: Actor, access: PatientAccess) -> list[RelativeAccess]:
    relatives = list(selectors.relatives_of(access))
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(access, selectors.OBJECT_RELATIVE),
        emergency=access.emergency,
        detail=f"{len(relatives)} shown",
    )
    return relatives


@dataclass(frozen=True)
class RelativeInvited:
    relative: RelativeAccess
    invitation: IssuedInvitation | None  # None: the person already had an account


def relative_invite(
    *,
    actor: Actor,
    access: PatientAccess,
    email: str,
    full_name: str,
    relation: str,
    consent: bool,
) -> RelativeInvited:
    """Invite a partner or parent for the limited view, with the patient's consent: the
    patient gives it themselves, or the clinician records that the patient gave it."""
    by_clinician = access.basis is not AccessBasis.OWN_RECORD
    if by_clinician:
        _clinician_membership(actor, access)
    errors: dict[str, list[str]] = {}
    email = email.strip().lower()
    full_name = full_name.strip()
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
        raise ValidationError(errors)
    if actor.user is None:
        raise PermissionDenied(_("Log in first."))
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is not None and (
            user.pk == (access.patient.user_id or 0)
            or Membership.objects.filter(user=user).exists()
        ):
            raise ValidationError(
                {"email": [_("This e-mail address cannot be used for a partner or parent.")]}
            )
        if (
            user is not None
            and RelativeAccess.objects.filter(
                patient=access.patient, user=user, revoked_at__isnull=True
            ).exists()
        ):
            raise ValidationError({"email": [_("This person already has access.")]})
        invitation = None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            invitation = invitation_issue(user=user, created_by=actor.user)
        relative = RelativeAccess.objects.create(
            patient=access.patient,
            user=user,
            relation=relation,
            consent_given_by=actor.user,
            consent_recorded_by_clinician=by_clinician,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(access, selectors.OBJECT_RELATIVE, str(relative.public_id)),
            emergency=access.emergency,
            detail=f"{relation} invited; consent "
            + ("recorded by clinician" if by_clinician else "given by patient"),
        )
    if invitation is not None:
        send_mail(
            _("You are invited to Maatwerk"),
            _(
                "%(patient)s invited you to read along with part of their care in Maatwerk. "
                "Set your password with this link: %(path)s"
            )
            % {"patient": access.patient.full_name.split(" ")[0], "path": invitation.path},
            None,
            [email],
            fail_silently=True,
        )
    return RelativeInvited(relative=relative, invitation=invitation)


def relative_revoke(*, actor: Actor, relative: RelativeAccess, access: PatientAccess) -> None:
    if access.basis is not AccessBasis.OWN_RECORD:
        _clinician_membership(actor, access)
    if relative.revoked_at is not None:
        raise ValidationError({"": [_("This access was already ended.")]})
    with transaction.atomic():
        relative.revoked_at = timezone.now()
        relative.revoked_by = actor.user
        relative.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(access, selectors.OBJECT_RELATIVE, str(relative.public_id)),
            emergency=access.emergency,
            detail="access ended",
        )


@dataclass(frozen=True)
class SharedView:
    relative: RelativeAccess
    modules: list[tuple[ModuleAssignment, Module]]
    plan_summary: Any  # from the planning app when it offers one, else None
    # Under 18 or, in the year they turn 18, possibly so: only the year of birth is
    # stored (``maatwerk.core.age``).
    may_be_minor: bool


def shared_read(*, actor: Actor, relative: RelativeAccess, today: date) -> SharedView:
    """What a partner or parent may see: the psycho-education of the assigned modules,
    the agreed plan summary (if the planning app offers one) and, for a patient who may
    be a minor, the parent-report questionnaires. One audit event names the patient."""
    patient = relative.patient
    modules = [
        (assignment, module_of(assignment))
        for assignment in ModuleAssignment.objects.filter(patient=patient).order_by("assigned_at")
    ]
    audit_record(
        actor=actor,
        action="read",
        subject=patient_subject(
            patient, object_type=selectors.OBJECT_SHARED, object_ref=str(relative.public_id)
        ),
        detail=f"{relative.relation} view",
    )
    return SharedView(
        relative=relative,
        modules=modules,
        plan_summary=_plan_summary(patient),
        may_be_minor=may_be_minor(patient.birth_year, today),
    )


def _plan_summary(patient: Any) -> Any:
    """The agreed plan as the planning app summarizes it; absent until that app offers
    ``plan_summary_for``."""
    import importlib

    try:
        planning = importlib.import_module("maatwerk.web.planning.selectors")
    except ImportError:
        return None
    summary_for = getattr(planning, "plan_summary_for", None)
    if summary_for is None:
        return None
    try:
        return summary_for(patient)
    except TypeError:
        return summary_for(patient=patient)
