"""`maatwerk instruments export-fhir CODE [--output FILE] [--with-code-systems]`: an
instrument as a FHIR R4 Questionnaire (JSON); with ``--with-code-systems`` a collection
Bundle of the Questionnaire and the CodeSystems of its answer codes.

The export is made by ``maatwerk.core.fhir.questionnaire.instrument_to_questionnaire`` and
checked with fhir.resources before it is written; importing it back gives the same
instrument. No Django. Exit code 2 for an unknown instrument, language or unwritable file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maatwerk.cli.output import fail, write_text

__all__ = ["export_fhir"]


def export_fhir(
    code: Annotated[str, typer.Argument(help="Instrument code, e.g. phq9.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Instrument version (default: the latest).")
    ] = None,
    language: Annotated[
        str, typer.Option("--language", "-l", help="Language of the texts: en or nl.")
    ] = "en",
    with_code_systems: Annotated[
        bool,
        typer.Option(
            "--with-code-systems",
            help="A Bundle of the Questionnaire and the CodeSystems of its answer codes.",
        ),
    ] = False,
) -> None:
    """Export an instrument as a FHIR R4 Questionnaire (validated with fhir.resources)."""
    from maatwerk.core.fhir.code_systems import questionnaire_package
    from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
    from maatwerk.core.instruments.errors import UnknownInstrument
    from maatwerk.core.instruments.registry import bundled_instruments, get_instrument

    if language not in ("en", "nl"):
        raise fail(f"--language must be en or nl, not {language!r}")
    try:
        instrument = get_instrument(code, version)
    except UnknownInstrument as unknown:
        known = ", ".join(sorted({i.code for i in bundled_instruments()}))
        raise fail(f"unknown instrument: {unknown}. Bundled instruments: {known}.") from None
    if with_code_systems:
        resource = questionnaire_package(instrument, language=language)
    else:
        resource = instrument_to_questionnaire(instrument, language=language)
    text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
    write_text(text, output, what=f"Questionnaire {instrument.code} {instrument.version}")
