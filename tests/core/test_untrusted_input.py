"""Numbers and JSON from people and clients: only what is meant, never a crash."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from maatwerk.core.common.untrusted_input import (
    MAX_JSON_DEPTH,
    UntrustedJSONError,
    has_control_character,
    load_json,
    whole_number,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("12", 12), (" 7 ", 7), ("007", 7), ("123456789", 123456789)],
)
def test_whole_number_reads_ascii_digits(text: str, number: int) -> None:
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "²",  # "²".isdigit() is True, int("²") raises ValueError
        "1²",
        "١٢",  # Arabic-Indic digits: int() accepts them, a form should not
        "１２",  # full-width digits
        "-1",
        "+1",
        "1_000",
        "1.0",
        "1e3",
        "1234567890",  # more digits than any count in a form
        "1\x00",
    ],
)
def test_whole_number_refuses_everything_else(text: str) -> None:
    assert "²".isdigit()  # the trap this reader exists for
    assert whole_number(text) is None


def test_control_characters_except_tab_and_line_breaks() -> None:
    assert has_control_character("a\x00b")
    assert has_control_character("\x1b[31m")
    assert has_control_character("\x7f")
    assert not has_control_character("line one\r\nline two\tend — é ✓")


def test_json_at_the_depth_limit_is_read() -> None:
    deepest = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert load_json(deepest) == json.loads(deepest)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_deeper_than_the_limit_is_refused_without_recursion_error(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = opener * 100_000 + "1" + closer * 100_000
    with pytest.raises(json.JSONDecodeError) as problem:
        load_json(body)
    assert isinstance(problem.value, UntrustedJSONError)
    assert "nested more than 64 levels" in problem.value.msg


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"note": "[[[[" * 100 + '\\"{{{{' * 100})
    assert load_json(text)["note"].startswith("[[[[")


@pytest.mark.parametrize("body", ['{"a": "x\\u0000y"}', '{"x\\u0001": 1}', '["ok", ["\\u001b"]]'])
def test_control_characters_in_json_strings_are_refused(body: str) -> None:
    with pytest.raises(json.JSONDecodeError, match="control character"):
        load_json(body)


def test_tab_and_newlines_in_json_strings_are_kept() -> None:
    assert load_json('{"a": "x\\ty\\r\\nz"}') == {"a": "x\ty\r\nz"}


def test_bytes_and_parse_float_behave_like_json_loads() -> None:
    assert load_json(b'{"score": 1.5}', parse_float=Decimal) == {"score": Decimal("1.5")}
    with pytest.raises(json.JSONDecodeError):
        load_json(b"{not json")


def test_content_files_refuse_deep_nesting_with_a_definition_problem() -> None:
    from maatwerk.core.instruments.errors import InstrumentDefinitionError
    from maatwerk.core.instruments.loading import decode_json

    with pytest.raises(InstrumentDefinitionError, match="nested more than 64 levels"):
        decode_json("[" * 50_000 + "]" * 50_000, origin="upload.json")
