"""The clinician's decision on the level of care."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import Opened
from maatwerk.web.safety.selectors import risk_signals_for
from maatwerk.web.screening.forms import (
    DecisionForm,
)
from maatwerk.web.screening.models import (
    CareLevelDecision,
    Screening,
)
from maatwerk.web.screening.selectors import (
    OBJECT_DECISION,
    latest_snapshot,
)
from maatwerk.web.screening.services._common import (
    _membership,
    _user,
)


def care_level_decide(
    *, actor: Actor, opened: Opened[Screening], form: DecisionForm
) -> CareLevelDecision:
    """The clinician accepts the advised level of care, or chooses another one and says
    why (the reason is required: the software advises, the clinician decides)."""
    access = opened.access
    with audited(
        actor=actor,
        action="create",
        subject=opened.subject(OBJECT_DECISION),
        emergency=access.emergency,
    ) as note:
        _membership(actor, access.patient)
        user = _user(actor)
        data = valid_form(form)
        decision, care_level = str(data["decision"]), str(data["care_level"])
        reason = str(data["reason"])
        snapshot = latest_snapshot(opened.object)
        if snapshot is None or str(snapshot.public_id) != data["snapshot"]:
            raise InputRefused(
                _("The profile changed since you opened this page. Read the new advice first.")
            )
        if decision == "accept" and not reason and risk_signals_for(access.patient):
            # The advice does not weigh suicide risk: with a safety signal open or recent,
            # accepting it is a decision the clinician explains, never a silent default.
            raise InputRefused(
                {
                    "reason": [
                        _(
                            "A safety signal is open or recent: give your reason for this "
                            "level of care, also when you accept the advice."
                        )
                    ]
                }
            )
        advised = str(snapshot.advice.get("care_level", ""))
        overridden = decision == "override" and care_level != advised
        decided = CareLevelDecision.objects.create(
            screening=opened.object,
            snapshot=snapshot,
            advised_level=advised,
            decided_level=care_level if decision == "override" else advised,
            overridden=overridden,
            reason=reason,  # also kept when accepting (required with risk)
            decided_by=user,
        )
        note.about(object_ref=str(decided.public_id))
        note.detail = (
            f"advice {advised} overridden: {decided.decided_level}"
            if overridden
            else f"advice {advised} accepted"
        )
    return decided
