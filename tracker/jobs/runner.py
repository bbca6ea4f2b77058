"""Running a job once per scheduled instant, recording it in JobRun.

A run is claimed by inserting its ``(job, scheduled_for)`` row: the unique constraint lets only
one process win, whichever scheduler, ``jobs run-due`` or request started it. A process killed
mid-job leaves its row "running"; that instant is not retried, and the next run catches up
(every job works from the current state, not from what the missed run would have done).
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from tracker.extensions import db
from tracker.jobs import JOBS, MISFIRE_GRACE_SECONDS
from tracker.models import JobRequest, JobRun, JobSetting
from tracker.models.base import utcnow

log = logging.getLogger(__name__)


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; naive values (SQLite) are UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def due_instant(trigger: BaseTrigger, now: datetime,
                grace: timedelta = timedelta(seconds=MISFIRE_GRACE_SECONDS)) -> datetime | None:
    """Return the trigger's latest fire time in ``(now - grace, now]``, or None."""
    latest = None
    moment = trigger.get_next_fire_time(None, now - grace + timedelta(microseconds=1))
    while moment is not None and moment <= now:
        latest = moment
        moment = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
    return latest


def next_instant(name: str, now: datetime) -> datetime | None:
    """Return the job's next fire time after ``now`` computed from its trigger."""
    return JOBS[name].make_trigger(current_app.config["TIMEZONE"]).get_next_fire_time(None, now)


def is_paused(name: str) -> bool:
    """True when an administrator paused the job."""
    setting = db.session.get(JobSetting, name)
    return bool(setting and setting.paused)


def run_job(name: str, scheduled_for: datetime, now: datetime | None = None,
            trigger: str = "schedule") -> JobRun | None:
    """Claim and run one job for ``scheduled_for``; None when another process already claimed it.

    The job works as of ``now``, which defaults to the scheduled instant itself.
    """
    session = db.session
    now = now or scheduled_for
    run = JobRun(job=name, scheduled_for=as_utc(scheduled_for), trigger=trigger, started_at=utcnow())
    session.add(run)
    try:
        session.commit()
    except (IntegrityError, OperationalError):
        session.rollback()
        return None
    run_id = run.id
    if trigger == "schedule" and is_paused(name):
        run.outcome, run.finished_at = "paused", utcnow()
        session.commit()
        return run
    try:
        summary = JOBS[name].func(session, now, current_app.config)
        session.commit()
    except Exception:
        session.rollback()
        log.exception("job %s for %s failed", name, scheduled_for)
        run = session.get(JobRun, run_id)
        run.outcome, run.error, run.finished_at = "failed", traceback.format_exc()[-4000:], utcnow()
    else:
        run = session.get(JobRun, run_id)
        run.outcome, run.summary, run.finished_at = "ok", summary, utcnow()
    session.commit()
    return run


def run_due(now: datetime) -> list[JobRun]:
    """Run every job due at ``now`` (within the misfire grace time) not yet claimed; return the runs."""
    tz = current_app.config["TIMEZONE"]
    runs = []
    for name, spec in JOBS.items():
        instant = due_instant(spec.make_trigger(tz), now)
        if instant is not None and (run := run_job(name, instant, now)) is not None:
            runs.append(run)
    return runs


def process_requests(now: datetime) -> list[JobRun]:
    """Run each pending "run now" request once; return the runs."""
    session = db.session
    pending = session.scalars(select(JobRequest).where(JobRequest.picked_at.is_(None))
                              .order_by(JobRequest.id)).all()
    session.commit()
    runs = []
    for request in pending:
        picked = session.execute(update(JobRequest).where(
            JobRequest.id == request.id, JobRequest.picked_at.is_(None)).values(picked_at=utcnow())).rowcount
        session.commit()
        if picked and request.job in JOBS:
            run = run_job(request.job, as_utc(request.requested_at), now, trigger="request")
            if run is not None:
                runs.append(run)
    return runs
