"""Saving an organization's version of a collection: validate the whole, then store a
new revision and its one audit event together.

Nothing is stored unless the complete content (every collection, with the
organization's other versions in place) passes the core validation. A save never
changes an earlier revision; it deactivates it and adds a row, so the history is
complete and any earlier version can be saved again.

Each public function here is one use case in :func:`~maatwerk.web.audit.audited.audited`:
success, a refusal (invalid input or content: :class:`ContentRefused`, rolled back) or a
denial is exactly one event. The focused forms (thresholds, switches) build a document
and save it through :func:`save_document`, inside their own audited call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import NON_FIELD, AuditNote, InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge import selectors
from maatwerk.web.knowledge.content import (
    ContentInvalid,
    ContentProblem,
    build_content,
    parse_document,
)
from maatwerk.web.knowledge.forms import (
    MAX_DOCUMENT_CHARACTERS,
    DocumentForm,
    RestoreBundledForm,
    RestoreForm,
    base_revision_of,
)
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.opening import CollectionAccess
from maatwerk.web.knowledge.problems import ShownProblem, shown_all

# Where a problem is reported: the form field its JSON path belongs to.
Placement = Callable[[ShownProblem], str]


def document_field(problem: ShownProblem) -> str:
    """The JSON editor: the reason on its field, everything else on the document."""
    return "comment" if problem.path == "comment" else "document"


class ContentRefused(InputRefused):
    """Nothing was saved; ``problems`` says why, each with its file and JSON path, and
    ``errors`` (as for every refusal) puts each problem on the form field it belongs to."""

    def __init__(self, problems: Sequence[ShownProblem], placement: Placement) -> None:
        self.problems = list(problems)
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(placement(problem), []).append(problem.message)
        super().__init__(errors)


class _Refusal(Exception):
    """Problems found while saving, before the use case knows its form's fields."""

    def __init__(self, problems: Sequence[ShownProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in self.problems))


def refuse(collection: str, path: str, message: str) -> _Refusal:
    return _Refusal([ShownProblem(f"{collection}.json", path, message)])


def next_version(current: str, bundled: str) -> str:
    """The version of an edit made with a form: the bundled version gets an extra part
    (1.0 -> 1.0.1), so it never collides with a later bundled release; an organization's
    own version counts up its last part (1.0.1 -> 1.0.2)."""
    if current == bundled:
        return f"{bundled}.1"
    *head, last = current.split(".")
    return ".".join([*head, str(int(last) + 1)])


@dataclass(frozen=True)
class Save:
    """What to store as the collection's new active revision."""

    document: str | None  # None: back to the bundled version
    version: str
    comment: str
    base_revision: str | None = None
    restored_from: KnowledgeRevision | None = None


def _require_admin(actor: Actor, access: CollectionAccess) -> None:
    admin_of = actor.organization_ids(Role.ORGANIZATION_ADMIN)
    if access.organization_id not in admin_of or actor.user is None:
        raise PermissionDenied(_("Only an admin of this organization can change its content."))


def _validate_whole(replacements: dict[tuple[str, str], str]) -> None:
    try:
        build_content(replacements)
    except ContentInvalid as error:
        raise _Refusal(shown_all(error.problems)) from None


@transaction.atomic
def _store(
    actor: Actor, access: CollectionAccess, save: Save, note: AuditNote
) -> KnowledgeRevision:
    if actor.user is None:
        raise PermissionDenied  # checked by _require_admin; kept for the type checker
    active = (
        KnowledgeRevision.objects.select_for_update()
        .filter(
            organization=access.organization,
            content_set=access.content_set,
            collection=access.collection,
            is_active=True,
        )
        .first()
    )
    if save.base_revision is not None and save.base_revision != (
        str(active.public_id) if active else ""
    ):
        raise refuse(
            access.collection,
            "$",
            _(
                "Someone else saved a change to this collection while you were editing. "
                "Nothing was saved; your text is still here. Open the collection again "
                "to see their change, then make yours on top of it."
            ),
        )
    if active is not None:
        active.is_active = False
        active.save(update_fields=["is_active"])
    revision = KnowledgeRevision.objects.create(
        organization=access.organization,
        content_set=access.content_set,
        collection=access.collection,
        document=save.document,
        version=save.version,
        based_on_bundled_version=access.bundled.version,
        saved_by=actor.user,
        comment=save.comment,
        restored_from=save.restored_from,
    )
    what = "bundled version" if save.document is None else f"version {save.version}"
    if save.restored_from is not None:
        what += f", restored from {save.restored_from.public_id}"
    note.detail = f"{what} saved as revision {revision.public_id}"
    organization_id = access.organization_id
    transaction.on_commit(lambda: selectors.forget(organization_id))
    return revision


