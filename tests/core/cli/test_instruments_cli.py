"""`maatwerk instruments list|show|export-schema`, in-process and without Django."""

from __future__ import annotations

import json
import subprocess
import sys

from maatwerk.core.instruments.loading import instrument_json_schema_text
from maatwerk.core.instruments.registry import bundled_instruments

from .conftest import Maatwerk


def test_help_lists_the_new_commands(maatwerk: Maatwerk) -> None:
    result = maatwerk("--help")
    assert result.exit_code == 0
    assert "instruments" in result.stdout
    assert "score" in result.stdout
    sub = maatwerk("instruments", "--help")
    for command in ("list", "show", "export-schema"):
        assert command in sub.stdout


def test_list_shows_every_bundled_instrument(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "list")
    assert result.exit_code == 0, result.output
    for instrument in bundled_instruments():
        line = next(
            line
            for line in result.stdout.splitlines()
            if f" {instrument.code} " in line and f" {instrument.version} " in line
        )
        assert instrument.version in line
        assert instrument.licence.kind in line
        assert ("yes" if instrument.licence.item_texts_shipped else "no (structure") in line
    sss8 = next(line for line in result.stdout.splitlines() if " sss8 " in line)
    assert "licensed (unverified)" in sss8
    rand = next(line for line in result.stdout.splitlines() if " rand36 " in line)
    assert "physical_functioning" in rand


def test_list_in_dutch(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "list", "--language", "nl")
    assert result.exit_code == 0
    assert "catastroferen bij pijn" in result.stdout
    assert maatwerk("instruments", "list", "--language", "de").exit_code == 2


def test_show_prints_bands_cutoffs_and_sources(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "show", "phq9")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Patient Health Questionnaire-9" in text
    assert "5-9" in text and "mild" in text and "source: kroenke-2001" in text
    assert ">= 10" in text and "88/88" in text
    assert "phq9_9 > 0" in text  # the safety rule
    assert "camcops-phq9" in text  # the sources table
    # Dutch item texts are Maatwerk's own translation: marked as such.
    dutch = maatwerk("instruments", "show", "phq9", "--language", "nl").stdout
    assert "(unverified)" in dutch


def test_show_marks_unverified_values(maatwerk: Maatwerk) -> None:
    text = maatwerk("instruments", "show", "sss8").stdout
    assert "Licence: licensed (source: msd-sss8; UNVERIFIED)" in text
    assert "missing data: complete_only: UNVERIFIED" in text
    assert "reliability cronbach_alpha = 0.81: UNVERIFIED" in text
    assert "16-32" in text and "very high" in text


def test_show_lists_recodes(maatwerk: Maatwerk) -> None:
    text = maatwerk("instruments", "show", "rand36").stdout
    assert "item recode 1->0, 2->20, 3->40, 4->60, 5->80, 6->100: rand36_29, rand36_31" in text
    assert "mean_of_answered (at least 1 answered)" in text
    assert "Credit line: The RAND 36-Item Health Survey was developed at RAND" in text
    tsk = maatwerk("instruments", "show", "tsk").stdout
    assert "reversed as 5 - answer: tsk_4, tsk_8, tsk_12, tsk_16" in tsk


def test_show_an_unknown_instrument_exits_2(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "show", "phq99")
    assert result.exit_code == 2
    assert "unknown instrument" in result.stderr
    assert "phq9" in result.stderr  # the bundled codes are listed
    assert maatwerk("instruments", "show", "phq9", "--version", "7.0").exit_code == 2


def test_export_schema_to_stdout_and_to_a_file(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "export-schema")
    assert result.exit_code == 0
    assert result.stdout == instrument_json_schema_text()
    target = maatwerk.folder / "schema.json"
    written = maatwerk("instruments", "export-schema", "--output", str(target))
    assert written.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == (
        "Maatwerk instrument definition"
    )


def test_the_cli_modules_do_not_import_django() -> None:
    code = (
        "import sys, maatwerk.cli.main, maatwerk.cli.instruments\n"
        "from maatwerk.core.instruments.registry import bundled_instruments\n"
        "bundled_instruments()\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_show_lists_the_dutch_eq5d5l_value_set(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "show", "eq5d5l")
    assert result.exit_code == 0, result.output
    assert "method: utility; range -0.446-1" in result.stdout
    assert "eq5d5l_mobility: 2 -> 0.035, 3 -> 0.057, 4 -> 0.166, 5 -> 0.203" in result.stdout
