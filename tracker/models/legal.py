"""The register of legal documents issued to implement the plan (outline section 1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.plan import Target, Task

legal_document_item = Table(
    "legal_document_item", Base.metadata,
    Column("document_id", ForeignKey("legal_document.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("plan_item.id", ondelete="CASCADE"), primary_key=True),
)


class LegalDocument(Base):
    """A document (number, date, issuing body, kind, summary) and the items it implements."""

    __tablename__ = "legal_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    issued_date: Mapped[date]
    issuer: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # One link table; each relationship reads and writes the links to its own kind of item.
    targets: Mapped[list[Target]] = relationship(secondary=legal_document_item, overlaps="tasks")
    tasks: Mapped[list[Task]] = relationship(secondary=legal_document_item, overlaps="targets")
