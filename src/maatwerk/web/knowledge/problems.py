"""Validation problems in the user's language.

The core reports problems in English (they also appear in logs and test output). The
messages it can produce are a fixed set of patterns; each known pattern is translated
here with its details kept. An unknown message is shown as the core wrote it rather
than hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from maatwerk.web.knowledge.content import ContentProblem


@dataclass(frozen=True)
class ShownProblem:
    file: str
    path: str
    message: str


def _pattern(
    expression: str, render: Callable[[dict[str, str]], str]
) -> tuple[re.Pattern[str], Callable[[dict[str, str]], str]]:
    return re.compile(expression + r"\Z"), render


_PATTERNS = (
    _pattern(
        r"no source; (list source ids|give a source id) or mark it unverified: true",
        lambda m: _("No source: give a source id from sources.json, or mark it unverified: true."),
    ),
    _pattern(r"unknown source '(?P<id>[^']*)'", lambda m: _("Unknown source %(id)s.") % m),
    _pattern(r"unknown condition '(?P<id>[^']*)'", lambda m: _("Unknown condition %(id)s.") % m),
    _pattern(r"unknown discipline '(?P<id>[^']*)'", lambda m: _("Unknown discipline %(id)s.") % m),
    _pattern(r"unknown factor '(?P<id>[^']*)'", lambda m: _("Unknown factor %(id)s.") % m),
    _pattern(
        r"unknown intervention '(?P<id>[^']*)'",
        lambda m: _("Unknown intervention %(id)s.") % m,
    ),
    _pattern(
        r"duplicate (?P<what>\w+) id '(?P<id>[^']*)'",
        lambda m: _("The id %(id)s is used twice.") % m,
    ),
    _pattern(
        r"a condition-specific factor needs conditions",
        lambda m: _("A condition-specific factor must list its conditions."),
    ),
    _pattern(
        r"a generic factor lists no conditions",
        lambda m: _("A generic factor lists no conditions."),
    ),
    _pattern(
        r"no instrument (?P<code>\S+)( version (?P<version>\S+))? is bundled",
        lambda m: (
            _("Maatwerk has no questionnaire %(code)s version %(version)s.") % m
            if m.get("version")
            else _("Maatwerk has no questionnaire %(code)s.") % m
        ),
    ),
    _pattern(
        r"instrument (?P<code>\S+) (?P<version>\S+) has no scale '(?P<scale>[^']*)'",
        lambda m: _("Questionnaire %(code)s %(version)s has no scale %(scale)s.") % m,
    ),
    _pattern(
        r"threshold (?P<value>\S+) is outside the scale's range "
        r"(?P<min>-?[\d.]+)-(?P<max>-?[\d.]+)",
        lambda m: _("The threshold %(value)s lies outside the scale's range %(min)s–%(max)s.") % m,
    ),
    _pattern(
        r"invalid JSON: (?P<detail>.*) \(line (?P<line>\d+), column (?P<column>\d+)\)",
        lambda m: _("This is not valid JSON (line %(line)s, column %(column)s): %(detail)s.") % m,
    ),
    _pattern(
        r"duplicate key '(?P<key>[^']*)' in an object",
        lambda m: _("The key %(key)s appears twice in the same object.") % m,
    ),
    _pattern(
        r"the file must hold one JSON object",
        lambda m: _("The document must be one JSON object {…}."),
    ),
    _pattern(
        r"collection '(?P<name>[^']*)' is also in (?P<other>\S+)",
        lambda m: _("The collection %(name)s is also in %(other)s.") % m,
    ),
    _pattern(r"Field required", lambda m: _("This field is required.")),
    _pattern(
        r"Extra inputs are not permitted",
        lambda m: _("Unknown field: remove it or check its spelling."),
    ),
    _pattern(
        r"must be an exact number \(an int or Decimal, not a float\)",
        lambda m: _("Must be an exact number."),
    ),
    _pattern(r"must be a JSON number", lambda m: _("Must be a number.")),
    _pattern(
        r"Input should be (?P<expected>.+?)(?: \(got (?P<got>.*)\))?",
        lambda m: (
            _("Not allowed here: %(got)s. Expected: %(expected)s.") % m
            if m.get("got")
            else _("Expected: %(expected)s.") % m
        ),
    ),
    _pattern(
        r"String should match pattern '(?P<pattern>[^']*)' \(got (?P<got>.*)\)",
        lambda m: _("%(got)s does not have the required form (%(pattern)s).") % m,
    ),
)


def translated_message(message: str) -> str:
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match is not None:
            return render({k: v for k, v in match.groupdict().items() if v is not None})
    return message


def shown(problem: ContentProblem) -> ShownProblem:
    return ShownProblem(problem.origin, problem.path, translated_message(problem.message))


def shown_all(problems: tuple[ContentProblem, ...]) -> list[ShownProblem]:
    return [shown(problem) for problem in problems]
