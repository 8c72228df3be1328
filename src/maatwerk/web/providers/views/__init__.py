"""The providers app's views, one module per sub-domain: the referral pages
(``referrals``), a referral's letter and FHIR file (``letters``) and the organization
admin's directory pages (``directory``)."""

from __future__ import annotations

from maatwerk.web.providers.views.directory import (
    directory,
    directory_export,
    directory_import,
    gazetteer,
    gazetteer_export,
    provider_active,
    provider_create,
    provider_edit,
)
from maatwerk.web.providers.views.letters import referral_fhir, referral_letter
from maatwerk.web.providers.views.referrals import (
    referral_cancel,
    referral_consent,
    referral_create,
    referral_detail,
    referral_send,
    search,
)

__all__ = [
    "directory",
    "directory_export",
    "directory_import",
    "gazetteer",
    "gazetteer_export",
    "provider_active",
    "provider_create",
    "provider_edit",
    "referral_cancel",
    "referral_consent",
    "referral_create",
    "referral_detail",
    "referral_fhir",
    "referral_letter",
    "referral_send",
    "search",
]
