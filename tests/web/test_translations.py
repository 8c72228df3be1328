"""The Dutch message catalog is complete and in step with the source code.

Dutch is the default language, so an English string in the Dutch interface is a bug.
These tests read the committed ``django.po`` files directly (no polib: a small parser
below is enough for the subset of the PO format that ``makemessages`` writes) and run
``makemessages`` on a copy of the web package to find strings the catalog lacks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "src" / "maatwerk" / "web"
LOCALE = WEB / "locale"
NL_PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# The same options as `make messages` (the Makefile target) uses.
MAKEMESSAGES_OPTIONS = (
    "--ignore=.venv/*",
    "--ignore=node_modules/*",
    "--ignore=tests/*",
    "--no-location",
)

FIX_HINT = (
    "Run `make messages`, translate the new entries in "
    "src/maatwerk/web/locale/nl/LC_MESSAGES/django.po and commit the catalogs."
)

# %(name)s, %s, %.1f ...; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def label(self) -> str:
        text = self.msgid if self.msgid_plural is None else f"{self.msgid} / {self.msgid_plural}"
        return text if self.msgctxt is None else f"[{self.msgctxt}] {text}"


def _unquote(quoted: str, where: str) -> str:
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError(f"{where}: not a quoted PO string: {quoted!r}")
    out, chars = [], iter(quoted[1:-1])
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            if escaped not in _ESCAPES:
                raise ValueError(f"{where}: unknown escape \\{escaped}")
            out.append(_ESCAPES[escaped])
        else:
            out.append(char)
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Parse a PO file into entries (the header is the entry with an empty msgid)."""
    entries: list[Entry] = []
    entry = Entry()
    current: tuple[str, int] | None = None  # the field continuation lines append to
    seen_keyword = False

    def finish() -> None:
        nonlocal entry, current, seen_keyword
        if seen_keyword:
            entries.append(entry)
        entry, current, seen_keyword = Entry(), None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                continue  # "#~|": previous msgid of an obsolete entry
        elif line.startswith("#"):
            if seen_keyword:  # a comment after the strings starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue  # translator, extracted, reference and "#|" previous comments
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{where}: string continuation outside an entry")
            name, index = current
            text = _unquote(line, where)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{where}: cannot parse {raw!r}")
        keyword, text = match.group(1), _unquote(match.group(2), where)
        if (keyword == "msgctxt" and seen_keyword) or (keyword == "msgid" and entry.msgstr):
            finish()  # entries not separated by a blank line
        if not seen_keyword:
            entry.line, entry.obsolete, seen_keyword = number, obsolete, True
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = text
            current = ("msgstr", index)
        else:
            setattr(entry, keyword, text)
            current = (keyword, 0)
    finish()
    return entries


def header(entries: list[Entry]) -> Entry:
    found = [e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete]
    assert len(found) == 1, "the catalog must have exactly one header entry"
    return found[0]


def messages(entries: list[Entry]) -> list[Entry]:
    """The live entries: no header, no obsolete ("#~") leftovers."""
    return [e for e in entries if not e.obsolete and (e.msgid or e.msgctxt is not None)]


def placeholders(text: str) -> Counter[str]:
    return Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")


def nplurals(head: Entry) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", head.msgstr.get(0, ""))
    assert match, "the catalog header has no Plural-Forms"
    return int(match.group(1))


# --- the committed Dutch catalog ------------------------------------------------------


@pytest.fixture(scope="module")
def nl_entries() -> list[Entry]:
    assert NL_PO.is_file(), f"{NL_PO} is missing. {FIX_HINT}"
    return parse_po(NL_PO)


def test_parser_reads_the_catalog(nl_entries: list[Entry]) -> None:
    head = header(nl_entries)
    assert "Language: nl\n" in head.msgstr[0]
    assert "charset=UTF-8" in head.msgstr[0]
    keys = [e.key for e in messages(nl_entries)]
    assert len(keys) > 100
    assert len(keys) == len(set(keys)), "duplicate msgids in the catalog"


def test_every_message_is_translated(nl_entries: list[Entry]) -> None:
    forms = nplurals(header(nl_entries))
    problems = []
    for entry in messages(nl_entries):
        expected = list(range(forms)) if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != expected:
            problems.append(f"line {entry.line}: {entry.label!r} has forms {sorted(entry.msgstr)}")
        elif not all(entry.msgstr[i].strip() for i in expected):
            problems.append(f"line {entry.line}: {entry.label!r} is not translated")
    assert not problems, f"untranslated entries in {NL_PO}:\n" + "\n".join(problems)


