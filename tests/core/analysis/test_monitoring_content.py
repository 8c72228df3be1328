"""The monitoring rules file (content/analysis/monitoring.json) and its schema."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest

from maatwerk.core.analysis.content import (
    MONITORING_FILE,
    SCHEMA_FILE,
    MonitoringContentError,
    build_monitoring,
    bundled_monitoring,
    monitoring_json_schema_text,
)
from maatwerk.core.instruments.registry import CONTENT_PACKAGE

SCHEMA_FOLDER = Path(__file__).resolve().parents[3] / "docs" / "analysis"
INTERVENTIONS = ("act", "l_mbt", "emdr", "systeemtherapie")
FLAGS = ("trauma_maintains", "family_system_maintains")


def _bundled_data() -> dict[str, object]:
    text = files(CONTENT_PACKAGE).joinpath("analysis").joinpath(MONITORING_FILE).read_text()
    data: dict[str, object] = json.loads(text)
    return data


def _build(data: dict[str, object]) -> None:
    build_monitoring(json.dumps(data), intervention_ids=INTERVENTIONS, flag_ids=FLAGS)


def test_bundled_file_is_valid_and_offers_the_stepped_care_options() -> None:
    monitoring = bundled_monitoring()
    options = {option.id: option for option in monitoring.escalation_options}
    assert set(options) == {"step_up", "switch_act", "switch_l_mbt", "add_emdr", "involve_system"}
    assert options["add_emdr"].when_flag == "trauma_maintains"
    for option in options.values():
        assert option.label.get("nl") and option.label.get("en")
    assert monitoring.clinician_rule.consecutive_measurements >= 2


def test_checked_in_json_schema_is_current() -> None:
    on_disk = (SCHEMA_FOLDER / SCHEMA_FILE).read_text(encoding="utf-8")
    assert on_disk == monitoring_json_schema_text(), (
        "docs/analysis/monitoring.schema.json is out of date; regenerate it with "
        '.venv/bin/python -c "from maatwerk.core.analysis.content import write_json_schema; '
        "write_json_schema('docs/analysis')\""
    )


def test_every_problem_is_reported_with_its_path() -> None:
    data = _bundled_data()
    options = data["escalation_options"]
    assert isinstance(options, list)
    options[1]["intervention"] = "yoga"
    options[3]["when_flag"] = "no_such_flag"
    options[0]["sources"] = ["nowhere"]
    del options[2]["note"]
    with pytest.raises(MonitoringContentError) as caught:
        _build(data)
    messages = [f"{p.path}: {p.message}" for p in caught.value.problems]
    assert "$.escalation_options[1].intervention: unknown intervention 'yoga'" in messages
    assert "$.escalation_options[3].when_flag: unknown clinician flag 'no_such_flag'" in messages
    assert "$.escalation_options[0].sources[0]: unknown source id 'nowhere'" in messages
    assert "$.escalation_options[2]: an unverified entry needs a note saying why" in messages


def test_unknown_scale_and_a_clinician_rule_on_one_measurement_are_refused() -> None:
    data = _bundled_data()
    rules = data["fixed_change_rules"]
    assert isinstance(rules, list)
    rules[0]["scale"] = "somatic"
    with pytest.raises(MonitoringContentError, match="phq9 has no scale 'somatic'"):
        _build(data)
    data = _bundled_data()
    clinician = data["clinician_rule"]
    assert isinstance(clinician, dict)
    clinician["consecutive_measurements"] = 1
    with pytest.raises(MonitoringContentError, match="consecutive_measurements"):
        _build(data)
