"""The personal network's "read with care" notes, and why an estimate failed, in the
clinician's language.

The estimate stores each note as values (``maatwerk.core.analysis.network_notes``); here
they become a sentence in Dutch or English, with the variables' labels (the circle's
words when a variable is linked to a box) instead of their ids. A result stored before
the notes were kept as values has only English sentences: it gets one translated line
asking to estimate it again, never the English text in the Dutch interface. A failed
estimate keeps its reason the same way (``maatwerk.core.analysis.network_problems``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from maatwerk.core.analysis.network_notes import NetworkNote, NoteKind
from maatwerk.core.analysis.network_problems import NetworkProblemKind as Problem


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


def _names_of(value: object) -> list[str]:
    return [str(name) for name in value] if isinstance(value, list) else []


def problem_text(kind: str, params: Mapping[str, object], labels: Mapping[str, str]) -> str:
    """Why the network could not be estimated, in the active language; empty for an
    estimate that failed before the reason was kept as values."""
    try:
        problem = Problem(kind)
    except ValueError:
        return ""
    names = _quoted(_names_of(params.get("names")), labels)
    values = {**params, "names": ", ".join(names)}
    if problem is Problem.MISSING_VALUES:
        return _("Values are missing for %(names)s. Remove those diary moments first.") % values
    if problem is Problem.TOO_FEW_ROWS:
        return _("Only %(rows)s diary moments; a network needs many more.") % values
    if problem in (Problem.CONSTANT_COLUMNS, Problem.NO_VARIATION_USED):
        return _("These variables do not vary (always the same answer): %(names)s.") % values
    if problem is Problem.DUPLICATE_BEEP:
        return _("Diary moments %(first)s and %(second)s have the same day and beep.") % values
    if problem is Problem.TOO_FEW_PAIRS:
        return (
            _(
                "Only %(pairs)s usable pairs of diary moments (a moment and the one before it "
                "on the same day); %(variables)s variables need at least %(needed)s."
            )
            % values
        )
    if problem is Problem.DEPENDENT_VARIABLES:
        others = _quoted(_names_of(params.get("others")), labels)
        pairs = [
            _("%(a)s and %(b)s") % {"a": a, "b": b} for a, b in zip(names, others, strict=False)
        ]
        if pairs:
            return _("%(pairs)s are the same up to scale. Leave out one of each pair.") % {
                "pairs": "; ".join(pairs)
            }
        return _("Some variables are an exact combination of others. Leave out one of them.")
    return {
        Problem.WRONG_SHAPE: _("The data do not have one column per variable."),
        Problem.DUPLICATE_VARIABLE: _("Every variable may appear only once."),
        Problem.TOO_FEW_VARIABLES: _("A network needs at least two variables."),
        Problem.NOT_FINITE: _("Every value must be a finite number."),
        Problem.DAY_PER_ROW: _("The day column must have a value for every diary moment."),
        Problem.BEEP_PER_ROW: _("The beep column must have a value for every diary moment."),
        Problem.BAD_GAMMA: _("The estimation setting is not valid."),
        Problem.NO_VALID_MODEL: _("No setting of the regularization gave a valid model."),
        Problem.NO_RESAMPLES: _("The estimation setting is not valid."),
    }[problem]
