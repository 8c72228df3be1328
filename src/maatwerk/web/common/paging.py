"""Typed paging of long lists (the access logs): the page number is read by a form."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.core.paginator import Page, Paginator
from django.http import QueryDict

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

Row = TypeVar("Row")

# Far beyond any list a person pages through; keeps the number a plain small integer.
PAGE_MAX = 100_000


class PageForm(forms.Form):
    """``?page=N``. A missing or unusable number shows the first page and a number past
    the end the last one, as a link that went stale should."""

    page = forms.IntegerField(min_value=1, max_value=PAGE_MAX, required=False)

    def number(self) -> int:
        if not self.is_valid():
            return 1
        return self.cleaned_data["page"] or 1


def page_of(query: QueryDict, rows: _SupportsPagination[Row], per_page: int) -> Page[Row]:
    """The page of ``rows`` the query asks for."""
    return Paginator(rows, per_page).get_page(PageForm(query).number())
