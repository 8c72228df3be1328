"""Helpers shared by the provider services: the audit subjects of the directory and of
a referral."""

from __future__ import annotations

from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.organizations.models import Organization
from maatwerk.web.patients.selectors import patient_subject
from maatwerk.web.providers.selectors import OBJECT_DIRECTORY, OBJECT_REFERRAL, ReferralAccess

NON_FIELD = "__all__"


def _directory_subject(organization: Organization, object_ref: str = "") -> AuditSubject:
    return AuditSubject(
        object_type=OBJECT_DIRECTORY,
        object_ref=object_ref,
        organization_ref=str(organization.public_id),
    )


def _referral_subject(opened: ReferralAccess) -> AuditSubject:
    return patient_subject(
        opened.access.patient,
        object_type=OBJECT_REFERRAL,
        object_ref=str(opened.referral.public_id),
    )
