"""What the admin page shows and changes about scheduled jobs (the scheduler does the running)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from tracker.jobs import JOBS
from tracker.jobs.runner import request_run
from tracker.models import JobRequest, JobRun, JobSetting, User
from tracker.models.base import utcnow
from tracker.services.audit import record_event

JOBSTORE_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class JobRow:
    """One job on the admin page."""

    name: str
    label: str
    schedule: str
    paused: bool
    next_run: datetime | None
    next_run_from_store: bool
    last_run: JobRun | None
    pending_request: bool


def _store_next_runs(session: Session) -> dict[str, datetime]:
    """Next run times the scheduler wrote to its job store (empty before it first ran)."""
    if not inspect(session.get_bind()).has_table(JOBSTORE_TABLE):
        return {}
    rows = session.execute(text(f"SELECT id, next_run_time FROM {JOBSTORE_TABLE}"))  # noqa: S608 (constant)
    return {row.id: datetime.fromtimestamp(row.next_run_time, UTC) for row in rows
            if row.next_run_time is not None}


def job_rows(session: Session, now: datetime, timezone: str) -> list[JobRow]:
    """Return every job with its next run, last run and whether it is paused."""
    stored = _store_next_runs(session)
    paused = {s.job for s in session.scalars(select(JobSetting).where(JobSetting.paused.is_(True)))}
    pending = set(session.scalars(select(JobRequest.job).where(JobRequest.picked_at.is_(None))))
    rows = []
    for name, spec in JOBS.items():
        last = session.scalar(select(JobRun).where(JobRun.job == name)
                              .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))
        next_run = stored.get(name) or spec.make_trigger(timezone).get_next_fire_time(None, now)
        rows.append(JobRow(name, spec.label, spec.schedule, name in paused, next_run, name in stored,
                           last, name in pending))
    return rows


def recent_runs(session: Session, limit: int = 30) -> list[JobRun]:
    """Return the latest runs of every job."""
    return list(session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
                                .limit(limit)))


def ask_to_run(session: Session, actor: User, name: str) -> JobRequest:
    """Write a "run now" request for the scheduler's poller, and audit it."""
    request = request_run(name, actor.id)
    record_event(session, "job.request", actor=actor, object_type="job", object_id=name)
    return request


def set_paused(session: Session, actor: User, name: str, paused: bool) -> None:
    """Pause or resume a job: a paused job records its runs but does no work."""
    if name not in JOBS:
        raise KeyError(name)
    setting = session.get(JobSetting, name) or JobSetting(job=name)
    setting.paused, setting.updated_at, setting.updated_by_id = paused, utcnow(), actor.id
    session.add(setting)
    record_event(session, "job.pause" if paused else "job.resume", actor=actor, object_type="job",
                 object_id=name)
    session.flush()

