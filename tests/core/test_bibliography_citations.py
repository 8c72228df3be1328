"""Source ids inside a line the core wrote become readable citations on screen."""

from __future__ import annotations

from maatwerk.core.bibliography import short_citation, with_readable_citations


def test_source_ids_in_a_line_become_short_citations() -> None:
    line = "change rule: reliable change at 6 points (nct05134103, gyani-2013)"
    shown = with_readable_citations(line)
    assert "gyani-2013" not in shown and "nct05134103" not in shown
    assert short_citation("gyani-2013") in shown
    assert shown.startswith("change rule: reliable change at 6 points (")


def test_words_that_only_contain_an_id_are_left_alone() -> None:
    assert with_readable_citations("xgyani-2013-extra and plain words") == (
        "xgyani-2013-extra and plain words"
    )
