from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from maatwerk.web.common.actor import Actor, actor_for_user


def access_point(request: HttpRequest) -> str:
    """Where the request came from: channel, client address and a short user agent."""
    channel = "api" if request.path.startswith("/api/") else "web"
    address = request.META.get("REMOTE_ADDR", "")
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
