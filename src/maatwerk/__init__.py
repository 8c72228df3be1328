"""Maatwerk: personalized psychological care for persistent somatic symptoms."""

__version__ = "0.1.0"
