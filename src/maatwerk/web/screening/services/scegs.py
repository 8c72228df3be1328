"""The clinician's SCEGS exploration."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import Opened
from maatwerk.web.screening.forms import (
    ScegsForm,
)
from maatwerk.web.screening.models import (
    ScegsAssessment,
    Screening,
)
from maatwerk.web.screening.selectors import (
    OBJECT_ASSESSMENT,
    assessment_of,
)
from maatwerk.web.screening.services._common import (
    _membership,
    _set_status,
    _user,
)


def scegs_save(*, actor: Actor, opened: Opened[Screening], form: ScegsForm) -> ScegsAssessment:
    """Record (or correct) the clinician's SCEGS exploration, validated against the
    knowledge base and the stepped-care rules (the form's choices)."""
    access = opened.access
    existing = assessment_of(opened.object)
    with audited(
        actor=actor,
        action="create" if existing is None else "update",
        subject=opened.subject(OBJECT_ASSESSMENT),
        emergency=access.emergency,
        detail="SCEGS assessment saved",
    ):
        _membership(actor, access.patient)
        user = _user(actor)
        data = form.typed()
        if opened.object.status == Screening.Status.CANCELLED:
            raise InputRefused(_("This screening was stopped; it can no longer change."))
        assessment = existing or ScegsAssessment(screening=opened.object, assessed_by=user)
        assessment.conditions = list(data.conditions)
        assessment.symptom_clusters = list(data.symptom_clusters)
        assessment.duration_weeks = int(data.duration_weeks) if data.duration_weeks else None
        assessment.functional_limitation = data.functional_limitation
        assessment.earlier_treatment = data.earlier_treatment
        assessment.comorbidity = list(data.comorbidity)
        assessment.medication = list(data.medication)
        assessment.judged_factors = form.judged()
        assessment.low_literacy = data.low_literacy
        assessment.migration_background = data.migration_background
        assessment.parent_involved = data.parent_involved
        assessment.notes = data.notes
        assessment.assessed_by = user
        assessment.assessed_at = timezone.now()
        assessment.save()
        _set_status(opened.object)
    return assessment
