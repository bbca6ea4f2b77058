"""A province's reporting calendar: when each kind of period is due; read when a period is opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.permissions import can_edit_calendar
from tracker.domain.review import CALENDAR_KINDS, DEFAULT_RULES, DueRule, due_moment, rule_problems
from tracker.models import Commune, Province, ReportingCalendar, User
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import EntryRefused, NotAllowed

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def due_rules(session: Session, province_id: int) -> dict[str, DueRule]:
    """The province's rule for each kind (its calendar's rows, the defaults for the kinds it has none)."""
    rows = session.scalars(select(ReportingCalendar).where(ReportingCalendar.province_id == province_id))
    stored = {row.kind: DueRule(row.kind, row.days_after_end, row.due_time) for row in rows}
    return {**DEFAULT_RULES, **stored}


def due_at_for(session: Session, commune: Commune, kind: str, end: date,
               timezone: str = DEFAULT_TIMEZONE) -> datetime | None:
    """When the commune's ``kind`` period ending on ``end`` is due under its province's calendar."""
    return due_moment(due_rules(session, commune.province_id).get(kind), end, timezone)


def seed_calendar(session: Session, province: Province) -> int:
    """Write the default rules for the kinds the province has no row for (safe to run twice)."""
    have = set(session.scalars(select(ReportingCalendar.kind)
                               .where(ReportingCalendar.province_id == province.id)))
    added = 0
    for kind, rule in DEFAULT_RULES.items():
        if kind not in have:
            session.add(ReportingCalendar(province_id=province.id, kind=kind,
                                          days_after_end=rule.days_after_end, due_time=rule.at))
            added += 1
    session.flush()
    return added


@dataclass(frozen=True)
class CalendarInput:
    """One kind's row as typed: days after the period's end, and the time of day."""

    days_after_end: int | None
    at: time | None


def save_calendar(session: Session, actor: User, province: Province,
                  rows: dict[str, CalendarInput]) -> list[str]:
    """Save the province's calendar (all kinds or nothing); return the kinds that changed.

    Only a province admin may; the periods already open keep their due moment (the page says so).
    Raises ``EntryRefused`` with errors keyed ``<kind>-days`` / ``<kind>-at``.
    """
    if not can_edit_calendar(actor_of(actor), province.id):
        raise NotAllowed(f"{actor.username} may not change the reporting calendar")
    errors = {f"{kind}-{name}": message for kind in CALENDAR_KINDS if kind in rows
              for name, message in rule_problems(rows[kind].days_after_end, rows[kind].at).items()}
    if errors:
        raise EntryRefused(errors)
    current = due_rules(session, province.id)
    stored = {row.kind: row for row in session.scalars(
        select(ReportingCalendar).where(ReportingCalendar.province_id == province.id))}
    changed = []
    for kind in CALENDAR_KINDS:
        if kind not in rows:
            continue
        new = DueRule(kind, rows[kind].days_after_end, rows[kind].at)
        if new == current[kind] and kind in stored:
            continue
        row = stored.get(kind) or ReportingCalendar(province_id=province.id, kind=kind)
        row.days_after_end, row.due_time = new.days_after_end, new.at
        row.updated_by_id, row.updated_at = actor.id, utcnow()
        session.add(row)
        if new != current[kind]:
            changed.append(kind)
            old = current[kind]
            record_event(session, "calendar.save", actor=actor, object_type="province", object_id=province.id,
                         before={"kind": kind, "days": old.days_after_end, "at": old.at.strftime("%H:%M")},
                         after={"kind": kind, "days": new.days_after_end, "at": new.at.strftime("%H:%M")})
    session.flush()
    return changed
