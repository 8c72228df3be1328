"""`maatwerk instruments list|show|export-schema|validate-fhir`.

The bundled instrument library on the command line. Only ``maatwerk.core`` is used (no
Django); the core is imported inside the commands so that ``maatwerk --help`` stays fast.
``maatwerk score`` (scoring a file of responses) lives in ``maatwerk.cli.score_file``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from maatwerk.cli.output import fail, write_text
from maatwerk.core.common.untrusted_input import load_json

if TYPE_CHECKING:
    from maatwerk.core.instruments.model import (
        Instrument,
        LocalizedText,
        NumericResponseSet,
        OptionsResponseSet,
        Scale,
        Sourced,
    )

__all__ = ["instruments_app"]

EXIT_INVALID = 1
"""validate-fhir: the Questionnaire does not import."""

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
    if scale.utility is not None:
        tariff = scale.utility
        lines.append(
            f"value set: 1 - {_number(tariff.constant)} (once, when any item is above its "
            f"lowest answer) - the decrement of each answer ({_provenance(tariff)}):"
        )
        items = dict.fromkeys(step.item for step in tariff.decrements)
        for item_id in items:
            levels = [d for d in tariff.decrements if d.item == item_id]
            lines.append(
                f"  {item_id}: "
                + ", ".join(f"{_number(d.answer)} -> {_number(d.decrement)}" for d in levels)
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
