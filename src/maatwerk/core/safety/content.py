"""The follow-up of a safety signal as content: the risk assessment and the actions.

One file, ``maatwerk/content/safety/follow_up.json`` (collection ``follow_up``): its own
``sources`` (full citations), the ways to contact a patient, the questions of the
structured risk assessment with their answer options, and the actions a clinician
records. Every question, option list and rule carries ``sources`` (ids of this file's
``sources``) or ``unverified: true``. ``load_follow_up_content`` checks the schema (the
pydantic classes below) and every reference, reporting every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal

from pydantic import StrictStr

from maatwerk.core.common.content_set import FileSet, duplicate_id_problems, provenance_problems
from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.base import Frozen, Identifier, SourceId, Version
from maatwerk.core.instruments.errors import DefinitionProblem
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

CONTENT_FOLDER = "safety"
FILE_NAME = "follow_up.json"


class FollowUpDefinitionError(ContentDefinitionError):
    """The follow-up content is invalid; ``problems`` lists every problem found."""

    what = "safety follow-up content"


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


FOLLOW_UP = FileSet(
    folder=CONTENT_FOLDER,
    file=FILE_NAME,
    model=FollowUpContent,
    error=FollowUpDefinitionError,
    schema_id="https://maatwerk.example/schemas/safety-follow_up-1.schema.json",
    title="Safety signal follow-up",
)

# The actions a follow-up records as yes/no; the closing rule and the form know them.
BOOLEAN_ACTIONS = ("gp_informed", "crisis_ggz_involved")


def load_follow_up_content(text: str | bytes, *, origin: str = FILE_NAME) -> FollowUpContent:
    """Decode (exact, no duplicate keys), schema-check and cross-check the content."""
    return FOLLOW_UP.load(text, origin=origin, check=_problems)


def _problems(content: FollowUpContent, origin: str) -> Iterable[DefinitionProblem]:
    provenances: list[tuple[str, Provenance]] = [
        ("$.contact_methods", content.contact_methods),
        ("$.safety_plan", content.safety_plan),
        ("$.not_reached", content.not_reached),
    ]
    provenances += [
        (f"$.assessment[{i}]", question) for i, question in enumerate(content.assessment)
    ]
    yield from provenance_problems(
        provenances,
        [source.id for source in content.sources],
        origin=origin,
        no_source="needs sources or unverified: true with a note",
    )
    yield from duplicate_id_problems(
        [("assessment", [question.id for question in content.assessment])], origin=origin
    )
    for index, question in enumerate(content.assessment):
        path = f"$.assessment[{index}]"
        if question.kind == "choice" and len(question.options) < 2:
            yield DefinitionProblem(origin, path, "a choice needs two options or more")
        if question.kind == "text" and question.options:
            yield DefinitionProblem(origin, path, "a text question has no options")
        yield from (
            DefinitionProblem(origin, f"{path}.options[{at}]", f"unknown action {action!r}")
            for at, option in enumerate(question.options)
            for action in option.requires_any_action
            if action not in BOOLEAN_ACTIONS
        )
    yield from (
        DefinitionProblem(origin, "$.not_reached", f"unknown action {action!r}")
        for action in content.not_reached.requires_any_action
        if action not in BOOLEAN_ACTIONS
    )
    if "overall_estimate" not in {question.id for question in content.assessment}:
        yield DefinitionProblem(origin, "$.assessment", "needs overall_estimate")


@cache
def bundled_follow_up_content() -> FollowUpContent:
    return load_follow_up_content(FOLLOW_UP.bundled_text())


def follow_up_json_schema_text() -> str:
    """The JSON Schema of ``follow_up.json`` (checked in as docs/safety/)."""
    return FOLLOW_UP.schema_text()
