"""The provider directory and the postcode gazetteer as CSV files (reading and writing).

Reading is all or nothing: :func:`read_providers_csv` returns either every row or every
problem, each with its line number and column, so the caller saves nothing when one
row is wrong. Problems are codes (``CsvProblem.code``) for the caller to put into words
in the user's language.

Provider file: UTF-8 (a byte-order mark is allowed), the delimiter ``;`` or ``,`` (the
one in the header line), a header line with the column names below; only ``name``,
``postcode`` and ``disciplines`` are required. Lists (disciplines, expertise,
modalities, languages) are separated by ``|``. Decimal numbers take ``.`` or ``,``.
Dates are ``2026-10-01`` or ``01-10-2026``. ``active`` is yes/no (also ja/nee, 1/0).

Size: the two directory CSV formats share the reading helpers and problem codes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Literal, TypeVar

from maatwerk.core.common.untrusted_input import has_control_character, whole_number
from maatwerk.core.referral.matching import MODALITIES
from maatwerk.core.referral.postcode import InvalidPostcode, parse_postcode

PROVIDER_COLUMNS = (
    "name",
    "practice",
    "street",
    "postcode",
    "place",
    "region",
    "latitude",
    "longitude",
    "disciplines",
    "expertise",
    "modalities",
    "languages",
    "waiting_weeks",
    "waiting_as_of",
    "phone",
    "email",
    "website",
    "agb_code",
    "notes",
    "active",
)
REQUIRED_PROVIDER_COLUMNS = ("name", "postcode", "disciplines")
GAZETTEER_COLUMNS = ("pc4", "place", "latitude", "longitude")
GAZETTEER_ALIASES = {
    "postcode": "pc4",
    "postcode4": "pc4",
    "woonplaats": "place",
    "plaats": "place",
    "lat": "latitude",
    "breedtegraad": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "lengtegraad": "longitude",
}
LIST_SEPARATOR = "|"
MAX_ROWS = 5000
TEXT_LIMITS = {
    "name": 200,
    "practice": 200,
    "street": 200,
    "place": 100,
    "region": 100,
    "phone": 40,
    "email": 254,
    "website": 300,
    "notes": 2000,
}

CsvProblemCode = Literal[
    "empty_file",
    "too_many_rows",
    "not_utf8",
    "control_character",
    "unknown_column",
    "duplicate_column",
    "missing_column",
    "wrong_field_count",
    "required",
    "too_long",
    "postcode",
    "pc4",
    "number",
    "latitude_range",
    "longitude_range",
    "coordinate_pair",
    "whole_number",
    "date",
    "unknown_discipline",
    "tag_format",
    "unknown_modality",
    "language_code",
    "email",
    "website",
    "agb_code",
    "yes_no",
    "duplicate_key",
]


@dataclass(frozen=True, slots=True)
class CsvProblem:
    line: int  # 1 is the header line
    column: str  # "" when the problem is about the whole line or file
    code: CsvProblemCode
    value: str = ""


@dataclass(frozen=True, slots=True)
class ProviderRow:
    name: str
    practice: str
    street: str
    postcode: str  # written form "1234 AB" (or "1234")
    place: str
    region: str
    latitude: float | None
    longitude: float | None
    disciplines: tuple[str, ...]
    expertise: tuple[str, ...]
    modalities: tuple[str, ...]
    languages: tuple[str, ...]
    waiting_weeks: int | None
    waiting_as_of: date | None
    phone: str
    email: str
    website: str
    agb_code: str
    notes: str
    active: bool

    @property
    def key(self) -> str:
        return provider_key(self.agb_code, self.name, self.postcode)


@dataclass(frozen=True, slots=True)
class PostcodeAreaRow:
    pc4: str
    place: str
    latitude: float
    longitude: float


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CsvRead(Generic[T]):
    rows: tuple[T, ...]
    problems: tuple[CsvProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def provider_key(agb_code: str, name: str, postcode: str) -> str:
    """The stable key that finds a provider again on the next import.

    The AGB code when there is one, otherwise the name (case and spacing ignored) with
    the postcode.
    """
    if agb_code.strip():
        return f"agb:{agb_code.strip()}"
    return f"name:{' '.join(name.split()).casefold()}|{postcode.replace(' ', '').upper()}"


# ------------------------------------------------------------------ reading helpers

_TAG = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_AGB = re.compile(r"^\d{8}$")
_YES = {"yes", "ja", "y", "j", "true", "waar", "1"}
_NO = {"no", "nee", "n", "false", "onwaar", "0"}


class _Row:
    """One line being read: collects the problems of its cells."""

    def __init__(self, line: int, cells: dict[str, str], problems: list[CsvProblem]) -> None:
        self.line = line
        self.cells = cells
        self.problems = problems

    def problem(self, column: str, code: CsvProblemCode, value: str = "") -> None:
        self.problems.append(CsvProblem(self.line, column, code, value[:80]))

    def text(self, column: str, *, required: bool = False) -> str:
        value = " ".join(self.cells.get(column, "").split())
        if required and not value:
            self.problem(column, "required")
        limit = TEXT_LIMITS.get(column)
        if limit is not None and len(value) > limit:
            self.problem(column, "too_long", value)
        return value

    def number(self, column: str) -> float | None:
        raw = self.cells.get(column, "").strip()
        if not raw:
            return None
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            self.problem(column, "number", raw)
            return None
        limit = 90 if column == "latitude" else 180
        if not -limit <= value <= limit:
            code: CsvProblemCode = "latitude_range" if column == "latitude" else "longitude_range"
            self.problem(column, code, raw)
            return None
        return value

    def items(self, column: str) -> tuple[str, ...]:
        raw = self.cells.get(column, "")
        return tuple(dict.fromkeys(p.strip() for p in raw.split(LIST_SEPARATOR) if p.strip()))


def _decode(data: bytes | str) -> str | None:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _table(
    data: bytes | str,
    *,
    known: Sequence[str],
    required: Sequence[str],
    aliases: dict[str, str] | None = None,
) -> tuple[list[tuple[int, dict[str, str]]], list[CsvProblem]]:
    text = _decode(data)
    if text is None:
        return [], [CsvProblem(0, "", "not_utf8")]
    for number, text_line in enumerate(text.splitlines(), start=1):
        if has_control_character(text_line):
            return [], [CsvProblem(number, "", "control_character")]
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [CsvProblem(1, "", "empty_file")]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") and ";" in lines[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [" ".join(h.split()).casefold() for h in next(reader)]
    header = [(aliases or {}).get(h, h) for h in header]
    problems = [CsvProblem(1, name, "unknown_column") for name in header if name not in known]
    problems.extend(
        CsvProblem(1, name, "duplicate_column")
        for name in dict.fromkeys(h for h in header if header.count(h) > 1)
    )
    problems.extend(
        CsvProblem(1, name, "missing_column") for name in required if name not in header
    )
    if problems:
        return [], problems
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(CsvProblem(line, "", "wrong_field_count", str(len(cells))))
            continue
        rows.append((line, dict(zip(header, cells, strict=True))))
        if len(rows) > MAX_ROWS:
            return [], [CsvProblem(line, "", "too_many_rows", str(MAX_ROWS))]
    return rows, problems


def _by_line(problems: list[CsvProblem]) -> tuple[CsvProblem, ...]:
    return tuple(sorted(problems, key=lambda problem: problem.line))


def _parse_date(raw: str) -> date:
    raw = raw.strip()
    if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", raw):
        day, month, year = (int(p) for p in raw.split("-"))
        return date(year, month, day)
    return date.fromisoformat(raw)


# ------------------------------------------------------------------ providers


def _provider(row: _Row, *, disciplines: frozenset[str]) -> ProviderRow:
    name = row.text("name", required=True)
    postcode_raw = row.text("postcode", required=True)
    postcode = ""
    if postcode_raw:
        try:
            postcode = str(parse_postcode(postcode_raw, allow_pc4=True))
        except InvalidPostcode:
            row.problem("postcode", "postcode", postcode_raw)
    latitude, longitude = row.number("latitude"), row.number("longitude")
    lat_raw, lon_raw = row.cells.get("latitude", "").strip(), row.cells.get("longitude", "").strip()
    if bool(lat_raw) != bool(lon_raw):
        row.problem("latitude" if not lat_raw else "longitude", "coordinate_pair")
    found_disciplines = row.items("disciplines")
    if not found_disciplines:
        row.problem("disciplines", "required")
    for discipline in found_disciplines:
        if discipline not in disciplines:
            row.problem("disciplines", "unknown_discipline", discipline)
    expertise = row.items("expertise")
    for tag in expertise:
        if not _TAG.match(tag):
            row.problem("expertise", "tag_format", tag)
    modalities = row.items("modalities")
    for modality in modalities:
        if modality not in MODALITIES:
            row.problem("modalities", "unknown_modality", modality)
    languages = tuple(code.lower() for code in row.items("languages"))
    for code in languages:
        if not _LANGUAGE.match(code):
            row.problem("languages", "language_code", code)
    waiting_weeks: int | None = None
    waiting_raw = row.cells.get("waiting_weeks", "").strip()
    if waiting_raw:
        waiting = whole_number(waiting_raw)
        if waiting is not None and waiting <= 520:
            waiting_weeks = waiting
        else:
            row.problem("waiting_weeks", "whole_number", waiting_raw)
    waiting_as_of: date | None = None
    as_of_raw = row.cells.get("waiting_as_of", "").strip()
    if as_of_raw:
        try:
            waiting_as_of = _parse_date(as_of_raw)
        except ValueError:
            row.problem("waiting_as_of", "date", as_of_raw)
    email = row.text("email")
    if email and not _EMAIL.match(email):
        row.problem("email", "email", email)
    website = row.text("website")
    if website and not website.startswith(("https://", "http://")):
        row.problem("website", "website", website)
    agb_code = row.text("agb_code")
    if agb_code and not _AGB.match(agb_code):
        row.problem("agb_code", "agb_code", agb_code)
    active_raw = row.cells.get("active", "").strip().casefold()
    active = True
    if active_raw:
        if active_raw in _YES:
            active = True
        elif active_raw in _NO:
            active = False
        else:
            row.problem("active", "yes_no", active_raw)
    return ProviderRow(
        name=name,
        practice=row.text("practice"),
        street=row.text("street"),
        postcode=postcode,
        place=row.text("place"),
        region=row.text("region"),
        latitude=latitude,
        longitude=longitude,
        disciplines=found_disciplines,
        expertise=expertise,
        modalities=modalities,
        languages=languages,
        waiting_weeks=waiting_weeks,
        waiting_as_of=waiting_as_of,
        phone=row.text("phone"),
        email=email,
        website=website,
        agb_code=agb_code,
        notes=row.cells.get("notes", "").strip()[: TEXT_LIMITS["notes"] + 1],
        active=active,
    )


def read_providers_csv(data: bytes | str, *, disciplines: Iterable[str]) -> CsvRead[ProviderRow]:
    """Every provider row, or every problem (then ``rows`` is empty)."""
    table, problems = _table(data, known=PROVIDER_COLUMNS, required=REQUIRED_PROVIDER_COLUMNS)
    known_disciplines = frozenset(disciplines)
    rows: list[ProviderRow] = []
    first_line_of: dict[str, int] = {}
    for line, cells in table:
        row = _Row(line, cells, problems)
        before = len(problems)
        provider = _provider(row, disciplines=known_disciplines)
        if len(problems) > before:
            continue
        if provider.key in first_line_of:
            row.problem(
                "agb_code" if provider.agb_code else "name",
                "duplicate_key",
                str(first_line_of[provider.key]),
            )
            continue
        first_line_of[provider.key] = line
        rows.append(provider)
    if problems:
        return CsvRead((), _by_line(problems))
    return CsvRead(tuple(rows), ())


def read_provider_fields(
    cells: Mapping[str, str], *, disciplines: Iterable[str]
) -> CsvRead[ProviderRow]:
    """One provider from a form's fields, named and written as the CSV columns (lists
    joined with ``|``); problems carry line 0."""
    problems: list[CsvProblem] = []
    known = {column: str(cells.get(column, "")) for column in PROVIDER_COLUMNS}
    provider = _provider(_Row(0, known, problems), disciplines=frozenset(disciplines))
    return CsvRead((), tuple(problems)) if problems else CsvRead((provider,), ())


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def write_providers_csv(rows: Iterable[ProviderRow], *, delimiter: str = ";") -> str:
    """The rows as a CSV text in the column set :func:`read_providers_csv` reads."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(PROVIDER_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.name,
                row.practice,
                row.street,
                row.postcode,
                row.place,
                row.region,
                _number_text(row.latitude),
                _number_text(row.longitude),
                LIST_SEPARATOR.join(row.disciplines),
                LIST_SEPARATOR.join(row.expertise),
                LIST_SEPARATOR.join(row.modalities),
                LIST_SEPARATOR.join(row.languages),
                "" if row.waiting_weeks is None else str(row.waiting_weeks),
                "" if row.waiting_as_of is None else row.waiting_as_of.isoformat(),
                row.phone,
                row.email,
                row.website,
                row.agb_code,
                row.notes,
                "yes" if row.active else "no",
            ]
        )
    return out.getvalue()


