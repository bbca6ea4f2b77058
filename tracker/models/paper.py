"""Reports a commune sent on paper or by file, keyed in by the province as printed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.org import Commune, User


class PaperReport(Base):
    """One commune's periodic report as the province received it; its figures as printed.

    ``flag_count`` is how many inconsistencies ``tracker.domain.paper_check`` listed when the
    report was last saved (the list page shows it without checking every report again).
    """

    __tablename__ = "paper_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date]
    end_date: Mapped[date]
    doc_number: Mapped[str | None] = mapped_column(String(60))  # as printed, e.g. "  /BC-UBND"
    doc_date: Mapped[str | None] = mapped_column(String(60))  # as printed: "ngày    tháng 10 năm 2025"
    note: Mapped[str | None] = mapped_column(Text)
    flag_count: Mapped[int] = mapped_column(Integer, default=0)
    keyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    keyed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    commune: Mapped[Commune] = relationship()
    keyed_by: Mapped[User | None] = relationship(foreign_keys=[keyed_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    figures: Mapped[list[PaperFigure]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                      order_by="PaperFigure.id")


class PaperFigure(Base):
    """One figure as printed: a count, a percentage with its base, or both.

    ``percent_text`` is what was typed ("98,6%"); ``percent`` the same number as a decimal string
    that keeps the printed decimals ("98.6", "5", "5.0"), read with ``Decimal``. The base is
    another figure (``base_key``), a number printed with it (``base_number``), or unstated.
    """

    __tablename__ = "paper_figure"
    __table_args__ = (UniqueConstraint("report_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("paper_report.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    count: Mapped[int | None] = mapped_column(Integer)
    percent_text: Mapped[str | None] = mapped_column(String(40))
    percent: Mapped[str | None] = mapped_column(String(20))
    base_key: Mapped[str | None] = mapped_column(String(40))
    base_number: Mapped[int | None] = mapped_column(Integer)

    report: Mapped[PaperReport] = relationship(back_populates="figures")
