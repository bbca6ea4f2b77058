"""Signed submissions (ký số): the report copies issued for signing, and the signed files received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.org import User
from tracker.models.reporting import ReportingPeriod


class IssuedReport(Base):
    """A period's report PDF as the app gave it out to be signed: its SHA-256 and length.

    A signed file is accepted only if it begins with the exact bytes of one of these (its first
    revisions are what was issued) for the period's current version, so a signed copy of another
    period, of an earlier submission, or of a doctored PDF is refused.
    """

    __tablename__ = "issued_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    period_version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignedReport(Base):
    """A signed report PDF a commune uploaded and the app verified; the file is stored beside the
    evidence files (``services.signing``), under a random name."""

    __tablename__ = "signed_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    period_version: Mapped[int] = mapped_column(Integer)
    issued_id: Mapped[int] = mapped_column(ForeignKey("issued_report.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    signer_name: Mapped[str] = mapped_column(String(255))
    signer_organisation: Mapped[str | None] = mapped_column(String(255))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the check found, for the record: the signatures (field, signer, issuer, serial, time,
    # coverage, modification level, trust), which issued copy it matched.
    validation: Mapped[dict] = mapped_column(JSON)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    period: Mapped[ReportingPeriod] = relationship()
    uploaded_by: Mapped[User] = relationship()
