"""`maatwerk instruments list|show|export-schema|validate-fhir` and `maatwerk score`.

The bundled instrument library on the command line. Only ``maatwerk.core`` is used (no
Django); the core is imported inside the commands so that ``maatwerk --help`` stays fast.

``score`` reads one response per row (CSV: a header of item ids, optional id and sex
columns; JSON: a list of objects), scores each row with ``score_response`` and writes the
scale scores, band labels, cut-offs met and safety flags as CSV (stdout or ``--output``)
or JSON (``--output FILE.json``). A row with invalid answers is reported on stderr
(``row 17: phq9_3: 5 is not one of the options 0, 1, 2, 3``) and the other rows are
still scored. Exit codes: 0 all rows valid, 1 one or more rows invalid, 2 unreadable
input, an unknown instrument or unusable columns.
"""

from __future__ import annotations

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
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from maatwerk.cli.output import err, fail, write_text
from maatwerk.core.common.untrusted_input import load_json

if TYPE_CHECKING:
    from maatwerk.core.instruments.answers import Answer
    from maatwerk.core.instruments.model import (
        Instrument,
        LocalizedText,
        NumericResponseSet,
        OptionsResponseSet,
        Scale,
        Sex,
        Sourced,
    )
    from maatwerk.core.instruments.scoring import InstrumentScore, SafetyFlag, ScaleScore

__all__ = ["instruments_app", "score"]

EXIT_ROWS_FAILED = 1
EXIT_INVALID = 1
"""validate-fhir: the Questionnaire does not import."""
PROGRESS_THRESHOLD = 1_000
"""Files with more rows than this get a progress bar on stderr."""
MAX_UNSCORED_NOTES = 20

instruments_app = typer.Typer(
    help="The bundled questionnaire instruments (structure, scoring, provenance).",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)

LanguageOption = Annotated[
    str, typer.Option("--language", "-l", help="Language of names and labels: en or nl.")
]
VersionOption = Annotated[
    str | None, typer.Option("--version", help="Instrument version (default: the latest).")
]

SEX_WORDS: dict[str, Sex] = {
    "female": "female",
    "f": "female",
    "vrouw": "female",
    "v": "female",
    "male": "male",
    "m": "male",
    "man": "male",
}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


class InputError(Exception):
    """The input cannot be used at all (exit code 2)."""


def _language(language: str) -> str:
    if language not in ("en", "nl"):
        raise fail(f"--language must be en or nl, not {language!r}")
    return language


def _instrument(code: str, version: str | None) -> Instrument:
    from maatwerk.core.instruments.errors import UnknownInstrument
    from maatwerk.core.instruments.registry import bundled_instruments, get_instrument

    try:
        return get_instrument(code, version)
    except UnknownInstrument as unknown:
        known = ", ".join(sorted({i.code for i in bundled_instruments()}))
        raise fail(
            f"unknown instrument: {unknown}. Bundled instruments: {known} "
            "(see `maatwerk instruments list`)."
        ) from None


def _text(text: LocalizedText | None, language: str, *, mark: bool = True) -> str:
    """The text in ``language`` (else English, else Dutch); ``mark`` flags an unverified
    translation."""
    if text is None:
        return ""
    resolved = text.resolve(language, fallback=True) or text.resolve("nl")
    if resolved is None:
        return ""
    return resolved.text + (" (unverified)" if mark and resolved.unverified else "")


# --- instruments list -------------------------------------------------------------------


@instruments_app.command("list")
def list_instruments(language: LanguageOption = "en") -> None:
    """List the bundled instruments: code, version, licence, texts and scales."""
    from maatwerk.core.instruments.registry import bundled_instruments

    language = _language(language)
    table = Table(title="Bundled instruments", show_lines=False)
    for column in ("code", "version", "name", "licence", "texts shipped", "scales"):
        table.add_column(column, overflow="fold")
    for instrument in bundled_instruments():
        licence = instrument.licence
        kind = licence.kind + (" [yellow](unverified)[/yellow]" if licence.unverified else "")
        texts = "yes" if licence.item_texts_shipped else "no (structure and scoring only)"
        table.add_row(
            escape(instrument.code),
            escape(instrument.version),
            escape(_text(instrument.name, language) or instrument.short_name),
            kind,
            texts,
            escape(", ".join(scale.id for scale in instrument.scales)),
        )
    out.print(table)


