"""What an organization admin reads and changes. Each call owns its transaction and
writes exactly one audit event (success, refused or denied); the object comes from
:func:`maatwerk.web.patients.opening.open_in_organization`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_events_for_patient, audit_events_for_user
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.orgadmin.selectors import (
    admin_emergency_accesses,
    admin_patients,
    admin_users,
    backup_candidates,
)
from maatwerk.web.organizations.models import Membership, Organization, Team
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.patients.opening import OrganizationOpened
from maatwerk.web.questionnaires.instruments import (
    MAX_QUESTIONNAIRE_FILE_BYTES,
    MAX_TEXT_FILE_BYTES,
    imported_instrument_import,
    licensed_texts_import,
)

if TYPE_CHECKING:
    from maatwerk.web.orgadmin.forms import InstrumentUploadForm

BACKUP_NOT_A_CLINICIAN_OF_TEAM = gettext_lazy(
    "Choose an active clinician of this team as backup clinician, or no backup clinician."
)


def _team_subject(team: Team) -> AuditSubject:
    return AuditSubject(
        object_type="team_backup_clinician",
        object_ref=str(team.public_id),
        organization_ref=str(team.organization.public_id),
    )


def team_backup_clinician_set(
    *, actor: Actor, opened: OrganizationOpened[Team], form: forms.Form
) -> Membership | None:
    """Make the chosen clinician the one who takes over the team's overdue safety signals
    (none: escalations then reach only the GPs on the care team).

    The choice is checked again under a lock on the team, held until the change commits,
    so a membership switched off between the form and the save is refused, not stored."""
    team = opened.object
    with audited(actor=actor, action="update", subject=_team_subject(team)) as note:
        data = valid_form(form)
        backup = data.get("backup")
        if backup is not None and not isinstance(backup, Membership):  # pragma: no cover
            raise InputRefused({"backup": [str(BACKUP_NOT_A_CLINICIAN_OF_TEAM)]})
        locked = Team.objects.select_for_update().get(pk=team.pk)
        if backup is not None and not backup_candidates(locked).filter(pk=backup.pk).exists():
            raise InputRefused({"backup": [str(BACKUP_NOT_A_CLINICIAN_OF_TEAM)]})
        locked.backup_clinician = backup
        locked.save(update_fields=["backup_clinician"])
        note.detail = (
            f"backup clinician set: {backup.user.public_id}"
            if backup is not None
            else "backup clinician removed"
        )
        return backup


def emergency_access_review(
    *, actor: Actor, opened: OrganizationOpened[EmergencyAccess], form: forms.Form
) -> EmergencyAccess:
    """The admin records that an emergency access was reviewed (with a note)."""
    from maatwerk.web.patients.services import emergency_access_review as review

    return review(actor=actor, grant=opened.object, form=form)


@dataclass(frozen=True)
class InstrumentImported:
    """What an upload on the instruments page stored."""

    questionnaire: bool  # a FHIR Questionnaire (else licensed texts)
    code: str
    version: str
    created: bool  # new (else it replaced an earlier import)


def instruments_upload(
    *, actor: Actor, organization: Organization, form: InstrumentUploadForm
) -> InstrumentImported:
    """Import the licensed texts or the FHIR Questionnaire of the form. A form without
    its file is one ``refused`` event here; the import itself checks the file's content
    and writes its own one event (``ValidationError`` when refused)."""
    if not form.is_valid():
        object_type = "imported_instrument" if form.is_questionnaire() else "licensed_texts"
        subject = AuditSubject(
            object_type=object_type, organization_ref=str(organization.public_id)
        )
        with audited(actor=actor, action="create", subject=subject):
            valid_form(form)
    data = form.cleaned_data
    if data["form"] == "questionnaire":
        upload = data["questionnaire"]
        imported, created = imported_instrument_import(
            actor=actor,
            organization=organization,
            content=upload.read(MAX_QUESTIONNAIRE_FILE_BYTES + 1),
            filename=upload.name or "questionnaire.json",
        )
        return InstrumentImported(True, imported.code, imported.version, created)
    upload = data["texts"]
    stored = licensed_texts_import(
        actor=actor,
        organization=organization,
        content=upload.read(MAX_TEXT_FILE_BYTES + 1),
        filename=upload.name or "upload.json",
    )
    return InstrumentImported(False, stored.instrument_code, stored.instrument_version, True)


def access_report_patient_read(
    *, actor: Actor, opened: OrganizationOpened[Patient]
) -> QuerySet[AuditEvent]:
    """Every logged access to one patient's file; reading the log is itself logged."""
    patient = opened.object
    with audited(
        actor=actor, action="read", subject=opened.subject("access_report", patient=patient)
    ):
        return audit_events_for_patient(patient_ref=str(patient.public_id))


def access_report_user_read(
    *, actor: Actor, opened: OrganizationOpened[User]
) -> QuerySet[AuditEvent]:
    """Every logged action by one user of the admin's organization."""
    with audited(actor=actor, action="read", subject=opened.subject("access_report_user")):
        return audit_events_for_user(user_ref=str(opened.object.public_id))


@dataclass(frozen=True)
class Dashboard:
    users: QuerySet[User]
    patients: list[Patient] | None  # None: no search asked
    open_grants: QuerySet[EmergencyAccess]


def dashboard_read(*, actor: Actor, query: str) -> Dashboard:
    """The admin's overview; a patient search (to open an access report) is audited."""
    patients: list[Patient] | None = None
    if query.strip():
        with audited(
            actor=actor, action="search", subject=AuditSubject(object_type="patient_identity")
        ) as note:
            patients = list(admin_patients(actor=actor, query=query)[:50])
            note.detail = f"access-report search, {len(patients)} found"
    return Dashboard(
        users=admin_users(actor=actor),
        patients=patients,
        open_grants=admin_emergency_accesses(actor=actor),
    )
