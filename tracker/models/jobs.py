"""Scheduled work: the record of each job run, the scheduler's lease, pauses and run-now requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow

JOB_OUTCOMES = ("running", "ok", "failed", "paused")


class JobRun(Base):
    """One run of a job for one scheduled instant; the unique pair claims the run exactly once."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "scheduled_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    scheduled_for: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    trigger: Mapped[str] = mapped_column(String(20), default="schedule")  # schedule | request
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(10), default="running")
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class SchedulerLease(Base):
    """The single row a scheduler process must hold to run; a second process waits idle."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobSetting(Base):
    """An administrator's setting for a job: paused jobs record a run but do no work."""

    __tablename__ = "job_setting"

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    paused: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class JobRequest(Base):
    """A "run this job now" written by the web app and picked up by the scheduler's poller."""

    __tablename__ = "job_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    picked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
