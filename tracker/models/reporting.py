"""Reporting periods and what a period's report is made of: statistics, finance, narratives."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.review import FROZEN, STATUSES
from tracker.models.base import Base, utcnow
from tracker.models.org import Commune, Province, User

PERIOD_KINDS = ("week", "month", "quarter", "custom")
PERIOD_STATUSES = STATUSES  # draft, submitted, returned, accepted (``tracker.domain.review``)


class ReportingCalendar(Base):
    """When a province's periods of one kind are due: so many days after the period's last day, at
    a time of day (local). No row: ``tracker.domain.review.DEFAULT_RULES``."""

    __tablename__ = "reporting_calendar"
    __table_args__ = (UniqueConstraint("province_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    kind: Mapped[str] = mapped_column(String(10))
    days_after_end: Mapped[int] = mapped_column(Integer)
    due_time: Mapped[time] = mapped_column(Time)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    province: Mapped[Province] = relationship()


class ReportingPeriod(Base):
    """A week, month, quarter or custom range; frozen once submitted until reopened with a reason."""

    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("commune_id", "kind", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="draft")
    report_number: Mapped[str | None] = mapped_column(String(40))
    report_date: Mapped[date | None]
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    recipients: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # When the province's calendar says the report is due (set when the period is opened).
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The province's review (``tracker.services.review``): the latest acceptance or return.
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # The last change, written with the version it bumped (``services.periods.claim_version``, which
    # every write goes through): who, when, what (an audit action such as ``stats.record``) and
    # through which channel (form, api, import). A refused stale save says it; the audit log stays
    # a log, never read to answer a request.
    last_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    last_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_change: Mapped[str | None] = mapped_column(String(60))
    last_channel: Mapped[str | None] = mapped_column(String(10))

    commune: Mapped[Commune] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])
    stats: Mapped[ProcedureStats | None] = relationship(back_populates="period", uselist=False)
    finance: Mapped[FinanceFigures | None] = relationship(back_populates="period", uselist=False)
    sections: Mapped[list[ReportSection]] = relationship(back_populates="period",
                                                         order_by="ReportSection.key")

    @property
    def is_submitted(self) -> bool:
        """Frozen: submitted (waiting for the province) or accepted by it."""
        return self.status in FROZEN


class ProcedureStats(Base):
    """Administrative-procedure (TTHC) figures of a period: outline section 4.

    Every count may be empty (no figure: printed "không"); the rules that relate them live in
    ``tracker.domain.stats``.
    """

    __tablename__ = "procedure_stats"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), unique=True)
    tthc_total: Mapped[int | None] = mapped_column(Integer)
    tthc_published: Mapped[int | None] = mapped_column(Integer)
    tthc_online_full: Mapped[int | None] = mapped_column(Integer)
    tthc_online_partial: Mapped[int | None] = mapped_column(Integer)
    tthc_in_person: Mapped[int | None] = mapped_column(Integer)
    tthc_postal: Mapped[int | None] = mapped_column(Integer)
    tthc_boundary_free: Mapped[int | None] = mapped_column(Integer)
    tthc_active_online_full: Mapped[int | None] = mapped_column(Integer)
    tthc_active_online_partial: Mapped[int | None] = mapped_column(Integer)
    tthc_active_in_person: Mapped[int | None] = mapped_column(Integer)
    dossiers_carried_over: Mapped[int | None] = mapped_column(Integer)
    dossiers_new_total: Mapped[int | None] = mapped_column(Integer)
    dossiers_new_online: Mapped[int | None] = mapped_column(Integer)
    dossiers_new_online_full: Mapped[int | None] = mapped_column(Integer)
    dossiers_new_online_partial: Mapped[int | None] = mapped_column(Integer)
    dossiers_new_in_person: Mapped[int | None] = mapped_column(Integer)
    dossiers_new_postal: Mapped[int | None] = mapped_column(Integer)
    resolved_on_time: Mapped[int | None] = mapped_column(Integer)
    resolved_late: Mapped[int | None] = mapped_column(Integer)
    pending_not_due: Mapped[int | None] = mapped_column(Integer)
    pending_overdue: Mapped[int | None] = mapped_column(Integer)
    pending_overdue_cumulative: Mapped[int | None] = mapped_column(Integer)
    entered_late: Mapped[int | None] = mapped_column(Integer)
    late_reasons: Mapped[str | None] = mapped_column(Text)
    override_explanation: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    period: Mapped[ReportingPeriod] = relationship(back_populates="stats")
    updated_by: Mapped[User | None] = relationship()


class FinanceFigures(Base):
    """Money for the plan in a period (outline 3.2), in đồng; and the local budget for the 3% target."""

    __tablename__ = "finance_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), unique=True)
    estimate: Mapped[int | None] = mapped_column(BigInteger)
    approved: Mapped[int | None] = mapped_column(BigInteger)
    allocated: Mapped[int | None] = mapped_column(BigInteger)
    not_allocated: Mapped[int | None] = mapped_column(BigInteger)
    disbursed: Mapped[int | None] = mapped_column(BigInteger)
    disbursed_for: Mapped[str | None] = mapped_column(Text)
    dx_spending: Mapped[int | None] = mapped_column(BigInteger)
    total_local_spending: Mapped[int | None] = mapped_column(BigInteger)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    period: Mapped[ReportingPeriod] = relationship(back_populates="finance")


class ReportSection(Base):
    """A narrative section written by the secretary for a period (key like ``2``, ``5.1.3``)."""

    __tablename__ = "report_section"
    __table_args__ = (UniqueConstraint("period_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    key: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    period: Mapped[ReportingPeriod] = relationship(back_populates="sections")
