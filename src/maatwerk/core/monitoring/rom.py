"""Routine outcome monitoring (ROM): when each questionnaire of a patient falls due.

The rule values are data: an organization keeps :class:`RomRule` defaults per care
level, the clinician adapts them per patient (:class:`RomAdaptation`), and
:func:`rom_rules` combines the two. :func:`rom_occasions` turns the rules and the dates
of one treatment (:class:`RomCourse`) into occasions per instrument:

- ``baseline`` - at the start of treatment;
- ``interval`` - every N weeks, counted from the plan's activation and again from each
  revision (a revision restarts the count; occasions before it stay as they were);
- ``end`` - at the end of treatment;
- ``follow_up`` - N months after the end (a month later on the 31st is the last day of
  a shorter month: 31 January + 1 month = 28 or 29 February).

An occasion falls due at a local time of day in the patient's zone (09:00 unless the
rule says otherwise) and stays open ``open_days`` days. With ``reminder_days`` the patient
gets one reminder that many days after it fell due, at the same local time, when it is
still not filled in (the delivery log of the prompt records it like an EMA reminder).
The platform ships no default numbers: which instruments how often is the
organization's choice.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from maatwerk.core.common.errors import MaatwerkError
from maatwerk.core.monitoring.clock import DEFAULT_ZONE, local_instant, zone

__all__ = [
    "RomAdaptation",
    "RomCourse",
    "RomOccasion",
    "RomRule",
    "RomRuleError",
    "add_months",
    "rom_occasions",
    "rom_rule_from_data",
    "rom_rule_to_data",
    "rom_rules",
]

OccasionKind = Literal["baseline", "interval", "end", "follow_up"]
# When an occasion of a rule without its own time falls due (local time).
DEFAULT_DUE_TIME = time(9, 0)


class RomRuleError(MaatwerkError):
    """A ROM rule (or its data) is invalid."""


@dataclass(frozen=True, slots=True)
class RomRule:
    """When one instrument is asked. ``instrument`` is an instrument id."""

    instrument: str
    baseline: bool = True
    every_weeks: int | None = None
    end_of_treatment: bool = True
    follow_up_months: tuple[int, ...] = ()
    open_days: int = 7
    due_time: time = DEFAULT_DUE_TIME
    reminder_days: int | None = None

    def __post_init__(self) -> None:
        problems = []
        if not self.instrument:
            problems.append("a rule needs an instrument")
        if self.every_weeks is not None and not 1 <= self.every_weeks <= 52:
            problems.append("every_weeks must be 1 to 52")
        if any(not 1 <= months <= 60 for months in self.follow_up_months):
            problems.append("follow-up months must be 1 to 60")
        if len(set(self.follow_up_months)) != len(self.follow_up_months):
            problems.append("a follow-up month is listed twice")
        if not 1 <= self.open_days <= 60:
            problems.append("open_days must be 1 to 60")
        if self.reminder_days is not None and not 1 <= self.reminder_days < self.open_days:
            problems.append("reminder_days must be at least 1 and less than open_days")
        if problems:
            raise RomRuleError("; ".join(problems))


@dataclass(frozen=True, slots=True)
class RomAdaptation:
    """A clinician's change for one patient: ``rule`` replaces (or adds) the rule of
    its instrument; ``removed`` drops the instrument."""

    instrument: str
    rule: RomRule | None = None
    removed: bool = False

    def __post_init__(self) -> None:
        if self.removed == (self.rule is not None):
            raise RomRuleError("an adaptation either replaces a rule or removes it")
        if self.rule is not None and self.rule.instrument != self.instrument:
            raise RomRuleError("an adaptation's rule must be for its own instrument")


def rom_rules(
    defaults: Mapping[str, Sequence[RomRule]],
    care_level: str,
    adaptations: Iterable[RomAdaptation] = (),
) -> tuple[RomRule, ...]:
    """The organization's rules for ``care_level`` with the patient's adaptations
    applied in order (ordered by instrument id)."""
    rules = {rule.instrument: rule for rule in defaults.get(care_level, ())}
    for adaptation in adaptations:
        if adaptation.removed:
            rules.pop(adaptation.instrument, None)
        elif adaptation.rule is not None:
            rules[adaptation.instrument] = adaptation.rule
    return tuple(rules[instrument] for instrument in sorted(rules))


@dataclass(frozen=True, slots=True)
class RomCourse:
    """The dates of one treatment that anchor its ROM: the start (baseline), the plan's
    activation and revisions (interval anchors), the end (if known) and the zone."""

    started_on: date
    anchors: tuple[date, ...]
    ended_on: date | None = None
    zone: str = DEFAULT_ZONE

    def __post_init__(self) -> None:
        zone(self.zone)
        if not self.anchors:
            raise RomRuleError("a course needs the plan's activation date")
        if tuple(sorted(set(self.anchors))) != self.anchors:
            raise RomRuleError("the anchors must be distinct and in order")
        if self.anchors[0] < self.started_on:
            raise RomRuleError("the plan cannot be activated before the treatment starts")
        if self.ended_on is not None and self.ended_on < self.anchors[-1]:
            raise RomRuleError("the treatment cannot end before its last plan revision")


@dataclass(frozen=True, slots=True)
class RomOccasion:
    instrument: str
    kind: OccasionKind
    number: int  # 1, 2, ... within (instrument, kind); follow-ups: the months
    due_on: date
    due_at: datetime
    expires_at: datetime
    reminder_at: datetime | None = None

    @property
    def key(self) -> str:
        """Unique within one course: what a prompt made from it is known by."""
        return f"rom:{self.instrument}:{self.kind}:{self.number}"


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rom_occasions(
    rules: Iterable[RomRule], course: RomCourse, *, until: date
) -> tuple[RomOccasion, ...]:
    """Every occasion of ``rules`` in ``course`` due on or before ``until`` (interval
    occasions of an open-ended treatment stop there), ordered by due time."""
    occasions: list[RomOccasion] = []
    for rule in rules:
        occasions.extend(_rule_occasions(rule, course, until))
    return tuple(sorted(occasions, key=lambda o: (o.due_at, o.instrument, o.kind, o.number)))


def _rule_occasions(rule: RomRule, course: RomCourse, until: date) -> Iterable[RomOccasion]:
    def occasion(kind: OccasionKind, number: int, day: date) -> RomOccasion:
        due = local_instant(day, rule.due_time, course.zone)
        expires = local_instant(day + timedelta(days=rule.open_days), rule.due_time, course.zone)
        reminder = (
            None
            if rule.reminder_days is None
            else local_instant(day + timedelta(days=rule.reminder_days), rule.due_time, course.zone)
        )
        return RomOccasion(rule.instrument, kind, number, day, due, expires, reminder)

    if rule.baseline and course.started_on <= until:
        yield occasion("baseline", 1, course.started_on)
    if rule.every_weeks is not None:
        stop = min(until, course.ended_on) if course.ended_on is not None else until
        bounds = (*course.anchors[1:], None)
        number = 0
        for anchor, next_anchor in zip(course.anchors, bounds, strict=True):
            step = 1
            while True:
                day = anchor + timedelta(weeks=rule.every_weeks * step)
                if (next_anchor is not None and day >= next_anchor) or day >= stop:
                    break
                if course.ended_on is not None and day >= course.ended_on:
                    break
                number += 1
                yield occasion("interval", number, day)
                step += 1
    if course.ended_on is not None:
        if rule.end_of_treatment and course.ended_on <= until:
            yield occasion("end", 1, course.ended_on)
        for months in sorted(rule.follow_up_months):
            day = add_months(course.ended_on, months)
            if day <= until:
                yield occasion("follow_up", months, day)


def rom_rule_to_data(rule: RomRule) -> dict[str, Any]:
    """The rule as JSON-able data (how an organization's defaults are stored)."""
    return {
        "instrument": rule.instrument,
        "baseline": rule.baseline,
        "every_weeks": rule.every_weeks,
        "end_of_treatment": rule.end_of_treatment,
        "follow_up_months": list(rule.follow_up_months),
        "open_days": rule.open_days,
        "due_time": rule.due_time.strftime("%H:%M"),
        "reminder_days": rule.reminder_days,
    }


def rom_rule_from_data(data: Mapping[str, Any]) -> RomRule:
    """The inverse of :func:`rom_rule_to_data`; raises :class:`RomRuleError`."""
    try:
        rule = RomRule(instrument=str(data["instrument"]))
        due = data.get("due_time")
        return replace(
            rule,
            baseline=bool(data.get("baseline", True)),
            every_weeks=None if data.get("every_weeks") is None else int(data["every_weeks"]),
            end_of_treatment=bool(data.get("end_of_treatment", True)),
            follow_up_months=tuple(int(m) for m in data.get("follow_up_months", ())),
            open_days=int(data.get("open_days", 7)),
            due_time=time.fromisoformat(due) if due else DEFAULT_DUE_TIME,
            reminder_days=(
                None if data.get("reminder_days") is None else int(data["reminder_days"])
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RomRuleError(f"invalid ROM rule data: {error}") from error
