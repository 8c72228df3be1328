"""The one way the knowledge pages open what they show: the organization the actor
administers, one of its collections, or one factor of its factors collection.

The organization is never taken from the URL: it is the one the actor is an organization
admin of (``role_required(Role.ORGANIZATION_ADMIN)`` keeps every other role out, as an
audited denial). A collection or factor that does not exist is one audited denial and a
404, like :func:`maatwerk.web.patients.opening.open_in_organization`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import record_denial
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge.content import (
    BundledFile,
    DocumentObject,
    bundled_file,
    parse_document,
)
from maatwerk.web.knowledge.selectors import ReadOnce, text_in_use
from maatwerk.web.organizations.models import Organization

# The object type of every knowledge event (labelled in web/audit/labels.py).
AUDIT_OBJECT = "knowledge_content"
FACTORS = ("knowledge", "factors")
STEPPED_CARE = ("screening", "stepped_care")


class NotInKnowledge(Http404):
    """No such collection or factor, or no organization this actor administers."""


@dataclass(frozen=True)
class KnowledgeAccess:
    """The organization whose knowledge content the actor administers."""

    organization: Organization
    read_once: ReadOnce = field(default_factory=ReadOnce, compare=False, repr=False, kw_only=True)
    """What this request read of the organization's content (an access lives one request)."""

    @property
    def organization_id(self) -> int:
        return self.organization.pk


@dataclass(frozen=True)
class CollectionAccess(KnowledgeAccess):
    """One collection (a bundled file) of that organization's content."""

    content_set: str
    collection: str
    bundled: BundledFile

    def subject(self) -> AuditSubject:
        return AuditSubject(
            object_type=AUDIT_OBJECT,
            object_ref=f"{self.content_set}/{self.collection}",
            organization_ref=str(self.organization.public_id),
        )


@dataclass(frozen=True)
class FactorAccess:
    """One factor of the organization's factors collection, as the document in use has it."""

    collection: CollectionAccess
    factor_id: str
    position: int  # in the document's list of factors
    factor: DocumentObject  # the factor's data (the document is validated as a whole)


def _deny(actor: Actor, action: str, ref: str) -> NotInKnowledge:
    record_denial(
        actor=actor, action=action, subject=AuditSubject(object_type=AUDIT_OBJECT, object_ref=ref)
    )
    return NotInKnowledge(ref)


def open_knowledge(*, actor: Actor, action: str) -> KnowledgeAccess:
    """The organization ``actor`` administers (the first, when there are several)."""
    organization = next(
        (m.organization for m in actor.memberships_with(Role.ORGANIZATION_ADMIN)), None
    )
    if organization is None or actor.user is None:
        raise _deny(actor, action, "")
    return KnowledgeAccess(organization=organization)


def open_collection(
    *, actor: Actor, content_set: str, collection: str, action: str
) -> CollectionAccess:
    """One collection of the organization's content; an unknown one is a denial (404)."""
    knowledge = open_knowledge(actor=actor, action=action)
    bundled = bundled_file(content_set, collection)
    if bundled is None:
        raise _deny(actor, action, f"{content_set}/{collection}"[:64])
    return CollectionAccess(
        organization=knowledge.organization,
        content_set=content_set,
        collection=collection,
        bundled=bundled,
    )


def open_factor(*, actor: Actor, factor_id: str, action: str) -> FactorAccess:
    """A factor of the factors collection in use; an unknown one is a denial (404)."""
    access = open_collection(
        actor=actor, content_set=FACTORS[0], collection=FACTORS[1], action=action
    )
    document = parse_document(text_in_use(access), origin="factors.json")
    factors = document.get("factors") if isinstance(document, dict) else None
    for position, factor in enumerate(factors if isinstance(factors, list) else []):
        if isinstance(factor, dict) and factor.get("id") == factor_id:
            return FactorAccess(access, factor_id, position, factor)
    raise _deny(actor, action, f"factors/{factor_id}"[:64])
