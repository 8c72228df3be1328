"""The patient's answering pages: what a prompt asks, and the reads that show it.

A schedule's item set (``MonitoringSchedule.items``) holds one entry per question:
``{"key": "bank:<item id>"}`` for an item of the bank (its text and answer scale come
from ``ema_items.json``) or ``{"key": "node:<node id>", "text": "..."}`` for a personal
item in the patient's own words (the bank's personal answer scale). :func:`questions`
turns that into :class:`Question` presenters in the reader's language; the answer form
(:mod:`maatwerk.web.monitoring.forms`) is built from the same presenters.

Each read here is one audited service call (``read`` event).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language

from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.monitoring.items import ChoiceResponse, SliderResponse, bundled_ema_items
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.monitoring import selectors
from maatwerk.web.monitoring.models import MonitoringSchedule, Prompt
from maatwerk.web.patients.opening import Opened, PatientAccess

if TYPE_CHECKING:
    from maatwerk.web.monitoring.charts import ItemChart

PROMPTS = "monitoring_prompts"


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question of a prompt: a slider (``minimum`` to ``maximum`` with two end
    labels) or a short choice (``options``)."""

    key: str
    text: str
    kind: str  # "slider" | "choice"
    minimum: int = 0
    maximum: int = 0
    low: str = ""
    high: str = ""
    options: tuple[Option, ...] = ()


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _text(text: LocalizedText, language: str) -> str:
    return text.get(language, fallback=True) or ""


def _question(key: str, text: str, response: SliderResponse | ChoiceResponse) -> Question:
    language = _language()
    if isinstance(response, SliderResponse):
        return Question(
            key=key,
            text=text,
            kind="slider",
            minimum=response.min,
            maximum=response.max,
            low=_text(response.low, language),
            high=_text(response.high, language),
        )
    return Question(
        key=key,
        text=text,
        kind="choice",
        options=tuple(
            Option(value=option.id, label=_text(option.label, language))
            for option in response.options
        ),
    )


def questions(items: Sequence[Mapping[str, Any]]) -> tuple[Question, ...]:
    """The questions of an item set, in its order; an entry the bank no longer knows is
    left out (it cannot be answered)."""
    bank = bundled_ema_items()
    language = _language()
    found: list[Question] = []
    for item in items:
        key = str(item.get("key", ""))
        kind, _sep, ident = key.partition(":")
        if kind == "bank":
            try:
                bank_item = bank.item(ident)
            except KeyError:
                continue
            found.append(_question(key, _text(bank_item.text, language), bank_item.response))
        elif kind == "node" and item.get("text"):
            found.append(_question(key, str(item["text"]), bank.personal_items.response))
    return tuple(found)


@dataclass(frozen=True)
class PromptRow:
    """One open prompt on the list: a daily-life question (answered in the app) or a
    questionnaire (ROM; the tap opens the questionnaire pages)."""

    public_id: str
    kind_label: str
    due_at: datetime
    expires_at: datetime
    questionnaire: str = ""  # ROM: the questionnaire's name

    @property
    def is_questionnaire(self) -> bool:
        return bool(self.questionnaire)


def _questionnaire_name(prompt: Prompt, language: str) -> str:
    from maatwerk.core.instruments.errors import UnknownInstrument
    from maatwerk.web.questionnaires.instruments import instrument_for

    try:
        instrument = instrument_for(prompt.patient.organization_id, prompt.instrument)
    except UnknownInstrument:
        return str(Prompt.Kind(prompt.kind).label)
    return _text(instrument.name, language) or str(Prompt.Kind(prompt.kind).label)


def _row(prompt: Prompt, language: str) -> PromptRow:
    return PromptRow(
        public_id=str(prompt.public_id),
        kind_label=str(Prompt.Kind(prompt.kind).label),
        due_at=prompt.due_at,
        expires_at=prompt.expires_at,
        questionnaire=(
            _questionnaire_name(prompt, language) if prompt.kind == Prompt.Kind.ROM else ""
        ),
    )


@dataclass(frozen=True)
class EntrySchedule:
    """An EMA schedule the patient may start an entry of their own in."""

    public_id: str


@dataclass(frozen=True)
class MyPrompts:
    open: tuple[PromptRow, ...]
    entry_schedules: tuple[EntrySchedule, ...]
    answered_today: int
    charts: tuple[ItemChart, ...] = ()


def my_prompts(actor: Actor, opened: PatientAccess, *, now: datetime) -> MyPrompts:
    """The patient's open prompts (questionnaires first, then daily-life questions and
    own entries), read as one audited event. A questionnaire already filled in is not
    offered again (its prompt is closed by the next periodic run)."""
    language = _language()
    with audited(actor=actor, action="read", subject=opened.subject(PROMPTS)):
        open_now = list(
            selectors.open_prompts(opened, now=now)
            .select_related("patient", "assignment")
            .exclude(kind=Prompt.Kind.ROM, assignment__isnull=True)
            .exclude(kind=Prompt.Kind.ROM, assignment__status__in=selectors.QUESTIONNAIRE_DONE)
        )
        open_now.sort(key=lambda p: (p.kind != Prompt.Kind.ROM, p.due_at))
        rows = tuple(_row(p, language) for p in open_now)
        schedules = tuple(
            EntrySchedule(public_id=str(s.public_id))
            for s in selectors.event_entry_schedules(opened)
        )
        answered = selectors.answered_since(
            opened, since=now.replace(hour=0, minute=0, second=0, microsecond=0)
        )
        from maatwerk.web.monitoring.charts import feedback_charts

        return MyPrompts(
            open=rows,
            entry_schedules=schedules,
            answered_today=answered,
            charts=feedback_charts(opened, now=now),
        )


@dataclass(frozen=True)
class PromptPage:
    public_id: str
    kind_label: str
    expires_at: datetime
    answerable: bool
    questions: tuple[Question, ...]
    # ROM: the questionnaire to fill in (its public id); the page opens it.
    questionnaire_id: str = ""


def prompt_page(prompt: Prompt, *, now: datetime) -> PromptPage:
    """What the answer page shows of a prompt the patient opened
    (:func:`maatwerk.web.monitoring.services.open_prompt` audits the read)."""
    schedule: MonitoringSchedule = prompt.schedule
    is_open = prompt.state not in selectors.FINAL_STATES and prompt.expires_at > now
    assignment = prompt.assignment if prompt.kind == Prompt.Kind.ROM else None
    return PromptPage(
        public_id=str(prompt.public_id),
        kind_label=str(Prompt.Kind(prompt.kind).label),
        expires_at=prompt.expires_at,
        answerable=prompt.kind != Prompt.Kind.ROM and is_open,
        questions=questions(schedule.items) if prompt.kind != Prompt.Kind.ROM else (),
        questionnaire_id=(
            str(assignment.public_id)
            if assignment is not None
            and is_open
            and assignment.status not in selectors.QUESTIONNAIRE_DONE
            else ""
        ),
    )


def opened_prompt_page(actor: Actor, opened: Opened[Prompt], *, now: datetime) -> PromptPage:
    from maatwerk.web.monitoring.services import open_prompt

    return prompt_page(open_prompt(actor, opened, now=now), now=now)
