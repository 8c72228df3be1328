"""Assigning modules, saving and handing in exercises, feedback, messages, the inbox,
graded activity and the partner/parent view, one module per sub-domain. Each service is
one transaction with exactly one audit event; checking answers and computing quotas is
the core's (``maatwerk.core.modules``, ``maatwerk.core.planning.graded_activity``).

The package re-exports every public name, so callers use ``treatment.services.<name>``.
"""

from __future__ import annotations

from maatwerk.web.treatment.services._common import catalogue, language, module_of
from maatwerk.web.treatment.services.assignments import (
    module_complete_if_done,
    module_open_now,
    module_read,
    modules_assign,
    modules_overview_read,
    modules_revise,
)
from maatwerk.web.treatment.services.exercises import (
    ExerciseState,
    HandIn,
    NotAnExercise,
    SavedField,
    entry_in,
    exercise_field_save,
    exercise_field_save_all,
    exercise_hand_in,
    exercise_in,
    exercise_read,
    exercise_reopen,
    exercise_state,
    problem_text,
    problems_by_path,
)
from maatwerk.web.treatment.services.feedback import (
    FEEDBACK_MAX_LENGTH,
    Review,
    feedback_give,
    review_of,
    review_read,
)
from maatwerk.web.treatment.services.graded_activity import (
    MINUTES_IN_A_DAY,
    QuotaToday,
    activity_quota,
    activity_target_set,
    has_graded_activity,
)
from maatwerk.web.treatment.services.inbox import Inbox, inbox_read
from maatwerk.web.treatment.services.messages import MESSAGE_MAX_LENGTH, message_send, thread_read
from maatwerk.web.treatment.services.overview import PortalCard, portal_card
from maatwerk.web.treatment.services.partner import (
    InvitationNotValid,
    RelativeInvited,
    SharedView,
    account_exists_for,
    pending_invitation,
    relative_accept,
    relative_invite,
    relative_revoke,
    relatives_read,
    shared_read,
)

__all__ = [
    "FEEDBACK_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "MINUTES_IN_A_DAY",
    "ExerciseState",
    "HandIn",
    "Inbox",
    "InvitationNotValid",
    "NotAnExercise",
    "PortalCard",
    "QuotaToday",
    "RelativeInvited",
    "Review",
    "SavedField",
    "SharedView",
    "account_exists_for",
    "activity_quota",
    "activity_target_set",
    "catalogue",
    "entry_in",
    "exercise_field_save",
    "exercise_field_save_all",
    "exercise_hand_in",
    "exercise_in",
    "exercise_read",
    "exercise_reopen",
    "exercise_state",
    "feedback_give",
    "has_graded_activity",
    "inbox_read",
    "language",
    "message_send",
    "module_complete_if_done",
    "module_of",
    "module_open_now",
    "module_read",
    "modules_assign",
    "modules_overview_read",
    "modules_revise",
    "pending_invitation",
    "portal_card",
    "problem_text",
    "problems_by_path",
    "relative_accept",
    "relative_invite",
    "relative_revoke",
    "relatives_read",
    "review_of",
    "review_read",
    "shared_read",
    "thread_read",
]
