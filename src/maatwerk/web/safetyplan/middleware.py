"""Logging in or out clears what the browser keeps for this site (Clear-Site-Data), so
that the safety plan cached for offline reading never outlives the session it was
loaded in, and never shows to the next person on a shared phone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

CLEAR_SITE_DATA = '"cache", "storage"'


class ClearSiteDataOnSessionChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "POST" and request.path in (
            reverse("account_logout"),
            reverse("account_login"),
        ):
            logged_out = request.path == reverse("account_logout")
            logged_in = response.status_code in (301, 302, 303)
            if logged_out or logged_in:
                response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
