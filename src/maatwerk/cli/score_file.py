"""`maatwerk score`: score a file of responses with a bundled instrument.

Reads one response per row (CSV: a header of item ids, optional id and sex columns; JSON:
a list of objects), scores each row with ``score_response`` and writes the scale scores,
band labels, cut-offs met and safety flags as CSV (stdout or ``--output``) or JSON
(``--output FILE.json``). A row with invalid answers is reported on stderr (``row 17:
phq9_3: 5 is not one of the options 0, 1, 2, 3``) and the other rows are still scored.
Exit codes: 0 all rows valid, 1 one or more rows invalid (or, with ``--strict``, a safety
item with no column), 2 unreadable input, an unknown instrument or unusable columns.

Size: one command (read rows, score, write) whose parts share private row and column types.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TextIO, cast

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
    from maatwerk.core.instruments.model import Instrument, Sex
    from maatwerk.core.instruments.scoring import InstrumentScore, SafetyFlag, ScaleScore

__all__ = ["score"]

EXIT_ROWS_FAILED = 1
PROGRESS_THRESHOLD = 1_000
"""Files with more rows than this get a progress bar on stderr."""
MAX_UNSCORED_NOTES = 20
MAX_PROBLEM_LINES = 20
"""At most this many problem lines on stderr; the rest are counted (every row's problems
are in the output's error column). 148,000 bad rows once gave 1.3 million lines."""
MAX_SAFETY_LINES = 20
"""At most this many SAFETY lines on stderr; the summary counts them all and every flag is
in the output's safety_flags column."""

SEX_WORDS: dict[str, Sex] = {
    "female": "female",
    "f": "female",
    "vrouw": "female",
    "v": "female",
    "male": "male",
    "m": "male",
    "man": "male",
}
SEX_UNKNOWN_WORDS = frozenset({"other", "anders", "x", "unknown", "onbekend"})
"""Neither female nor male, or not recorded: items for one sex are then asked like any
other (an answer counts; "nvt" marks the item as not applying)."""
NOT_APPLICABLE_WORDS = frozenset(
    {"nvt", "n.v.t.", "n.v.t", "na", "n/a", "not applicable", "niet van toepassing"}
)
DEFAULT_ENCODING = "utf-8"
CSV_UTF8_HINT = (
    "In Excel choose Save As > 'CSV UTF-8 (door komma's gescheiden) (*.csv)' "
    "(English Excel: 'CSV UTF-8 (Comma delimited)') and run again"
)
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


class InputError(Exception):
    """The input cannot be used at all (exit code 2)."""


# --- score: reading ---------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One response as read: its answers and any problems found while reading it."""

    number: int
    respondent_id: str | None = None
    sex: Sex | None = None
    answers: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(column or item, message); column "" for a problem with the whole row."""
    problem_items: set[str] = field(default_factory=set)
    declared_not_applicable: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Columns:
    id_column: str | None
    sex_column: str | None
    ignored: frozenset[str]


def _not_a_number(text: str) -> str:
    if _DECIMAL_COMMA.fullmatch(text):
        return (
            f"{text!r} is not a number: write a decimal point ({text.replace(',', '.')}), "
            "not a decimal comma (a Dutch spreadsheet setting; set the number format or "
            "export with a point as decimal separator)"
        )
    return f"{text!r} is not a number"


def _parse_cell(text: str) -> int | Decimal | None:
    text = text.strip()
    if not text:
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    raise ValueError(_not_a_number(text))


def _is_not_applicable_mark(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in NOT_APPLICABLE_WORDS


def _parse_sex(value: object) -> Sex | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().lower() in SEX_WORDS:
        return SEX_WORDS[value.strip().lower()]
    if isinstance(value, str) and value.strip().lower() in SEX_UNKNOWN_WORDS:
        return None
    raise ValueError(
        f"{value!r} is not female or male (also accepted: f/m, vrouw/man, v; "
        "other/anders/x/unknown/onbekend or empty when neither or not known)"
    )


def _pick_column(header: list[str], chosen: str | None, default: str, option: str) -> str | None:
    if chosen is not None:
        if chosen not in header:
            raise InputError(f"{option} {chosen!r}: the input has no such column (or key)")
        return chosen
    return default if default in header else None


def _check_header(
    instrument: Instrument, header: list[str], columns: _Columns, *, origin: str
) -> None:
    for position, name in enumerate(header, start=1):
        if not name:
            raise InputError(f"{origin}: column {position} has no name in the header")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise InputError(f"{origin}: duplicate column(s) {', '.join(duplicates)}")
    known = {item.id for item in instrument.items}
    extra = {columns.id_column, columns.sex_column} | columns.ignored
    unknown = [name for name in header if name not in known and name not in extra]
    if unknown:
        raise InputError(
            f"{origin}: column(s) {', '.join(unknown)} are not items of "
            f"{instrument.code} {instrument.version} (items: {_item_range(instrument)}). "
            "Use --id-column/--sex-column for those, or --ignore-column to pass a column over."
        )
    absent = [item.id for item in instrument.items if item.id not in header]
    if absent:
        err.print(
            f"[yellow]Note:[/yellow] no column for {escape(', '.join(absent))}: "
            "treated as not answered in every row."
        )


def _item_range(instrument: Instrument) -> str:
    ids = [item.id for item in instrument.items]
    return ", ".join(ids) if len(ids) <= 6 else f"{ids[0]}, {ids[1]}, ..., {ids[-1]}"


def _python_encoding(encoding: str) -> str:
    """UTF-8 is read with an optional byte-order mark (Excel's 'CSV UTF-8' writes one)."""
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def _delimiter(path: Path, encoding: str) -> str:
    with path.open("r", encoding=_python_encoding(encoding), newline="") as handle:
        first = handle.readline()
    return ";" if first.count(";") > first.count(",") else ","


def _not_text(path: Path, encoding: str) -> str:
    """Why ``path`` is not ``encoding`` text: the line where decoding failed and what to
    do. No automatic fall-back to cp1252: a wrong guess would silently change ids."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (
            f"{path}: this is UTF-16 text (Excel's 'Unicode text'), not CSV in UTF-8. "
            f"{CSV_UTF8_HINT}."
        )
    try:
        data.decode(_python_encoding(encoding))
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        column = problem.start - (data.rfind(b"\n", 0, problem.start) + 1) + 1
        found = f"byte 0x{data[problem.start]:02X} at line {line}, column {column}"
        name = codecs.lookup(encoding).name
        if name != "utf-8":
            return f"{path}: not {name} text: {found}."
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            guess = "It is not UTF-8 text."
        else:
            guess = (
                "It looks like a Windows (cp1252) export, as Excel writes 'CSV "
                "(gescheiden door lijstscheidingsteken)'."
            )
        return (
            f"{path}: not UTF-8 text: {found}. {guess} {CSV_UTF8_HINT}, "
            "or pass --encoding cp1252 if you know the file is a Windows export."
        )
    return f"{path}: not {codecs.lookup(encoding).name} text."


def _csv_records(path: Path, delimiter: str, encoding: str) -> Iterator[list[str]]:
    """The records of a CSV file, header first, empty lines skipped (a line of empty
    fields is a response with nothing answered). Raises InputError when unreadable."""
    try:
        with path.open("r", encoding=_python_encoding(encoding), newline="") as handle:
            for record in csv.reader(handle, delimiter=delimiter, strict=True):
                if record:
                    yield record
    except UnicodeDecodeError:
        raise InputError(_not_text(path, encoding)) from None
    except csv.Error as problem:
        raise InputError(f"{path}: malformed CSV: {problem}") from None
    except OSError as problem:
        raise InputError(f"{path}: cannot read: {problem.strerror or problem}") from None


@dataclass(frozen=True, slots=True)
class _CsvInput:
    path: Path
    delimiter: str
    encoding: str
    header: list[str]
    rows: int
    columns: _Columns

    @property
    def present(self) -> frozenset[str]:
        return frozenset(self.header)

    def __iter__(self) -> Iterator[_Row]:
        records = _csv_records(self.path, self.delimiter, self.encoding)
        next(records)
        width = len(self.header)
        for number, record in enumerate(records, start=1):
            row = _Row(number)
            if len(record) != width:
                row.problems.append(
                    (
                        "",
                        f"has {len(record)} fields, but the header has {width} "
                        "(check quoting and delimiters)",
                    )
                )
                yield row
                continue
            _fill_row(row, dict(zip(self.header, record, strict=True)), self.columns)
            yield row


def _fill_row(row: _Row, fields: Mapping[str, object], columns: _Columns) -> None:
    for name, raw in fields.items():
        if name == columns.id_column:
            row.respondent_id = None if raw is None else str(raw).strip() or None
        elif name == columns.sex_column:
            try:
                row.sex = _parse_sex(raw)
            except ValueError as problem:
                row.problems.append((name, str(problem)))
        elif name in columns.ignored:
            continue
        elif _is_not_applicable_mark(raw):
            row.declared_not_applicable.add(name)
        elif isinstance(raw, str):
            try:
                row.answers[name] = _parse_cell(raw)
            except ValueError as problem:
                row.problems.append((name, str(problem)))
                row.problem_items.add(name)
        else:
            row.answers[name] = raw  # its type is checked by the engine


def _read_csv(
    instrument: Instrument,
    path: Path,
    id_column: str | None,
    sex_column: str | None,
    ignored: frozenset[str],
    encoding: str,
) -> _CsvInput:
    delimiter = _delimiter_safely(path, encoding)
    records = _csv_records(path, delimiter, encoding)
    header_record = next(records, None)
    if header_record is None:
        raise InputError(f"{path}: the file is empty (a header row of item ids is needed)")
    header = [name.strip() for name in header_record]
    columns = _Columns(
        _pick_column(header, id_column, "id", "--id-column"),
        _pick_column(header, sex_column, "sex", "--sex-column"),
        ignored,
    )
    _check_header(instrument, header, columns, origin=str(path))
    count = sum(1 for _ in records)
    return _CsvInput(path, delimiter, encoding, header, count, columns)


def _delimiter_safely(path: Path, encoding: str) -> str:
    try:
        return _delimiter(path, encoding)
    except UnicodeDecodeError:
        raise InputError(_not_text(path, encoding)) from None
    except OSError as problem:
        raise InputError(f"{path}: cannot read: {problem.strerror or problem}") from None


@dataclass(frozen=True, slots=True)
class _JsonInput:
    records: list[object]
    columns: _Columns

    @property
    def rows(self) -> int:
        return len(self.records)

    @property
    def present(self) -> frozenset[str]:
        return frozenset(
            key for record in self.records if isinstance(record, dict) for key in record
        )

    def __iter__(self) -> Iterator[_Row]:
        for number, record in enumerate(self.records, start=1):
            row = _Row(number)
            if not isinstance(record, dict):
                row.problems.append(("", f"is a JSON {type(record).__name__}, not an object"))
            else:
                fields: dict[str, object] = {}
                for name, value in record.items():
                    passed = {self.columns.id_column, self.columns.sex_column}
                    if (
                        isinstance(value, str)
                        and name not in passed | self.columns.ignored
                        and not _is_not_applicable_mark(value)
                    ):
                        row.problems.append((name, f"{_not_a_number(value)} (a JSON string)"))
                        row.problem_items.add(name)
                    else:
                        fields[name] = value
                _fill_row(row, fields, self.columns)
            yield row


def _read_json(
    path: Path, id_column: str | None, sex_column: str | None, ignored: frozenset[str]
) -> _JsonInput:
    from maatwerk.core.instruments.errors import InstrumentDefinitionError
    from maatwerk.core.instruments.loading import decode_json

    try:
        data = decode_json(path.read_bytes(), origin=str(path))
    except OSError as problem:
        raise InputError(f"{path}: cannot read: {problem.strerror or problem}") from None
    except InstrumentDefinitionError as problem:
        raise InputError("; ".join(str(p) for p in problem.problems)) from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of objects (one per response)")
    keys = {key for record in data if isinstance(record, dict) for key in record}
    columns = _Columns(
        _pick_column(sorted(keys), id_column, "id", "--id-column"),
        _pick_column(sorted(keys), sex_column, "sex", "--sex-column"),
        ignored,
    )
    return _JsonInput(data, columns)


# --- score: writing ---------------------------------------------------------------------


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(str(value))


@dataclass(slots=True)
class _Outcome:
    row: _Row
    result: InstrumentScore | None
    errors: list[str]
    flags: tuple[SafetyFlag, ...] = ()


def _band(scale_score: ScaleScore, language: str) -> str:
    band = scale_score.band
    if band is None:
        return ""
    label = _text(band.label, language, mark=False)
    return label + (" (unverified)" if band.unverified else "")


def _cutoff_ids(scale_score: ScaleScore) -> list[str]:
    return [c.id + (" (unverified)" if c.unverified else "") for c in scale_score.cutoffs_met]


class _CsvWriter:
    def __init__(self, handle: TextIO, instrument: Instrument, has_id: bool, language: str):
        self.instrument = instrument
        self.has_id = has_id
        self.language = language
        self.writer = csv.writer(handle, lineterminator="\n")
        header = ["row", *(["id"] if has_id else [])]
        for scale in instrument.scales:
            header.append(scale.id)
            if scale.bands:
                header.append(f"{scale.id}_band")
            if scale.cutoffs:
                header.append(f"{scale.id}_cutoffs")
        if instrument.safety_rules:
            header.append("safety_flags")
        header.append("error")
        self.writer.writerow(header)

    def write(self, outcome: _Outcome) -> None:
        record: list[object] = [outcome.row.number]
        if self.has_id:
            record.append(outcome.row.respondent_id or "")
        result = outcome.result
        for scale in self.instrument.scales:
            scale_score = result.scale(scale.id) if result is not None else None
            rounded = scale_score.rounded() if scale_score is not None else None
            record.append("" if rounded is None else str(rounded))
            if scale.bands:
                record.append(_band(scale_score, self.language) if scale_score else "")
            if scale.cutoffs:
                record.append(";".join(_cutoff_ids(scale_score)) if scale_score else "")
        if self.instrument.safety_rules:
            record.append(";".join(flag.rule_id for flag in outcome.flags))
        record.append("; ".join(outcome.errors))
        self.writer.writerow(record)

    def close(self) -> None:
        pass


class _JsonWriter:
    def __init__(self, handle: TextIO, instrument: Instrument, has_id: bool, language: str):
        self.handle = handle
        self.has_id = has_id
        self.language = language
        self.first = True
        handle.write(
            f'{{"instrument": {json.dumps(instrument.code)}, '
            f'"version": {json.dumps(instrument.version)}, "results": ['
        )

    def write(self, outcome: _Outcome) -> None:
        record: dict[str, Any] = {"row": outcome.row.number}
        if self.has_id:
            record["id"] = outcome.row.respondent_id
        result = outcome.result
        record["safety_flags"] = [flag.rule_id for flag in outcome.flags]
        if result is None:
            record["scores"] = None
        else:
            scores: dict[str, Any] = {}
            for scale_score in result.scales:
                rounded = scale_score.rounded()
                scores[scale_score.scale_id] = {
                    "value": None if rounded is None else _plain_number(rounded),
                    "exact": None if scale_score.value is None else str(scale_score.value),
                    "band": _band(scale_score, self.language) or None,
                    "cutoffs_met": _cutoff_ids(scale_score),
                    "reason_unscored": scale_score.explanation.reason_unscored,
                }
            record["scores"] = scores
        record["error"] = "; ".join(outcome.errors) or None
        self.handle.write(("\n  " if self.first else ",\n  ") + json.dumps(record))
        self.first = False

    def close(self) -> None:
        self.handle.write("\n]}\n")


# --- score: the command -----------------------------------------------------------------


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
