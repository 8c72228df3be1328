"""Questionnaire instruments: declarative definitions, validation, registry and exact scoring."""
