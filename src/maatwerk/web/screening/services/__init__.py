"""Assigning a screening battery, the patient's intake, the SCEGS exploration, computing
the profile and deciding the level of care: one module per step.

Each service runs inside :func:`maatwerk.web.audit.audited.audited`: it takes the bound
form of its use case (``forms.py``), asks it for the typed value, checks the rules that
need the database, and writes its rows; one audit event (success, refused or denied) is
written per call, a success in the same transaction as the change. Page reads are one
``read`` event each. Questionnaires are assigned through the questionnaires app's own
service, which audits each assignment it creates.
"""

from maatwerk.web.screening.forms import IntakeInput, ScegsInput
from maatwerk.web.screening.services.assign import screening_assign
from maatwerk.web.screening.services.care_level import care_level_decide
from maatwerk.web.screening.services.intake import intake_save
from maatwerk.web.screening.services.profile import age_in, profile_compute, screening_input_of
from maatwerk.web.screening.services.reads import screening_read, screenings_read
from maatwerk.web.screening.services.scegs import scegs_save

__all__ = [
    "IntakeInput",
    "ScegsInput",
    "age_in",
    "care_level_decide",
    "intake_save",
    "profile_compute",
    "scegs_save",
    "screening_assign",
    "screening_input_of",
    "screening_read",
    "screenings_read",
]
