"""No developer words: every page and PDF of the demo, as every role, in Dutch and English.

The demo is loaded once per role; the test signs in as that role (staff with a second
factor through ``sign_in``), walks every link from the start page (GET only, the same
page pattern at most :data:`PER_PATTERN` times, ids replaced by ``#``) and reads every
page's text and every PDF's text in Dutch and in English. It fails on

* a raw identifier: a snake_case word (``items_scored_2``), a dotted code
  (``patient.complaints``), a questionnaire code (``phq9``), a source id of the
  bibliography (``nhg-m102-henw``) or a bracketed list of ids, a Markdown file name
  (``notes.md``);
* in the Dutch UI: an English tag (the English name of a knowledge-base intervention,
  discipline or care level, or a former English free expertise tag), English sentences
  (a missing translation: a text with several English-only function words), or the formal
  "u"/"uw" (patients and clinicians are addressed with "je"; licensed questionnaire
  wording is shown as it is);
* the same option twice in one choice list.

Text is what a person reads: text nodes and the ``title``, ``alt``, ``aria-label`` and
``placeholder`` attributes. Not read: ``<script>``/``<style>``, form values
(``<textarea>``) and text marked up as code (``<code>``: a CSV column name a user types).
A citation's English title quoted in a Dutch page is not a missing translation, and
neither is text the page marks as English (``lang="en"``: the knowledge content's
editorial notes, written in English only); such text is still checked for codes.
Pages under :data:`NOT_YET_CHECKED` are not walked: known, not fixed, listed there.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Collection, Iterator
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from maatwerk.core.bibliography import bundled_bibliography
from maatwerk.core.instruments.registry import bundled_files, bundled_instruments
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.web.accounts.models import User
from tests.web.world import sign_in

PER_PATTERN = 2
MIN_PAGES = 8
MAX_PAGES = 400
# Known and not fixed yet (reported, never silently): pages listed here are not walked.
NOT_YET_CHECKED: tuple[str, ...] = ()
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/admin/", "/api/")

ROLES = {
    "patient": "sophie@demo.maatwerk.nl",
    "poh-ggz": "poh-ggz@demo.maatwerk.nl",
    "huisarts": "huisarts@demo.maatwerk.nl",
    "psycholoog": "psycholoog@demo.maatwerk.nl",
    "gz-psycholoog": "gz-psycholoog@demo.maatwerk.nl",
    "organization admin": "beheer@demo.maatwerk.nl",
}

READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
# Not read as prose: scripts and styles, and code the reader must type or recognise as code
# (a CSV column name, a file format): such text is marked up as code on purpose.
SKIPPED_ELEMENTS = ("script", "style", "template", "code", "kbd", "samp", "pre", "textarea")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z][a-z0-9_]+(?:\.[a-z][a-z0-9_]+)+\b")
WEB_NAME = re.compile(
    r"\b[\w.+-]+@[\w.-]+\b|\bhttps?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|eu|be|info|example)\b"
)
MARKDOWN_FILE = re.compile(r"\b[\w-]+\.md\b")
BRACKETED_IDS = re.compile(r"\[[a-z0-9]+(?:-[a-z0-9]+)+(?:,\s*[a-z0-9]+(?:-[a-z0-9]+)*)*\]")
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
ENGLISH_ONLY = frozenset(
    (
        "the",
        "and",
        "with",
        "your",
        "you",
        "this",
        "for",
        "are",
        "have",
        "has",
        "from",
        "will",
        "which",
        "when",
        "what",
        "been",
        "should",
        "would",
        "please",
        "not",
        "there",
        "their",
        "these",
        "those",
        "about",
        "after",
        "before",
        "because",
        "only",
        "into",
    )
)
FORMER_ENGLISH_TAGS = (
    "cbt pss",
    "multidisciplinary pain rehabilitation",
    "multidisciplinary fatigue rehabilitation",
    "psychosomatic physiotherapy",
)


@cache
def _english_tags() -> tuple[str, ...]:
    """English names of knowledge-base labels that differ from the Dutch ones."""
    knowledge = bundled_knowledge()
    named = [
        *knowledge.interventions.interventions,
        *knowledge.disciplines.disciplines,
        *knowledge.care_levels.care_levels,
    ]
    tags = set(FORMER_ENGLISH_TAGS)
    for item in named:
        english = (item.name.get("en") or "").lower()
        dutch = (item.name.get("nl") or "").lower()
        if len(english) >= 8 and english not in dutch:
            tags.add(english)
    return tuple(sorted(tags))


class _Text(HTMLParser):
    """The strings a person reads on a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.english: list[str] = []  # parts marked lang="en" (checked for codes only)
        self.links: list[str] = []
        self._english_tag: str | None = None  # the element that marks its text English
        self._english_depth = 0
        self.options: list[list[str]] = []  # the option texts of each <select>
        self._skip = 0
        self._option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in SKIPPED_ELEMENTS:
            self._skip += 1
        if self._english_tag is None and (values.get("lang") or "").startswith("en"):
            self._english_tag, self._english_depth = tag, 0
        if tag == self._english_tag:
            self._english_depth += 1
        if tag == "select":
            self.options.append([])
        if tag == "option":
            self._option = []
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self.options:
            self.options[-1].append(" ".join("".join(self._option).split()))
            self._option = None
        if tag in SKIPPED_ELEMENTS and self._skip:
            self._skip -= 1
        if tag == self._english_tag:
            self._english_depth -= 1
            if not self._english_depth:
                self._english_tag = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))
            if self._english_tag is not None:
                self.english.append(self.parts[-1])


