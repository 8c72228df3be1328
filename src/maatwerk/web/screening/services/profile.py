"""Computing the screening profile and the stepped-care advice."""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.common import codec
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import ScreeningInput, SubgroupFacts
from maatwerk.core.screening.profile import build_profile
from maatwerk.core.screening.stepped_care import advise
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.screening.models import (
    Screening,
    ScreeningProfileSnapshot,
)
from maatwerk.web.screening.selectors import (
    OBJECT_PROFILE,
    assessment_of,
    intake_of,
    latest_snapshot,
    observations_of,
    priorities_of,
    scegs_of,
)
from maatwerk.web.screening.services._common import (
    _membership,
    _set_status,
    _user,
)
from maatwerk.web.screening.sources import content_of, knowledge_of


def age_in(patient: Patient, year: int) -> int | None:
    """Age from the year of birth: exact to within a year, which is all the subgroup
    rules need (child / adolescent / older adult)."""
    return year - patient.birth_year if patient.birth_year else None


def screening_input_of(screening: Screening) -> ScreeningInput:
    """Everything measured and said in this screening, as the core's input value."""
    assessment = assessment_of(screening)
    return ScreeningInput(
        observations=observations_of(screening),
        priorities=priorities_of(intake_of(screening)),
        scegs=scegs_of(assessment),
        subgroups=SubgroupFacts(
            age_years=age_in(screening.patient, timezone.localdate().year),
            low_literacy=assessment.low_literacy if assessment else False,
            migration_background=assessment.migration_background if assessment else False,
            parent_involved=assessment.parent_involved if assessment else False,
        ),
    )


def _digest(data: object) -> str:
    """A fingerprint of the JSON-able inputs of a profile (to see whether they changed)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def profile_compute(*, actor: Actor, opened: Opened[Screening]) -> ScreeningProfileSnapshot:
    """Compute the profile and the stepped-care advice from the screening's scores, intake,
    SCEGS exploration and subgroup facts. A new snapshot is stored only when the inputs
    or the content changed since the last one (then the call is a read of the one
    shown); earlier snapshots are kept."""
    access = opened.access
    screening = opened.object
    organization_id = access.patient.organization_id
    knowledge = knowledge_of(organization_id)
    content = content_of(organization_id)
    screening_input = screening_input_of(screening)
    inputs = codec.to_json(screening_input)
    digest = _digest(
        {"inputs": inputs, "knowledge": knowledge.versions, "content": dict(content.versions)}
    )
    latest = latest_snapshot(screening)
    unchanged = latest is not None and latest.inputs_digest == digest
    with audited(
        actor=actor,
        action="read" if unchanged else "create",
        subject=opened.subject(OBJECT_PROFILE),
        emergency=access.emergency,
    ) as note:
        if latest is not None and unchanged:
            note.about(object_ref=str(latest.public_id))
            note.detail = "profile unchanged"
            return latest
        _membership(actor, access.patient)
        user = _user(actor)
        try:
            profile = build_profile(
                screening_input,
                knowledge=knowledge,
                content=content,
                instruments=lambda code, version: instrument_for(organization_id, code, version),
            )
        except ScreeningInputError:
            # Content the organization changed no longer knows an id recorded earlier.
            raise InputRefused(
                _(
                    "The profile cannot be computed: the intake or the SCEGS exploration "
                    "uses something the current content no longer knows. Correct the SCEGS "
                    "exploration first."
                )
            ) from None
        advice = advise(screening_input, profile, knowledge=knowledge, content=content)
        snapshot = ScreeningProfileSnapshot.objects.create(
            screening=screening,
            inputs=inputs,
            inputs_digest=digest,
            profile=codec.to_json(profile),
            advice=codec.to_json(advice),
            knowledge_versions=knowledge.versions,
            content_versions=dict(content.versions),
            computed_by=user,
        )
        _set_status(screening)
        note.about(object_ref=str(snapshot.public_id))
        note.detail = f"profile computed: {advice.severity or 'severity unknown'}, "
        note.detail += str(advice.care_level)
    return snapshot
