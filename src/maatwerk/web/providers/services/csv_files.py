"""Uploaded CSV files (directory and gazetteer): each problem the core finds, in the
user's language, with its line and column."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.core.referral.directory_csv import CsvProblem

COLUMN_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("name"),
    "practice": gettext_lazy("practice or organization"),
    "street": gettext_lazy("street and number"),
    "postcode": gettext_lazy("postcode"),
    "place": gettext_lazy("place"),
    "region": gettext_lazy("region"),
    "latitude": gettext_lazy("latitude"),
    "longitude": gettext_lazy("longitude"),
    "disciplines": gettext_lazy("disciplines"),
    "expertise": gettext_lazy("expertise"),
    "modalities": gettext_lazy("modalities"),
    "languages": gettext_lazy("languages"),
    "waiting_weeks": gettext_lazy("waiting time (weeks)"),
    "waiting_as_of": gettext_lazy("waiting time as of"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("email"),
    "website": gettext_lazy("website"),
    "agb_code": gettext_lazy("AGB code"),
    "notes": gettext_lazy("notes"),
    "active": gettext_lazy("active"),
    "pc4": gettext_lazy("postcode area (PC4)"),
}


PROBLEM_MESSAGES: dict[str, Promise] = {
    "empty_file": gettext_lazy("The file is empty or has no header line."),
    "too_many_rows": gettext_lazy(
        "The file has more than %(value)s rows. Split it into smaller files."
    ),
    "not_utf8": gettext_lazy("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
    "control_character": gettext_lazy(
        "This line contains an invisible control character. Save the file again as "
        "“CSV UTF-8” from your spreadsheet program and try again."
    ),
    "unknown_column": gettext_lazy(
        "This column is unknown. Use the column names from the documentation."
    ),
    "duplicate_column": gettext_lazy("This column appears more than once."),
    "missing_column": gettext_lazy("This required column is missing."),
    "wrong_field_count": gettext_lazy(
        "This line has %(value)s fields; it needs one for every column of the header line."
    ),
    "required": gettext_lazy("This is required."),
    "too_long": gettext_lazy("This text is too long."),
    "postcode": gettext_lazy(
        "“%(value)s” is not a Dutch postcode (4 digits and 2 letters, such as 3511 AB)."
    ),
    "pc4": gettext_lazy("“%(value)s” is not a four-digit postcode area (such as 3511)."),
    "number": gettext_lazy("“%(value)s” is not a number."),
    "latitude_range": gettext_lazy("“%(value)s” is not a latitude (−90 to 90)."),
    "longitude_range": gettext_lazy("“%(value)s” is not a longitude (−180 to 180)."),
    "coordinate_pair": gettext_lazy("Give both latitude and longitude, or neither."),
    "whole_number": gettext_lazy("“%(value)s” is not a whole number of weeks (0 to 520)."),
    "date": gettext_lazy("“%(value)s” is not a date (such as 2026-10-01 or 01-10-2026)."),
    "unknown_discipline": gettext_lazy("“%(value)s” is not a known discipline."),
    "tag_format": gettext_lazy(
        "“%(value)s” is not a valid tag: use lower-case letters, digits and _ (such as cbt_pss)."
    ),
    "unknown_modality": gettext_lazy(
        "“%(value)s” is not a modality: use online, face_to_face or blended."
    ),
    "language_code": gettext_lazy(
        "“%(value)s” is not a language code: use two letters, such as nl, en or tr."
    ),
    "email": gettext_lazy("“%(value)s” is not an email address."),
    "website": gettext_lazy("“%(value)s” is not a web address starting with https://."),
    "agb_code": gettext_lazy("“%(value)s” is not an AGB code (8 digits)."),
    "yes_no": gettext_lazy("“%(value)s” is not yes or no."),
    "duplicate_key": gettext_lazy(
        "This provider is already in the file on line %(value)s (the same AGB code, or the "
        "same name and postcode)."
    ),
}


def problem_message(problem: CsvProblem) -> str:
    """The problem in the user's language, with its line and column."""
    message = str(PROBLEM_MESSAGES[problem.code]) % {"value": problem.value}
    if problem.line == 0 and not problem.column:
        return message
    if not problem.column:
        return _("Line %(line)s: %(message)s") % {"line": problem.line, "message": message}
    label = COLUMN_LABELS.get(problem.column)
    return _("Line %(line)s, column “%(column)s” (%(label)s): %(message)s") % {
        "line": problem.line,
        "column": problem.column,
        "label": str(label) if label is not None else problem.column,
        "message": message,
    }


def field_message(problem: CsvProblem) -> str:
    """The problem in the user's language, for the form field it belongs to (a form has
    no lines)."""
    return str(PROBLEM_MESSAGES[problem.code]) % {"value": problem.value}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
