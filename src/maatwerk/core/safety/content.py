"""The follow-up of a safety signal as content: the risk assessment and the actions.

One file, ``maatwerk/content/safety/follow_up.json`` (collection ``follow_up``): its own
``sources`` (full citations), the ways to contact a patient, the questions of the
structured risk assessment with their answer options, and the actions a clinician
records. Every question, option list and rule carries ``sources`` (ids of this file's
``sources``) or ``unverified: true``. ``load_follow_up_content`` checks the schema (the
pydantic classes below) and every reference, reporting every problem at once.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Literal

from pydantic import StrictStr

from maatwerk.core.common.collection_files import load_collection_file
from maatwerk.core.instruments.base import Frozen, Identifier, SourceId, Version
from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import Provenance

__all__ = [
    "AssessmentQuestion",
    "FollowUpContent",
    "FollowUpDefinitionError",
    "Option",
    "Source",
    "bundled_follow_up_content",
    "follow_up_json_schema_text",
    "load_follow_up_content",
]

CONTENT_PACKAGE = "maatwerk.content"
CONTENT_FOLDER = "safety"
FILE_NAME = "follow_up.json"


class FollowUpDefinitionError(InstrumentDefinitionError):
    """The follow-up content is invalid; ``problems`` lists every problem found."""


class Source(Frozen):
    id: SourceId
    citation: StrictStr
    url: StrictStr | None = None


class Option(Frozen):
    id: Identifier
    label: LocalizedText
    # Actions that must have been taken before a signal with this answer can close.
    requires_any_action: tuple[Identifier, ...] = ()


class AssessmentQuestion(Provenance):
    id: Identifier
    kind: Literal["choice", "text"]
    label: LocalizedText
    help: LocalizedText | None = None
    options: tuple[Option, ...] = ()


class ContactMethods(Provenance):
    options: tuple[Option, ...]


class SafetyPlanAction(Provenance):
    options: tuple[Option, ...]


class NotReachedRule(Provenance):
    """When the patient could not be reached, someone who can act must be involved."""

    requires_any_action: tuple[Identifier, ...]


class FollowUpContent(Frozen):
    collection: Literal["follow_up"]
    version: Version
    sources: tuple[Source, ...]
    contact_methods: ContactMethods
    assessment: tuple[AssessmentQuestion, ...]
    safety_plan: SafetyPlanAction
    not_reached: NotReachedRule

    def question(self, question_id: str) -> AssessmentQuestion:
        for question in self.assessment:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)


# The actions a follow-up records as yes/no; the closing rule and the form know them.
BOOLEAN_ACTIONS = ("gp_informed", "crisis_ggz_involved")


def _error(problems: tuple[DefinitionProblem, ...]) -> FollowUpDefinitionError:
    return FollowUpDefinitionError(problems)


def load_follow_up_content(text: str | bytes, *, origin: str = FILE_NAME) -> FollowUpContent:
    """Decode, schema-check and cross-check the follow-up content."""
    content = load_collection_file(
        text, origin=origin, models={"follow_up": FollowUpContent}, error=_error
    )
    problems: list[DefinitionProblem] = []
    source_ids = {source.id for source in content.sources}

    def check_provenance(path: str, item: Provenance) -> None:
        if not item.sources and not item.unverified:
            problems.append(
                DefinitionProblem(origin, path, "needs sources or unverified: true with a note")
            )
        problems.extend(
            DefinitionProblem(origin, path, f"unknown source {source_id!r}")
            for source_id in item.sources
            if source_id not in source_ids
        )

    check_provenance("$.contact_methods", content.contact_methods)
    check_provenance("$.safety_plan", content.safety_plan)
    check_provenance("$.not_reached", content.not_reached)
    seen: set[str] = set()
    for index, question in enumerate(content.assessment):
        path = f"$.assessment[{index}]"
        check_provenance(path, question)
        if question.id in seen:
            problems.append(DefinitionProblem(origin, path, f"duplicate id {question.id!r}"))
        seen.add(question.id)
        if question.kind == "choice" and len(question.options) < 2:
            problems.append(DefinitionProblem(origin, path, "a choice needs two options or more"))
        if question.kind == "text" and question.options:
            problems.append(DefinitionProblem(origin, path, "a text question has no options"))
        problems.extend(
            DefinitionProblem(origin, f"{path}.options[{at}]", f"unknown action {action!r}")
            for at, option in enumerate(question.options)
            for action in option.requires_any_action
            if action not in BOOLEAN_ACTIONS
        )
    problems.extend(
        DefinitionProblem(origin, "$.not_reached", f"unknown action {action!r}")
        for action in content.not_reached.requires_any_action
        if action not in BOOLEAN_ACTIONS
    )
    if "overall_estimate" not in seen:
        problems.append(DefinitionProblem(origin, "$.assessment", "needs overall_estimate"))
    if problems:
        raise FollowUpDefinitionError(tuple(problems))
    return content


@cache
def bundled_follow_up_content() -> FollowUpContent:
    text = files(CONTENT_PACKAGE).joinpath(CONTENT_FOLDER, FILE_NAME).read_bytes()
    return load_follow_up_content(text)


def follow_up_json_schema_text() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://maatwerk.example/schemas/safety-follow_up-1.schema.json",
        **FollowUpContent.model_json_schema(mode="validation"),
        "title": "Safety signal follow-up",
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
