"""The province's own summary report of a period: its header and the sections its secretary edited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.org import Province, User


class ProvinceReport(Base):
    """The province's report for the communes' periods of one kind and start: number, date, signer.

    Made by the first save; ``version`` is bumped by every save, so a save made from a page opened
    before another one is refused (as a period's).
    """

    __tablename__ = "province_report"
    __table_args__ = (UniqueConstraint("province_id", "kind", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date]
    report_number: Mapped[str | None] = mapped_column(String(40))
    report_date: Mapped[date | None]
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    province: Mapped[Province] = relationship()
    updated_by: Mapped[User | None] = relationship()
    sections: Mapped[list[ProvinceReportSection]] = relationship(back_populates="report",
                                                                 order_by="ProvinceReportSection.key")


class ProvinceReportSection(Base):
    """A section of the province's report as its secretary saved it; printed instead of the text
    gathered from the communes (key as a commune's ``ReportSection``: ``2``, ``5.1.3``)."""

    __tablename__ = "province_report_section"
    __table_args__ = (UniqueConstraint("report_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("province_report.id"), index=True)
    key: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    report: Mapped[ProvinceReport] = relationship(back_populates="sections")
    updated_by: Mapped[User | None] = relationship()
