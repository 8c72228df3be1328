"""Every message a patient can get when an exercise answer is refused, and the "does not
apply to me" answer of a FHIR Questionnaire, in Dutch and English, compared byte for byte
with a golden file.

Provenance of ``golden/answer_texts.json``: written by this module's ``render_all()`` from
the code at commit 9625159 (branch ``prose2``, before these texts moved from Dutch and
English literals in ``core/modules/answers.py`` and ``core/fhir/questionnaire.py`` to
``content/prose/``). The move had to keep every string the same. Regenerate
(``python -m tests.core.test_answer_texts_golden``) only when a text is changed on
purpose, and review the diff.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from maatwerk.core.fhir.questionnaire import not_applicable_option
from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.modules.answers import AnswerProblemCode, check_exercise_answers
from maatwerk.core.modules.model import Exercise, GroupField

GOLDEN = Path(__file__).parent / "golden" / "answer_texts.json"

# ------------------------------------------------------------------ exercise answers


def _label(nl: str | None, en: str | None) -> dict[str, str]:
    return {language: text for language, text in (("nl", nl), ("en", en)) if text is not None}


def _options() -> list[dict[str, Any]]:
    return [
        {"id": "yes", "label": _label("Ja", "Yes")},
        {"id": "no", "label": _label("Nee", "No")},
    ]


# One field of every type, with and without limits, labelled in both languages, in
# English only (Dutch falls back to it) and in Dutch only (English falls back to the id).
FIELDS: list[dict[str, Any]] = [
    {"id": "note", "type": "text", "label": _label("Notitie", "Note"), "max_length": 5},
    {"id": "english_only", "type": "text", "label": _label(None, "In English"), "required": True},
    {"id": "dutch_only", "type": "text", "label": _label("Alleen Nederlands", None)},
    {
        "id": "count",
        "type": "number",
        "label": _label("Aantal", "Count"),
        "integer": True,
        "min": 1,
        "max": 12,
        "required": True,
    },
    {
        "id": "litres",
        "type": "number",
        "label": _label("Liters", "Litres"),
        "min": Decimal("0.5"),
        "max": Decimal("2.5"),
    },
    {
        "id": "strength",
        "type": "scale",
        "label": _label("Hoe sterk?", "How strong?"),
        "min": 1,
        "max": 5,
        "min_label": _label("zwak", "weak"),
        "max_label": _label("sterk", "strong"),
    },
    {"id": "walked", "type": "time", "label": _label("Gelopen", "Walked"), "min": 5, "max": 90},
    {"id": "slept", "type": "time", "label": _label("Geslapen", "Slept")},
    {
        "id": "mood",
        "type": "choice",
        "label": _label("Stemming", "Mood"),
        "options": _options(),
        "required": True,
    },
    {"id": "help", "type": "multi_choice", "label": _label("Hulp", "Help"), "options": _options()},
    {"id": "day", "type": "date", "label": _label("Dag", "Day")},
    {"id": "bedtime", "type": "clock", "label": _label("Bedtijd", "Bedtime")},
    {
        "id": "plan",
        "type": "group",
        "label": _label("Plan", "Plan"),
        "required": True,
        "fields": [{"id": "step", "type": "text", "label": _label("Stap", "Step")}],
    },
    {
        "id": "log",
        "type": "group",
        "label": _label("Logboek", "Log"),
        "repeat": True,
        "min_rows": 2,
        "max_rows": 3,
        "fields": [
            {"id": "what", "type": "text", "label": _label("Wat", "What"), "required": True},
            {
                "id": "minutes",
                "type": "time",
                "label": _label("Minuten", "Minutes"),
                "min": 1,
            },
            {
                "id": "kind",
                "type": "choice",
                "label": _label("Soort", "Kind"),
                "options": _options(),
            },
        ],
    },
    {
        "id": "one_row",
        "type": "group",
        "label": _label("Eén regel", "One row"),
        "repeat": True,
        "min_rows": 1,
        "fields": [{"id": "line", "type": "text", "label": _label("Regel", "Line")}],
    },
]

EXERCISE = Exercise.model_validate(
    {
        "id": "golden",
        "title": _label("Oefening", "Exercise"),
        "instructions": _label("Vul in.", "Fill in."),
        "form": FIELDS,
    }
)

# A group inside a group: the schema forbids it, the check still answers it.
_INNER = GroupField.model_validate(FIELDS[12])
_NESTED = GroupField.model_construct(
    id="outer",
    type="group",
    label=_INNER.label,
    required=False,
    help=None,
    repeat=False,
    fields=(_INNER,),
    min_rows=0,
    max_rows=None,
    sort_by=None,
)
NESTED = EXERCISE.model_copy(update={"form": (_NESTED,)})

ROW = {"what": "Wandelen", "minutes": 10, "kind": "yes"}

CASES: dict[str, tuple[Exercise, Mapping[str, object], bool]] = {
    "empty.final": (EXERCISE, {}, True),
    "empty.draft": (EXERCISE, {}, False),
    "unknown_field": (EXERCISE, {"extra": 1}, False),
    "text.not_text": (EXERCISE, {"note": 12}, False),
    "text.too_long": (EXERCISE, {"note": "zes tekens"}, False),
    "fallback_labels.not_text": (EXERCISE, {"english_only": 1, "dutch_only": 2}, False),
    "number.not_a_number": (EXERCISE, {"count": "veel", "litres": True}, False),
    "number.not_whole": (EXERCISE, {"count": "7,5"}, False),
    "number.too_low": (EXERCISE, {"count": 0, "litres": "0,25"}, False),
    "number.too_high": (EXERCISE, {"count": 13, "litres": Decimal("2.75")}, False),
    "scale.not_a_number": (EXERCISE, {"strength": [3]}, False),
    "scale.not_whole": (EXERCISE, {"strength": 2.5}, False),
    "scale.out_of_range": (EXERCISE, {"strength": 6}, False),
    "time.not_a_number": (EXERCISE, {"walked": "lang"}, False),
    "time.not_whole": (EXERCISE, {"walked": 7.5, "slept": "8,5"}, False),
    "time.too_few": (EXERCISE, {"walked": 4, "slept": -1}, False),
    "time.too_many": (EXERCISE, {"walked": 91}, False),
    "choice.unknown": (EXERCISE, {"mood": "maybe"}, False),
    "multi_choice.not_a_list": (EXERCISE, {"help": "yes"}, False),
    "multi_choice.unknown": (EXERCISE, {"help": ["yes", "maybe"]}, False),
    "multi_choice.twice": (EXERCISE, {"help": ["yes", "yes"]}, False),
    "date.invalid": (EXERCISE, {"day": "2026-02-30"}, False),
    "date.short": (EXERCISE, {"day": "2026-1-5"}, False),
    "date.datetime": (
        EXERCISE,
        {"day": datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)},
        False,
    ),
    "clock.invalid": (EXERCISE, {"bedtime": "25:00"}, False),
    "group.not_a_mapping": (EXERCISE, {"plan": ["step"]}, False),
    "group.unknown_subfield": (EXERCISE, {"plan": {"step": "x", "extra": 1}}, False),
    "rows.not_a_list": (EXERCISE, {"log": {"what": "x"}}, False),
    "rows.too_few": (EXERCISE, {"log": [ROW]}, True),
    "rows.too_many": (EXERCISE, {"log": [ROW, ROW, ROW, ROW]}, False),
    "rows.invalid_row": (EXERCISE, {"log": [ROW, "Wandelen"]}, False),
    "rows.problems_in_a_row": (
        EXERCISE,
        {"log": [ROW, {"what": "", "minutes": 0.5, "kind": "maybe", "extra": 1}]},
        True,
    ),
    "rows.too_few_rows_of_one": (EXERCISE, {"one_row": []}, True),
    "group_in_a_group": (NESTED, {"outer": {"plan": {"step": "x"}}}, False),
}


def _exercise_problems() -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for name, (exercise, answers, final) in CASES.items():
        rendered[name] = [
            {
                "path": problem.path,
                "code": problem.code,
                "nl": problem.message.get("nl"),
                "en": problem.message.get("en"),
                "str": str(problem),
            }
            for problem in check_exercise_answers(exercise, answers, final=final)
        ]
    return rendered


# ------------------------------------------------------------------ FHIR "not applicable"


def _not_applicable() -> dict[str, Any]:
    phq15 = get_instrument("phq15")
    rendered: dict[str, Any] = {}
    for language in ("nl", "en", "nl-BE", "de"):
        response = response_to_questionnaire_response(
            phq15, {}, not_applicable={"phq15_4"}, language=language
        )
        rendered[language] = {
            "answer_option": not_applicable_option(language),
            "response_answer": response["item"][0]["answer"],
        }
    return rendered


def render_all() -> dict[str, Any]:
    return {"exercise_answers": _exercise_problems(), "not_applicable": _not_applicable()}


def _text(rendered: dict[str, Any]) -> str:
    return json.dumps(rendered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def test_every_text_reads_as_before_in_both_languages_byte_for_byte() -> None:
    assert _text(render_all()) == GOLDEN.read_text(encoding="utf-8")


def test_the_golden_file_reaches_every_message() -> None:
    # A guard against a golden file that silently stopped covering a branch: every code,
    # and a fragment of every message, in both languages.
    rendered = _exercise_problems()
    codes = {problem["code"] for problems in rendered.values() for problem in problems}
    assert codes == set(get_args(AnswerProblemCode))
    golden = GOLDEN.read_text(encoding="utf-8")
    for fragment in (
        "hoort niet bij deze oefening.",
        "is not part of this exercise.",
        "hoort niet bij deze regel.",
        "is not part of this row.",
        "Regel 2 is ongeldig.",
        "Row 2 is invalid.",
        "Regel 2, ‘Wat’: vul dit in.",
        "Row 2, 'What': please fill this in.",
        "‘Stemming’: maak een keuze.",
        "please choose an option.",
        "dit antwoord is ongeldig.",
        "invalid answer.",
        "verwacht een lijst regels.",
        "expected rows.",
        "vul hoogstens 3 regels in.",
        "fill in at most 3 rows.",
        "vul minstens 2 regel(s) in.",
        "fill in at least 2 row(s).",
        "‘Eén regel’: vul dit in.",
        "vul tekst in.",
        "enter text.",
        "‘In English’: vul tekst in.",
        "'dutch_only': enter text.",
        "gebruik hoogstens 5 tekens (nu 10).",
        "use at most 5 characters (now 10).",
        "vul een getal in.",
        "enter a number.",
        "vul een heel getal in.",
        "enter a whole number.",
        "vul 1 of meer in.",
        "enter 0.5 or more.",
        "vul 2.5 of minder in.",
        "enter 12 or less.",
        "kies een heel getal van 1 tot en met 5.",
        "choose a whole number from 1 to 5.",
        "kies een getal van 1 tot en met 5.",
        "choose a number from 1 to 5.",
        "vul hele minuten in.",
        "enter whole minutes.",
        "vul 5 minuten of meer in.",
        "enter 0 minutes or more.",
        "Regel 2, ‘Minuten’: vul hele minuten in.",
        "vul 90 minuten of minder in.",
        "enter 90 minutes or less.",
        "kies een van de opties.",
        "choose one of the options.",
        "kies een of meer opties.",
        "choose one or more options.",
        "kies alleen uit de opties.",
        "choose only from the options.",
        "kies elke optie maar één keer.",
        "choose each option only once.",
        "vul een bestaande datum in.",
        "enter a valid date.",
        "vul een tijd in, zoals 07:30.",
        "enter a time such as 07:30.",
        "Dit geldt niet voor mij",
        "This does not apply to me",
    ):
        assert fragment in golden, fragment


if __name__ == "__main__":
    GOLDEN.write_text(_text(render_all()), encoding="utf-8")
