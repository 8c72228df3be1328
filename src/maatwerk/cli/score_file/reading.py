"""Reading the responses: CSV (encoding, delimiter, header) and JSON, row by row."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from maatwerk.cli.output import err

if TYPE_CHECKING:
    from maatwerk.core.instruments.model import Instrument, Sex
from maatwerk.cli.score_file.rows import (
    _DECIMAL,
    _DECIMAL_COMMA,
    _INTEGER,
    CSV_UTF8_HINT,
    NOT_APPLICABLE_WORDS,
    SEX_UNKNOWN_WORDS,
    SEX_WORDS,
    InputError,
    _Columns,
    _Row,
)


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