# --- instruments show -------------------------------------------------------------------

UNVERIFIED = "[bold yellow]UNVERIFIED[/bold yellow]"


def _provenance(value: Sourced) -> str:
    parts: list[str] = []
    if value.source is not None:
        parts.append(f"source: {escape(value.source)}")
    if value.unverified:
        parts.append(UNVERIFIED)
    if value.note:
        parts.append(f"note: {escape(value.note)}")
    return "; ".join(parts) if parts else "[red]no source[/red]"


def _number(value: Decimal) -> str:
    from maatwerk.core.instruments.numbers import fmt

    return fmt(value)


def _values(response_set: OptionsResponseSet | NumericResponseSet) -> str:
    if response_set.kind == "options":
        return ", ".join(_number(option.value) for option in response_set.options)
    return (
        f"{_number(response_set.min)}-{_number(response_set.max)} "
        f"in steps of {_number(response_set.step)}"
    )


def _show_header(instrument: Instrument, language: str) -> None:
    licence = instrument.licence
    out.print(
        f"[bold]{escape(_text(instrument.name, language))}[/bold]  "
        f"({escape(instrument.code)} {escape(instrument.version)}, {escape(instrument.short_name)})"
    )
    out.print(f"Licence: {licence.kind} ({_provenance(licence)})")
    out.print(f"  {escape(licence.statement)}")
    if licence.credit_line:
        out.print(f"  Credit line: {escape(licence.credit_line)}")
    shipped = "yes" if licence.item_texts_shipped else "no: an organization imports them"
    out.print(f"Item texts shipped: {shipped}")
    if instrument.recall_period is not None:
        out.print(f"Recall period: {escape(_text(instrument.recall_period, language))}")
    for note in instrument.notes:
        out.print(f"  - {escape(note)}")


def _show_items(instrument: Instrument, language: str) -> None:
    responses = Table(title="Response sets")
    for column in ("id", "kind", "values", "provenance"):
        responses.add_column(column, overflow="fold")
    for response_set in instrument.response_sets:
        responses.add_row(
            escape(response_set.id),
            response_set.kind,
            escape(_values(response_set)),
            _provenance(response_set),
        )
    out.print(responses)
    items = Table(title="Items")
    for column in ("id", "response set", "scored", "required", "applies to", "text"):
        items.add_column(column, overflow="fold")
    for item in instrument.items:
        applies = ""
        if item.applies_to is not None and item.applies_to.sex is not None:
            applies = "sex: " + ", ".join(item.applies_to.sex)
        items.add_row(
            escape(item.id),
            escape(item.response_set),
            "yes" if item.scored else "no",
            "yes" if item.required else "no",
            applies,
            escape(_text(item.text, language)),
        )
    out.print(items)


def _recode_lines(scale: Scale) -> list[str]:
    lines: list[str] = []
    groups: dict[str, list[str]] = {}
    for recode in scale.item_recodes:
        mapping = ", ".join(f"{_number(step.answer)}->{_number(step.score)}" for step in recode.map)
        groups.setdefault(mapping, []).append(recode.item)
    lines.extend(f"item recode {mapping}: {', '.join(items)}" for mapping, items in groups.items())
    if scale.value_recode:
        steps = ", ".join(
            f"{_number(step.answer)}->{_number(step.score)}" for step in scale.value_recode
        )
        lines.append(f"value recode {steps} (every item)")
    if scale.reverse is not None:
        lines.append(
            f"reversed as {_number(scale.reverse.constant)} - answer: "
            + ", ".join(scale.reverse.items)
        )
    return lines