def save_document(
    actor: Actor,
    access: CollectionAccess,
    note: AuditNote,
    *,
    text: str,
    comment: str,
    base_revision: str | None = None,
    restored_from: KnowledgeRevision | None = None,
) -> KnowledgeRevision:
    """Validate ``text`` as the organization's version of the collection together with
    everything else, then store it as the active revision. ``base_revision`` is the
    active revision's public id the editor started from ("" for none): a save on top of
    someone else's newer change is refused. Raises ``_Refusal``; call it inside the use
    case's audited block."""
    collection = access.collection
    if not comment.strip():
        raise refuse(collection, "comment", _("Say why you make this change."))
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        raise refuse(
            collection, "$", _("The document is too large (at most 2 million characters).")
        )
    origin = f"{collection}.json"
    try:
        document = parse_document(text, origin=origin)
    except ContentInvalid as error:
        raise _Refusal(shown_all(error.problems)) from None
    if not isinstance(document, dict):
        raise _Refusal(
            shown_all(
                (
                    ContentProblem(
                        access.content_set, origin, "$", "the file must hold one JSON object"
                    ),
                )
            )
        )
    if document.get("collection") != collection:
        raise refuse(
            collection,
            "$.collection",
            _("This page edits the collection %(expected)s; the document says %(found)s.")
            % {"expected": collection, "found": document.get("collection")},
        )
    current = parse_document(selectors.current_text(access), origin=origin)
    if document == current and restored_from is None:
        raise refuse(collection, "$", _("Nothing changed: this is the version in use."))
    version = document.get("version")
    if restored_from is None and isinstance(current, dict) and version == current.get("version"):
        raise refuse(
            collection,
            "$.version",
            _("Raise the version when you change the content (for example %(example)s).")
            % {"example": next_version(str(version), access.bundled.version)},
        )
    replacements = selectors.other_overrides(access)
    replacements[(access.content_set, collection)] = text
    _validate_whole(replacements)
    save = Save(text, str(version), comment.strip(), base_revision, restored_from)
    return _store(actor, access, save, note)


def _save_bundled(
    actor: Actor,
    access: CollectionAccess,
    note: AuditNote,
    *,
    comment: str,
    restored_from: KnowledgeRevision | None = None,
) -> KnowledgeRevision:
    """Go back to the bundled version (recorded as a revision). Refused when the
    organization's other versions depend on its own version of this collection."""
    if not comment.strip():
        raise refuse(access.collection, "comment", _("Say why you make this change."))
    active = selectors.active_revision(access)
    if active is None or active.document is None:
        raise refuse(
            access.collection, "$", _("Your organization already uses the bundled version.")
        )
    _validate_whole(selectors.other_overrides(access))
    save = Save(None, access.bundled.version, comment.strip(), None, restored_from)
    return _store(actor, access, save, note)


def audited_save(
    actor: Actor,
    access: CollectionAccess,
    placement: Placement,
    work: Callable[[AuditNote], KnowledgeRevision],
) -> KnowledgeRevision:
    """Run one save use case as one audited call: its problems become a
    :class:`ContentRefused` with each problem placed on its field."""
    with audited(actor=actor, action="update", subject=access.subject()) as note:
        _require_admin(actor, access)
        try:
            return work(note)
        except _Refusal as refusal:
            raise ContentRefused(refusal.problems, placement) from None


def collection_save(
    *, actor: Actor, access: CollectionAccess, form: DocumentForm
) -> KnowledgeRevision:
    """The JSON editor: the whole collection as typed, validated with everything else."""

    def work(note: AuditNote) -> KnowledgeRevision:
        data = valid_form(form)
        return save_document(
            actor,
            access,
            note,
            text=str(data["document"]),
            comment=str(data["comment"]),
            base_revision=base_revision_of(form),
        )

    return audited_save(actor, access, document_field, work)


def bundled_restore(
    *, actor: Actor, access: CollectionAccess, form: RestoreBundledForm
) -> KnowledgeRevision:
    """Use the bundled version of the collection again."""

    def work(note: AuditNote) -> KnowledgeRevision:
        data = valid_form(form)
        return _save_bundled(actor, access, note, comment=str(data["comment"]))

    return audited_save(actor, access, _comment_or_whole, work)


def revision_restore(
    *, actor: Actor, access: CollectionAccess, form: RestoreForm
) -> KnowledgeRevision:
    """Save an earlier version again (validated against this release). A version that
    is not one of this collection's is a denial (404)."""

    def work(note: AuditNote) -> KnowledgeRevision:
        data = valid_form(form)
        chosen = data["revision"]
        revision = selectors.revision_of(access, chosen) if isinstance(chosen, UUID) else None
        if revision is None:
            raise Http404
        comment = str(data["comment"])
        if revision.document is None:
            return _save_bundled(actor, access, note, comment=comment, restored_from=revision)
        return save_document(
            actor, access, note, text=revision.document, comment=comment, restored_from=revision
        )

    return audited_save(actor, access, _comment_or_whole, work)


def _comment_or_whole(problem: ShownProblem) -> str:
    """Forms with only a reason: the reason on its field, the content above the form."""
    return "comment" if problem.path == "comment" else NON_FIELD
