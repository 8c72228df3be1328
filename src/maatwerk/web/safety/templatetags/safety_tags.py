"""Risk banners: an open or recent safety signal shows wherever the patient is discussed
(dossier, screening profile and advice, referral letter, plan).

The tags never query: the view (or the PDF's context) passes the patient's
:class:`maatwerk.web.safety.presenters.RiskBanner`, made by
:func:`maatwerk.web.safety.selectors.risk_banner_of`."""

from __future__ import annotations

from django import template

from maatwerk.web.safety.presenters import RiskBanner

register = template.Library()


@register.inclusion_tag("safety/_banner.html")
def risk_banner(
    risk: RiskBanner, note: str = "", link: bool = True, safety_plan_link: bool = False
) -> dict[str, object]:
    """The banner for ``risk`` (one patient's open and recent signals), with ``note``
    saying what the risk means on this page; ``safety_plan_link`` adds the way to the
    patient's safety plan (veiligheidsplan)."""
    if not isinstance(risk, RiskBanner):
        # A page that forgot to pass the risk would hide a safety signal: fail loudly.
        raise TypeError("risk_banner needs the page's RiskBanner (safety.selectors.risk_banner_of)")
    return {
        "risk_signals": risk.signals,
        "risk_note": note,
        "show_signal_link": link,
        "safety_plan_patient_id": risk.patient_id if safety_plan_link and link else None,
    }


@register.filter
def risk_of(risks: dict[int, str] | None, patient_pk: int) -> str:
    """``"open"``, ``"recent"`` or ``""`` for a caseload row."""
    return (risks or {}).get(patient_pk, "")
