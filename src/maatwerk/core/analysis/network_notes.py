"""What to read with care in a personal network, as values instead of sentences.

The estimation (``network.py``) and the bootstrap stability check notice the same few
things every time: too few observations, a lagged variable without variation, an
estimate that did not converge, and edges that come and go across resamples. Each is a
:class:`NetworkNote` with its numbers and variable ids, so every reader says it in its
own words: the web app in Dutch or English for the clinician, with the variables'
labels; the command line and the stored result in the English sentence of
:func:`english_sentence` (the CLI contract's ``warnings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["NetworkNote", "NoteKind", "english_sentence"]


class NoteKind(StrEnum):
    FEW_OBSERVATIONS = "few_observations"
    NO_VARIATION = "no_variation"
    NOT_CONVERGED = "not_converged"
    UNSTABLE_TEMPORAL_EDGE = "unstable_temporal_edge"
    UNSTABLE_CONTEMPORANEOUS_EDGE = "unstable_contemporaneous_edge"


@dataclass(frozen=True, slots=True)
class NetworkNote:
    kind: NoteKind
    pairs: int = 0  # FEW_OBSERVATIONS: usable beep pairs
    variables: int = 0  # FEW_OBSERVATIONS: number of variables
    parameters: int = 0  # FEW_OBSERVATIONS: parameters of the unpenalized model
    names: tuple[str, ...] = ()  # variable ids: constant ones, or an edge's two ends
    share: float = 0.0  # UNSTABLE_*: share of resamples with the edge
    resamples: int = 0  # UNSTABLE_*

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "pairs": self.pairs,
            "variables": self.variables,
            "parameters": self.parameters,
            "names": list(self.names),
            "share": self.share,
            "resamples": self.resamples,
        }

    @classmethod
    def from_dict(cls, stored: Mapping[str, object]) -> NetworkNote:
        """A note as stored by :meth:`as_dict`; raises ``ValueError`` on anything else."""
        names = stored.get("names", [])
        if not isinstance(names, list):
            raise ValueError("names must be a list")

        def whole(key: str) -> int:
            return int(str(stored.get(key, 0)))

        return cls(
            kind=NoteKind(str(stored.get("kind"))),
            pairs=whole("pairs"),
            variables=whole("variables"),
            parameters=whole("parameters"),
            names=tuple(str(name) for name in names),
            share=float(str(stored.get("share", 0.0))),
            resamples=whole("resamples"),
        )


def english_sentence(note: NetworkNote) -> str:
    """The note in the technical English of the command line and the stored result."""
    if note.kind is NoteKind.FEW_OBSERVATIONS:
        return (
            f"few observations: {note.pairs} usable beep pairs for {note.variables} variables, "
            f"fewer than the {note.parameters} parameters of the unpenalized model; the "
            "network is mostly shaped by the penalty and may miss real connections"
        )
    if note.kind is NoteKind.NO_VARIATION:
        return (
            f"no variation in the previous beep's value of {', '.join(note.names)}: its "
            "temporal effects cannot be estimated"
        )
    if note.kind is NoteKind.NOT_CONVERGED:
        return "the estimation did not converge within 100 rounds at the chosen penalty"
    source, target = note.names
    if note.kind is NoteKind.UNSTABLE_TEMPORAL_EDGE:
        return (
            f"unstable temporal edge {source} → {target}: present in "
            f"{note.share:.0%} of {note.resamples} resamples"
        )
    return (
        f"unstable contemporaneous edge {source} — {target}: present in "
        f"{note.share:.0%} of {note.resamples} resamples"
    )
