"""The knowledge base and screening content an organization works with, and its history.

Other apps call ``knowledge_for`` (and ``screening_content_for``): the bundled files
with the organization's active versions in place of their collections, validated by
the same core functions as the bundled content. The result is cached per organization
and set of active revisions, so a save (a new revision) is picked up at once by every
process, and a clinical page costs one small query.

A stored version that no longer validates (e.g. a newer Maatwerk release removed an
instrument it refers to) is never used and never breaks a clinical page: the
organization gets the bundled content, and the problems are shown to its admins on the
knowledge pages (``effective_content(...).set_aside``).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.web.knowledge.changes import Changes, changes_between
from maatwerk.web.knowledge.content import (
    BuiltContent,
    ContentInvalid,
    ContentProblem,
    Document,
    build_content,
    bundled_content,
    bundled_file,
    bundled_files,
    content_sets,
    parse_document,
)
from maatwerk.web.knowledge.models import KnowledgeRevision

if TYPE_CHECKING:
    from maatwerk.web.knowledge.opening import CollectionAccess, KnowledgeAccess

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EffectiveContent:
    """What an organization uses, and why some of its own versions are not in use."""

    content: BuiltContent
    in_use: frozenset[tuple[str, str]]  # (content set, collection) of its versions in use
    set_aside: tuple[ContentProblem, ...]  # why its stored versions are not in use

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.content.knowledge

    @property
    def screening(self) -> ScreeningContent:
        return self.content.screening


_cache: dict[int, tuple[tuple[str, ...], EffectiveContent]] = {}
_cache_lock = threading.Lock()


def _overrides(organization_id: int) -> QuerySet[KnowledgeRevision]:
    return KnowledgeRevision.objects.filter(
        organization_id=organization_id, is_active=True, document__isnull=False
    ).order_by("pk")


def effective_content(organization_id: int) -> EffectiveContent:
    """The organization's content: bundled plus its active versions, or bundled alone
    (with the reasons) when its versions do not validate against this release."""
    # Public ids, not primary keys: a key must never be reused (SQLite can hand out a
    # rolled-back row's id again), or the cache would serve another document.
    key = tuple(str(i) for i in _overrides(organization_id).values_list("public_id", flat=True))
    cached = _cache.get(organization_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    effective = _build(organization_id, key)
    with _cache_lock:
        _cache[organization_id] = (key, effective)
    return effective


def _build(organization_id: int, key: tuple[str, ...]) -> EffectiveContent:
    if not key:
        return EffectiveContent(bundled_content(), frozenset(), ())
    rows = list(_overrides(organization_id).filter(public_id__in=key))
    retired = tuple(
        ContentProblem(
            row.content_set,
            f"{row.collection}.json",
            "$.collection",
            f"collection {row.collection!r} is no longer part of the {row.content_set} content",
        )
        for row in rows
        if bundled_file(row.content_set, row.collection) is None
    )
    replacements = {
        (row.content_set, row.collection): row.document or ""
        for row in rows
        if bundled_file(row.content_set, row.collection) is not None
    }
    try:
        content = build_content(replacements)
    except ContentInvalid as error:
        logger.warning(
            "organization %s: its own knowledge content does not validate and is set aside: %s",
            organization_id,
            error,
        )
        return EffectiveContent(bundled_content(), frozenset(), retired + error.problems)
    return EffectiveContent(content, frozenset(replacements), retired)


class ReadOnce:
    """The content in use as one request read it: the pages ask for it several times
    (header, labels, the text in use), which would otherwise query each time."""

    def __init__(self) -> None:
        self.effective: EffectiveContent | None = None


def effective_of(access: KnowledgeAccess) -> EffectiveContent:
    """``effective_content`` of the access's organization, read once per access."""
    if access.read_once.effective is None:
        access.read_once.effective = effective_content(access.organization_id)
    return access.read_once.effective


def forget(organization_id: int) -> None:
    """Drop the cached content (after a save; other processes see the new revision id)."""
    with _cache_lock:
        _cache.pop(organization_id, None)


def knowledge_for(organization_id: int) -> KnowledgeBase:
    """The knowledge base this organization uses (never raises for its own content)."""
    return effective_content(organization_id).knowledge


def screening_content_for(organization_id: int) -> ScreeningContent:
    """The screening content this organization uses, consistent with ``knowledge_for``
    (both come from the same validated build, or both are bundled)."""
    return effective_content(organization_id).screening


