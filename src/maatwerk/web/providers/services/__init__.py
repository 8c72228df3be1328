"""Changing the provider directory and the gazetteer, searching, and referring, one
module per sub-domain.

Every use case is one call wrapped in ``maatwerk.web.audit.audited.audited``: it takes
the typed form (``maatwerk.web.providers.forms``) and the access object the view opened,
checks the input (the form, then the core) and writes the rows and exactly one audit
event in one transaction, or nothing and one ``refused`` event. Imports are all or
nothing: one wrong row and no row is saved.

The package re-exports every public name, so callers use ``providers.services.<name>``.
"""

from __future__ import annotations

from maatwerk.web.audit.audited import NON_FIELD
from maatwerk.web.providers.services.csv_files import (
    COLUMN_LABELS,
    PROBLEM_MESSAGES,
    ImportResult,
    field_message,
    problem_message,
)
from maatwerk.web.providers.services.directory import (
    discipline_ids,
    provider_active_set,
    provider_save,
    providers_export,
    providers_import,
    row_of,
)
from maatwerk.web.providers.services.fhir import referral_facts, referral_service_request
from maatwerk.web.providers.services.gazetteer import gazetteer_export, gazetteer_import
from maatwerk.web.providers.services.letters import (
    LetterContext,
    consent_statement,
    letter_context,
    referral_letter,
)
from maatwerk.web.providers.services.referrals import (
    referral_cancel,
    referral_consent_record,
    referral_create,
    referral_send,
)
from maatwerk.web.providers.services.search import (
    SearchCriteria,
    SearchOutcome,
    ShownMatch,
    provider_search,
    read_criteria,
)

__all__ = [
    "COLUMN_LABELS",
    "NON_FIELD",
    "PROBLEM_MESSAGES",
    "ImportResult",
    "LetterContext",
    "SearchCriteria",
    "SearchOutcome",
    "ShownMatch",
    "consent_statement",
    "discipline_ids",
    "field_message",
    "gazetteer_export",
    "gazetteer_import",
    "letter_context",
    "problem_message",
    "provider_active_set",
    "provider_save",
    "provider_search",
    "providers_export",
    "providers_import",
    "read_criteria",
    "referral_cancel",
    "referral_consent_record",
    "referral_create",
    "referral_facts",
    "referral_letter",
    "referral_send",
    "referral_service_request",
    "row_of",
]
