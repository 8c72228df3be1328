"""The personal network's "read with care" notes in the clinician's language.

The estimate stores each note as values (``maatwerk.core.analysis.network_notes``); here
they become a sentence in Dutch or English, with the variables' labels (the circle's
words when a variable is linked to a box) instead of their ids. A result stored before
the notes were kept as values has only English sentences: it gets one translated line
asking to estimate it again, never the English text in the Dutch interface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from maatwerk.core.analysis.network_notes import NetworkNote, NoteKind


def _quoted(names: Sequence[str], labels: Mapping[str, str]) -> list[str]:
    return [f"“{labels.get(name, name)}”" for name in names]


def note_text(note: NetworkNote, labels: Mapping[str, str]) -> str:
    if note.kind is NoteKind.FEW_OBSERVATIONS:
        return _(
            "Few observations: %(pairs)s usable pairs of diary moments for %(variables)s "
            "variables, fewer than the %(parameters)s parameters of the model. The network "
            "is shaped mostly by the regularization and may miss real links."
        ) % {"pairs": note.pairs, "variables": note.variables, "parameters": note.parameters}
    if note.kind is NoteKind.NO_VARIATION:
        return _(
            "No variation in the value at the previous moment of %(names)s: its effect on "
            "the next moment cannot be estimated."
        ) % {"names": ", ".join(_quoted(note.names, labels))}
    if note.kind is NoteKind.NOT_CONVERGED:
        return _(
            "The estimation did not reach a stable result within 100 rounds at the chosen "
            "regularization."
        )
    a, b = _quoted(note.names, labels)
    values = {"a": a, "b": b, "share": f"{note.share:.0%}", "resamples": note.resamples}
    if note.kind is NoteKind.UNSTABLE_TEMPORAL_EDGE:
        return (
            _(
                "Unstable link %(a)s → %(b)s (from one moment to the next): present in "
                "%(share)s of %(resamples)s resamples."
            )
            % values
        )
    return (
        _(
            "Unstable link %(a)s — %(b)s (at the same moment): present in %(share)s of "
            "%(resamples)s resamples."
        )
        % values
    )


def note_texts(stored: Mapping[str, object], labels: Mapping[str, str]) -> list[str]:
    """The notes of a stored estimate, as sentences in the active language."""
    raw = stored.get("notes")
    if isinstance(raw, list):
        return [note_text(NetworkNote.from_dict(item), labels) for item in raw]
    stability = stored.get("stability")
    old = [
        stored.get("warnings"),
        stability.get("warnings") if isinstance(stability, Mapping) else None,
    ]
    if any(isinstance(sentences, list) and sentences for sentences in old):
        return [
            _(
                "This network was estimated before its notes were kept in both languages. "
                "Estimate it again to read them."
            )
        ]
    return []
