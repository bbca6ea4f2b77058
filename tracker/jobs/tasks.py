"""The scheduled jobs: module-level functions of (session, now, config) returning what they did.

Each is idempotent: snapshots are rebuilt in place, notifications are unique per user and event,
periods per commune, kind and start, and mail per idempotency key. The runner commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.domain.formatting import format_date
from tracker.domain.permissions import LEADER, SECRETARY, UNIT_HEAD
from tracker.domain.reminders import (
    ItemFacts,
    Reminder,
    deadline_reminder,
    directive_reminder,
    previous_week,
    red_alert,
    stale_reminder,
    turned_red,
)
from tracker.domain.review import format_due
from tracker.models import Commune, JobRequest, JobRun, Plan, Province, User
from tracker.services.directives import dated_open_directives, directive_facts
from tracker.services.drafts import draft_week_for_scheduler
from tracker.services.evidence import sweep_evidence
from tracker.services.notifications import mail_settings, notify_all, send_outbox
from tracker.services.province_files import draw_ahead, prune
from tracker.services.review import send_report_reminders
from tracker.services.snapshots import (
    has_snapshot,
    previous_snapshot_date,
    rows_by_key,
    snapshot_colours,
    take_snapshot,
)
from tracker.services.status import ItemStatus, plan_status


def local_date(now: datetime, config: Mapping[str, Any]) -> date:
    """Return the commune's calendar date at the instant ``now``."""
    return now.astimezone(ZoneInfo(config["TIMEZONE"])).date()


def _plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.id)))


def _users(session: Session, commune_id: int, role: str, unit_id: int | None = None) -> list[User]:
    query = select(User).where(User.commune_id == commune_id, User.role == role, User.active.is_(True))
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    return list(session.scalars(query.order_by(User.id)))


def facts_of(row: ItemStatus) -> ItemFacts:
    """Return the facts the reminder rules need about one status row."""
    return ItemFacts(kind=row.kind, code=row.code, title=row.item.title, start=row.item.start_date,
                     deadline=row.item.deadline, colour=row.status.colour, met=row.status.met,
                     last_update=row.status.last_update)


def item_link(code: str) -> str:
    """Return the item page's path."""
    return f"/items/{code}"


def snapshot_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Store today's light of every item of every plan (rebuilt if it exists)."""
    today = local_date(now, config)
    items = sum(take_snapshot(session, plan, today) for plan in _plans(session))
    return {"as_of": today.isoformat(), "items": items}