# ------------------------------------------------------------------ gazetteer


def read_gazetteer_csv(data: bytes | str) -> CsvRead[PostcodeAreaRow]:
    """PC4 areas with their centroid, or every problem (then ``rows`` is empty)."""
    table, problems = _table(
        data,
        known=GAZETTEER_COLUMNS,
        required=("pc4", "latitude", "longitude"),
        aliases=GAZETTEER_ALIASES,
    )
    rows: list[PostcodeAreaRow] = []
    first_line_of: dict[str, int] = {}
    for line, cells in table:
        row = _Row(line, cells, problems)
        before = len(problems)
        raw = cells.get("pc4", "").strip()
        pc4 = ""
        try:
            parsed = parse_postcode(raw, allow_pc4=True)
        except InvalidPostcode:
            row.problem("pc4", "pc4", raw)
        else:
            if parsed.is_complete:
                row.problem("pc4", "pc4", raw)
            pc4 = parsed.pc4
        latitude, longitude = row.number("latitude"), row.number("longitude")
        for column, value in (("latitude", latitude), ("longitude", longitude)):
            if value is None and not cells.get(column, "").strip():
                row.problem(column, "required")
        place = row.text("place")
        if len(problems) > before or latitude is None or longitude is None:
            continue
        if pc4 in first_line_of:
            row.problem("pc4", "duplicate_key", str(first_line_of[pc4]))
            continue
        first_line_of[pc4] = line
        rows.append(PostcodeAreaRow(pc4, place, latitude, longitude))
    if problems:
        return CsvRead((), _by_line(problems))
    return CsvRead(tuple(rows), ())


def write_gazetteer_csv(rows: Iterable[PostcodeAreaRow], *, delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(GAZETTEER_COLUMNS)
    for row in rows:
        writer.writerow(
            [row.pc4, row.place, _number_text(row.latitude), _number_text(row.longitude)]
        )
    return out.getvalue()
