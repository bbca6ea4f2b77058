"""Drafts the scheduler opens on its own: the week's reporting period."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import (
    Commune,
    ReportingPeriod,
)
from tracker.services.audit import record_event
from tracker.services.calendar import DEFAULT_TIMEZONE, due_at_for


def draft_week_for_scheduler(session: Session, commune: Commune, start: date, end: date, *,
                             timezone: str = DEFAULT_TIMEZONE) -> ReportingPeriod | None:
    """Open the week ``start``–``end`` as a draft due when the province's calendar says (no actor:
    the scheduler); None if a week overlaps."""
    clash = session.scalar(select(ReportingPeriod.id).where(
        ReportingPeriod.commune_id == commune.id, ReportingPeriod.kind == "week",
        ReportingPeriod.start_date <= end, ReportingPeriod.end_date >= start))
    if clash is not None:
        return None
    period = ReportingPeriod(commune_id=commune.id, kind="week", start_date=start, end_date=end,
                             due_at=due_at_for(session, commune, "week", end, timezone))
    session.add(period)
    session.flush()
    record_event(session, "period.create", commune_id=commune.id, object_type="period",
                 object_id=period.id, after={"kind": "week", "start": start.isoformat(),
                                             "end": end.isoformat(), "by": "scheduler",
                                             "due_at": period.due_at.isoformat() if period.due_at else None})
    return period
