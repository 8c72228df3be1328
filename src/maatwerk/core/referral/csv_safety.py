"""Exported CSV cells that a spreadsheet would run as a formula are neutralized.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) is a formula in Excel and LibreOffice.
A provider named ``=HYPERLINK(...)`` in the directory would then run on the computer of
whoever opens the export. The OWASP advice is to put a single quote before such a cell:
the spreadsheet shows the text as text. Reading the file back removes that quote again,
so an export imports unchanged (a phone number ``+31 30 …`` stays ``+31 30 …``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from maatwerk.core.referral.directory_csv import PostcodeAreaRow, ProviderRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralized_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it as text, never runs it as a formula."""
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def restored_cell(text: str) -> str:
    """The text :func:`neutralized_cell` was given (other text is returned unchanged)."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _provider_text(row: ProviderRow, change: Callable[[str], str]) -> ProviderRow:
    """``change`` applied to every free-text cell (not to codes, numbers or lists)."""
    return dataclasses.replace(
        row,
        name=change(row.name),
        practice=change(row.practice),
        street=change(row.street),
        place=change(row.place),
        region=change(row.region),
        phone=change(row.phone),
        email=change(row.email),
        website=change(row.website),
        agb_code=change(row.agb_code),
        notes=change(row.notes),
    )


def neutralized_provider(row: ProviderRow) -> ProviderRow:
    """The row with every free-text cell neutralized, for an export."""
    return _provider_text(row, neutralized_cell)


def restored_provider(row: ProviderRow) -> ProviderRow:
    """The row as it was before :func:`neutralized_provider`, for an import."""
    return _provider_text(row, restored_cell)


def neutralized_area(row: PostcodeAreaRow) -> PostcodeAreaRow:
    return dataclasses.replace(row, place=neutralized_cell(row.place))


def restored_area(row: PostcodeAreaRow) -> PostcodeAreaRow:
    return dataclasses.replace(row, place=restored_cell(row.place))
