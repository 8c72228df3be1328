"""The one name for a JSON object built or read by the core (FHIR resources, bundles).

``dict[str, Any]``: a resource is assembled key by key with values of many shapes, and
read back from parsed JSON; the shape itself is checked where it matters (the FHIR
validators, the pydantic content models), not by this alias.
"""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["JsonObject"]

JsonObject: TypeAlias = dict[str, Any]
