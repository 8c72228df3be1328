"""Destruction of (parts of) the record on the patient's request (BW 7:455).

- The care provider destroys the requested parts **within three months** of the request
  (art. 7:455 lid 1 BW; source ``bw-7-455-text``).
- It may refuse only where keeping them is reasonably of **considerable importance to
  someone other than the patient**, or where **a rule of or under the law forbids
  destruction** (art. 7:455 lid 2 BW; sources ``bw-7-455-text``,
  ``wgbo-destruction-exceptions``).
- Administrative data (who the patient is, who treats them, consent records) are outside
  the destruction right (source ``wgbo-destruction-exceptions``), and so is the access
  log, which has its own retention (NEN 7513; source ``nen7513-log-retention``).

Who decides is a platform rule, not a legal one: the GP is responsible for POH-GGZ care
(the Dutch convention the platform follows everywhere), so when the care team has a GP the
GP decides; without one, any clinician of the care team who is not a POH-GGZ does.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Art. 7:455 lid 1 BW: "binnen drie maanden na een daartoe strekkend verzoek".
DECISION_MONTHS = 3

# The discipline (``organizations.Discipline``) that never decides a destruction alone.
POH_GGZ = "poh_ggz"
GENERAL_PRACTITIONER = "huisarts"


class RefusalGround(StrEnum):
    """The two grounds of art. 7:455 lid 2 BW on which a request may be refused."""

    # Keeping the data is of considerable importance to someone other than the patient
    # (e.g. a hereditary condition, a pending complaint or claim).
    OTHER_PERSON_INTEREST = "other_person_interest"
    # A rule of or under the law forbids destruction (a statutory retention duty).
    LEGAL_RETENTION = "legal_retention"


class RecordPart(StrEnum):
    """The parts of the record a patient can ask to have destroyed."""

    QUESTIONNAIRES = "questionnaires"
    SCREENING = "screening"
    FORMULATION = "formulation"
    PLAN = "plan"
    PERSONAL_MEASURES = "personal_measures"
    TREATMENT = "treatment"
    MESSAGES = "messages"
    SAFETY_PLAN = "safety_plan"
    REFERRALS = "referrals"
    MONITORING = "monitoring"
    DIARY_ANALYSIS = "diary_analysis"
    OWN_NOTES = "own_notes"


class Decision(StrEnum):
    GRANT = "grant"
    REFUSE = "refuse"


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months; a day that the target month lacks becomes
    that month's last day (30 November + 3 months = 28 or 29 February)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def decision_deadline(requested_on: date) -> date:
    """The last day on which the request must be carried out or refused."""
    return add_months(requested_on, DECISION_MONTHS)


def is_overdue(*, deadline: date, today: date, decided: bool) -> bool:
    return not decided and today > deadline


def days_left(*, deadline: date, today: date) -> int:
    """Days until the deadline (0 on the day itself, negative once it has passed)."""
    return (deadline - today).days


def may_decide(*, discipline: str, team_disciplines: Collection[str]) -> bool:
    """Whether a clinician with ``discipline`` on a care team with ``team_disciplines``
    decides: the GP when the care team has one (the GP is responsible for the care), else
    any clinician of the team who is not a POH-GGZ."""
    if not discipline or discipline == POH_GGZ:
        return False
    if GENERAL_PRACTITIONER in team_disciplines:
        return discipline == GENERAL_PRACTITIONER
    return True


@dataclass(frozen=True)
class DecisionProblems:
    """What is wrong with a decision, per field (empty when it may be recorded)."""

    ground: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not (self.ground or self.reason)


REASON_MIN_LENGTH = 10


def decision_problems(
    *, decision: Decision, ground: str, reason: str, parts: Collection[str]
) -> DecisionProblems:
    """A refusal names one of the two grounds of art. 7:455 lid 2 and a reason the
    patient reads; a grant needs neither but must destroy at least one part."""
    if decision is Decision.GRANT:
        return DecisionProblems(reason="" if parts else "no_parts")
    ground_problem = "" if ground in {g.value for g in RefusalGround} else "ground_missing"
    reason_problem = "" if len(reason.strip()) >= REASON_MIN_LENGTH else "reason_missing"
    return DecisionProblems(ground=ground_problem, reason=reason_problem)
