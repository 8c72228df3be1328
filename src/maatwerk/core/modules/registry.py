"""The module catalogue bundled with Maatwerk (``maatwerk/content/modules/*.json``).

Files are read with ``importlib.resources``, so this works from a wheel as well as from
a source checkout. Every module is validated on load against the bundled knowledge base;
an invalid bundled file is a programming error and raises ``ModuleDefinitionError``
naming the file, the JSON path and the problem.
"""

from __future__ import annotations

from functools import cache

from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.modules.loading import MODULES, build_catalogue
from maatwerk.core.modules.model import ModuleCatalogue

CONTENT_FOLDER = MODULES.folder


def bundled_texts() -> dict[str, bytes]:
    """File name -> text of every bundled module file, as ``build_catalogue`` takes them."""
    return MODULES.bundled_texts()


@cache
def bundled_catalogue() -> ModuleCatalogue:
    """The bundled modules, validated against the bundled knowledge base."""
    return build_catalogue(bundled_texts(), knowledge=bundled_knowledge())
