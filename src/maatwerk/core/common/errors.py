"""Errors the core raises; adapters map them to user-facing messages."""

from __future__ import annotations


class MaatwerkError(Exception):
    """Base class of every error raised by the core."""
