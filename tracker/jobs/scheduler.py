"""The one scheduler process: APScheduler 3 with its job store in the application database.

APScheduler's FAQ: several processes cannot share a job store, so the scheduler never runs in a
web worker. A database lease keeps a second process started by mistake idle until the first
stops; and each run is still claimed through JobRun, so even two active schedulers never run
the same job for the same instant twice.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.jobs import JOBS, MISFIRE_GRACE_SECONDS, runner
from tracker.models import SchedulerLease

JOBSTORE_TABLE = "apscheduler_jobs"  # excluded from Alembic in migrations/env.py
LEASE_NAME = "scheduler"
LEASE_SECONDS = 90
RENEW_SECONDS = 30
log = logging.getLogger(__name__)

_app: Flask | None = None  # set by run_scheduler; jobs are stored by reference and find it here
_scheduler: BlockingScheduler | None = None


def new_owner() -> str:
    """Return a name for this process's lease."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def take_lease(session: Session, owner: str, now: datetime) -> bool:
    """Take or renew the lease; False while another live process holds it."""
    expires = now + timedelta(seconds=LEASE_SECONDS)
    try:
        if session.get(SchedulerLease, LEASE_NAME) is None:
            session.add(SchedulerLease(name=LEASE_NAME, owner=owner, expires_at=expires))
            session.commit()
            return True
        taken = session.execute(update(SchedulerLease).where(
            SchedulerLease.name == LEASE_NAME,
            or_(SchedulerLease.owner == owner, SchedulerLease.expires_at < now),
        ).values(owner=owner, expires_at=expires)).rowcount
        session.commit()
        return taken == 1
    except (IntegrityError, OperationalError):
        session.rollback()
        return False


def release_lease(session: Session, owner: str) -> None:
    """Give the lease up so another process may start at once."""
    session.execute(update(SchedulerLease).where(
        SchedulerLease.name == LEASE_NAME, SchedulerLease.owner == owner,
    ).values(expires_at=datetime(2000, 1, 1, tzinfo=UTC)))
    session.commit()


def fire(name: str) -> None:
    """Run ``name`` for its latest scheduled instant (the function the job store keeps)."""
    assert _app is not None, "fire() runs only inside the scheduler process"
    with _app.app_context():
        now = datetime.now(UTC)
        instant = runner.due_instant(JOBS[name].make_trigger(_app.config["TIMEZONE"]), now)
        runner.run_job(name, instant or now, now)
        db.session.remove()


def poll_requests() -> None:
    """Run the "run now" requests the web app wrote."""
    assert _app is not None
    with _app.app_context():
        runner.process_requests(datetime.now(UTC))
        db.session.remove()


def renew_lease(owner: str) -> None:
    """Keep the lease; stop the scheduler if another process took it (e.g. after a long stall)."""
    assert _app is not None
    with _app.app_context():
        held = take_lease(db.session, owner, datetime.now(UTC))
        db.session.remove()
    if not held and _scheduler is not None:
        log.error("scheduler lease lost; stopping")
        _scheduler.shutdown(wait=False)


def build_scheduler(app: Flask) -> BlockingScheduler:
    """Create the scheduler with its job store in the app database and every job added."""
    tz = app.config["TIMEZONE"]
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOBSTORE_TABLE)},
        timezone=tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )
    for name, spec in JOBS.items():
        scheduler.add_job(fire, spec.make_trigger(tz), args=[name], id=name, name=spec.label,
                          replace_existing=True)
    scheduler.add_job(poll_requests, IntervalTrigger(seconds=30, timezone=tz), id="_requests",
                      name="Yêu cầu chạy ngay", replace_existing=True)
    return scheduler


def run_scheduler(app: Flask, echo=print, wait_seconds: int = RENEW_SECONDS) -> None:
    """Wait for the lease, then run the scheduler until interrupted; release the lease on exit."""
    global _app, _scheduler
    import signal
    import time

    def stop(signum, frame):  # noqa: ARG001 (signal handler signature)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)  # `kill` from `make run` or systemd: release the lease

    _app = app
    owner = new_owner()
    while not take_lease(db.session, owner, datetime.now(UTC)):
        echo("Một tiến trình lập lịch khác đang chạy; chờ...")
        time.sleep(wait_seconds)
    echo(f"Tiến trình lập lịch bắt đầu ({owner}).")
    _scheduler = build_scheduler(app)
    _scheduler.add_job(renew_lease, IntervalTrigger(seconds=RENEW_SECONDS), args=[owner],
                       id="_lease", replace_existing=True)
    try:
        _scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        release_lease(db.session, owner)
        echo("Tiến trình lập lịch đã dừng.")
