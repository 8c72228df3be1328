"""Errors raised while loading the knowledge base; each lists every problem found."""

from __future__ import annotations

from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = ["DefinitionProblem", "KnowledgeDefinitionError"]


class KnowledgeDefinitionError(ContentDefinitionError):
    """One or more knowledge files are invalid; ``problems`` lists every problem."""

    what = "knowledge base"
