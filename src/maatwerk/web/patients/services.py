"""Changes to patient records. Each service is one transaction with its audit event."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.contact import InvalidPhoneNumber, parse_phone_number
from maatwerk.core.referral.postcode import InvalidPostcode, parse_postcode
from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import (
    IssuedInvitation,
    invitation_issue,
    invitation_mail_after_commit,
)
from maatwerk.web.audit.audited import AuditNote, InputRefused, audited, valid_form
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import (
    CareEpisode,
    CareTeamMember,
    EmergencyAccess,
    Patient,
)
from maatwerk.web.patients.opening import PatientAccess, patient_subject


@dataclass(frozen=True)
class PatientRegistration:
    full_name: str
    email: str
    birth_year: int
    sex: str
    language: str
    birth_date: date | None = None
    presenting_complaint: str = ""
    condition: str = ""
    postcode: str = ""


def postcode_for_record(text: str) -> str:
    """The postcode as stored on the patient record (``3511AB``), or "" when none is given.

    Raises a ValidationError on the ``postcode`` field that says what is wrong.
    """
    if not text.strip():
        return ""
    try:
        postcode = parse_postcode(text)
    except InvalidPostcode as error:
        messages = {
            "leading_zero": _(
                "A Dutch postcode does not start with 0. Enter 4 digits and 2 letters, "
                "such as 3511 AB."
            ),
            "letters_not_issued": _(
                "The letters SA, SD and SS are not used in Dutch postcodes. Check the postcode."
            ),
        }
        message = messages.get(
            error.problem, _("Enter a Dutch postcode: 4 digits and 2 letters, such as 3511 AB.")
        )
        raise ValidationError({"postcode": message}) from None
    return postcode.pc4 + postcode.letters


def phone_problem_message(problem: str) -> str:
    """What is wrong with a phone number, for the person who typed it."""
    messages = {
        "characters": _(
            "A phone number has only digits, spaces and hyphens, and may start with +. "
            "For example 06-12345678."
        ),
        "too_short": _("This phone number is too short. Check that no digits are missing."),
        "too_long": _("This phone number is too long. Check for extra digits."),
        "country_code": _(
            "Start an international number with + and the country code, such as +32 for Belgium."
        ),
        "dutch_prefix": _(
            "Start a Dutch number with 0 and the area code (020-1234567) or 06 (06-12345678), "
            "or an international number with + and the country code."
        ),
        "dutch_length": _(
            "A Dutch 0800 or 0900 number has 4 or 7 digits after 0800 or 0900, such as 0800-0113."
        ),
    }
    return messages.get(problem, _("Enter a phone number such as 06-12345678 or +32 470 12 34 56."))


def phone_for_record(text: str, *, field: str) -> str:
    """The phone number as stored (E.164, ``+31612345678``), or "" when none is given.

    Raises a ValidationError on ``field`` that says what is wrong."""
    if not text.strip():
        return ""
    try:
        return parse_phone_number(text).e164
    except InvalidPhoneNumber as error:
        raise ValidationError({field: phone_problem_message(error.problem)}) from None


def birth_year_problem(year: int) -> str:
    """What is wrong with a year of birth, or "" when it is plausible."""
    current_year = timezone.localdate().year
    if 1900 <= year <= current_year:
        return ""
    return _("Enter a year of birth between 1900 and %(year)s.") % {"year": current_year}


@dataclass(frozen=True)
class RegisteredPatient:
    patient: Patient
    invitation: IssuedInvitation


def _clinician_membership(actor: Actor, membership_id: int | None = None) -> Membership:
    memberships = actor.memberships_with(Role.CLINICIAN)
    if membership_id is not None:
        memberships = tuple(m for m in memberships if m.pk == membership_id)
    if not memberships:
        raise PermissionDenied(_("Only a clinician can do this."))
    return memberships[0]


def patient_register(
    *, actor: Actor, form: forms.Form, membership_id: int | None = None
) -> RegisteredPatient:
    """Register a patient with minimal data, open a care episode in the clinician's team
    with the clinician on its care team, and issue an invitation link (e-mailed to the
    patient by a background task once the registration commits)."""
    with audited(actor=actor, action="create", subject=AuditSubject(object_type="patient")) as note:
        data = PatientRegistration(**valid_form(form))  # type: ignore[arg-type]
        membership = _clinician_membership(actor, membership_id)
        if actor.user is None or membership.team is None:
            raise PermissionDenied(_("Only a clinician in a team can register patients."))
        problem = birth_year_problem(data.birth_year)
        if problem:
            raise InputRefused({"birth_year": [problem]})
        postcode = postcode_for_record(data.postcode)
        email = data.email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise InputRefused(
                {"email": [_("This e-mail address is already in use. Use another address.")]}
            )
        user = User.objects.create_user(
            email=email, password=None, full_name=data.full_name.strip(), language=data.language
        )
        patient = Patient.objects.create(
            organization=membership.organization,
            user=user,
            full_name=data.full_name.strip(),
            birth_year=data.birth_year,
            birth_date=data.birth_date,
            sex=data.sex,
            language=data.language,
            presenting_complaint=data.presenting_complaint.strip(),
            postcode=postcode,
        )
        episode = CareEpisode.objects.create(
            patient=patient, team=membership.team, condition=data.condition.strip()
        )
        CareTeamMember.objects.create(episode=episode, membership=membership)
        invitation = invitation_issue(user=user, created_by=actor.user)
        invitation_mail_after_commit(invitation)
        note.subject = patient_subject(patient)
        return RegisteredPatient(patient=patient, invitation=invitation)


@dataclass(frozen=True)
class PatientDetails:
    """What a clinician of the care team may correct after registration. The e-mail
    address belongs to the patient's account and is not changed here."""

    full_name: str
    birth_year: int
    sex: str
    language: str
    birth_date: date | None = None
    presenting_complaint: str = ""
    postcode: str = ""
    phone_mobile: str = ""
    phone_landline: str = ""
    gp_name: str = ""
    gp_practice: str = ""
    gp_phone: str = ""
    interpreter_language: str = ""


