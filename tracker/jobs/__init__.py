"""Scheduled work: the list of jobs and their schedules.

The scheduler itself runs only in its own process (``flask --app tracker scheduler``); nothing
here starts it. See ``tracker/jobs/scheduler.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tracker.jobs import tasks

MISFIRE_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class JobSpec:
    """A job: its name, its Vietnamese label, its function and its schedule."""

    name: str
    label: str
    func: Callable[..., dict[str, Any]]
    schedule: str  # shown on the admin page
    make_trigger: Callable[[str], BaseTrigger]


def _every_minute(tz: str) -> BaseTrigger:
    # A fixed start aligns the fire times of every process, so they claim the same instants.
    return IntervalTrigger(minutes=1, start_date=datetime(2024, 1, 1, tzinfo=ZoneInfo(tz)), timezone=tz)


JOBS: dict[str, JobSpec] = {spec.name: spec for spec in (
    JobSpec("snapshot", "Chụp trạng thái hằng đêm", tasks.snapshot_job, "01:00 hằng ngày",
            lambda tz: CronTrigger(hour=1, minute=0, timezone=tz)),
    JobSpec("red_alerts", "Báo mục chuyển sang đỏ", tasks.red_alert_job, "01:15 hằng ngày",
            lambda tz: CronTrigger(hour=1, minute=15, timezone=tz)),
    JobSpec("reminders", "Nhắc hạn, quá hạn, lâu chưa cập nhật", tasks.reminder_job, "06:30 hằng ngày",
            lambda tz: CronTrigger(hour=6, minute=30, timezone=tz)),
    JobSpec("weekly_draft", "Dự thảo báo cáo tuần", tasks.weekly_draft_job, "07:00 thứ Hai",
            lambda tz: CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=tz)),
    JobSpec("prune", "Dọn lịch sử chạy việc cũ", tasks.prune_job, "02:30 hằng ngày",
            lambda tz: CronTrigger(hour=2, minute=30, timezone=tz)),
    JobSpec("outbox", "Gửi e-mail", tasks.outbox_job, "mỗi phút", _every_minute),
    JobSpec("evidence_sweep", "Dọn tệp minh chứng không có bản ghi", tasks.evidence_sweep_job,
            "03:00 hằng ngày", lambda tz: CronTrigger(hour=3, minute=0, timezone=tz)),
)}
