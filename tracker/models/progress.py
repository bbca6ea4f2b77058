"""Progress entries: the append-only record of what units report."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import AppendOnlyError, Base, utcnow
from tracker.models.org import User
from tracker.models.plan import Target, Task

if TYPE_CHECKING:
    from tracker.models.evidence import Attachment

TASK_STATES = ("not_started", "in_progress", "done", "blocked")


class ProgressEntry(Base):
    """One report of progress on a target or a task, as of a date; never edited."""

    __tablename__ = "progress_entry"
    __table_args__ = (
        CheckConstraint("(target_id IS NULL) <> (task_id IS NULL)", name="one_item"),
        Index("ix_progress_entry_target_as_of", "target_id", "as_of"),
        Index("ix_progress_entry_task_as_of", "task_id", "as_of"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
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
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_entry.id"), unique=True
    )
    reason: Mapped[str | None] = mapped_column(Text)

    target: Mapped[Target | None] = relationship()
    task: Mapped[Task | None] = relationship()
    author: Mapped[User] = relationship()
    supersedes: Mapped[ProgressEntry | None] = relationship(remote_side=[id])
    attachments: Mapped[list[Attachment]] = relationship(back_populates="entry",
                                                         order_by="Attachment.id")


@event.listens_for(ProgressEntry, "before_update")
@event.listens_for(ProgressEntry, "before_delete")
def _refuse_change(mapper, connection, target) -> None:  # noqa: ARG001 (SQLAlchemy's signature)
    raise AppendOnlyError("progress entries are append-only: add a superseding entry instead")
