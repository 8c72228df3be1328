"""Why EMA data cannot give a personal network, as a kind with its numbers and names.

The estimation (``network.py``) refuses unusable data with a :class:`NetworkDataError`.
Its message is the technical English of the command line; ``kind`` and ``params`` are
what a reader in another language needs, so the web app says the reason in the
clinician's language with the variables' labels instead of showing the English text
(the same split as :mod:`maatwerk.core.analysis.network_notes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from maatwerk.core.common.errors import MaatwerkError

__all__ = ["NetworkDataError", "NetworkProblemKind", "ProblemParam", "english_reason"]


class NetworkProblemKind(StrEnum):
    WRONG_SHAPE = "wrong_shape"
    DUPLICATE_VARIABLE = "duplicate_variable"
    TOO_FEW_VARIABLES = "too_few_variables"
    MISSING_VALUES = "missing_values"
    NOT_FINITE = "not_finite"
    TOO_FEW_ROWS = "too_few_rows"
    CONSTANT_COLUMNS = "constant_columns"
    DAY_PER_ROW = "day_per_row"
    BEEP_PER_ROW = "beep_per_row"
    DUPLICATE_BEEP = "duplicate_beep"
    TOO_FEW_PAIRS = "too_few_pairs"
    BAD_GAMMA = "bad_gamma"
    NO_VARIATION_USED = "no_variation_used"
    DEPENDENT_VARIABLES = "dependent_variables"
    NO_VALID_MODEL = "no_valid_model"
    NO_RESAMPLES = "no_resamples"


ProblemParam = int | str | tuple[int | str, ...]
"""A number, a text, variable ids (``names``; ``others`` pairs them up) or counts."""


class NetworkDataError(MaatwerkError):
    """The data cannot give a network (too few rows, constant or missing values).

    ``params`` by kind: ``MISSING_VALUES`` names + counts; ``TOO_FEW_ROWS`` rows;
    ``CONSTANT_COLUMNS`` and ``NO_VARIATION_USED`` names; ``DUPLICATE_BEEP`` first +
    second (1-based rows); ``TOO_FEW_PAIRS`` pairs + variables + needed;
    ``DEPENDENT_VARIABLES`` names + others (the same up to scale, pairwise, possibly
    none); ``WRONG_SHAPE`` variables + shape.
    """

    def __init__(self, kind: NetworkProblemKind, **params: ProblemParam) -> None:
        self.kind = kind
        self.params: Mapping[str, ProblemParam] = params
        super().__init__(english_reason(kind, params))

    def params_as_json(self) -> dict[str, int | str | list[int | str]]:
        """The parameters JSON-ready (tuples as lists), for storing why an estimate failed."""
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in self.params.items()
        }


def _items(params: Mapping[str, ProblemParam], key: str) -> tuple[str, ...]:
    value = params.get(key, ())
    return tuple(str(item) for item in value) if isinstance(value, tuple) else (str(value),)


def english_reason(kind: NetworkProblemKind, params: Mapping[str, ProblemParam]) -> str:
    """The reason in the technical English of the command line."""
    names = _items(params, "names")
    fixed = {
        NetworkProblemKind.DUPLICATE_VARIABLE: "every variable may be named only once",
        NetworkProblemKind.TOO_FEW_VARIABLES: "a network needs at least two variables",
        NetworkProblemKind.NOT_FINITE: "values must be finite numbers",
        NetworkProblemKind.DAY_PER_ROW: "the day column must have one value per row",
        NetworkProblemKind.BEEP_PER_ROW: "the beep column must have one value per row",
        NetworkProblemKind.BAD_GAMMA: "gamma must be zero or positive",
        NetworkProblemKind.NO_VALID_MODEL: "no penalty pair gave a valid model",
        NetworkProblemKind.NO_RESAMPLES: "at least one resample is needed",
    }
    if kind in fixed:
        return fixed[kind]
    if kind is NetworkProblemKind.WRONG_SHAPE:
        return (
            f"expected one column per variable ({params.get('variables')}), "
            f"got shape {params.get('shape')}"
        )
    if kind is NetworkProblemKind.MISSING_VALUES:
        counts = _items(params, "counts")
        listed = ", ".join(f"{name}: {count}" for name, count in zip(names, counts, strict=True))
        return f"missing values ({listed}); remove those rows first"
    if kind is NetworkProblemKind.TOO_FEW_ROWS:
        return f"only {params.get('rows')} rows; a network needs many more"
    if kind is NetworkProblemKind.CONSTANT_COLUMNS:
        return f"constant columns (no variation): {', '.join(names)}"
    if kind is NetworkProblemKind.DUPLICATE_BEEP:
        return f"rows {params.get('first')} and {params.get('second')} have the same day and beep"
    if kind is NetworkProblemKind.TOO_FEW_PAIRS:
        return (
            f"only {params.get('pairs')} usable beep pairs (a beep and the beep before it on "
            f"the same day); {params.get('variables')} variables need at least "
            f"{params.get('needed')}"
        )
    if kind is NetworkProblemKind.NO_VARIATION_USED:
        return f"no variation among the used beeps: {', '.join(names)}"
    pairs = [f"{a} and {b}" for a, b in zip(names, _items(params, "others"), strict=True)]
    detail = f" ({'; '.join(pairs)} are the same up to scale)" if pairs else ""
    return f"the variables are linearly dependent{detail}; leave out one of them"