# ------------------------------------------------------------------ admin pages
# These take the access object of maatwerk.web.knowledge.opening, never an id.


def active_revision(access: CollectionAccess) -> KnowledgeRevision | None:
    """The active row (its own version, or a return to bundled), if any."""
    return (
        KnowledgeRevision.objects.filter(
            organization_id=access.organization_id,
            content_set=access.content_set,
            collection=access.collection,
            is_active=True,
        )
        .select_related("saved_by")
        .first()
    )


def current_text(access: CollectionAccess) -> str:
    """The text to edit: the organization's active version (also when it was set aside,
    so it can be repaired), else the bundled file."""
    active = active_revision(access)
    if active is not None and active.document is not None:
        return active.document
    return access.bundled.text.decode("utf-8")


def text_in_use(access: CollectionAccess) -> str:
    """The text of the version clinical pages use now."""
    if (access.content_set, access.collection) in effective_of(access).in_use:
        return current_text(access)
    return access.bundled.text.decode("utf-8")


def document_in_use(access: CollectionAccess) -> Document:
    """The document in use as JSON data (exact decimals)."""
    return parse_document(text_in_use(access), origin=f"{access.collection}.json")


def other_overrides(access: CollectionAccess) -> dict[tuple[str, str], str]:
    """The organization's other own versions, to validate a change together with them."""
    return {
        (row.content_set, row.collection): row.document or ""
        for row in _overrides(access.organization_id)
        if (row.content_set, row.collection) != (access.content_set, access.collection)
        and bundled_file(row.content_set, row.collection) is not None
    }


def documents_in_use(
    access: KnowledgeAccess,
) -> tuple[tuple[str, ...], dict[tuple[str, str], object]]:
    """Every collection document the organization uses, keyed by (content set,
    collection), with the key of the versions they come from (for caching)."""
    effective = effective_of(access)
    rows = [
        row
        for row in _overrides(access.organization_id)
        if (row.content_set, row.collection) in effective.in_use
    ]
    documents = dict(_bundled_documents())
    for row in rows:
        documents[(row.content_set, row.collection)] = _parsed(row.document or "")
    return tuple(str(row.public_id) for row in rows), documents


@cache
def _bundled_documents() -> dict[tuple[str, str], object]:
    return {
        (content_set, collection): _parsed(item.text)
        for content_set in content_sets()
        for collection, item in bundled_files(content_set).items()
    }


@dataclass(frozen=True)
class CollectionRow:
    content_set: str
    collection: str
    bundled_version: str
    active: KnowledgeRevision | None
    in_use: bool  # its own version is what clinical pages use


def collection_rows(access: KnowledgeAccess) -> list[CollectionRow]:
    effective = effective_of(access)
    actives = {
        (row.content_set, row.collection): row
        for row in KnowledgeRevision.objects.filter(
            organization_id=access.organization_id, is_active=True
        ).select_related("saved_by")
    }
    return [
        CollectionRow(
            content_set,
            collection,
            item.version,
            actives.get((content_set, collection)),
            (content_set, collection) in effective.in_use,
        )
        for content_set in content_sets()
        for collection, item in bundled_files(content_set).items()
    ]


@dataclass(frozen=True)
class HistoryEntry:
    revision: KnowledgeRevision
    changes: Changes  # compared with the version before it (bundled before the first)


def revision_history(access: CollectionAccess) -> list[HistoryEntry]:
    """Every saved version, newest first, each with the ids it changed."""
    rows = list(
        KnowledgeRevision.objects.filter(
            organization_id=access.organization_id,
            content_set=access.content_set,
            collection=access.collection,
        )
        .select_related("saved_by")
        .order_by("saved_at", "pk")
    )
    bundled_document = _parsed(access.bundled.text)
    previous = bundled_document
    entries: list[HistoryEntry] = []
    for row in rows:
        document = bundled_document if row.document is None else _parsed(row.document)
        entries.append(
            HistoryEntry(row, changes_between(previous, document, collection=access.collection))
        )
        previous = document
    return entries[::-1]


def _parsed(text: str | bytes) -> object:
    try:
        return parse_document(text, origin="<history>")
    except ContentInvalid:
        return None


def revision_of(access: CollectionAccess, revision: uuid.UUID) -> KnowledgeRevision | None:
    """A saved version of this collection of the organization (None: not one of them)."""
    return KnowledgeRevision.objects.filter(
        organization_id=access.organization_id,
        content_set=access.content_set,
        collection=access.collection,
        public_id=revision,
    ).first()
