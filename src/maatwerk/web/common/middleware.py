from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from maatwerk.core.common.untrusted_input import has_control_character
from maatwerk.web.common.actor import Actor, actor_for_user


def client_address(request: HttpRequest) -> str:
    """The client's IP address, for throttling and the audit trail.

    X-Forwarded-For is believed only for the ``MAATWERK_TRUSTED_PROXY_COUNT`` proxies
    of this installation: each appends the address it received the request from, so the
    client is the entry that many places from the end. Without trusted proxies, or when
    the header does not fit, the connecting peer is the client.
    """
    peer: str = request.META.get("REMOTE_ADDR", "")
    trusted = settings.MAATWERK_TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= trusted:
            candidate = forwarded[-trusted]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return peer


def access_point(request: HttpRequest) -> str:
    """Where the request came from: channel, client address and a short user agent."""
    channel = "api" if request.path.startswith("/api/") else "web"
    address = client_address(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:80]
    return f"{channel} {address} {agent}".strip()[:200]


class ActorMiddleware:
    """Attach ``request.actor``, built lazily once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def build() -> Actor:
            user = request.user if request.user.is_authenticated else None
            return actor_for_user(user, access_point=access_point(request))

        request.actor = SimpleLazyObject(build)  # type: ignore[attr-defined]
        return self.get_response(request)


class BadInputMiddleware:
    """Refuse, with a clear 400 in the user's language, input no form or API here needs.

    Control characters (NUL and the rest of C0 except tab, line feed and carriage return)
    in the address, the query or the form data: PostgreSQL cannot store NUL, and nobody
    types the others. And form data that cannot be parsed (``multipart/form-data``
    without a boundary). One check here instead of a 500 from whichever view meets it
    first; files are checked by the code that reads them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _input_problem(request)
        if problem is not None:
            return bad_request(request, problem)
        return self.get_response(request)


def _input_problem(request: HttpRequest) -> str | None:
    if has_control_character(request.path):
        return _control_message()
    try:
        if request.path.startswith("/api/") and (request.content_type or "").startswith(
            "multipart/"
        ):
            # The API reads the raw body; read it before the form parser consumes it.
            request.body  # noqa: B018
        fields = list(request.GET.lists())
        if request.method in ("POST", "PUT", "PATCH"):
            fields += list(request.POST.lists())
            fields += [
                (name, [f.name or "" for f in files]) for name, files in request.FILES.lists()
            ]
    except MultiPartParserError:
        return _("The form data could not be read. Reload the page and try again.")
    for name, values in fields:
        if has_control_character(name) or any(has_control_character(v) for v in values):
            return _control_message()
    return None


def _control_message() -> str:
    return _(
        "What you sent contains an invisible control character that cannot be saved. "
        "Remove it (for example by typing the text again instead of pasting it) and try again."
    )


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 that says what is wrong: JSON for the API, the error page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


# Features no page of the platform uses; switched off so that injected or third-party
# script could not use them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
    )
)


class PrivateResponseMiddleware:
    """No copy of a page is kept by the browser or any cache in between.

    Every response generated here (HTML, JSON, PDF, FHIR), above all every response to a
    signed-in person, gets ``Cache-Control: no-store`` (and ``private``): patient data
    must not survive in a shared computer's cache or behind the back button after logging
    out. Anonymous pages get it too (the login form carries a CSRF token, an invitation
    page a name). Static files are served before this, by WhiteNoise, and stay
    cacheable. Every response also says which browser features are off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
