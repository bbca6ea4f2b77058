"""Two scheduler processes against one database; the lease; the scheduler's configuration."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from tests.conftest import ROOT
from tracker.extensions import db as _db
from tracker.jobs import JOBS
from tracker.jobs.runner import as_utc
from tracker.jobs.scheduler import build_scheduler, release_lease, take_lease
from tracker.models import JobRun, Plan, SchedulerLease, StatusSnapshot
from tracker.services.snapshots import take_snapshot


def test_two_processes_run_each_due_job_once(db, plan, data_app):
    env = {**os.environ, "TRACKER_ENV": "test",
           "TEST_DATABASE_URL": data_app.config["SQLALCHEMY_DATABASE_URI"]}
    command = [sys.executable, "-m", "flask", "--app", "tracker", "jobs", "run-due",
               "--now", "2025-12-01T01:20:00+07:00"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    db.session.rollback()
    runs = db.session.execute(select(JobRun.job, func.count()).group_by(JobRun.job)).all()
    assert dict(runs) == {"snapshot": 1, "red_alerts": 1, "outbox": 1}
    assert set(db.session.scalars(select(JobRun.outcome))) == {"ok"}
    printed = "".join(out for out, _ in outputs)
    printed_jobs = sorted(line.split("\t")[0] for line in printed.splitlines())
    assert printed_jobs == ["outbox", "red_alerts", "snapshot"]
    items = len(plan.targets) + len(plan.tasks)
    assert db.session.scalar(select(func.count()).select_from(StatusSnapshot).where(
        StatusSnapshot.as_of == date(2025, 12, 1))) == items


def test_a_second_scheduler_cannot_take_the_lease(db):
    now = datetime(2025, 12, 1, tzinfo=UTC)
    assert take_lease(db.session, "a", now)
    assert not take_lease(db.session, "b", now + timedelta(seconds=10))
    assert take_lease(db.session, "a", now + timedelta(seconds=30))        # renewal
    assert take_lease(db.session, "b", now + timedelta(minutes=10))        # a's lease expired
    assert not take_lease(db.session, "a", now + timedelta(minutes=10, seconds=1))
    release_lease(db.session, "b")
    assert take_lease(db.session, "a", now + timedelta(minutes=11))


def test_scheduler_configuration(data_app):
    with data_app.app_context():
        scheduler = build_scheduler(data_app)
    assert str(scheduler.timezone) == "Asia/Ho_Chi_Minh"
    assert scheduler._job_defaults == {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
    store = scheduler._jobstores["default"]
    assert type(store).__name__ == "SQLAlchemyJobStore"
    assert store.jobs_t.name == "apscheduler_jobs"
    assert {job.id for job, *_ in scheduler._pending_jobs} == {
        *JOBS, "_requests"}


def test_create_app_starts_no_scheduler(app):
    assert not any("APScheduler" in t.name or "apscheduler" in repr(t) for t in threading.enumerate())


def test_a_second_scheduler_process_stays_idle(db, data_app):
    env = {**os.environ, "TRACKER_ENV": "test", "PYTHONUNBUFFERED": "1",
           "TEST_DATABASE_URL": data_app.config["SQLALCHEMY_DATABASE_URI"]}
    command = [sys.executable, "-m", "flask", "--app", "tracker", "scheduler"]

    def start():
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    first = start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:   # wait until the first holds the lease
            db.session.rollback()
            if db.session.get(SchedulerLease, "scheduler") is not None:
                break
            time.sleep(0.2)
        second = start()
        try:
            # Wait for the second to say it is waiting (a loaded machine imports the app slowly;
            # a SIGTERM before its handler is installed would kill it silently).
            waiting = second.stdout.readline()
            db.session.rollback()
            lease = db.session.get(SchedulerLease, "scheduler")
            assert lease.owner.split(":")[1] == str(first.pid)
        finally:
            second.send_signal(signal.SIGTERM)
            out, _ = second.communicate(timeout=30)
        assert "Một tiến trình lập lịch khác đang chạy" in waiting
        assert "bắt đầu" not in waiting + out
    finally:
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=30)
    assert "Tiến trình lập lịch bắt đầu" in out, err
    assert "đã dừng" in out
    db.session.rollback()
    assert as_utc(db.session.get(SchedulerLease, "scheduler").expires_at) < datetime.now(UTC)   # released


def test_two_sessions_rebuilding_one_snapshot_at_once_both_succeed(app, db, plan):
    """The snapshot and red-alert jobs may rebuild the same date at once in two processes."""
    plan_id, day = plan.id, date(2025, 12, 1)
    first_flushed = threading.Event()
    outcomes: list[str] = []

    def rebuild(first: bool) -> None:
        with app.app_context():
            session = _db.session
            try:
                if not first:
                    first_flushed.wait(timeout=30)
                take_snapshot(session, session.get(Plan, plan_id), day)
                if first:
                    first_flushed.set()
                    time.sleep(0.5)  # hold the transaction open while the other one starts
                session.commit()
                outcomes.append("ok")
            except Exception as exc:  # noqa: BLE001 (the test reports whatever went wrong)
                session.rollback()
                outcomes.append(repr(exc))
                first_flushed.set()

    threads = [threading.Thread(target=rebuild, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["ok", "ok"]
    db.session.rollback()
    items = len(plan.targets) + len(plan.tasks)
    assert db.session.scalar(select(func.count()).select_from(StatusSnapshot).where(
        StatusSnapshot.as_of == day)) == items
