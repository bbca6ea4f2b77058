"""Commands: ``scheduler`` (the one scheduler process) and ``jobs run-due|run|pause|resume``.

These are the deployment administrator's controls; ``run``, ``pause`` and ``resume`` are written
to every commune's audit log, as from the admin page.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.domain.dates import EARLIEST_DATE, LATEST_DATE, in_range
from tracker.extensions import db
from tracker.jobs import JOBS
from tracker.jobs.runner import process_requests, run_due, run_job
from tracker.services.jobs import record_job_event, set_paused
from tracker.transaction import in_transaction


def _parse_now(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' không phải thời điểm ISO 8601.") from None
    if moment.tzinfo is None:  # a wall-clock time in the commune's zone
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    if not in_range(moment.date()):
        raise click.BadParameter(f"'{text}' nằm ngoài khoảng ngày cho phép "
                                 f"({EARLIEST_DATE.isoformat()} .. {LATEST_DATE.isoformat()}).")
    return moment


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler (one process only; a second one waits for the lease)."""
    from tracker.jobs.scheduler import run_scheduler

    run_scheduler(current_app._get_current_object(), echo=click.echo)


@click.group("jobs")
def jobs_group() -> None:
    """Scheduled jobs: run what is due, or one job, without the scheduler."""


@jobs_group.command("run-due")
@with_appcontext
@click.option("--now", "now_text", default=None, help="The instant, ISO 8601 (default: now).")
def run_due_command(now_text: str | None) -> None:
    """Run every job due at ``--now`` that no process has run yet, and pending run-now requests."""
    now = _parse_now(now_text)
    for run in run_due(now) + process_requests(now):
        click.echo(f"{run.job}\t{run.scheduled_for.isoformat()}\t{run.outcome}")


@jobs_group.command("run")
@with_appcontext
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--now", "now_text", default=None, help="The instant, ISO 8601 (default: now).")
def run_command(name: str, now_text: str | None) -> None:
    """Run one job for ``--now`` (e.g. rebuild a past day's snapshot)."""
    now = _parse_now(now_text)
    record_job_event(db.session, "job.run", None, name, {"now": now.isoformat()})
    db.session.commit()  # audited even when another process has the run: the run is its own boundary
    run = run_job(name, now, now, trigger="request")
    click.echo(f"{name}\t{run.outcome if run else 'đã chạy cho thời điểm này'}")


def _set_paused(name: str, paused: bool) -> None:
    set_paused(db.session, None, name, paused)
    click.echo(f"Đã tạm dừng việc {name} cho mọi xã." if paused else f"Việc {name} chạy lại theo lịch.")


@jobs_group.command("pause")
@with_appcontext
@click.argument("name", type=click.Choice(sorted(JOBS)))
@in_transaction
def pause_command(name: str) -> None:
    """Pause a job for every commune: it is still recorded when due, but does nothing."""
    _set_paused(name, True)


@jobs_group.command("resume")
@with_appcontext
@click.argument("name", type=click.Choice(sorted(JOBS)))
@in_transaction
def resume_command(name: str) -> None:
    """Resume a paused job."""
    _set_paused(name, False)