def _pattern(path: str) -> str:
    return re.sub(r"/[0-9a-f-]{8,}|/\d+", "/#", path)


@cache
def _instrument_codes() -> frozenset[str]:
    return frozenset(instrument.code for instrument in bundled_instruments())


@cache
def _source_ids() -> frozenset[str]:
    return frozenset(bundled_bibliography().entries)


@cache
def _citations() -> str:
    """Every citation text, lowercased: an English title quoted in a Dutch page is fine."""
    bibliography = bundled_bibliography()
    knowledge = bundled_knowledge()
    texts = [entry.citation for entry in bibliography.entries.values()]
    texts += [source.citation for source in knowledge.sources.sources]
    return "\n".join(" ".join(text.split()) for text in texts).lower()


@cache
def _instrument_wording() -> str:
    """Every instrument's Dutch wording: licensed and validated, shown as it is (with "u")."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("nl", "text") and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for entry in bundled_files():
        walk(json.loads(entry.read_text(encoding="utf-8")))
    return "\n".join(" ".join(text.split()) for text in texts).lower()


def _quotes(text: str, blob: str) -> bool:
    lowered = text.lower()
    return any(lowered[i : i + 30] in blob for i in range(0, max(len(lowered) - 29, 1), 5))


def _quotes_a_citation(text: str) -> bool:
    return _quotes(text, _citations())


def problems_in(
    texts: list[str], language: str, marked_english: Collection[str] = ()
) -> Iterator[str]:
    """Every developer word in the ``texts`` of one page in ``language``;
    ``marked_english`` are texts the page marks as English (not a missing translation)."""
    ids = _source_ids()
    for text in texts:
        plain = WEB_NAME.sub(" ", text)
        for found in SNAKE.findall(plain):
            yield f"identifier {found!r} in {text[:120]!r}"
        for found in DOTTED.findall(plain):
            yield f"dotted code {found!r} in {text[:120]!r}"
        for found in re.findall(r"\b[a-z][a-z0-9]+\b", plain):
            if found in _instrument_codes():
                yield f"questionnaire code {found!r} in {text[:120]!r}"
        for found in MARKDOWN_FILE.findall(plain):
            yield f"file name {found!r} in {text[:120]!r}"
        bracketed = BRACKETED_IDS.findall(plain)
        for found in bracketed:
            yield f"source ids {found!r} in {text[:120]!r}"
        for token in re.findall(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", plain):
            if token in ids and not bracketed:
                yield f"source id {token!r} in {text[:120]!r}"
        if language != "nl" or text in marked_english:
            continue
        lowered = plain.lower()
        for tag in _english_tags():
            if re.search(rf"(?<!\w){re.escape(tag)}(?!\w)", lowered) and not _quotes_a_citation(
                plain
            ):
                yield f"English tag {tag!r} in {text[:120]!r}"
        if FORMAL.search(plain.replace("a.u.b.", "")) and not _quotes(plain, _instrument_wording()):
            yield f"formal 'u' in {text[:120]!r}"
        english = [w for w in re.findall(r"[a-z]+", lowered) if w in ENGLISH_ONLY]
        if len(set(english)) >= 2 and not _quotes_a_citation(plain):
            yield f"English text {text[:120]!r}"


def _read(client: Client, path: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    response = client.get(path, follow=True)
    if response.status_code != 200:
        return None
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        lines = [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]
        return [" ".join(line.split()) for line in lines if line.strip()], [], [], []
    if not kind.startswith("text/html"):
        return None
    parser = _Text()
    parser.feed(response.content.decode())
    repeated = [
        f"listed twice in a choice list: {text!r}"
        for options in parser.options
        for text in sorted({t for t in options if t and options.count(t) > 1})
    ]
    return parser.parts, parser.links, repeated, parser.english


def crawl(client: Client, language: str, read: list[str] | None = None) -> dict[str, list[str]]:
    """Problems per page (path) reachable from ``/``; ``read`` collects the pages read."""
    found: dict[str, list[str]] = {}
    queue = ["/"]
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = _read(client, path)
        if page is None:
            continue
        texts, links, repeated, english = page
        if read is not None:
            read.append(path)
        problems = sorted({*problems_in(texts, language, english), *repeated})
        if problems:
            found[path] = problems
        for link in links:
            target = urldefrag(link)[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target.startswith(SKIP_PREFIXES + NOT_YET_CHECKED):
                continue
            pattern = _pattern(parts.path)
            if per_pattern.get(pattern, 0) >= PER_PATTERN:
                continue
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            queue.append(target)
    return found


@pytest.fixture
def demo(db: None) -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_developer_words_on_any_page(demo: None, role: str) -> None:
    user = User.objects.get(email=ROLES[role])
    pages: dict[str, list[str]] = {}
    for language in ("nl", "en"):
        user.language = language
        user.save(update_fields=["language"])
        client = Client()
        sign_in(client, user)
        read: list[str] = []
        for path, problems in crawl(client, language, read).items():
            for problem in problems:
                pages.setdefault(f"[{language}] {problem}", []).append(path)
        # signed in and walking: the start page and the pages behind it, not a login page
        assert len(read) >= MIN_PAGES, (language, read)
    report = [
        f"{problem} (on {len(paths)} pages, e.g. {paths[0]})" for problem, paths in pages.items()
    ]
    assert not report, "\n" + "\n".join(sorted(report))


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Functioneren lichamelijk: PHQ-15 items_scored_2 2", "nl", "identifier"),
        ("phq9 — Ingevuld", "nl", "questionnaire code"),
        ("koppeling catastrophic_cognitions", "en", "identifier"),
        ("Zie screening.summary", "en", "dotted code"),
        ("- Lichte beperking. [nhg-m102, worldsupporter-nhg] (onbevestigd)", "nl", "source ids"),
        ("bron: hanssen-2017", "nl", "source id"),
        ("niet geverifieerd in notes.md", "nl", "file name"),
        ("Expertise: multidisciplinary rehabilitation, EMDR", "nl", "English tag"),
        ("Als u het plan activeert, krijgt de patiënt de modules", "nl", "formal"),
        ("The plan is ready and you will see it here", "nl", "English text"),
    ],
)
def test_the_checks_find_the_words_the_issue_reported(text: str, language: str, kind: str) -> None:
    assert any(problem.startswith(kind) for problem in problems_in([text], language))


@pytest.mark.parametrize(
    "text",
    [
        "Bel 113 of chat via 113.nl; mail naar info@praktijk.example",
        "PHQ-9 totaalscore 12 >= 10 (Kroenke et al. (2001))",
        "Neem a.u.b. contact met ons op",
        "De gedachte dat u beter dood zou kunnen zijn",  # licensed PHQ-9 wording
        "Uw besluit",  # not Dutch UI text in an English page: checked in Dutch only
    ],
)
def test_the_checks_leave_readable_text_alone(text: str) -> None:
    language = "en" if text.startswith("Uw") else "nl"
    assert list(problems_in([text], language)) == []


def test_text_marked_english_is_no_missing_translation_but_still_checked_for_codes() -> None:
    parser = _Text()
    parser.feed(
        '<p>Toelichting: <span lang="en">The number is <b>editorial</b> and not verified '
        "(see risk_profile)</span> <small>(in het Engels)</small></p>"
    )
    problems = list(problems_in(parser.parts, "nl", parser.english))
    assert problems and all(problem.startswith("identifier 'risk_profile'") for problem in problems)
    assert "(in het Engels)" not in parser.english
