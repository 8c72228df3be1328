"""What the providers app's views share: the user's language and opening a referral."""

from __future__ import annotations

from django.utils.translation import get_language

from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import Audience, open_child
from maatwerk.web.providers.models import Referral
from maatwerk.web.providers.selectors import OBJECT_REFERRAL, ReferralOpened


def language() -> str:
    return "en" if get_language() == "en" else "nl"


def open_referral(request: ActorRequest, referral_id: str, action: str) -> ReferralOpened:
    """The referral, opened through its patient's record by the care team: referring is
    a clinician's work, also for a clinician who is a patient themselves (a 403 on
    their own record)."""
    return open_child(
        actor=request.actor,
        model=Referral,
        object_id=referral_id,
        action=action,
        object_type=OBJECT_REFERRAL,
        audience=Audience.CARE_TEAM,
        related=("provider", "created_by", "signed_by"),
    )
