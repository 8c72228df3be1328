"""Paging of long lists reads the page number with a form: whatever is in the address,
the page shown is a real one."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from maatwerk.web.common.paging import PageForm, page_of

ROWS = list(range(25))


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("", 1),
        ("page=2", 2),
        ("page=abc", 1),
        ("page=0", 1),
        ("page=-3", 1),
        ("page=2.5", 1),
        ("page=99999999999999999999", 1),
        ("page=%00", 1),
    ],
)
def test_the_page_form_reads_a_whole_positive_number_or_gives_the_first_page(query, number):
    assert PageForm(QueryDict(query)).number() == number


def test_a_page_past_the_end_is_the_last_page():
    page = page_of(QueryDict("page=40"), ROWS, 10)
    assert page.number == 3
    assert list(page) == [20, 21, 22, 23, 24]


def test_a_bad_page_number_is_the_first_page():
    assert list(page_of(QueryDict("page=x"), ROWS, 10)) == list(range(10))
