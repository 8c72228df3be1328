from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from maatwerk.web.common.actor import Actor


class ActorRequest(HttpRequest):
    """A request after our middleware ran: it knows its actor (and htmx details)."""

    actor: Actor
    htmx: HtmxDetails
