"""Writing the audit log."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, User


def record_event(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    commune_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    """Add one audit event to the session (the caller commits)."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else None,
        commune_id=commune_id if commune_id is not None else (actor.commune_id if actor else None),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        remote_addr=remote_addr,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page narrows to; every field is optional."""

    action: str | None = None
    actor: str | None = None
    start: date | None = None
    end: date | None = None


def audit_events(session: Session, commune_id: int, wanted: AuditFilter,
                 limit: int = 500) -> list[AuditEvent]:
    """Return the commune's audit events, newest first, at most ``limit``."""
    query = select(AuditEvent).where(AuditEvent.commune_id == commune_id)
    if wanted.action:
        query = query.where(AuditEvent.action.startswith(wanted.action))
    if wanted.actor:
        query = query.where(AuditEvent.actor_name == wanted.actor)
    if wanted.start:
        query = query.where(AuditEvent.at >= datetime.combine(wanted.start, time.min, UTC))
    if wanted.end:
        query = query.where(AuditEvent.at < datetime.combine(wanted.end + timedelta(days=1), time.min, UTC))
    return list(session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection, OWASP).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """Return ``value`` for a CSV cell; text a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def audit_csv(events: list[AuditEvent]) -> str:
    """The events as CSV (UTF-8 with a BOM so Excel shows Vietnamese), one row per event.

    Every text cell goes through ``csv_cell``: names, ids and notes come from users.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "at_utc", "actor", "action", "object_type", "object_id", "before", "after",
                     "remote_addr"])
    for e in events:
        writer.writerow([csv_cell(cell) for cell in (
            e.id, e.at.isoformat(), e.actor_name or "", e.action, e.object_type or "", e.object_id or "",
            json.dumps(e.before, ensure_ascii=False) if e.before else "",
            json.dumps(e.after, ensure_ascii=False) if e.after else "", e.remote_addr or "")])
    return "\ufeff" + buffer.getvalue()


def record_denial(session: Session, actor: User | None, method: str, path: str,
                  remote_addr: str | None) -> None:
    """Record a refused request (403); the face's error handler commits it after rolling back the
    request's own work."""
    record_event(session, "auth.denied", actor=actor, object_type="request",
                 object_id=f"{method} {path}"[:80], remote_addr=remote_addr)
    session.flush()
