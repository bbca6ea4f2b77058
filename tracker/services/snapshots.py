"""Nightly status snapshots: every item's light on a date, rebuildable from the entries."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Date, Integer, Select, bindparam, delete, func, select
from sqlalchemy.orm import Session

from tracker.domain.status import COLOUR_ORDER
from tracker.models import Plan, StatusSnapshot
from tracker.services.status import ItemStatus, plan_status


def take_snapshot(session: Session, plan: Plan, as_of: date) -> int:
    """Store (or rebuild) the light of every item of ``plan`` as of ``as_of``; return the count.

    The snapshot job and the red-alert job, perhaps in two processes, may rebuild the same date at
    once. Locking the plan's row first makes the second wait for the first to commit and then rebuild
    over it, instead of failing on the unique constraint (PostgreSQL; SQLite has one writer anyway).
    """
    session.execute(select(Plan.id).where(Plan.id == plan.id).with_for_update())
    rows = plan_status(session, plan, as_of)
    session.execute(delete(StatusSnapshot).where(StatusSnapshot.plan_id == plan.id,
                                                 StatusSnapshot.as_of == as_of))
    for row in rows:
        session.add(StatusSnapshot(
            plan_id=plan.id, as_of=as_of, kind=row.kind, code=row.code, colour=row.status.colour,
            item_id=row.item.id))
    session.flush()
    return len(rows)


def has_snapshot(session: Session, plan: Plan, as_of: date) -> bool:
    """True when a snapshot of ``plan`` exists for ``as_of``."""
    return session.scalar(select(func.count()).select_from(StatusSnapshot).where(
        StatusSnapshot.plan_id == plan.id, StatusSnapshot.as_of == as_of)) > 0


def snapshot_colours(session: Session, plan: Plan, as_of: date) -> dict[tuple[str, str], str]:
    """Return ``{(kind, code): colour}`` of the snapshot of ``as_of`` (empty if none)."""
    return {(s.kind, s.code): s.colour for s in session.scalars(select(StatusSnapshot).where(
        StatusSnapshot.plan_id == plan.id, StatusSnapshot.as_of == as_of))}


def previous_snapshot_date(session: Session, plan: Plan, before: date) -> date | None:
    """Return the latest snapshot date of ``plan`` strictly before ``before``."""
    return session.scalar(select(func.max(StatusSnapshot.as_of)).where(
        StatusSnapshot.plan_id == plan.id, StatusSnapshot.as_of < before))


def colour_history(session: Session, plan: Plan, kind: str, code: str) -> list[tuple[date, str]]:
    """Return an item's snapshot colours, oldest first (for a colour-history chart)."""
    return [(s.as_of, s.colour) for s in session.scalars(select(StatusSnapshot).where(
        StatusSnapshot.plan_id == plan.id, StatusSnapshot.kind == kind, StatusSnapshot.code == code,
    ).order_by(StatusSnapshot.as_of))]


def rows_by_key(rows: list[ItemStatus]) -> dict[tuple[str, str], ItemStatus]:
    """Index status rows by ``(kind, code)``."""
    return {(row.kind, row.code): row for row in rows}


@cache
def _colour_counts_query() -> Select:
    """Select the colour counts of plan ``:plan_id`` on its latest ``:days`` snapshot dates up to
    ``:until``, in one statement (built once)."""
    plan_id = bindparam("plan_id")
    dates = (select(StatusSnapshot.as_of)
             .where(StatusSnapshot.plan_id == plan_id, StatusSnapshot.as_of <= bindparam("until", type_=Date))
             .group_by(StatusSnapshot.as_of).order_by(StatusSnapshot.as_of.desc())
             .limit(bindparam("days", type_=Integer)))
    return (select(StatusSnapshot.as_of, StatusSnapshot.colour, func.count())
            .where(StatusSnapshot.plan_id == plan_id, StatusSnapshot.as_of.in_(dates))
            .group_by(StatusSnapshot.as_of, StatusSnapshot.colour))


def colour_counts_by_date(session: Session, plan: Plan, until: date, days: int = 14
                          ) -> list[tuple[date, dict[str, int]]]:
    """Return the latest ``days`` snapshots up to ``until``, oldest first, as colour counts."""
    counts: dict[date, dict[str, int]] = {}
    for day, colour, number in session.execute(_colour_counts_query(),
                                               {"plan_id": plan.id, "until": until, "days": days}):
        counts.setdefault(day, dict.fromkeys(COLOUR_ORDER, 0))[colour] = number
    return sorted(counts.items())
