"""What the admin page shows and changes about scheduled jobs (the scheduler does the running).

Every job works on every commune of the deployment at once, so every pause, resume and run-now is
written to the audit log of every commune (one event each): whoever it affects sees who did it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from tracker.models import Commune, JobRequest, JobRun, JobSetting, User
from tracker.models.base import utcnow
from tracker.services.audit import record_event
from tracker.services.errors import NotFound

JOBSTORE_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class Schedule:
    """When a job runs: its Vietnamese label, its schedule as the admin page says it, its trigger."""

    label: str
    schedule: str
    make_trigger: Callable[[str], BaseTrigger]


def _every_minute(tz: str) -> BaseTrigger:
    # A fixed start aligns the fire times of every process, so they claim the same instants.
    return IntervalTrigger(minutes=1, start_date=datetime(2024, 1, 1, tzinfo=ZoneInfo(tz)), timezone=tz)


SCHEDULES: dict[str, Schedule] = {
    "snapshot": Schedule("Chụp trạng thái hằng đêm", "01:00 hằng ngày",
                         lambda tz: CronTrigger(hour=1, minute=0, timezone=tz)),
    "red_alerts": Schedule("Báo mục chuyển sang đỏ", "01:15 hằng ngày",
                           lambda tz: CronTrigger(hour=1, minute=15, timezone=tz)),
    "reminders": Schedule("Nhắc hạn, quá hạn, lâu chưa cập nhật, hạn trả lời chỉ đạo", "06:30 hằng ngày",
                          lambda tz: CronTrigger(hour=6, minute=30, timezone=tz)),
    "weekly_draft": Schedule("Dự thảo báo cáo tuần", "07:00 thứ Hai",
                             lambda tz: CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=tz)),
    "report_reminders": Schedule("Nhắc hạn gửi báo cáo kỳ lên tỉnh (trước một ngày, khi quá hạn)",
                                 "08:00 và 12:00 hằng ngày",
                                 lambda tz: CronTrigger(hour="8,12", minute=0, timezone=tz)),
    "prune": Schedule("Dọn lịch sử chạy việc cũ", "02:30 hằng ngày",
                      lambda tz: CronTrigger(hour=2, minute=30, timezone=tz)),
    "outbox": Schedule("Gửi e-mail", "mỗi phút", _every_minute),
    "evidence_sweep": Schedule("Dọn tệp minh chứng không có bản ghi", "03:00 hằng ngày",
                               lambda tz: CronTrigger(hour=3, minute=0, timezone=tz)),
    "province_files": Schedule("Vẽ sẵn bản đồ nhiệt và báo cáo PDF của tỉnh", "01:30 hằng ngày",
                               lambda tz: CronTrigger(hour=1, minute=30, timezone=tz)),
}


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
    changed_by: str | None = None  # who last paused or resumed it
    changed_at: datetime | None = None


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
    settings = {s.job: s for s in session.scalars(select(JobSetting))}
    paused = {name for name, setting in settings.items() if setting.paused}
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_([s.updated_by_id for s in settings.values() if s.updated_by_id is not None]))).all())
    pending = set(session.scalars(select(JobRequest.job).where(JobRequest.picked_at.is_(None))))
    rows = []
    for name, spec in SCHEDULES.items():
        last = session.scalar(select(JobRun).where(JobRun.job == name)
                              .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))
        next_run = stored.get(name) or spec.make_trigger(timezone).get_next_fire_time(None, now)
        setting = settings.get(name)
        rows.append(JobRow(name, spec.label, spec.schedule, name in paused, next_run, name in stored,
                           last, name in pending,
                           names.get(setting.updated_by_id) if setting else None,
                           setting.updated_at if setting else None))
    return rows


def recent_runs(session: Session, limit: int = 30) -> list[JobRun]:
    """Return the latest runs of every job."""
    return list(session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
                                .limit(limit)))


def record_job_event(session: Session, action: str, actor: User | None, name: str,
                     after: dict[str, Any] | None = None) -> int:
    """Write ``action`` on job ``name`` to every commune's audit log; return how many events.

    ``actor`` None is the command line (the deployment's administrator).
    """
    after = {"job": name, "label": SCHEDULES[name].label, "scope": "all communes", **(after or {})}
    if actor is None:
        after["via"] = "command line"
    communes = session.scalars(select(Commune.id).order_by(Commune.id)).all()
    for commune_id in communes:
        record_event(session, action, actor=actor, commune_id=commune_id, object_type="job",
                     object_id=name, after=after)
    return len(communes)


def request_run(session: Session, name: str, user_id: int | None) -> JobRequest:
    """Ask the scheduler to run ``name`` now (the web app's only way to start a job)."""
    if name not in SCHEDULES:
        raise KeyError(name)
    request = JobRequest(job=name, requested_by_id=user_id)
    session.add(request)
    session.flush()
    return request


def job_label(name: str) -> str:
    """The job's Vietnamese label; ``NotFound`` for a name no job has."""
    if name not in SCHEDULES:
        raise NotFound(f"no job {name!r}")
    return SCHEDULES[name].label


def ask_to_run(session: Session, actor: User | None, name: str) -> JobRequest:
    """Write a "run now" request for the scheduler's poller, and audit it in every commune."""
    request = request_run(session, name, actor.id if actor else None)
    record_job_event(session, "job.request", actor, name)
    return request


def set_paused(session: Session, actor: User | None, name: str, paused: bool) -> None:
    """Pause or resume a job, auditing it in every commune: a paused job records its runs but does
    no work."""
    if name not in SCHEDULES:
        raise KeyError(name)
    setting = session.get(JobSetting, name) or JobSetting(job=name)
    setting.paused, setting.updated_at = paused, utcnow()
    setting.updated_by_id = actor.id if actor else None
    session.add(setting)
    record_job_event(session, "job.pause" if paused else "job.resume", actor, name)
    session.flush()

