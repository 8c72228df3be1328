"""Choosing the plan's regiebehandelaar: explicitly, only at a GGZ level of care, only
someone of the care team whose profession may be one (``core.planning.roles``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.forms import RegiebehandelaarForm
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.services._common import _open_plan, plan_subject


def plan_regiebehandelaar_set(
    *, actor: Actor, access: PatientAccess, form: RegiebehandelaarForm
) -> Plan:
    """Set (or clear) the regiebehandelaar of the draft or active plan. Choosing someone
    is refused at a level of care without a regiebehandelaar; clearing always works."""
    with audited(actor=actor, action="update", subject=plan_subject(access)) as note:
        plan = _open_plan(access)
        if plan is None:
            raise InputRefused(_("Make a plan first."))
        note.about(object_ref=str(plan.public_id))
        chosen = str(valid_form(form)["member"]).strip()
        roles = selectors.care_roles(access, plan)
        if chosen and roles.responsibility != "regiebehandelaar":
            raise InputRefused(
                {
                    "member": [
                        _(
                            "At this level of care there is no regiebehandelaar: the GP is "
                            "medically responsible, also for the POH-GGZ's care."
                        )
                        if roles.responsibility == "gp"
                        else _("At this level of care there is no regiebehandelaar.")
                    ]
                }
            )
        by_id = {str(m.user.public_id): m for m in roles.candidates}
        if chosen and chosen not in by_id:
            raise InputRefused(
                {
                    "member": [
                        _(
                            "Choose a member of the care team who may be regiebehandelaar "
                            "(for example a GZ psychologist or a psychiatrist)."
                        )
                    ]
                }
            )
        plan.regiebehandelaar = by_id.get(chosen)
        plan.save(update_fields=["regiebehandelaar"])
        note.detail = "regiebehandelaar chosen" if chosen else "regiebehandelaar cleared"
        return plan
