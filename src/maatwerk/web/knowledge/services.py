"""Saving an organization's version of a collection: validate the whole, then store a
new revision and its audit event together.

Nothing is stored unless the complete content (every collection, with the
organization's other versions in place) passes the core validation. A save never
changes an earlier revision; it deactivates it and adds a row, so the history is
complete and any earlier version can be saved again.

Size: one sub-domain (saving a revision of the knowledge base), to become a package per
editing path (JSON editor, switches, thresholds) with the audited-change mechanism.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.screening.definitions import (
    CombinationRule,
    ComorbidityRule,
    EarlierTreatmentRule,
)
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge import selectors
from maatwerk.web.knowledge.content import (
    ContentInvalid,
    ContentProblem,
    build_content,
    bundled_file,
    dump_document,
    parse_document,
)
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.problems import ShownProblem, shown_all
from maatwerk.web.organizations.models import Organization

MAX_DOCUMENT_CHARACTERS = 2_000_000
AUDIT_OBJECT = "knowledge_content"


class EditRefused(Exception):
    """Nothing was saved; ``problems`` says why, each with its file and JSON path."""

    def __init__(self, problems: Sequence[ShownProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in self.problems))


def _refuse(collection: str, path: str, message: str) -> EditRefused:
    return EditRefused([ShownProblem(f"{collection}.json", path, message)])


def _require_admin(actor: Actor, organization: Organization) -> None:
    if organization.pk not in actor.organization_ids(Role.ORGANIZATION_ADMIN) or not actor.user:
        raise PermissionDenied(_("Only an admin of this organization can change its content."))


def next_version(current: str, bundled: str) -> str:
    """The version of an edit made with a form: the bundled version gets an extra part
    (1.0 -> 1.0.1), so it never collides with a later bundled release; an organization's
    own version counts up its last part (1.0.1 -> 1.0.2)."""
    if current == bundled:
        return f"{bundled}.1"
    *head, last = current.split(".")
    return ".".join([*head, str(int(last) + 1)])


def _other_overrides(
    organization: Organization, content_set: str, collection: str
) -> dict[tuple[str, str], str]:
    return {
        (row.content_set, row.collection): row.document or ""
        for row in selectors._overrides(organization.pk)
        if (row.content_set, row.collection) != (content_set, collection)
        and bundled_file(row.content_set, row.collection) is not None
    }


def _validate_whole(replacements: dict[tuple[str, str], str]) -> None:
    try:
        build_content(replacements)
    except ContentInvalid as error:
        raise EditRefused(shown_all(error.problems)) from None


def _store(
    *,
    actor: Actor,
    organization: Organization,
    content_set: str,
    collection: str,
    document: str | None,
    version: str,
    comment: str,
    base_revision: str | None,
    restored_from: KnowledgeRevision | None,
) -> KnowledgeRevision:
    bundled = bundled_file(content_set, collection)
    if bundled is None or actor.user is None:
        raise PermissionDenied  # checked by the callers; kept for the type checker
    with transaction.atomic():
        active = (
            KnowledgeRevision.objects.select_for_update()
            .filter(
                organization=organization,
                content_set=content_set,
                collection=collection,
                is_active=True,
            )
            .first()
        )
        if base_revision is not None and base_revision != (str(active.public_id) if active else ""):
            raise _refuse(
                collection,
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
            organization=organization,
            content_set=content_set,
            collection=collection,
            document=document,
            version=version,
            based_on_bundled_version=bundled.version,
            saved_by=actor.user,
            comment=comment,
            restored_from=restored_from,
        )
        what = "bundled version" if document is None else f"version {version}"
        if restored_from is not None:
            what += f", restored from {restored_from.public_id}"
        audit_record(
            actor=actor,
            action="update",
            subject=AuditSubject(
                object_type=AUDIT_OBJECT,
                object_ref=f"{content_set}/{collection}",
                organization_ref=str(organization.public_id),
            ),
            detail=f"{what} saved as revision {revision.public_id}",
        )
        transaction.on_commit(lambda: selectors.forget(organization.pk))
    return revision


def revision_save(
    *,
    actor: Actor,
    organization: Organization,
    content_set: str,
    collection: str,
    text: str,
    comment: str,
    base_revision: str | None = None,
    restored_from: KnowledgeRevision | None = None,
) -> KnowledgeRevision:
    """Validate ``text`` as the organization's version of ``collection`` together with
    everything else, then store it as the active revision. ``base_revision`` is the
    active revision's public id the editor started from ("" for none): a save on top of
    someone else's newer change is refused. Raises ``EditRefused``."""
    _require_admin(actor, organization)
    if bundled_file(content_set, collection) is None:
        raise _refuse(collection, "$", _("There is no such collection."))
    if not comment.strip():
        raise _refuse(collection, "comment", _("Say why you make this change."))
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        raise _refuse(
            collection, "$", _("The document is too large (at most 2 million characters).")
        )
    origin = f"{collection}.json"
    try:
        document = parse_document(text, origin=origin)
    except ContentInvalid as error:
        raise EditRefused(shown_all(error.problems)) from None
    if not isinstance(document, dict):
        raise EditRefused(
            shown_all(
                (ContentProblem(content_set, origin, "$", "the file must hold one JSON object"),)
            )
        )
    if document.get("collection") != collection:
        raise _refuse(
            collection,
            "$.collection",
            _("This page edits the collection %(expected)s; the document says %(found)s.")
            % {"expected": collection, "found": document.get("collection")},
        )
    current = parse_document(
        selectors.current_text(organization.pk, content_set, collection), origin=origin
    )
    if document == current and restored_from is None:
        raise _refuse(collection, "$", _("Nothing changed: this is the version in use."))
    version = document.get("version")
    if restored_from is None and isinstance(current, dict) and version == current.get("version"):
        raise _refuse(
            collection,
            "$.version",
            _("Raise the version when you change the content (for example %(example)s).")
            % {"example": next_version(str(version), bundled_version(content_set, collection))},
        )
    replacements = _other_overrides(organization, content_set, collection)
    replacements[(content_set, collection)] = text
    _validate_whole(replacements)
    return _store(
        actor=actor,
        organization=organization,
        content_set=content_set,
        collection=collection,
        document=text,
        version=str(version),
        comment=comment.strip(),
        base_revision=base_revision,
        restored_from=restored_from,
    )


