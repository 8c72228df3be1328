"""Where the screening app gets its knowledge base and screening content: the
organization's own (validated) version when it changed bundled content, else the bundled
one. These two functions are the only place that decides it."""

from __future__ import annotations

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.web.knowledge.selectors import knowledge_for, screening_content_for


def knowledge_of(organization_id: int) -> KnowledgeBase:
    return knowledge_for(organization_id)


def content_of(organization_id: int) -> ScreeningContent:
    return screening_content_for(organization_id)
