"""`maatwerk instruments export-fhir CODE [--output FILE]`, in-process and without Django."""

from __future__ import annotations

import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from typer.testing import CliRunner

from maatwerk.cli.main import app
from maatwerk.core.fhir.questionnaire import questionnaire_to_instrument
from maatwerk.core.instruments.registry import get_instrument

runner = CliRunner()


def test_export_to_stdout_validates_and_imports_back() -> None:
    result = runner.invoke(app, ["instruments", "export-fhir", "phq15", "--language", "nl"])
    assert result.exit_code == 0, result.output
    resource = json.loads(result.stdout)
    Questionnaire.model_validate(resource)
    assert resource["language"] == "nl"
    assert questionnaire_to_instrument(resource) == get_instrument("phq15")


def test_export_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "gad7.json"
    result = runner.invoke(
        app, ["instruments", "export-fhir", "gad7", "--version", "1.0", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    resource = json.loads(target.read_text(encoding="utf-8"))
    assert resource["url"] == "https://maatwerk.example/fhir/Questionnaire/gad7"
    assert resource["language"] == "en"


def test_unknown_instrument_or_language_is_a_clear_error(tmp_path: Path) -> None:
    unknown = runner.invoke(app, ["instruments", "export-fhir", "nonsense"])
    assert unknown.exit_code == 2
    assert "unknown instrument" in unknown.output and "phq9" in unknown.output
    german = runner.invoke(app, ["instruments", "export-fhir", "phq9", "--language", "de"])
    assert german.exit_code == 2
    assert "--language must be en or nl" in german.output
    unwritable = runner.invoke(
        app, ["instruments", "export-fhir", "phq9", "-o", str(tmp_path / "no" / "such" / "x.json")]
    )
    assert unwritable.exit_code == 2
    assert "cannot write" in unwritable.output


def test_export_with_code_systems_is_a_bundle_of_the_questionnaire_and_its_answer_codes() -> None:
    result = runner.invoke(
        app, ["instruments", "export-fhir", "phq9", "--with-code-systems", "--language", "nl"]
    )
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    Bundle.model_validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    questionnaire, *systems = resources
    assert questionnaire["resourceType"] == "Questionnaire"
    latest = get_instrument("phq9").version  # the export's default: the latest version
    assert {(s["url"], s["version"]) for s in systems} == {
        ("https://maatwerk.example/fhir/CodeSystem/phq9/frequency_0_3", latest),
        ("https://maatwerk.example/fhir/CodeSystem/phq9/difficulty_0_3", latest),
    }
    codes = {s["url"]: {c["code"] for c in s["concept"]} for s in systems}
    for item in questionnaire["item"]:
        for option in item.get("answerOption", []):
            assert option["valueCoding"]["code"] in codes[option["valueCoding"]["system"]]
    assert all(entry["fullUrl"].startswith("urn:uuid:") for entry in bundle["entry"])