def _show_scale(scale: Scale, language: str) -> None:
    out.print()
    out.print(f"[bold]Scale {escape(scale.id)}[/bold]: {escape(_text(scale.name, language))}")
    out.print(f"  items ({len(scale.items)}): {escape(', '.join(scale.items))}")
    direction = scale.direction.replace("_", " ")
    out.print(
        f"  method: {scale.method}; range {_number(scale.range.min)}-{_number(scale.range.max)}; "
        f"{direction}; shown with {scale.display_decimals} decimal(s)"
    )
    out.print(f"  scoring rule: {_provenance(scale)}")
    missing = scale.missing
    k = f" (at least {missing.min_answered} answered)" if missing.min_answered else ""
    out.print(f"  missing data: {missing.rule}{k}: {_provenance(missing)}")
    for line in _recode_lines(scale):
        out.print(f"  {escape(line)}")
    if scale.factors or scale.domains:
        out.print(
            f"  factors: {escape(', '.join(scale.factors) or '-')}; "
            f"domains: {escape(', '.join(scale.domains) or '-')}"
        )
    if scale.bands:
        bands = Table(title=f"{scale.id}: bands", title_justify="left")
        for column in ("range", "label", "provenance"):
            bands.add_column(column, overflow="fold")
        for band in scale.bands:
            bands.add_row(
                f"{_number(band.min)}-{_number(band.max)}",
                escape(_text(band.label, language)),
                _provenance(band),
            )
        out.print(bands)
    if scale.cutoffs:
        cutoffs = Table(title=f"{scale.id}: cut-offs", title_justify="left")
        for column in ("id", "condition", "label", "sens/spec %", "provenance"):
            cutoffs.add_column(column, overflow="fold")
        for cutoff in scale.cutoffs:
            accuracy = ""
            if cutoff.sensitivity_percent is not None or cutoff.specificity_percent is not None:
                sens, spec = cutoff.sensitivity_percent, cutoff.specificity_percent
                accuracy = (
                    f"{'-' if sens is None else _number(sens)}/"
                    f"{'-' if spec is None else _number(spec)}"
                )
            cutoffs.add_row(
                escape(cutoff.id),
                f"{cutoff.operator} {_number(cutoff.value)}",
                escape(_text(cutoff.label, language)),
                accuracy,
                _provenance(cutoff),
            )
        out.print(cutoffs)
    for reliability in scale.reliability:
        population = f" ({reliability.population})" if reliability.population else ""
        out.print(
            f"  reliability {reliability.kind} = {_number(reliability.value)}"
            f"{escape(population)}: {_provenance(reliability)}"
        )
    for norm in scale.norms:
        who = norm.population + (f", {norm.sex}" if norm.sex else "")
        n = f", n = {norm.n}" if norm.n is not None else ""
        out.print(
            f"  norm {escape(who)}{n}: mean {_number(norm.mean)}, SD {_number(norm.sd)}: "
            f"{_provenance(norm)}"
        )


def _show_safety_and_sources(instrument: Instrument, language: str) -> None:
    if instrument.safety_rules:
        rules = Table(title="Safety rules")
        for column in ("id", "condition", "severity", "clinician message", "provenance"):
            rules.add_column(column, overflow="fold")
        for rule in instrument.safety_rules:
            rules.add_row(
                escape(rule.id),
                f"{escape(rule.item)} {rule.operator} {_number(rule.value)}",
                rule.severity,
                escape(_text(rule.clinician_message, language)),
                _provenance(rule),
            )
        out.print(rules)
    sources = Table(title="Sources")
    for column in ("id", "citation", "url"):
        sources.add_column(column, overflow="fold")
    for source in instrument.sources:
        sources.add_row(escape(source.id), escape(source.citation), escape(source.url or ""))
    out.print(sources)


@instruments_app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="Instrument code, e.g. phq9.")],
    version: VersionOption = None,
    language: LanguageOption = "en",
) -> None:
    """Show one instrument: items, scales, bands, cut-offs, sources; marks UNVERIFIED values."""
    language = _language(language)
    instrument = _instrument(code, version)
    _show_header(instrument, language)
    _show_items(instrument, language)
    for scale in instrument.scales:
        _show_scale(scale, language)
    out.print()
    _show_safety_and_sources(instrument, language)


# --- instruments export-schema ----------------------------------------------------------


