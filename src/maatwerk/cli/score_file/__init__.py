"""`maatwerk score`: score a file of responses with a bundled instrument.

Reads one response per row (CSV: a header of item ids, optional id and sex columns; JSON:
a list of objects), scores each row with ``score_response`` and writes the scale scores,
band labels, cut-offs met and safety flags as CSV (stdout or ``--output``) or JSON
(``--output FILE.json``). A row with invalid answers is reported on stderr (``row 17:
phq9_3: 5 is not one of the options 0, 1, 2, 3``) and the other rows are still scored.
Exit codes: 0 all rows valid, 1 one or more rows invalid (or, with ``--strict``, a safety
item with no column), 2 unreadable input, an unknown instrument or unusable columns.

The parts: ``rows`` (limits, words and the row and column types they share), ``reading``
(CSV and JSON input), ``writing`` (CSV and JSON output), ``command`` (the command itself).
"""

from maatwerk.cli.score_file.command import score
from maatwerk.cli.score_file.rows import MAX_PROBLEM_LINES

__all__ = ["MAX_PROBLEM_LINES", "score"]
