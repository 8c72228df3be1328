"""Risk banners: an open or recent safety signal shows wherever the patient is discussed
(dossier, screening profile and advice, referral letter, plan)."""

from __future__ import annotations

from typing import Any

from django import template

from maatwerk.web.patients.models import Patient
from maatwerk.web.safety.selectors import risk_signals_for

register = template.Library()


@register.inclusion_tag("safety/_banner.html")
def risk_banner(
    patient: Patient, note: str = "", link: bool = True, safety_plan_link: bool = False
) -> dict[str, Any]:
    """The banner for ``patient``, with ``note`` saying what the risk means on this page;
    ``safety_plan_link`` adds the way to the patient's safety plan (veiligheidsplan)."""
    return {
        "risk_signals": risk_signals_for(patient),
        "risk_note": note,
        "show_signal_link": link,
        "safety_plan_patient_id": patient.public_id if safety_plan_link and link else None,
    }


@register.filter
def risk_of(risks: dict[int, str] | None, patient_pk: int) -> str:
    """``"open"``, ``"recent"`` or ``""`` for a caseload row."""
    return (risks or {}).get(patient_pk, "")