@instruments_app.command("export-schema")
def export_schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of an instrument definition file."""
    from maatwerk.core.instruments.loading import instrument_json_schema_text

    write_text(instrument_json_schema_text(), output, what="Schema")


# --- instruments validate-fhir ----------------------------------------------------------


@instruments_app.command("validate-fhir")
def validate_fhir(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A FHIR R4 Questionnaire as JSON.")],
) -> None:
    """Check that a FHIR Questionnaire imports as a Maatwerk instrument.

    The same check as the organization's import: fhir.resources (R4B models), the Maatwerk
    instrument-definition extension, the definition itself and its agreement with the
    items. Prints "valid" or every problem. Exit 0 valid, 1 invalid, 2 unreadable file.
    """
    from maatwerk.core.fhir.errors import FhirMappingError
    from maatwerk.core.fhir.questionnaire import questionnaire_to_instrument
    from maatwerk.core.instruments.registry import bundled_instruments

    try:
        content = file.read_bytes()
    except OSError as problem:
        raise fail(f"{file}: cannot read: {problem.strerror or problem}") from None
    try:
        resource = load_json(content)
    except json.JSONDecodeError as problem:
        out.print(f"[red]invalid[/red]: {escape(str(file))} is not JSON")
        out.print(f"  - line {problem.lineno}, column {problem.colno}: {escape(problem.msg)}")
        raise typer.Exit(EXIT_INVALID) from None
    except UnicodeDecodeError as problem:
        out.print(f"[red]invalid[/red]: {escape(str(file))} is not UTF-8 text")
        out.print(f"  - {escape(str(problem))}")
        raise typer.Exit(EXIT_INVALID) from None
    try:
        instrument = questionnaire_to_instrument(resource)
    except FhirMappingError as error:
        count = len(error.problems)
        out.print(f"[red]invalid[/red]: {escape(error.what)} ({count} problem(s))")
        for fhir_problem in error.problems:
            out.print(f"  - {escape(str(fhir_problem))}")
        raise typer.Exit(EXIT_INVALID) from None
    out.print(
        f"[green]valid[/green]: {escape(instrument.code)} {escape(instrument.version)} "
        f"({escape(_text(instrument.name, 'en', mark=False) or instrument.short_name)}); "
        f"{len(instrument.items)} item(s), {len(instrument.scales)} scale(s): "
        f"{escape(', '.join(scale.id for scale in instrument.scales))}"
    )
    if instrument.code in {bundled.code for bundled in bundled_instruments()}:
        out.print(
            f"  note: {escape(instrument.code)} is the code of a bundled instrument; an "
            "organization can import this only under a code of its own"
        )
    untexted = [item.id for item in instrument.items if item.text is None]
    if untexted:
        out.print(
            f"  note: item(s) without text ({escape(', '.join(untexted))}); an organization "
            "can import an instrument only with every item text"
        )


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


@dataclass(frozen=True, slots=True)
class _Columns:
    id_column: str | None
    sex_column: str | None
    ignored: frozenset[str]


def _parse_cell(text: str) -> int | Decimal | None:
    text = text.strip()
    if not text:
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    raise ValueError(f"{text!r} is not a number")


def _parse_sex(value: object) -> Sex | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().lower() in SEX_WORDS:
        return SEX_WORDS[value.strip().lower()]
    raise ValueError(f"{value!r} is not female or male (also accepted: f/m, vrouw/man, v)")


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


def _delimiter(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    return ";" if first.count(";") > first.count(",") else ","


def _csv_records(path: Path, delimiter: str) -> Iterator[list[str]]:
    """The records of a CSV file, header first, empty lines skipped (a line of empty
    fields is a response with nothing answered). Raises InputError when unreadable."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            for record in csv.reader(handle, delimiter=delimiter, strict=True):
                if record:
                    yield record
    except UnicodeDecodeError as problem:
        raise InputError(f"{path}: not UTF-8 text ({problem.reason})") from None
    except csv.Error as problem:
        raise InputError(f"{path}: malformed CSV: {problem}") from None
    except OSError as problem:
        raise InputError(f"{path}: cannot read: {problem.strerror or problem}") from None


@dataclass(frozen=True, slots=True)
class _CsvInput:
    path: Path
    delimiter: str
    header: list[str]
    rows: int
    columns: _Columns

    def __iter__(self) -> Iterator[_Row]:
        records = _csv_records(self.path, self.delimiter)
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
) -> _CsvInput:
    delimiter = _delimiter_safely(path)
    records = _csv_records(path, delimiter)
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
    return _CsvInput(path, delimiter, header, count, columns)