def bundled_version(content_set: str, collection: str) -> str:
    bundled = bundled_file(content_set, collection)
    return bundled.version if bundled is not None else ""


def bundled_restore(
    *,
    actor: Actor,
    organization: Organization,
    content_set: str,
    collection: str,
    comment: str,
    restored_from: KnowledgeRevision | None = None,
) -> KnowledgeRevision:
    """Go back to the bundled version of ``collection`` (recorded as a revision). Refused
    when the organization's other versions depend on its own version of it."""
    _require_admin(actor, organization)
    bundled = bundled_file(content_set, collection)
    if bundled is None:
        raise _refuse(collection, "$", _("There is no such collection."))
    if not comment.strip():
        raise _refuse(collection, "comment", _("Say why you make this change."))
    active = selectors.active_revision(organization.pk, content_set, collection)
    if active is None or active.document is None:
        raise _refuse(collection, "$", _("Your organization already uses the bundled version."))
    _validate_whole(_other_overrides(organization, content_set, collection))
    return _store(
        actor=actor,
        organization=organization,
        content_set=content_set,
        collection=collection,
        document=None,
        version=bundled.version,
        comment=comment.strip(),
        base_revision=None,
        restored_from=restored_from,
    )


def revision_restore(
    *, actor: Actor, organization: Organization, revision: KnowledgeRevision, comment: str
) -> KnowledgeRevision:
    """Save an earlier revision's document again (validated against this release)."""
    if revision.organization_id != organization.pk:
        raise PermissionDenied
    if revision.document is None:
        return bundled_restore(
            actor=actor,
            organization=organization,
            content_set=revision.content_set,
            collection=revision.collection,
            comment=comment,
            restored_from=revision,
        )
    return revision_save(
        actor=actor,
        organization=organization,
        content_set=revision.content_set,
        collection=revision.collection,
        text=revision.document,
        comment=comment,
        restored_from=revision,
    )


