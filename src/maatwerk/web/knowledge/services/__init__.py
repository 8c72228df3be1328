"""The knowledge editor's use cases, one audited call each (a package per editing path).

- :mod:`.saving`: the JSON editor, going back to the bundled version, using an earlier
  version again, and the validation and storing every path shares;
- :mod:`.thresholds`: a factor's instrument thresholds;
- :mod:`.switches`: the stepped-care rules switched on or off and their numbers.
"""

from maatwerk.web.knowledge.services.saving import (
    ContentRefused,
    bundled_restore,
    collection_save,
    next_version,
    revision_restore,
)
from maatwerk.web.knowledge.services.switches import (
    STEPPED_CARE_LEVELS,
    STEPPED_CARE_NUMBERS,
    stepped_care_switches_save,
    switches_initial,
)
from maatwerk.web.knowledge.services.thresholds import factor_thresholds_save

__all__ = [
    "STEPPED_CARE_LEVELS",
    "STEPPED_CARE_NUMBERS",
    "ContentRefused",
    "bundled_restore",
    "collection_save",
    "factor_thresholds_save",
    "next_version",
    "revision_restore",
    "stepped_care_switches_save",
    "switches_initial",
]