def test_no_fuzzy_entries(nl_entries: list[Entry]) -> None:
    fuzzy = [
        f"line {e.line}: {e.label or '(header)'!r}"
        for e in nl_entries
        if "fuzzy" in e.flags and not e.obsolete
    ]
    assert not fuzzy, (
        "fuzzy entries are not used at run time; check the translation and remove the "
        "'#, fuzzy' flag:\n" + "\n".join(fuzzy)
    )


def test_placeholders_match(nl_entries: list[Entry]) -> None:
    problems = []
    for entry in messages(nl_entries):
        if "python-format" not in entry.flags:
            continue
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        expected = placeholders(entry.msgid)
        for other in sources[1:]:
            expected |= placeholders(other)  # plural forms may use either set
        for index, translated in sorted(entry.msgstr.items()):
            found = placeholders(translated)
            if found != expected:
                problems.append(
                    f"line {entry.line}: {entry.label!r} msgstr[{index}] has "
                    f"{sorted(found.elements())}, the msgid has {sorted(expected.elements())}"
                )
    assert not problems, "placeholders differ from the msgid:\n" + "\n".join(problems)


def test_english_catalog_lists_the_same_messages(nl_entries: list[Entry]) -> None:
    assert EN_PO.is_file(), f"{EN_PO} is missing. {FIX_HINT}"
    en = {e.key for e in messages(parse_po(EN_PO))}
    nl = {e.key for e in messages(nl_entries)}
    assert en == nl, f"the nl and en catalogs list different messages. {FIX_HINT}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("po", [NL_PO, EN_PO], ids=["nl", "en"])
def test_catalog_compiles(po: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- the catalog is in step with the source -------------------------------------------


def extract_msgids(workdir: Path, *, extra_template: str | None = None) -> set[tuple]:
    """Run makemessages on a copy of the web package and return the msgids it extracts.

    makemessages writes each source file's strings to the ``locale`` directory whose
    parent contains the file (it adds every ``locale`` directory it meets to the front of
    its list); LOCALE_PATHS (the real catalog) is only the fallback for files outside
    such a tree. The copy has its own empty ``locale`` directory, so the extraction lands
    in the copy, as a fresh catalog holding exactly the strings in the source.
    """
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext (xgettext, msgmerge) is needed; `make system-deps` installs it")
    copy = workdir / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo"))
    (copy / "locale").mkdir()
    if extra_template is not None:
        (copy / "templates" / "zz_translation_check.html").write_text(
            extra_template, encoding="utf-8"
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maatwerk.web.config.settings_test",
        "MAATWERK_DATA_DIR": str(workdir / "var"),
        "PYTHONSAFEPATH": "1",  # the copy's app folders must not shadow installed modules
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", *MAKEMESSAGES_OPTIONS],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    extracted = copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    assert extracted.is_file(), f"makemessages did not write {extracted}:\n{result.stdout}"
    return {e.key for e in messages(parse_po(extracted))}


def check_in_step(extracted: set[tuple], committed: set[tuple]) -> None:
    def show(keys: set[tuple]) -> str:
        return "\n".join(
            f"  - {Entry(msgctxt=c, msgid=m, msgid_plural=p).label!r}"
            for c, m, p in sorted(keys, key=repr)
        )

    missing, stale = extracted - committed, committed - extracted
    report = []
    if missing:
        report.append(f"strings in the source without an entry in {NL_PO.name}:\n{show(missing)}")
    if stale:
        report.append(f"entries for strings that are no longer in the source:\n{show(stale)}")
    assert not report, "the Dutch catalog is out of date.\n" + "\n".join(report) + f"\n{FIX_HINT}"


@pytest.fixture
def committed_msgids(nl_entries: list[Entry]) -> set[tuple]:
    return {e.key for e in messages(nl_entries)}


def test_catalog_matches_the_source(tmp_path: Path, committed_msgids: set[tuple]) -> None:
    before = NL_PO.read_bytes()
    extracted = extract_msgids(tmp_path)
    assert NL_PO.read_bytes() == before, "the extraction must not touch the committed catalog"
    check_in_step(extracted, committed_msgids)


def test_check_fails_on_a_new_untranslated_string(
    tmp_path: Path, committed_msgids: set[tuple]
) -> None:
    extracted = extract_msgids(
        tmp_path, extra_template='{% load i18n %}<p>{% translate "Zzz test string" %}</p>\n'
    )
    assert (None, "Zzz test string", None) in extracted
    with pytest.raises(AssertionError, match=r"(?s)Zzz test string.*make messages"):
        check_in_step(extracted, committed_msgids)
