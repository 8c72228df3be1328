"""Helpers shared by the provider services."""

from __future__ import annotations

from maatwerk.web.audit.audited import NON_FIELD

__all__ = ["NON_FIELD"]
