"""Leaders' directives (ý kiến chỉ đạo) on targets and tasks, and the lead unit's reply."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.org import User
from tracker.models.plan import PlanItem


class Directive(Base):
    """An instruction written by a leader; open until the lead unit replies."""

    __tablename__ = "directive"
    __table_args__ = (
        Index("ix_directive_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"))
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None]  # when the lead unit must have answered; None: no date given
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    item: Mapped[PlanItem] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    replied_by: Mapped[User | None] = relationship(foreign_keys=[replied_by_id])

    @property
    def is_open(self) -> bool:
        """True until the lead unit has replied."""
        return self.replied_at is None

    def overdue_on(self, day: date) -> bool:
        """True when the directive is still open after its due date."""
        return self.is_open and self.due_date is not None and day > self.due_date