# ------------------------------------------------------------------ focused threshold form


@dataclass(frozen=True)
class ThresholdChange:
    """New values for the instrument threshold at ``position`` in a factor's measures."""

    position: int
    operator: str
    threshold: Decimal
    source: str | None
    unverified: bool
    note: str | None


def factor_thresholds_save(
    *,
    actor: Actor,
    organization: Organization,
    factor_id: str,
    changes: Sequence[ThresholdChange],
    comment: str,
    base_revision: str | None,
) -> KnowledgeRevision:
    """Change a factor's instrument thresholds in the organization's factors document
    (its current version), raise the version and save it like any other edit."""
    _require_admin(actor, organization)
    content_set, collection = "knowledge", "factors"
    text = selectors.current_text(organization.pk, content_set, collection)
    document: dict[str, Any] = parse_document(text, origin="factors.json")
    factor = next((f for f in document.get("factors", ()) if f.get("id") == factor_id), None)
    if factor is None:
        raise _refuse(collection, "$", _("There is no such factor."))
    measures = factor["measures"]
    before = copy.deepcopy(measures)
    for change in changes:
        measure = measures[change.position]
        measure["operator"] = change.operator
        measure["threshold"] = change.threshold
        for key, value in (("source", change.source), ("note", change.note)):
            if value:
                measure[key] = value
            else:
                measure.pop(key, None)
        if change.unverified:
            measure["unverified"] = True
        else:
            measure.pop("unverified", None)
    if measures == before:
        raise _refuse(collection, "$", _("Nothing changed: this is the version in use."))
    document["version"] = next_version(
        str(document["version"]), bundled_version(content_set, collection)
    )
    return revision_save(
        actor=actor,
        organization=organization,
        content_set=content_set,
        collection=collection,
        text=dump_document(document),
        comment=comment,
        base_revision=base_revision,
    )


# ------------------------------------------------------------------ stepped-care switches

# The numbers of the stepped-care rules an organization most often sets itself, as
# (JSON path within the document, key). All are editorial or unverified in the bundled
# content (see its notes), which is why they are configurable.
STEPPED_CARE_NUMBERS: dict[str, tuple[str, ...]] = {
    "min_elevated": ("risk_profile", "min_elevated"),
    "severe_more_than_weeks": ("severity", "duration", "severe_more_than_weeks"),
    "raise_steps": ("severity", "comorbidity", "raise_steps"),
}


# The severity caps of the stepped-care rules, as (JSON path, key) with the level the core
# uses when the key is absent. The NHG-Standaard SOLK (Olde Hartman et al., 2013) asks a
# severe limitation in functioning, more than 3 months and earlier treatment for "severe";
# these caps keep the clusters, a comorbidity or a first presentation from reaching it.
STEPPED_CARE_LEVELS: dict[str, tuple[str, ...]] = {
    "clusters_at_most": ("severity", "combination", "clusters_at_most"),
    "raise_at_most": ("severity", "comorbidity", "raise_at_most"),
    "first_presentation_at_most": ("severity", "earlier_treatment", "first_presentation_at_most"),
}
STEPPED_CARE_LEVEL_DEFAULTS: dict[str, str] = {
    "clusters_at_most": str(CombinationRule.model_fields["clusters_at_most"].default),
    "raise_at_most": str(ComorbidityRule.model_fields["raise_at_most"].default),
    "first_presentation_at_most": str(
        EarlierTreatmentRule.model_fields["first_presentation_at_most"].default
    ),
}
EARLIER_TREATMENT_PATH = ("severity", "earlier_treatment")


def level_at(document: Any, name: str) -> Any:
    """The level ``name`` as the core reads it: the document's, or the core's default
    when the document leaves it out."""
    *parents, key = STEPPED_CARE_LEVELS[name]
    holder = number_at(document, tuple(parents))
    if isinstance(holder, dict):
        return holder.get(key, STEPPED_CARE_LEVEL_DEFAULTS[name])
    return STEPPED_CARE_LEVEL_DEFAULTS[name]


