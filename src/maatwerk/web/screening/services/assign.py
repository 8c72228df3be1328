"""Assigning a screening battery."""

from __future__ import annotations

from maatwerk.core.screening.batteries import plan_battery
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.screening.forms import (
    AssignForm,
)
from maatwerk.web.screening.models import (
    Screening,
    ScreeningStep,
)
from maatwerk.web.screening.selectors import (
    OBJECT_SCREENING,
)
from maatwerk.web.screening.services._common import (
    _apply_decision,
    _membership,
)
from maatwerk.web.screening.sources import content_of


def screening_assign(*, actor: Actor, access: PatientAccess, form: AssignForm) -> Screening:
    """A clinician of the patient's organization assigns a battery: the questionnaires that
    always belong to it are assigned at once; those that depend on the intake wait."""
    with audited(
        actor=actor,
        action="create",
        subject=access.subject(OBJECT_SCREENING),
        emergency=access.emergency,
    ) as note:
        membership = _membership(actor, access.patient)
        content = content_of(access.patient.organization_id)
        battery = content.battery(form.battery_id())
        decisions = plan_battery(battery, None, content=content)
        screening = Screening.objects.create(
            patient=access.patient,
            battery_id=battery.id,
            content_version=content.versions.get("batteries", ""),
            setting=battery.setting,
            assigned_by=membership,
        )
        for position, decision in enumerate(decisions, start=1):
            step = ScreeningStep(
                screening=screening, position=position, instrument_code=decision.instrument
            )
            _apply_decision(step=step, decision=decision, actor=actor, access=access)
        note.about(object_ref=str(screening.public_id))
        note.detail = f"battery {battery.id}"
    return screening
