"""The knowledge base bundled with Maatwerk (``maatwerk/content/knowledge/*.json``).

Files are read with ``importlib.resources``, so this works from a wheel as well as from
a source checkout. The whole knowledge base is validated on load (schema, semantics and
references to the bundled instruments); an invalid bundled file is a programming error
and raises ``KnowledgeDefinitionError`` naming the file, the JSON path and the problem.
"""

from __future__ import annotations

from functools import cache
from importlib.resources.abc import Traversable

from maatwerk.core.common.content_set import bundled_entries
from maatwerk.core.instruments.registry import bundled_instruments
from maatwerk.core.knowledge.loading import KNOWLEDGE, build_knowledge_base
from maatwerk.core.knowledge.model import KnowledgeBase

CONTENT_FOLDER = KNOWLEDGE.folder


def bundled_files() -> tuple[Traversable, ...]:
    return bundled_entries(CONTENT_FOLDER)


def bundled_texts() -> dict[str, bytes]:
    """File name -> text of every bundled file, as ``build_knowledge_base`` takes them.

    A caller that keeps its own version of a collection (an organization's edit) replaces
    that collection's file here and validates the whole again with the same function.
    """
    return KNOWLEDGE.bundled_texts()


@cache
def bundled_knowledge() -> KnowledgeBase:
    """The bundled knowledge base, validated against the bundled instruments."""
    return build_knowledge_base(bundled_texts(), bundled_instruments())