def _delimiter_safely(path: Path) -> str:
    try:
        return _delimiter(path)
    except UnicodeDecodeError as problem:
        raise InputError(f"{path}: not UTF-8 text ({problem.reason})") from None
    except OSError as problem:
        raise InputError(f"{path}: cannot read: {problem.strerror or problem}") from None


@dataclass(frozen=True, slots=True)
class _JsonInput:
    records: list[object]
    columns: _Columns

    @property
    def rows(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[_Row]:
        for number, record in enumerate(self.records, start=1):
            row = _Row(number)
            if not isinstance(record, dict):
                row.problems.append(("", f"is a JSON {type(record).__name__}, not an object"))
            else:
                fields: dict[str, object] = {}
                for name, value in record.items():
                    passed = {self.columns.id_column, self.columns.sex_column}
                    if isinstance(value, str) and name not in passed | self.columns.ignored:
                        row.problems.append((name, f"{value!r} is not a number (a JSON string)"))
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
    result: InstrumentScore | None = None
    try:
        result = score_response(
            instrument, cast("Mapping[str, Answer]", answers), respondent=Respondent(sex=row.sex)
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
    flagged = safety_flags(
        instrument, cast("Mapping[str, Answer]", answers), respondent=Respondent(sex=row.sex)
    )
    return _Outcome(row, None, errors, flagged)


def _where(row: _Row) -> str:
    return f"row {row.number}" + (f" (id {row.respondent_id})" if row.respondent_id else "")


@dataclass(slots=True)
class _Tally:
    rows: int = 0
    failed: int = 0
    unscored_rows: int = 0
    flags: int = 0


def _report(outcome: _Outcome, tally: _Tally, language: str) -> None:
    where = escape(_where(outcome.row))
    tally.rows += 1
    for flag in outcome.flags:
        tally.flags += 1
        message = _text(flag.clinician_message, language)
        err.print(
            f"[bold red]{where}: SAFETY[/bold red] {escape(flag.rule_id)} ({flag.severity}; "
            f"{escape(flag.item_id)} = {flag.answer}): {escape(message)}"
        )
    if outcome.result is None:
        tally.failed += 1
        for problem in outcome.errors:
            err.print(f"[red]{where}[/red]: {escape(problem)}")
        return
    unscored = [s for s in outcome.result.scales if not s.scored]
    if unscored:
        tally.unscored_rows += 1
        if tally.unscored_rows <= MAX_UNSCORED_NOTES:
            for scale_score in unscored:
                reason = scale_score.explanation.reason_unscored or "not scored"
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
) -> None:
    """Score a file of responses: one row (or JSON object) per response.

    Prints one line per problem on stderr ("row 17: phq9_3: 5 is not one of the options
    0, 1, 2, 3") and scores the other rows. Exit 1 when a row failed, 2 when the input
    or the instrument cannot be used.
    """
    language = _language(language)
    kind = _output_kind(output)
    instrument = _instrument(instrument_code, version)
    ignored = frozenset(ignore_column or ())
    suffix = file.suffix.lower()
    try:
        if suffix == ".json":
            source: _CsvInput | _JsonInput = _read_json(file, id_column, sex_column, ignored)
        elif suffix == ".csv":
            source = _read_csv(instrument, file, id_column, sex_column, ignored)
        else:
            raise InputError(f"{file}: give a .csv or .json file, not {file.name!r}")
    except InputError as problem:
        raise fail(str(problem)) from None
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
    _summary(tally, output)
    if tally.failed:
        raise typer.Exit(EXIT_ROWS_FAILED)


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


def _summary(tally: _Tally, output: Path | None) -> None:
    more = tally.unscored_rows - MAX_UNSCORED_NOTES
    if more > 0:
        err.print(f"[yellow]... and {more:,} more row(s) with a scale not scored.[/yellow]")
    scored = tally.rows - tally.failed
    parts = [f"{scored:,} of {tally.rows:,} row(s) scored"]
    if tally.failed:
        parts.append(f"[red]{tally.failed:,} failed[/red]")
    if tally.unscored_rows:
        parts.append(f"{tally.unscored_rows:,} with a scale not scored")
    if tally.flags:
        parts.append(f"[bold red]{tally.flags:,} safety flag(s)[/bold red]")
    where = f" -> {escape(str(output))}" if output is not None else ""
    err.print("; ".join(parts) + where)
