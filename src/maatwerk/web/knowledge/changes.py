"""What changed between two versions of a collection document, by entry id.

A history that says "factors changed" is useless for review; one that says
"fear_of_movement changed, stigma added" can be checked against the comment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()  # other top-level fields that differ, e.g. version

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.fields)


def _entries(value: object) -> dict[str, dict[str, object]] | None:
    """A list of objects that all have a string ``id``, as id -> entry; else ``None``."""
    if not isinstance(value, list) or not value:
        return None
    entries: dict[str, dict[str, object]] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return None
        entries[item["id"]] = item
    return entries


def changes_between(old: object, new: object, *, collection: str = "") -> Changes:
    """Entry ids added, removed and changed in every list of identified entries, and the
    other top-level fields that differ. Ids of a list not named after the collection
    (e.g. ``links`` in ``interventions``) are prefixed with the list's name."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return Changes(fields=("$",)) if old != new else Changes()
    added: list[str] = []
    removed: list[str] = []
    changed: list[str] = []
    fields: list[str] = []
    for key in sorted(set(old) | set(new), key=lambda k: (k != collection, k)):
        before, after = old.get(key), new.get(key)
        old_entries, new_entries = _entries(before), _entries(after)
        if old_entries is None and new_entries is None:
            if before != after:
                fields.append(key)
            continue
        old_entries, new_entries = old_entries or {}, new_entries or {}
        prefix = "" if key == collection else f"{key}: "
        added += [prefix + i for i in new_entries if i not in old_entries]
        removed += [prefix + i for i in old_entries if i not in new_entries]
        changed += [
            prefix + i for i in new_entries if i in old_entries and old_entries[i] != new_entries[i]
        ]
        if list(old_entries) != list(new_entries) and set(old_entries) == set(new_entries):
            fields.append(f"{key} (order)")
    return Changes(tuple(added), tuple(removed), tuple(changed), tuple(fields))
