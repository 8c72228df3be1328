"""Setting up, rating and reading personalized outcome measures (PSK, top problems, GAS).

One module per sub-domain; each use case is one call wrapped in
:func:`maatwerk.web.audit.audited.audited` (one event: success, refused or denied).
"""

from maatwerk.web.personalized.forms import GAS_LEVEL_KEYS, GoalInput
from maatwerk.web.personalized.services._common import error_message
from maatwerk.web.personalized.services.gas import gas_create, gas_set_create
from maatwerk.web.personalized.services.psk import psk_create
from maatwerk.web.personalized.services.ratings import measurement_create
from maatwerk.web.personalized.services.reading import (
    gas_form_read,
    overview_read,
    psk_form_read,
    rate_read,
    results_read,
    top_problems_form_read,
)
from maatwerk.web.personalized.services.top_problems import top_problems_create

__all__ = [
    "GAS_LEVEL_KEYS",
    "GoalInput",
    "error_message",
    "gas_create",
    "gas_form_read",
    "gas_set_create",
    "measurement_create",
    "overview_read",
    "psk_create",
    "psk_form_read",
    "rate_read",
    "results_read",
    "top_problems_create",
    "top_problems_form_read",
]
