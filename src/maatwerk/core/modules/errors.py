"""Errors raised while loading the module catalogue; each lists every problem found."""

from __future__ import annotations

from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.errors import DefinitionProblem

__all__ = ["DefinitionProblem", "ModuleDefinitionError"]


class ModuleDefinitionError(ContentDefinitionError):
    """One or more module files are invalid; ``problems`` lists every problem."""

    what = "module catalogue"
