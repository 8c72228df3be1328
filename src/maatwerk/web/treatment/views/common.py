"""View helpers shared by the treatment views."""

from __future__ import annotations

from typing import TypedDict

from django.urls import reverse

from maatwerk.core.modules.model import Module
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.treatment import presenters
from maatwerk.web.treatment.models import ModuleAssignment


class ModuleCard(TypedDict):
    """A module as a card on the patient's and the clinician's lists."""

    assignment: ModuleAssignment
    name: str
    summary: str


def module_card(
    assignment: ModuleAssignment, module: Module, language: str, short: bool = False
) -> ModuleCard:
    return {
        "assignment": assignment,
        "name": presenters.text(module.name, language),
        "summary": presenters.module_summary(module, language, short=short),
    }


def login_url(request: ActorRequest) -> str:
    """The link in a "something waits for you" e-mail."""
    return request.build_absolute_uri(reverse("account_login"))