def red_alert_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Tell leaders which items turned red since the previous snapshot (taking today's if missing)."""
    today = local_date(now, config)
    mail = mail_settings(config)
    turned, sent = [], 0
    for plan in _plans(session):
        if not has_snapshot(session, plan, today):
            take_snapshot(session, plan, today)
        before = previous_snapshot_date(session, plan, today)
        if before is None:
            continue
        old, new = snapshot_colours(session, plan, before), snapshot_colours(session, plan, today)
        changed = [key for key, colour in new.items() if turned_red(old.get(key), colour)]
        if not changed:
            continue
        rows = rows_by_key(plan_status(session, plan, today))
        leaders = _users(session, plan.commune_id, LEADER)
        for key in changed:
            if key in rows:
                turned.append(key[1])
                sent += notify_all(session, leaders, red_alert(facts_of(rows[key]), today),
                                   item_link(key[1]), mail)
    return {"as_of": today.isoformat(), "turned_red": turned, "notifications": sent}


def reminder_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Remind each lead unit's heads of deadlines (7 days, 1 day, overdue), stale figures, and the
    leaders' directives to answer (a few days before their due date, and once overdue)."""
    today = local_date(now, config)
    mail = mail_settings(config)
    counts = {"due_soon": 0, "overdue": 0, "stale": 0}
    for plan in _plans(session):
        heads: dict[int, list[User]] = {}
        for directive in dated_open_directives(session, plan):
            reminder = directive_reminder(directive_facts(directive), today)
            if reminder is None:
                continue
            unit_id = directive.item.lead_unit_id
            if unit_id not in heads:
                heads[unit_id] = _users(session, plan.commune_id, UNIT_HEAD, unit_id)
            counts[reminder.kind] += notify_all(session, heads[unit_id], reminder,
                                                item_link(directive.item.code) + "#directives", mail)
        for row in plan_status(session, plan, today):
            facts = facts_of(row)
            reminders: list[Reminder] = [r for r in (deadline_reminder(facts, today),
                                                     stale_reminder(facts, today, plan.stale_days)) if r]
            if not reminders:
                continue
            unit_id = row.item.lead_unit_id
            if unit_id not in heads:
                heads[unit_id] = _users(session, plan.commune_id, UNIT_HEAD, unit_id)
            for reminder in reminders:
                counts[reminder.kind] += notify_all(session, heads[unit_id], reminder,
                                                    item_link(row.code), mail)
    return {"as_of": today.isoformat(), "notifications": counts}


def weekly_draft_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Open last week (Monday–Sunday) as a draft period and tell the secretaries it waits for them."""
    start, end = previous_week(local_date(now, config))
    mail = mail_settings(config)
    created = []
    for commune in session.scalars(select(Commune).order_by(Commune.id)):
        period = draft_week_for_scheduler(session, commune, start, end, timezone=config["TIMEZONE"])
        if period is None:
            continue
        created.append(period.id)
        due = format_due(period.due_at, config["TIMEZONE"], language="vi")
        reminder = Reminder(
            "weekly_draft", f"weekly:{commune.id}:{start.isoformat()}",
            f"Dự thảo báo cáo tuần {format_date(start)}–{format_date(end)} đã sẵn sàng",
            f"Kỳ báo cáo tuần {format_date(start)}–{format_date(end)} của {commune.name} đã được "
            "tạo ở dạng dự thảo. Đề nghị nhập số liệu, nội dung và gửi báo cáo"
            + (f" trước {due}." if due else "."))
        notify_all(session, _users(session, commune.id, SECRETARY), reminder, f"/reports/{period.id}", mail)
    return {"week": [start.isoformat(), end.isoformat()], "periods": created}


def report_reminder_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Tell each commune's secretaries the day before a report is due, and once when it is overdue."""
    return {"notifications": send_report_reminders(session, now, config["TIMEZONE"], mail_settings(config))}


def outbox_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Send the e-mail that is due (commits per message itself)."""
    return send_outbox(session, now, mail_settings(config))


def prune_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Delete finished job runs and run-now requests older than ``JOB_HISTORY_DAYS``.

    The e-mail job alone records a run a minute, half a million a year; the admin page shows the
    latest runs, a run's claim only matters for the instants the scheduler may still fire, and a
    run-now request that old is not one to carry out any more.
    """
    cutoff = now - timedelta(days=config["JOB_HISTORY_DAYS"])
    unsynced = {"synchronize_session": False}  # nothing deleted is loaded in this session
    runs = session.execute(delete(JobRun).where(JobRun.started_at < cutoff, JobRun.finished_at.is_not(None)),
                           execution_options=unsynced)
    requests = session.execute(delete(JobRequest).where(JobRequest.requested_at < cutoff),
                               execution_options=unsynced)
    return {"job_runs_deleted": runs.rowcount, "requests_deleted": requests.rowcount}


def evidence_sweep_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Remove evidence files older than a day that no attachment names (``sweep_evidence``)."""
    return sweep_evidence(session, Path(config["UPLOAD_DIR"]), now)


def province_files_job(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, Any]:
    """Draw each province's heat-map (SVG, PNG) and summary PDF as of today, so the morning's
    readers get the kept copies; remove copies older than a week. A copy already current is kept
    as it is (``services.province_files``)."""
    from tracker.render.render_pdf import PdfUnavailable

    today = local_date(now, config)
    root = config["PROVINCE_FILES_DIR"]
    done: dict[str, Any] = {"as_of": today.isoformat(), "provinces": {}}
    for province in session.scalars(select(Province).order_by(Province.id)):
        try:
            drawn, keep = draw_ahead(session, root, province, today=today)
        except PdfUnavailable:  # no pango on this machine: the pictures at least
            drawn, keep = draw_ahead(session, root, province, today=today, pdf=False)
        drawn["removed"] = prune(root, province, keep)
        done["provinces"][province.code] = drawn
    return done
