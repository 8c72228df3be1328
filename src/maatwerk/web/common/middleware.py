from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

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
