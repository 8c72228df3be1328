"""The numbers on a clinician's menu, shown on every page they open: open safety
signals (Alerts) and homework and messages waiting (Inbox).

They count the rows of the alert list's and the inbox's own querysets, read in one
statement. Building those three ORM queries cost more CPU than the rest of a small
page, so the statement's SQL is built from them once per process (for each number of
clinician memberships) and each request binds its own membership ids: the access rule
is still evaluated by the database, on every request, for the actor asking."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Func, IntegerField, QuerySet

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import patients_in_care_of_memberships
from maatwerk.web.questionnaires.selectors import open_alerts_among
from maatwerk.web.treatment.selectors import homework_waiting_among, unread_messages_among


@dataclass(frozen=True)
class Badges:
    alerts: int  # open safety signals of one's own patients
    homework: int  # handed-in homework waiting for feedback
    messages: int  # messages from patients nobody on the team has opened

    @property
    def inbox(self) -> int:
        return self.homework + self.messages


NO_BADGES = Badges(alerts=0, homework=0, messages=0)


def badges_of(actor: Actor) -> Badges:
    membership_ids = [m.pk for m in actor.memberships_with(Role.CLINICIAN)]
    if not membership_ids:
        return NO_BADGES
    statement, slots = _statement(len(membership_ids))
    params = [
        membership_ids[slot.index] if isinstance(slot, _Membership) else slot.value
        for slot in slots
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        alerts, homework, messages = cursor.fetchone()
    return Badges(alerts=alerts, homework=homework, messages=messages)


def _counted(membership_ids: list[int]) -> tuple[QuerySet[Any], ...]:
    """The querysets whose rows the badges count, in the order of :class:`Badges`."""
    patients = patients_in_care_of_memberships(membership_ids)
    return (
        open_alerts_among(patients),
        homework_waiting_among(patients),
        unread_messages_among(patients),
    )


@dataclass(frozen=True)
class _Membership:
    index: int  # which of the actor's clinician membership ids is bound here


@dataclass(frozen=True)
class _Constant:
    value: Any  # a value the ORM bound: a string, a number, a date


# Stand-ins for membership ids while the SQL is built: no primary key is negative.
_STAND_IN = -7_000_000_000


@cache
def _statement(memberships: int) -> tuple[str, tuple[_Membership | _Constant, ...]]:
    """``SELECT (count of alerts), (count of homework), (count of messages)`` for this
    many clinician memberships, and what each parameter binds: a membership id or a
    constant of the querysets (a status, say)."""
    stand_ins = [_STAND_IN - n for n in range(memberships)]
    counted = _counted(stand_ins)
    parts: list[str] = []
    params: list[Any] = []
    for queryset in counted:
        sql, bound = queryset.order_by().values(n=_COUNT).query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(bound)
    slots = tuple(
        _Membership(stand_ins.index(p)) if type(p) is int and p in stand_ins else _Constant(p)
        for p in params
    )
    # Each queryset names every membership once (the care-team rule); anything else
    # means the SQL no longer has the shape this rebinding relies on.
    for index in range(memberships):
        if slots.count(_Membership(index)) != len(counted):
            raise RuntimeError("the badge statement does not bind each membership once per count")
    return "SELECT " + ", ".join(parts), slots


_COUNT = Func(template="COUNT(*)", output_field=IntegerField())