DETAIL_FIELDS = (
    "full_name",
    "birth_year",
    "birth_date",
    "sex",
    "language",
    "presenting_complaint",
    "postcode",
    "phone_mobile",
    "phone_landline",
    "gp_name",
    "gp_practice",
    "gp_phone",
    "interpreter_language",
)
PHONE_FIELDS = ("phone_mobile", "phone_landline", "gp_phone")


def patient_details_update(*, actor: Actor, access: PatientAccess, form: forms.Form) -> Patient:
    """Correct a patient's details. Every problem is reported at once and nothing is saved
    then (the refusal is audited); a change is audited with the names of the fields that
    changed, never their values. Saving unchanged details writes nothing but the event.

    Only the care team may do this: emergency access is for reading and acting in a crisis,
    not for changing who the patient is on record (a denial)."""

    def event() -> AbstractContextManager[AuditNote]:
        return audited(
            actor=actor, action="update", subject=access.subject(), emergency=access.emergency
        )

    if access.emergency:
        with event() as note:
            note.detail = "details refused: emergency access"
            raise PermissionDenied(
                _("Only the patient's care team can change these details, not emergency access.")
            )
    try:
        wanted = _wanted_details(PatientDetails(**valid_form(form)))  # type: ignore[arg-type]
    except InputRefused:
        with event():
            raise
    changed = [name for name in DETAIL_FIELDS if getattr(access.patient, name) != wanted[name]]
    if not changed:
        return access.patient  # nothing to save, nothing to audit
    with event() as note:
        locked = Patient.objects.select_for_update().get(pk=access.patient.pk)
        for name in changed:
            setattr(locked, name, wanted[name])
        locked.save(update_fields=changed)
        if "full_name" in changed and locked.user is not None:
            # The account carries the name used in e-mails; keep the two the same.
            locked.user.full_name = str(wanted["full_name"])
            locked.user.save(update_fields=["full_name"])
        note.detail = "changed: " + ", ".join(changed)
        return locked