def earlier_treatment_in_use(document: Any) -> bool:
    return isinstance(number_at(document, EARLIER_TREATMENT_PATH), dict)


def _switch_earlier_treatment(
    document: dict[str, Any], bundled_document: dict[str, Any], on: bool
) -> None:
    """Take the earlier-treatment rule out, or put the bundled one (with its text and
    sources) back in when it was switched on again."""
    severity = document.get("severity")
    if not isinstance(severity, dict) or on == earlier_treatment_in_use(document):
        return
    if not on:
        severity.pop("earlier_treatment", None)
        return
    bundled_rule = number_at(bundled_document, EARLIER_TREATMENT_PATH)
    if not isinstance(bundled_rule, dict):
        raise _refuse(
            "stepped_care",
            "$.severity.earlier_treatment",
            _("There is no bundled earlier-treatment rule to switch on."),
        )
    severity["earlier_treatment"] = copy.deepcopy(bundled_rule)


def number_at(document: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def _with_rules_switched(
    rules: list[dict[str, Any]], bundled_rules: list[dict[str, Any]], enabled: set[str]
) -> list[dict[str, Any]]:
    """The organization's rules with those switched off left out, and bundled rules that
    were switched back on put back where the bundled order has them (care rules are
    tried in order; the first that matches gives the care level)."""
    result = [rule for rule in rules if rule.get("id") in enabled]
    present = {rule.get("id") for rule in result}
    bundled_ids = [rule["id"] for rule in bundled_rules]
    for position, rule in enumerate(bundled_rules):
        if rule["id"] not in enabled or rule["id"] in present:
            continue
        later = set(bundled_ids[position + 1 :])
        at = next((i for i, r in enumerate(result) if r.get("id") in later), len(result))
        result.insert(at, copy.deepcopy(rule))
        present.add(rule["id"])
    return result


def stepped_care_switches_save(
    *,
    actor: Actor,
    organization: Organization,
    enabled_rules: set[str],
    numbers: dict[str, int],
    comment: str,
    base_revision: str | None,
    levels: dict[str, str] | None = None,
    earlier_treatment: bool | None = None,
) -> KnowledgeRevision:
    """Switch care rules on or off, set the configurable numbers and severity caps of the
    stepped-care rules and switch the earlier-treatment rule on or off, in the
    organization's current document; saved (and validated) like any edit. The
    validation refuses switching off the last rule a severity level falls back to."""
    _require_admin(actor, organization)
    content_set, collection = "screening", "stepped_care"
    bundled = bundled_file(content_set, collection)
    if bundled is None:
        raise _refuse(collection, "$", _("There is no such collection."))
    document: dict[str, Any] = parse_document(
        selectors.current_text(organization.pk, content_set, collection),
        origin="stepped_care.json",
    )
    before = copy.deepcopy(document)
    bundled_document = parse_document(bundled.text, origin="stepped_care.json")
    document["care_rules"] = _with_rules_switched(
        document.get("care_rules", []), bundled_document.get("care_rules", []), enabled_rules
    )
    for name, value in numbers.items():
        *parents, key = STEPPED_CARE_NUMBERS[name]
        holder = number_at(document, tuple(parents))
        if isinstance(holder, dict):
            holder[key] = value
    if earlier_treatment is not None:
        _switch_earlier_treatment(document, bundled_document, earlier_treatment)
    for name, level in (levels or {}).items():
        # Only a changed level is written: an absent key already means the core's default.
        *parents, key = STEPPED_CARE_LEVELS[name]
        holder = number_at(document, tuple(parents))
        if isinstance(holder, dict) and level != level_at(document, name):
            holder[key] = level
    if document == before:
        raise _refuse(collection, "$", _("Nothing changed: this is the version in use."))
    document["version"] = next_version(str(document["version"]), bundled.version)
    return revision_save(
        actor=actor,
        organization=organization,
        content_set=content_set,
        collection=collection,
        text=dump_document(document),
        comment=comment,
        base_revision=base_revision,
    )
