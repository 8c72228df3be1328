"""The ``maatwerk score`` command: read, score and write each row, report problems and a
summary.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from maatwerk.cli.instruments import (
    LanguageOption,
    VersionOption,
    _instrument,
    _language,
    _text,
)
from maatwerk.cli.output import err, fail

if TYPE_CHECKING:
    from maatwerk.core.instruments.answers import Answer
    from maatwerk.core.instruments.model import Instrument
    from maatwerk.core.instruments.scoring import InstrumentScore
from maatwerk.cli.score_file.reading import _CsvInput, _JsonInput, _read_csv, _read_json
from maatwerk.cli.score_file.rows import (
    DEFAULT_ENCODING,
    EXIT_ROWS_FAILED,
    MAX_PROBLEM_LINES,
    MAX_SAFETY_LINES,
    MAX_UNSCORED_NOTES,
    PROGRESS_THRESHOLD,
    InputError,
    _Row,
)
from maatwerk.cli.score_file.writing import _CsvWriter, _JsonWriter, _Outcome


def _score_row(instrument: Instrument, row: _Row) -> _Outcome:
    from maatwerk.core.instruments.answers import Respondent
    from maatwerk.core.instruments.errors import InvalidResponse
    from maatwerk.core.instruments.scoring import safety_flags, score_response

    problems = list(row.problems)
    answers = {k: v for k, v in row.answers.items() if k not in row.problem_items}
    respondent = Respondent(
        sex=row.sex,
        declared_not_applicable=frozenset(
            name for name in row.declared_not_applicable if instrument.has_item(name)
        ),
    )
    unknown_marks = sorted(n for n in row.declared_not_applicable if not instrument.has_item(n))
    problems.extend(
        (name, f"not an item of {instrument.code} {instrument.version}") for name in unknown_marks
    )
    result: InstrumentScore | None = None
    try:
        result = score_response(
            instrument, cast("Mapping[str, Answer]", answers), respondent=respondent
        )
    except InvalidResponse as invalid:
        problems.extend(
            (p.item_id, p.message) for p in invalid.problems if p.item_id not in row.problem_items
        )
    if not problems and result is not None:
        return _Outcome(row, result, [], result.safety_flags)
    # Whole-row problems first, then by the item order of the instrument.
    order = {item.id: index for index, item in enumerate(instrument.items)}
    problems.sort(key=lambda p: (p[0] != "", order.get(p[0], len(order)), p[0]))
    errors = [f"{subject}: {message}" if subject else message for subject, message in problems]
    # score_response refuses the whole row; the valid answers still get their safety check.
    flagged = safety_flags(instrument, cast("Mapping[str, Answer]", answers), respondent=respondent)
    return _Outcome(row, None, errors, flagged)


def _where(row: _Row) -> str:
    return f"row {row.number}" + (f" (id {row.respondent_id})" if row.respondent_id else "")


@dataclass(slots=True)
class _Tally:
    rows: int = 0
    failed: int = 0
    unscored_rows: int = 0
    flags: int = 0
    problem_lines: int = 0
    safety_not_evaluated_rows: int = 0


def _report(outcome: _Outcome, tally: _Tally, language: str) -> None:
    where = escape(_where(outcome.row))
    tally.rows += 1
    for flag in outcome.flags:
        tally.flags += 1
        if tally.flags > MAX_SAFETY_LINES:
            continue
        message = _text(flag.clinician_message, language)
        err.print(
            f"[bold red]{where}: SAFETY[/bold red] {escape(flag.rule_id)} ({flag.severity}; "
            f"{escape(flag.item_id)} = {flag.answer}): {escape(message)}"
        )
    if outcome.result is None:
        tally.failed += 1
        for problem in outcome.errors:
            tally.problem_lines += 1
            if tally.problem_lines <= MAX_PROBLEM_LINES:
                err.print(f"[red]{where}[/red]: {escape(problem)}")
        return
    if outcome.result.safety_rules_not_evaluated:
        tally.safety_not_evaluated_rows += 1
    unscored = [s for s in outcome.result.scales if not s.scored]
    if unscored:
        tally.unscored_rows += 1
        if tally.unscored_rows <= MAX_UNSCORED_NOTES:
            for scale_score in unscored:
                reason = scale_score.explanation.reason_unscored or "not scored"
                undecided = [
                    item_id
                    for item_id in scale_score.explanation.facts.items_decided_by_respondent
                    if item_id in scale_score.explanation.items_missing
                ]
                if undecided:
                    reason += (
                        f" ({', '.join(undecided)} is for one sex only and the sex is not "
                        "known: answer it, or write nvt if it does not apply)"
                    )
                err.print(
                    f"[yellow]{where}[/yellow]: {escape(scale_score.scale_id)} not scored: "
                    f"{escape(reason)}"
                )


def _output_kind(output: Path | None) -> Literal["csv", "json"]:
    if output is None:
        return "csv"
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise fail(f"--output must end in .csv or .json, not {output.name!r}")
    return "csv" if suffix == ".csv" else "json"


def score(
    instrument_code: Annotated[
        str, typer.Argument(metavar="INSTRUMENT", help="Instrument code, e.g. phq9.")
    ],
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="Responses: .csv (header of item ids; one row per response) "
            "or .json (a list of objects).",
        ),
    ],
    version: VersionOption = None,
    sex_column: Annotated[
        str | None,
        typer.Option(
            "--sex-column",
            help="Column with the respondent's sex (female/male, f/m, vrouw/man). "
            "Default: 'sex' when present.",
        ),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column", help="Column with a respondent id. Default: 'id' when present."
        ),
    ] = None,
    ignore_column: Annotated[
        list[str] | None,
        typer.Option("--ignore-column", help="A column to pass over (repeatable)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE.csv or FILE.json, not CSV on stdout."),
    ] = None,
    language: LanguageOption = "en",
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse a file without a column for an item that a safety rule reads "
            "(PHQ-9 item 9): exit 2 before scoring.",
        ),
    ] = False,
    encoding: Annotated[
        str,
        typer.Option(
            "--encoding",
            help="Text encoding of a CSV file: utf-8 (default, with or without BOM) or, for "
            "a Windows export you know to be one, cp1252.",
        ),
    ] = DEFAULT_ENCODING,
) -> None:
    """Score a file of responses: one row (or JSON object) per response.

    Prints one line per problem on stderr ("row 17: phq9_3: 5 is not one of the options
    0, 1, 2, 3") and scores the other rows. Exit 1 when a row failed, 2 when the input
    or the instrument cannot be used.
    """
    language = _language(language)
    kind = _output_kind(output)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise fail(
            f"--encoding {encoding!r} is not a known text encoding (utf-8, cp1252)"
        ) from None
    instrument = _instrument(instrument_code, version)
    ignored = frozenset(ignore_column or ())
    suffix = file.suffix.lower()
    try:
        if suffix == ".json":
            source: _CsvInput | _JsonInput = _read_json(file, id_column, sex_column, ignored)
        elif suffix == ".csv":
            source = _read_csv(instrument, file, id_column, sex_column, ignored, encoding)
        else:
            raise InputError(f"{file}: give a .csv or .json file, not {file.name!r}")
    except InputError as problem:
        raise fail(str(problem)) from None
    blind = _safety_rules_without_column(instrument, source.present)
    if blind and strict:
        raise fail(
            "--strict: "
            + "; ".join(_blind_rule_text(instrument, rule_id) for rule_id in blind)
            + ". Add the column (one cell per row), or run without --strict."
        )
    for rule_id in blind:
        err.print(
            f"[bold red]WARNING: {escape(_blind_rule_text(instrument, rule_id))}[/bold red]. "
            "An answer that signals risk would go unnoticed. Add the column, or use --strict "
            "to refuse such files."
        )
    has_id = source.columns.id_column is not None
    err.print(
        f"Scoring {source.rows:,} row(s) with {escape(instrument.short_name)} "
        f"({escape(instrument.code)} {escape(instrument.version)})"
    )
    tally = _Tally()
    try:
        handle = sys.stdout if output is None else output.open("w", encoding="utf-8", newline="")
    except OSError as problem:
        raise fail(f"cannot write {output}: {problem.strerror or problem}") from None
    try:
        writer = (_CsvWriter if kind == "csv" else _JsonWriter)(
            handle, instrument, has_id, language
        )
        _score_all(instrument, source, writer, tally, language)
        writer.close()
    except InputError as problem:
        raise fail(str(problem)) from None
    finally:
        if output is not None:
            handle.close()
    _summary(tally, output, blind)
    if tally.failed:
        raise typer.Exit(EXIT_ROWS_FAILED)


def _safety_rules_without_column(instrument: Instrument, present: frozenset[str]) -> list[str]:
    """The safety rules whose item has no column (CSV) or key in any object (JSON)."""
    return [rule.id for rule in instrument.safety_rules if rule.item not in present]


def _blind_rule_text(instrument: Instrument, rule_id: str) -> str:
    rule = next(rule for rule in instrument.safety_rules if rule.id == rule_id)
    return (
        f"no column for {rule.item}, so the safety rule {rule.id} ({rule.severity}) "
        "could not be evaluated for any row"
    )


def _score_all(
    instrument: Instrument,
    source: _CsvInput | _JsonInput,
    writer: _CsvWriter | _JsonWriter,
    tally: _Tally,
    language: str,
) -> None:
    progress = Progress(
        TextColumn("Scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=source.rows <= PROGRESS_THRESHOLD,
    )
    with progress:
        task = progress.add_task("score", total=source.rows)
        pending = 0
        for row in source:
            outcome = _score_row(instrument, row)
            writer.write(outcome)
            _report(outcome, tally, language)
            pending += 1
            if pending == 500:
                progress.advance(task, pending)
                pending = 0
        progress.advance(task, pending)


def _summary(tally: _Tally, output: Path | None, blind: list[str]) -> None:
    more = tally.unscored_rows - MAX_UNSCORED_NOTES
    if more > 0:
        err.print(f"[yellow]... and {more:,} more row(s) with a scale not scored.[/yellow]")
    hidden = tally.problem_lines - MAX_PROBLEM_LINES
    if hidden > 0:
        err.print(
            f"[red]... and {hidden:,} more problem(s) not shown (the first "
            f"{MAX_PROBLEM_LINES} are above); each row's problems are in the error column "
            "of the output.[/red]"
        )
    hidden_flags = tally.flags - MAX_SAFETY_LINES
    if hidden_flags > 0:
        err.print(
            f"[bold red]... and {hidden_flags:,} more SAFETY flag(s) not shown: see the "
            "safety_flags column of the output.[/bold red]"
        )
    if tally.safety_not_evaluated_rows:
        err.print(
            f"[bold red]{tally.safety_not_evaluated_rows:,} row(s) left a safety item "
            "unanswered: their safety rule could not be evaluated.[/bold red]"
        )
    scored = tally.rows - tally.failed
    parts = [f"{scored:,} of {tally.rows:,} row(s) scored"]
    if tally.failed:
        parts.append(f"[red]{tally.failed:,} failed[/red]")
    if tally.unscored_rows:
        parts.append(f"{tally.unscored_rows:,} with a scale not scored")
    if tally.flags:
        parts.append(f"[bold red]{tally.flags:,} safety flag(s)[/bold red]")
    if blind:
        parts.append(f"[bold red]safety rule(s) NOT evaluated: {', '.join(blind)}[/bold red]")
    where = f" -> {escape(str(output))}" if output is not None else ""
    err.print("; ".join(parts) + where)
