"""The module catalogue bundled with Maatwerk (``maatwerk/content/modules/*.json``).

Files are read with ``importlib.resources``, so this works from a wheel as well as from
a source checkout. Every module is validated on load against the bundled knowledge base;
an invalid bundled file is a programming error and raises ``ModuleDefinitionError``
naming the file, the JSON path and the problem.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from maatwerk.core.instruments.registry import CONTENT_PACKAGE
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.modules.loading import build_catalogue
from maatwerk.core.modules.model import ModuleCatalogue

CONTENT_FOLDER = "modules"


def bundled_texts() -> dict[str, bytes]:
    """File name -> text of every bundled module file, as ``build_catalogue`` takes them."""
    folder = files(CONTENT_PACKAGE).joinpath(CONTENT_FOLDER)
    return {
        entry.name: entry.read_bytes() for entry in folder.iterdir() if entry.name.endswith(".json")
    }


@cache
def bundled_catalogue() -> ModuleCatalogue:
    """The bundled modules, validated against the bundled knowledge base."""
    return build_catalogue(bundled_texts(), knowledge=bundled_knowledge())
