"""The bundled module catalogue: it loads, is complete in Dutch and English, readable at
B1 level, linked to the knowledge base, and broken files give precise errors."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.modules.errors import ModuleDefinitionError
from maatwerk.core.modules.loading import build_catalogue, module_json_schema_texts
from maatwerk.core.modules.model import GroupField, Module
from maatwerk.core.modules.registry import bundled_catalogue, bundled_texts
from maatwerk.core.modules.validation import localized_texts

REPO = Path(__file__).resolve().parents[3]
SCHEMA_FOLDER = REPO / "docs" / "modules"
CATALOGUE = bundled_catalogue()
KB = bundled_knowledge()

REQUIRED_MODULES = {
    "psychoeducation_vicious_circle",
    "psychoeducation_biopsychosocial",
    "complaints_diary",
    "graded_activity",
    "g_schema",
    "behavioural_experiments",
    "exposure_hierarchy",
    "relaxation_mindfulness",
    "sleep",
    "assertiveness",
    "problem_solving",
    "acceptance_values",
    "strengths_success",
    "warning_signal_self_reward",
    "relapse_prevention",
}

# Words a B1 reader does not know; patient texts explain the idea instead.
JARGON = ("cognitief", "somatisch", "disfunctioneel", "contingent", "catastroferen", "exposure")
# Parts of a module written for the clinician or the editor, not for the patient.
NOT_FOR_PATIENTS = (".clinician_summary",)
# Prose fields, where sentence length matters (labels are short by nature).
PROSE = re.compile(r"\.(summary|text\[\d+\]|instructions|homework|help)$")


def module_ids() -> list[str]:
    return sorted(CATALOGUE.ids)


def patient_texts(module: Module) -> Iterator[tuple[str, LocalizedText]]:
    for path, text in localized_texts(module, "$"):
        if not any(part in path for part in NOT_FOR_PATIENTS):
            yield path, text


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def test_every_required_module_is_bundled() -> None:
    assert set(CATALOGUE.ids) >= REQUIRED_MODULES
    assert CATALOGUE.module("g_schema").id == "g_schema"
    with pytest.raises(KeyError):
        CATALOGUE.module("no_such_module")


def test_catalogue_is_cached_and_versioned() -> None:
    assert bundled_catalogue() is CATALOGUE
    assert re.fullmatch(r"[0-9a-f]{12}", CATALOGUE.version)


@pytest.mark.parametrize("module_id", module_ids())
def test_module_has_steps_exercises_and_homework(module_id: str) -> None:
    module = CATALOGUE.module(module_id)
    assert 2 <= len(module.steps) <= 5
    assert module.exercises, "every module has at least one exercise with a form"
    assert any(step.homework is not None for step in module.steps)
    assert CATALOGUE.origins[module_id] == f"{module_id}.json"


@pytest.mark.parametrize("module_id", module_ids())
def test_every_text_has_dutch_and_english(module_id: str) -> None:
    module = CATALOGUE.module(module_id)
    for path, text in localized_texts(module, "$"):
        assert text.get("nl") and text.get("en"), path


# Common words of one language only ("in", "is" and "of" occur in both, so they are left out).
_DUTCH = """de het een je jij jouw jezelf van wat ik niet met dat dit er voor naar hoe zijn
bij ook als maar nog kun mijn welke wanneer wie deze dag vul schrijf hoeveel elke keer"""
_ENGLISH = """the a an you your yourself what i not with that this there for to how are do my
which when who these day fill write many every time it at does did can and"""
DUTCH_WORDS = frozenset(_DUTCH.split())
ENGLISH_WORDS = frozenset(_ENGLISH.split())


@pytest.mark.parametrize("module_id", module_ids())
def test_dutch_and_english_are_not_swapped(module_id: str) -> None:
    """Each longer text shares more common words with its own language than the other."""
    for path, text in localized_texts(CATALOGUE.module(module_id), "$"):
        for language, own, other in (
            ("nl", DUTCH_WORDS, ENGLISH_WORDS),
            ("en", ENGLISH_WORDS, DUTCH_WORDS),
        ):
            words = re.findall(r"[a-z]+", (text.get(language) or "").lower())
            if len(words) >= 6:
                mine = sum(word in own for word in words)
                theirs = sum(word in other for word in words)
                assert mine > theirs, f"{path}.{language} looks like the other language"


@pytest.mark.parametrize("module_id", module_ids())
def test_field_ids_are_unique_within_each_exercise(module_id: str) -> None:
    for exercise in CATALOGUE.module(module_id).exercises:
        ids = [field.id for field in exercise.form]
        assert len(ids) == len(set(ids)), exercise.id
        for field in exercise.form:
            if isinstance(field, GroupField):
                inner = [sub.id for sub in field.fields]
                assert len(inner) == len(set(inner)), f"{exercise.id}.{field.id}"


@pytest.mark.parametrize("module_id", module_ids())
def test_dutch_patient_texts_are_short_sentences_without_jargon(module_id: str) -> None:
    """B1: an average Dutch prose sentence of at most 15 words, none over 20, no jargon."""
    module = CATALOGUE.module(module_id)
    lengths: list[int] = []
    for path, text in patient_texts(module):
        dutch = text.get("nl") or ""
        for word in JARGON:
            assert word not in dutch.lower(), f"{path}: jargon {word!r} in {dutch!r}"
        if PROSE.search(path):
            for sentence in sentences(dutch):
                words = len(sentence.split())
                assert words <= 20, f"{path}: {words} words in {sentence!r}"
                lengths.append(words)
    assert lengths
    assert sum(lengths) / len(lengths) <= 15


@pytest.mark.parametrize("module_id", module_ids())
def test_patient_texts_address_the_patient_as_je(module_id: str) -> None:
    module = CATALOGUE.module(module_id)
    prose = " ".join((text.get("nl") or "") for path, text in patient_texts(module))
    words = set(re.findall(r"[a-zà-ÿ’]+", prose.lower()))
    assert words & {"je", "jij", "jezelf", "jouw"}
    assert not words & {"u", "uw", "uzelf"}


@pytest.mark.parametrize("module_id", module_ids())
def test_links_and_provenance(module_id: str) -> None:
    module = CATALOGUE.module(module_id)
    factors = {factor.id for factor in KB.factors.factors}
    interventions = {item.id for item in KB.interventions.interventions}
    sources = {source.id for source in KB.sources.sources}
    assert set(module.targets) <= factors
    assert set(module.interventions) <= interventions
    assert set(module.sources) <= sources
    assert module.sources or module.unverified
    if module.unverified:
        assert module.note
    assert module.expected_weeks_unverified


def test_pairings_without_a_source_are_unverified() -> None:
    """No source read verifies the G-schema, nor sleep (CBT-I), tension (relaxation) and
    daily-life problems (problem solving, assertiveness) as pairings. The sourced links
    (graded activity: nhg-m102-henw, torenbeek-2006; experiments and exposure for
    avoidance: visser-reinders-2015, sessions 5-8) carry those sources."""
    for module_id in (
        "g_schema",
        "sleep",
        "relaxation_mindfulness",
        "problem_solving",
        "assertiveness",
    ):
        assert CATALOGUE.module(module_id).unverified, module_id
    assert "G-schema" in (CATALOGUE.module("g_schema").note or "")
    graded = CATALOGUE.module("graded_activity")
    assert {"nhg-m102-henw", "torenbeek-2006"} <= set(graded.sources)
    assert "graded_activity" in graded.interventions
    experiments = CATALOGUE.module("behavioural_experiments")
    assert "visser-reinders-2015" in experiments.sources
    assert "avoidance" in experiments.targets


def test_g_schema_has_the_five_gs_and_the_four_thinking_errors() -> None:
    module = CATALOGUE.module("g_schema")
    schema = module.exercise("g_schema")
    assert [field.id for field in schema.form] == [
        "event",
        "thoughts",
        "feeling",
        "feeling_strength",
        "behaviour",
        "result",
    ]
    challenge = module.exercise("challenge_thought")
    errors = challenge.field("thinking_errors")
    assert errors.type == "multi_choice"
    assert {option.id for option in errors.options} >= {
        "catastrophizing",
        "selective_attention",
        "should_thinking",
        "pain_means_rest",
    }


def test_graded_activity_tells_the_patient_to_keep_to_the_quota_on_good_and_bad_days() -> None:
    quota_step = CATALOGUE.module("graded_activity").step("quotas")
    dutch = " ".join((paragraph.get("nl") or "") for paragraph in quota_step.text)
    assert "goede dag" in dutch and "slechte dag" in dutch
    assert "De klok bepaalt het." in dutch
    kinds = {exercise.kind for exercise in CATALOGUE.module("graded_activity").exercises}
    assert kinds == {"graded_activity_baseline", "activity_log"}


def test_exposure_hierarchy_rows_are_sorted_on_fear() -> None:
    hierarchy = CATALOGUE.module("exposure_hierarchy").exercise("hierarchy")
    situations = hierarchy.field("situations")
    assert isinstance(situations, GroupField)
    assert situations.repeat and situations.sort_by == "fear"


def test_relapse_prevention_says_relapse_is_part_of_the_process() -> None:
    module = CATALOGUE.module("relapse_prevention")
    assert "hoort erbij" in (module.summary.get("nl") or "")
    plan = module.exercise("relapse_plan")
    assert plan.kind == "relapse_plan"
    assert {"warning_signs", "what_helps", "who_helps", "when_worse"} <= {
        field.id for field in plan.form
    }


# --- broken files ------------------------------------------------------------------------


def bundled(module_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundled_texts()[f"{module_id}.json"])
    return data


def problems_of(data: dict[str, Any], name: str | None = None) -> list[str]:
    origin = name or f"{data['id']}.json"
    with pytest.raises(ModuleDefinitionError) as caught:
        build_catalogue({origin: json.dumps(data)}, knowledge=KB)
    return [str(problem) for problem in caught.value.problems]


def test_unknown_factor_id() -> None:
    data = bundled("graded_activity")
    data["targets"][1] = "deconditionning"
    assert problems_of(data) == [
        "graded_activity.json: $.targets[1]: unknown factor 'deconditionning'"
    ]


def test_unknown_intervention_id() -> None:
    data = bundled("g_schema")
    data["interventions"] = ["cognitive_restructuring", "thought_records"]
    assert problems_of(data) == [
        "g_schema.json: $.interventions[1]: unknown intervention 'thought_records'"
    ]


def test_duplicate_step_id() -> None:
    data = bundled("g_schema")
    data["steps"][1]["id"] = data["steps"][0]["id"]
    assert problems_of(data) == ["g_schema.json: $.steps[1].id: duplicate step id 'five_gs'"]


def test_bad_field_type() -> None:
    data = bundled("g_schema")
    data["steps"][0]["exercises"][0]["form"][3]["type"] = "slider"
    problems = problems_of(data)
    assert len(problems) == 1
    assert problems[0].startswith("g_schema.json: $.steps[0].exercises[0].form[3]: type must be")


def test_a_group_cannot_hold_a_group() -> None:
    data = bundled("complaints_diary")
    inner = {"id": "inner", "type": "group", "label": {"nl": "x", "en": "x"}, "fields": []}
    data["steps"][0]["exercises"][0]["form"][0]["fields"].append(inner)
    problems = problems_of(data)
    assert len(problems) == 1
    where = "complaints_diary.json: $.steps[0].exercises[0].form[0].fields[6]: "
    assert problems[0].startswith(where)
    assert problems[0].endswith("(a group cannot hold another group)")


def test_scale_with_min_not_below_max() -> None:
    data = bundled("g_schema")
    field = data["steps"][0]["exercises"][0]["form"][3]
    field["min"], field["max"] = 10, 10
    assert problems_of(data) == [
        "g_schema.json: $.steps[0].exercises[0].form[3].max: a scale needs min < max (got 10-10)"
    ]


def test_duplicate_field_ids_inside_a_repeating_group() -> None:
    data = bundled("complaints_diary")
    rows = data["steps"][0]["exercises"][0]["form"][0]["fields"]
    rows[3]["id"] = "complaint"
    assert problems_of(data) == [
        "complaints_diary.json: $.steps[0].exercises[0].form[0].fields[3].id: "
        "duplicate field id 'complaint'"
    ]


def test_missing_english_text_and_missing_provenance_are_reported_together() -> None:
    data = bundled("sleep")
    del data["steps"][0]["text"][1]["en"]
    data["unverified"] = False
    data["sources"] = ["not-a-source"]
    assert problems_of(data) == [
        "sleep.json: $.sources[0]: unknown source 'not-a-source'",
        "sleep.json: $.steps[0].text[1]: text has no English (en)",
    ]


def test_file_name_must_match_module_id_and_ids_are_unique() -> None:
    data = bundled("sleep")
    with pytest.raises(ModuleDefinitionError) as caught:
        build_catalogue(
            {"sleep.json": json.dumps(data), "slaap.json": json.dumps(data)}, knowledge=KB
        )
    assert [str(problem) for problem in caught.value.problems] == [
        "slaap.json: $.id: the file must be named sleep.json",
        "sleep.json: $.id: module 'sleep' is also in slaap.json",
    ]


def test_invalid_json_and_unknown_keys() -> None:
    data = copy.deepcopy(bundled("sleep"))
    data["steps"][0]["duration"] = 5
    with pytest.raises(ModuleDefinitionError) as caught:
        build_catalogue({"sleep.json": json.dumps(data), "x.json": "{"}, knowledge=KB)
    found = [str(problem) for problem in caught.value.problems]
    assert found[0] == "sleep.json: $.steps[0].duration: Extra inputs are not permitted"
    assert found[1].startswith("x.json: $: invalid JSON")


# --- the checked-in JSON Schema ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(module_json_schema_texts()))
def test_checked_in_json_schema_is_current(name: str) -> None:
    path = SCHEMA_FOLDER / name
    assert path.exists() and path.read_text(encoding="utf-8") == module_json_schema_texts()[name], (
        f"docs/modules/{name} is stale; regenerate with\n"
        "  .venv/bin/python -c 'from maatwerk.core.modules.loading import "
        'write_json_schemas as w; w("docs/modules")\''
    )


def test_no_stray_schema_files() -> None:
    on_disk = {path.name for path in SCHEMA_FOLDER.glob("*.schema.json")}
    assert on_disk == set(module_json_schema_texts())


@pytest.mark.parametrize("module_id", module_ids())
def test_the_short_introduction_for_low_literacy_is_shorter(module_id: str) -> None:
    """Issue 12 item 8: every module has a shorter introduction (our own wording, so
    marked unverified) with shorter sentences than the B1 one."""
    module = CATALOGUE.module(module_id)
    assert module.summary_short is not None
    assert module.summary_short_unverified
    for language in ("nl", "en"):
        short = module.summary_short.get(language) or ""
        full = module.summary.get(language) or ""
        assert 0 < len(short.split()) < len(full.split()), (language, short)
        assert all(len(s.split()) <= 10 for s in sentences(short)), short
