"""Scheduled work: the list of jobs and their schedules.

The scheduler itself runs only in its own process (``flask --app tracker scheduler``); nothing
here starts it. See ``tracker/jobs/scheduler.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from tracker.jobs import tasks
from tracker.services.jobs import SCHEDULES

MISFIRE_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class JobSpec:
    """A job: its name, its Vietnamese label, its function and its schedule."""

    name: str
    label: str
    func: Callable[..., dict[str, Any]]
    schedule: str  # shown on the admin page
    make_trigger: Callable[[str], BaseTrigger]


FUNCTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "snapshot": tasks.snapshot_job,
    "red_alerts": tasks.red_alert_job,
    "reminders": tasks.reminder_job,
    "weekly_draft": tasks.weekly_draft_job,
    "report_reminders": tasks.report_reminder_job,
    "prune": tasks.prune_job,
    "outbox": tasks.outbox_job,
    "evidence_sweep": tasks.evidence_sweep_job,
    "province_files": tasks.province_files_job,
}

# The schedules (what runs when, shown on the admin page) are the services'; the functions that
# run them are this package's.
JOBS: dict[str, JobSpec] = {name: JobSpec(name, spec.label, FUNCTIONS[name], spec.schedule, spec.make_trigger)
                            for name, spec in SCHEDULES.items()}
