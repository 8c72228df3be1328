from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema


class PatientSummaryOut(Schema):
    id: UUID
    full_name: str
    birth_year: int


class CareEpisodeOut(Schema):
    id: UUID
    team: str
    condition: str
    status: str
    start_date: date
    end_date: date | None


class PatientOut(PatientSummaryOut):
    sex: str
    language: str
    presenting_complaint: str
    emergency_access: bool
    episodes: list[CareEpisodeOut]


class AccessLogEntryOut(Schema):
    occurred_at: datetime
    user: str
    role: str
    action: str
    object_type: str
    emergency: bool


class ErrorOut(Schema):
    detail: str
