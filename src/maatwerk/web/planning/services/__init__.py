"""Making, deciding, activating and exporting a patient's plan, one module per step.

Each service checks everything first (the core refuses what breaks a rule; nothing is
written when any input is refused), then writes the rows and one audit event in one
transaction, inside :func:`maatwerk.web.audit.audited.audited` (one event: success,
refused or denied). The input comes typed from ``maatwerk.web.planning.forms``. The clinical
rules are the core's (``maatwerk.core.planning``); this package only stores and reads.

The package re-exports every public name, so callers use ``planning.services.<name>``.
"""

from __future__ import annotations

from maatwerk.web.planning.services._common import (
    NON_FIELD,
    REASON_MAX_LENGTH,
    Language,
    module_name,
)
from maatwerk.web.planning.services.activation import plan_activate
from maatwerk.web.planning.services.decisions import plan_decide
from maatwerk.web.planning.services.exports import fhir_bundle, plan_export_fhir, plan_export_pdf
from maatwerk.web.planning.services.goals import plan_goals_set
from maatwerk.web.planning.services.prepare import (
    MAX_AT_ONCE_LIMIT,
    MODALITIES,
    WORDS_MAX_LENGTH,
    plan_prepare,
)
from maatwerk.web.planning.services.reading import my_plan_read, plan_read
from maatwerk.web.planning.services.revision import (
    plan_complete,
    plan_discard_revision,
    plan_revise,
    plan_step_up,
)
from maatwerk.web.planning.services.roles import plan_regiebehandelaar_set

__all__ = [
    "MAX_AT_ONCE_LIMIT",
    "MODALITIES",
    "NON_FIELD",
    "REASON_MAX_LENGTH",
    "WORDS_MAX_LENGTH",
    "Language",
    "fhir_bundle",
    "module_name",
    "my_plan_read",
    "plan_activate",
    "plan_complete",
    "plan_decide",
    "plan_discard_revision",
    "plan_export_fhir",
    "plan_export_pdf",
    "plan_goals_set",
    "plan_prepare",
    "plan_read",
    "plan_regiebehandelaar_set",
    "plan_revise",
    "plan_step_up",
]
