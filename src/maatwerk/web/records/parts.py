"""Which stored data belong to which part of the record, found through Django's app
registry, and what is deliberately left out of the copy or of destruction (with why).

A *root* model has a foreign key to the patient; the rows under a root (its reverse
relations to models without their own patient key: the answers of an assignment, the
versions of a formulation …) belong to the same part. ``tests/web/test_records_copy.py``
fails when a model with a patient key is in neither :data:`PART_OF` nor
:data:`NOT_IN_COPY`, so a new kind of patient data cannot silently miss the copy.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maatwerk.core.records.destruction import RecordPart
from maatwerk.web.patients.models import Patient

# Root model label -> the part of the record it belongs to (in the copy and destroyable).
PART_OF: dict[str, RecordPart] = {
    "questionnaires.Assignment": RecordPart.QUESTIONNAIRES,
    "questionnaires.SafetyAlert": RecordPart.QUESTIONNAIRES,
    "screening.Screening": RecordPart.SCREENING,
    "formulation.Formulation": RecordPart.FORMULATION,
    "planning.Plan": RecordPart.PLAN,
    "personalized.MeasureSet": RecordPart.PERSONAL_MEASURES,
    "treatment.ModuleAssignment": RecordPart.TREATMENT,
    "treatment.Message": RecordPart.MESSAGES,
    "safetyplan.SafetyPlan": RecordPart.SAFETY_PLAN,
    "providers.Referral": RecordPart.REFERRALS,
    "monitoring.MonitoringSchedule": RecordPart.MONITORING,
    "monitoring.Prompt": RecordPart.MONITORING,
    "analysis.EmaImport": RecordPart.DIARY_ANALYSIS,
    "analysis.NetworkEstimate": RecordPart.DIARY_ANALYSIS,
    "analysis.ChangeNormChoice": RecordPart.DIARY_ANALYSIS,
    "ownresults.ResultNote": RecordPart.OWN_NOTES,
}

# Root models that are in the copy but not destroyable: administrative data and records
# of consent and access, which the destruction right does not cover (BW 7:455, see
# docs/privacy.md), and the requests themselves (proof of what was asked and decided).
ADMINISTRATIVE: dict[str, Promise] = {
    "patients.CareEpisode": _("Care episodes and care team"),
    "patients.EmergencyAccess": _("Emergency access to your file"),
    "patients.PrivacyConsent": _("Privacy statement and consent"),
    "treatment.RelativeAccess": _("Partner or parent access"),
    "monitoring.NotificationPreference": _("How you hear that a question waits"),
    "records.DestructionRequest": _("Requests to destroy data"),
}

# Root models left out of the copy, with the reason (shown in docs/privacy.md too).
NOT_IN_COPY: dict[str, str] = {
    "monitoring.PushSubscription": (
        "the technical address of the phone's notification service (an endpoint and keys); "
        "no record content, and a secret that must not leave the server"
    ),
    "records.RecordCopy": "an earlier copy of the record itself (its content is this copy)",
}

PART_LABELS: dict[RecordPart, Promise] = {
    RecordPart.QUESTIONNAIRES: _("Questionnaires and their answers"),
    RecordPart.SCREENING: _("Screening"),
    RecordPart.FORMULATION: _("Formulation (the explanation of your complaints)"),
    RecordPart.PLAN: _("Treatment plan and goals"),
    RecordPart.PERSONAL_MEASURES: _("Personal measures and goals"),
    RecordPart.TREATMENT: _("Modules, exercises and homework"),
    RecordPart.MESSAGES: _("Messages"),
    RecordPart.SAFETY_PLAN: _("Safety plan"),
    RecordPart.REFERRALS: _("Referrals"),
    RecordPart.MONITORING: _("Monitoring questions and answers"),
    RecordPart.DIARY_ANALYSIS: _("Diary data and its analysis"),
    RecordPart.OWN_NOTES: _("Your own notes on results"),
}

# Field names never copied: secrets and digests that open something.
SECRET_FIELD_MARKERS = ("digest", "token", "secret", "password", "p256dh", "auth_key")


def model_label(model: type[Model]) -> str:
    return str(model._meta.label)


def patient_keys(model: type[Model]) -> list[str]:
    """The names of ``model``'s foreign keys (or one-to-one keys) to the patient."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Patient
    ]


def models_with_patient_key() -> list[type[Model]]:
    """Every installed model of the platform with a key to the patient."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("maatwerk.") and patient_keys(model)
    ]


def root_models(parts: frozenset[RecordPart] | None = None) -> list[type[Model]]:
    """The root models of ``parts`` (all parts and the administrative ones when None),
    in the order of the copy."""
    wanted = [label for label, part in PART_OF.items() if parts is None or part in parts]
    if parts is None:
        wanted += list(ADMINISTRATIVE)
    return [apps.get_model(label) for label in wanted]


def is_root(model: type[Model]) -> bool:
    return bool(patient_keys(model))


def part_label_of(label: str) -> str:
    part = PART_OF.get(label)
    if part is not None:
        return str(PART_LABELS[part])
    return str(ADMINISTRATIVE.get(label, label))
