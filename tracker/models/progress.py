"""Progress entries: the append-only record of what units report."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    event,
    exists,
    func,
    select,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker.models.base import AppendOnlyError, Base, utcnow
from tracker.models.org import User
from tracker.models.plan import PlanItem

if TYPE_CHECKING:
    from tracker.models.evidence import Attachment

TASK_STATES = ("not_started", "in_progress", "done", "blocked")


class ProgressEntry(Base):
    """One report of progress on a plan item, as of a date; never edited."""

    __tablename__ = "progress_entry"
    __table_args__ = (
        # An entry without an author is the plan's own declaration (origin 'plan'), e.g. the tasks
        # the plan's document says were completed; every other entry was logged by a person.
        CheckConstraint("author_id IS NOT NULL OR origin = 'plan'", name="author_or_plan"),
        # The status rule's order (as_of, created_at, id) per item: finding the current entry as of
        # any date is a short backward index scan, whatever the length of the history.
        Index("ix_progress_entry_item_current", "item_id", "as_of", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"))
    as_of: Mapped[date]
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str | None] = mapped_column(String(20))
    percent: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(String(100))
    doc_date: Mapped[date | None]
    doc_issuer: Mapped[str | None] = mapped_column(String(300))
    doc_summary: Mapped[str | None] = mapped_column(String(1000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    origin: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_entry.id"), unique=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    # Set on an entry derived from a period's figures (tracker.services.figures), not logged by a unit.
    period_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_period.id"), index=True)

    item: Mapped[PlanItem] = relationship()
    author: Mapped[User | None] = relationship()
    supersedes: Mapped[ProgressEntry | None] = relationship(remote_side=[id])
    attachments: Mapped[list[Attachment]] = relationship(back_populates="entry",
                                                         order_by="Attachment.id")


class LatestEntry(Base):
    """An item's current entry for every date on or after ``last_as_of``, kept up to date on insert.

    ``last_as_of`` is the latest date of any of the item's entries (superseded or not): on or after
    it, no entry is newer and no correction is still to come, so the pointer is the rule's answer.
    Earlier dates are computed from the entries (``tracker.services.status``). Derived data: it is
    rebuilt from the entries by ``refresh_latest_entries`` and never edited by hand.
    """

    __tablename__ = "latest_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), unique=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("progress_entry.id"))
    last_as_of: Mapped[date]


@event.listens_for(ProgressEntry, "before_update")
@event.listens_for(ProgressEntry, "before_delete")
def _refuse_change(mapper, connection, target) -> None:  # noqa: ARG001 (SQLAlchemy's signature)
    raise AppendOnlyError("progress entries are append-only: add a superseding entry instead")


def refresh_latest_entries(connection: Connection, *, item_ids: set[int] | None = None,
                           lock: bool = False) -> None:
    """Rebuild the ``latest_entry`` rows of the given items, or of every item when None.

    With ``lock`` the items' rows are locked first (PostgreSQL), so two transactions logging on
    one item refresh one after the other and the second sees the first's entry.
    """
    if item_ids is not None and not item_ids:
        return
    entries, latest, items = ProgressEntry.__table__, LatestEntry.__table__, PlanItem.__table__
    column = entries.c.item_id
    wanted = column.is_not(None) if item_ids is None else column.in_(sorted(item_ids))
    if lock and item_ids is not None:
        connection.execute(select(items.c.id).where(items.c.id.in_(sorted(item_ids)))
                           .order_by(items.c.id).with_for_update())
    connection.execute(latest.delete().where(
        true() if item_ids is None else latest.c.item_id.in_(sorted(item_ids))))
    e, s = entries.alias("e"), entries.alias("s")
    current = (select(e.c.id).where(e.c.item_id == column, ~exists().where(s.c.supersedes_id == e.c.id))
               .order_by(e.c.as_of.desc(), e.c.created_at.desc(), e.c.id.desc()).limit(1)
               .scalar_subquery())
    connection.execute(latest.insert().from_select(
        ["item_id", "entry_id", "last_as_of"],
        select(column, current, func.max(entries.c.as_of)).where(wanted).group_by(column)))


@event.listens_for(Session, "after_flush")
def _refresh_latest(session: Session, flush_context) -> None:  # noqa: ARG001 (SQLAlchemy's signature)
    """Keep ``latest_entry`` true for every entry the flush inserted, whoever inserted it."""
    new = [obj for obj in session.new if isinstance(obj, ProgressEntry)]
    if new:
        refresh_latest_entries(session.connection(), lock=True,
                               item_ids={e.item_id for e in new})
