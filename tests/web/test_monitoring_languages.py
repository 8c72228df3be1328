"""The answering app walked in Dutch and in English, as the patient: the list with a
daily-life question and a questionnaire, a question, a refused answer, a question that
can no longer be answered, the choice of messages (also refused) and the manifest.

Each page's readable text is checked with the rules of ``test_no_developer_words`` (no
codes; in Dutch no English sentences and no formal "u"), and in both languages against
the other language: a Dutch page shows none of the app's English texts (no missing
translation), an English page none of their Dutch translations. Dutch sentences stay
within the B1 sentence limit of the patient texts (15 words).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maatwerk.core.common.readability import long_sentences
from maatwerk.web.monitoring.models import Channel, MonitoringSchedule, Prompt, PromptState
from maatwerk.web.questionnaires.models import Assignment
from tests.web.test_monitoring_answering import _prompt, _schedule
from tests.web.test_no_developer_words import _Text, problems_in
from tests.web.world import World

TEMPLATES = Path(__file__).resolve().parents[2] / "src/maatwerk/web/monitoring/templates"
NL_PO = Path(__file__).resolve().parents[2] / "src/maatwerk/web/locale/nl/LC_MESSAGES/django.po"
B1_SENTENCE_WORDS = 15


def _app_texts() -> dict[str, str]:
    """English text -> Dutch text of every plain ``{% translate "..." %}`` of the app's
    templates (the texts without placeholders, which appear on a page as they are)."""
    english = set()
    for template in (TEMPLATES / "monitoring").glob("*.html"):
        if template.name in ("patient.html", "caseload.html"):
            continue  # the clinician's pages
        english |= set(re.findall(r'\{% translate "([^"%]+)"', template.read_text()))
    catalog = _catalog()
    return {text: catalog[text] for text in english if catalog.get(text) not in (None, text)}


def _catalog() -> dict[str, str]:
    found: dict[str, str] = {}
    for block in NL_PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr and "#, fuzzy" not in block:
            found[_joined(msgid.group(1))] = _joined(msgstr.group(1))
    return found


def _joined(quoted: str) -> str:
    return "".join(json.loads(line) for line in quoted.strip().splitlines())


@pytest.fixture
def walk(world: World) -> Iterator[tuple[World, dict[str, str]]]:
    schedule = _schedule(world)
    open_prompt = _prompt(schedule, expires=timedelta(hours=1))
    expired = _prompt(schedule, state=PromptState.EXPIRED, expires=timedelta(hours=-1))
    rom_schedule = MonitoringSchedule.objects.create(
        patient=world.patient_a, kind=MonitoringSchedule.Kind.ROM, channel=Channel.FILE
    )
    now = timezone.now()
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="phq9",
        instrument_version="1",
        assigned_by=world.memberships["clinician_treating"],
    )
    Prompt.objects.create(
        schedule=rom_schedule,
        patient=world.patient_a,
        kind=Prompt.Kind.ROM,
        key="rom:phq9:baseline:1",
        instrument="phq9",
        due_at=now - timedelta(hours=1),
        expires_at=now + timedelta(days=6),
        state=PromptState.SENT,
        channel=Channel.FILE,
        assignment=assignment,
    )
    yield (
        world,
        {
            "open": reverse("monitoring:answer", kwargs={"prompt_id": open_prompt.public_id}),
            "expired": reverse("monitoring:answer", kwargs={"prompt_id": expired.public_id}),
        },
    )


def _pages(client: Client, paths: dict[str, str]) -> Iterator[tuple[str, str]]:
    mine = reverse("monitoring:mine")
    notifications = reverse("monitoring:notifications")
    for path in (mine, paths["open"], paths["expired"], notifications):
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response.content.decode()
    refused = client.post(paths["open"], {"bank:pain": "500", "answer_id": "x"})
    assert refused.status_code == 400
    yield "refused answer", refused.content.decode()
    refused = client.post(notifications, {"action": "save"})
    assert refused.status_code == 400
    yield "refused choice", refused.content.decode()


def _texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_answering_app_reads_in_one_language(
    walk: tuple[World, dict[str, str]], language: str
) -> None:
    world, paths = walk
    user = world.users["patient_a"]
    user.language = language
    user.save(update_fields=["language"])
    client = world.client_for("patient_a")
    app_texts = _app_texts()
    assert len(app_texts) >= 20  # the walk checks the app's own texts, not a few
    problems: list[str] = []
    for path, html in _pages(client, paths):
        assert f'<html lang="{language}">' in html, path
        texts = _texts(html)
        page = "\n".join(texts)
        problems += [f"{path}: {problem}" for problem in problems_in(texts, language)]
        other = app_texts.keys() if language == "nl" else app_texts.values()
        problems += [f"{path}: untranslated {text!r}" for text in other if text in page]
        if language == "nl":
            problems += [
                f"{path}: sentence over {B1_SENTENCE_WORDS} words: {sentence!r}"
                for text in texts
                for sentence in long_sentences(text, limit=B1_SENTENCE_WORDS)
            ]
    assert problems == []


def test_the_manifest_names_the_app_in_the_patients_language(world: World) -> None:
    for language, name in (("nl", "Mijn vragen"), ("en", "My questions")):
        user = world.users["patient_a"]
        user.language = language
        user.save(update_fields=["language"])
        manifest = world.client_for("patient_a").get(reverse("monitoring:manifest")).json()
        assert manifest["short_name"] == name
