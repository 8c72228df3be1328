"""The planning rules file: schema, provenance and references are checked on load."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from maatwerk.core.instruments.registry import CONTENT_PACKAGE
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import (
    RULES_FILE,
    SCHEMA_FILE,
    build_planning_rules,
    bundled_planning_rules,
    planning_json_schema_text,
)
from maatwerk.core.planning.errors import PlanningDefinitionError

KNOWLEDGE = bundled_knowledge()


def bundled_data() -> dict[str, Any]:
    text = files(CONTENT_PACKAGE).joinpath("planning").joinpath(RULES_FILE).read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(PlanningDefinitionError) as caught:
        build_planning_rules(
            json.dumps(data), knowledge=KNOWLEDGE, module_ids=bundled_catalogue().ids
        )
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_bundled_rules_load_and_every_number_is_unverified() -> None:
    rules = bundled_planning_rules()
    assert rules.max_modules_at_once.unverified
    assert rules.graded_activity.unverified
    assert rules.duration.unverified and all(c.unverified for c in rules.duration.ceilings)
    # EMDR and systeemtherapie have no source; physiotherapy (the NHG standard, read in
    # worldsupporter-nhg) and L-MBT (alknieuws-lmbt) rest on a secondary one
    md = {rule.intervention: rule for rule in rules.multidisciplinary}
    assert md["emdr"].sources == () and md["emdr"].unverified
    assert md["systeemtherapie"].sources == () and md["systeemtherapie"].unverified
    assert md["physiotherapy"].sources == ("nhg-m102", "worldsupporter-nhg")
    assert md["physiotherapy"].unverified
    assert md["l_mbt"].unverified


def test_reference_and_provenance_problems_are_all_reported() -> None:
    data = bundled_data()
    data["basics"][0]["module"] = "yoga"
    data["basics"][1]["sources"] = ["no-such-source"]
    data["multidisciplinary"][0]["when"] = {"factors_any": ["bad_luck"]}
    data["multidisciplinary"][1]["when"] = {"flags_all": ["grief"]}
    data["multidisciplinary"][2]["intervention"] = "magic"
    del data["max_modules_at_once"]["unverified"]
    data["duration"]["ceilings"][0]["care_levels"] = ["nowhere"]
    data["module_links"][0]["unverified"] = False
    data["module_links"][0]["sources"] = []
    assert problems(data) == [
        "$.max_modules_at_once: needs sources or unverified: true",
        "$.basics[1].sources[0]: unknown source id 'no-such-source'",
        "$.module_links[0]: needs sources or unverified: true",
        "$.basics[0].module: unknown module 'yoga'",
        "$.multidisciplinary[0].when.factors_any[0]: unknown factor 'bad_luck'",
        "$.multidisciplinary[1].when.flags_all[0]: unknown clinician flag 'grief' "
        "(declare it in clinician_flags)",
        "$.multidisciplinary[2].intervention: unknown intervention 'magic'",
        "$.duration.ceilings[0].care_levels[0]: unknown care level 'nowhere'",
    ]


def test_schema_problems() -> None:
    data = bundled_data()
    data["graded_activity"]["start_fraction"] = 0
    data["basics"][0]["when"] = "always"
    data["surprise"] = 1
    found = problems(data)
    assert any(line.startswith("$.graded_activity") and "start_fraction" in line for line in found)
    assert any(line.startswith("$.basics[0].when") for line in found)
    assert any(line.startswith("$.surprise") for line in found)


def test_checked_in_schema_is_current() -> None:
    # Regenerate with write_json_schema("docs/planning") (docs/planning/README.md).
    schema = Path(__file__).parents[3] / "docs" / "planning" / SCHEMA_FILE
    assert schema.read_text(encoding="utf-8") == planning_json_schema_text()