def _wanted_details(data: PatientDetails) -> dict[str, object]:
    """The stored form of the details, or InputRefused naming every problem at once."""
    errors: dict[str, list[str]] = {}
    full_name = data.full_name.strip()
    if not full_name:
        errors["full_name"] = [_("Enter the patient's name.")]
    problem = birth_year_problem(data.birth_year)
    if problem:
        errors["birth_year"] = [problem]
    if data.sex not in Patient.Sex.values:
        errors["sex"] = [_("Choose one of the options for sex.")]
    if data.language not in {"nl", "en"}:
        errors["language"] = [_("Choose Nederlands or English.")]
    try:
        postcode = postcode_for_record(data.postcode)
    except ValidationError as error:
        errors.update(error.message_dict)
        postcode = ""
    phones: dict[str, str] = {}
    for name in PHONE_FIELDS:
        try:
            phones[name] = phone_for_record(getattr(data, name), field=name)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise InputRefused(errors)
    return {
        "full_name": full_name,
        "birth_year": data.birth_year,
        "birth_date": data.birth_date,
        "sex": data.sex,
        "language": data.language,
        "presenting_complaint": data.presenting_complaint.strip(),
        "postcode": postcode,
        **phones,
        "gp_name": data.gp_name.strip(),
        "gp_practice": data.gp_practice.strip(),
        "interpreter_language": data.interpreter_language.strip(),
    }


def patient_invitation_reissue(*, actor: Actor, access: PatientAccess) -> IssuedInvitation:
    """A fresh invitation link for a patient who has not set a password yet."""
    patient = access.patient
    with audited(
        actor=actor,
        action="create",
        subject=access.subject("invitation"),
        emergency=access.emergency,
    ) as note:
        if actor.user is None or patient.user is None:
            raise PermissionDenied(_("This patient has no account."))
        if patient.user.has_usable_password():
            raise InputRefused(_("This patient has already set a password."))
        invitation = invitation_issue(user=patient.user, created_by=actor.user)
        invitation_mail_after_commit(invitation)
        note.about(object_ref=str(invitation.invitation.pk))
        return invitation


def emergency_access_grant(*, actor: Actor, patient: Patient, form: forms.Form) -> EmergencyAccess:
    """Press the "noodknop": time-limited access without a care relationship, with a reason.

    ``patient`` comes from :func:`maatwerk.web.patients.opening.open_for_emergency` (a
    clinician of the patient's own organization); a refused reason is audited."""
    memberships = {m.organization_id: m for m in actor.memberships_with(Role.CLINICIAN)}
    with audited(
        actor=actor,
        action="emergency_access",
        subject=patient_subject(patient, object_type="emergency_access"),
        emergency=True,
    ) as note:
        reason = str(valid_form(form)["reason"]).strip()
        if len(reason) < 10:
            raise InputRefused(
                {"reason": [_("Describe why you need emergency access (at least 10 characters).")]}
            )
        if patient.organization_id not in memberships:  # pragma: no cover - the opener checked
            raise PermissionDenied
        now = timezone.now()
        grant = EmergencyAccess.objects.create(
            patient=patient,
            membership=memberships[patient.organization_id],
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(hours=settings.MAATWERK_EMERGENCY_ACCESS_HOURS),
        )
        note.about(object_ref=str(grant.public_id))
        note.detail = reason[:300]
        return grant


def emergency_access_review(
    *, actor: Actor, grant: EmergencyAccess, form: forms.Form
) -> EmergencyAccess:
    """An organization admin records that an emergency access was reviewed."""
    with audited(
        actor=actor,
        action="update",
        subject=patient_subject(
            grant.patient, object_type="emergency_access", object_ref=str(grant.public_id)
        ),
        detail="reviewed",
    ):
        if grant.patient.organization_id not in actor.organization_ids(Role.ORGANIZATION_ADMIN):
            raise PermissionDenied(_("Only an admin of this organization can review this."))
        note = str(valid_form(form)["note"]).strip()
        grant.reviewed_by = actor.user
        grant.reviewed_at = timezone.now()
        grant.review_note = note
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        return grant
