"""Putting directory data and match reasons into words in the user's language."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.referral import MatchReason


def _text(value: object, language: str, fallback: str) -> str:
    get = getattr(value, "get", None)
    found = get(language, fallback=True) if get is not None else None
    return found or fallback


def discipline_names(knowledge: KnowledgeBase, language: str) -> dict[str, str]:
    return {d.id: _text(d.name, language, d.id) for d in knowledge.disciplines.disciplines}


def intervention_names(knowledge: KnowledgeBase, language: str) -> dict[str, str]:
    return {i.id: _text(i.name, language, i.id) for i in knowledge.interventions.interventions}


def care_level_names(knowledge: KnowledgeBase, language: str) -> dict[str, str]:
    return {c.id: _text(c.name, language, c.id) for c in knowledge.care_levels.care_levels}


def factor_name(knowledge: KnowledgeBase, factor_id: str, language: str) -> str:
    try:
        return _text(knowledge.factor(factor_id).name, language, factor_id)
    except KeyError:
        return factor_id


def tag_name(tag: str, interventions: dict[str, str]) -> str:
    """An intervention's name, or a free tag made readable (``cgt_alk`` -> ``cgt alk``)."""
    return interventions.get(tag, tag.replace("_", " "))


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def modality_name(code: str) -> str:
    labels = {"online": _("Online"), "face_to_face": _("Face to face"), "blended": _("Blended")}
    return labels.get(code, code)


def fit_text(fit: str | None) -> str:
    """How well the provider fits the care level, the first reason for its place."""
    return {
        "fits": _("Fits the care level"),
        "partly": _("Fits the care level partly: also works at another level"),
        "differs": _("Does not fit the care level"),
    }.get(fit or "", "")


def reason_text(reason: MatchReason, knowledge: KnowledgeBase, language: str) -> str:
    code = reason.code
    if code == "level_fits":
        return _("%(discipline)s fits the care level %(level)s") % {
            "discipline": discipline_names(knowledge, language).get(reason.subject, reason.subject),
            "level": care_level_names(knowledge, language).get(reason.detail, reason.detail),
        }
    if code == "level_partly":
        return _("%(discipline)s works at another care level than %(level)s") % {
            "discipline": discipline_names(knowledge, language).get(reason.subject, reason.subject),
            "level": care_level_names(knowledge, language).get(reason.detail, reason.detail),
        }
    if code == "level_differs":
        return _("No discipline of the care level %(level)s") % {
            "level": care_level_names(knowledge, language).get(reason.detail, reason.detail)
        }
    if code == "expertise_fits":
        text = _("%(intervention)s for %(factor)s") % {
            "intervention": tag_name(reason.subject, intervention_names(knowledge, language)),
            "factor": factor_name(knowledge, reason.detail, language).lower(),
        }
        return text + (" " + _("(link not verified)") if reason.unverified else "")
    if code == "modality_fits":
        return _("Offers %(modality)s") % {"modality": modality_name(reason.subject).lower()}
    if code == "modality_differs":
        return _("Does not offer %(modality)s") % {
            "modality": modality_name(reason.subject).lower()
        }
    if code == "language_fits":
        return _("Speaks %(language)s") % {"language": language_name(reason.subject)}
    if code == "distance":
        return _("%(km)s km away") % {"km": number_format(reason.number or 0.0, 1)}
    if code == "distance_unknown":
        return _("Distance unknown (no location)")
    if code == "waiting_time":
        return _("Waiting time %(weeks)s weeks") % {"weeks": f"{reason.number:g}"}
    return _("Waiting time unknown")
