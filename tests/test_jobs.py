"""Each job against the database with ``now`` passed in; JobRun records; run-now requests; pauses."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tracker.domain.entries import EntryInput
from tracker.jobs import JOBS, tasks
from tracker.jobs.runner import due_instant, process_requests, run_due, run_job
from tracker.models import (
    JobRequest,
    JobRun,
    JobSetting,
    Notification,
    OutboxMail,
    ReportingPeriod,
    StatusSnapshot,
)
from tracker.services.jobs import request_run
from tracker.services.progress import log_progress
from tracker.services.snapshots import colour_history

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=6, mm=30):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def head(make_user):
    return make_user("tp.tthcc", "unit_head", "TTHCC")


@pytest.fixture
def leader(make_user):
    return make_user("bithu", "leader", "TTDU")


def log(db, user, item, as_of, value):
    log_progress(db.session, user, item, EntryInput(as_of=as_of, value=value), today=as_of)
    db.session.commit()


def test_snapshot_stores_every_item_and_rebuilds_a_past_date(db, plan, head, item, data_app):
    runs = run_job("snapshot", at(2025, 12, 1, 1, 0))
    assert runs.outcome == "ok"
    assert runs.summary["as_of"] == "2025-12-01"
    total = len(plan.targets) + len(plan.tasks)
    assert count(db, StatusSnapshot, StatusSnapshot.as_of == date(2025, 12, 1)) == total
    assert db.session.scalar(select(StatusSnapshot.colour).where(StatusSnapshot.code == "MT01")) == "grey"
    # An entry dated in the past, then a rebuild of that day: the same rows, the new colour.
    log(db, head, item("MT01"), date(2025, 11, 30), 25)
    tasks.snapshot_job(db.session, at(2025, 12, 1, 1, 0), data_app.config)
    db.session.commit()
    assert count(db, StatusSnapshot, StatusSnapshot.as_of == date(2025, 12, 1)) == total
    assert colour_history(db.session, plan, "target", "MT01") == [(date(2025, 12, 1), "green")]


def test_reminders_reach_the_lead_unit_once(db, plan, head, make_user):
    other = make_user("tp.kt", "unit_head", "KT")
    first = run_job("reminders", at(2025, 12, 24))
    mine = db.session.scalars(select(Notification).where(Notification.user_id == head.id)).all()
    due = [n for n in mine if n.kind == "due_soon"]
    assert {n.key for n in due} >= {"due7:target:MT01:2025-12-31", "due7:target:MT02:2025-12-31"}
    mt01 = next(n for n in due if n.key == "due7:target:MT01:2025-12-31")
    assert mt01.link == "/items/MT01"
    assert "còn 7 ngày" in mt01.title
    assert "chưa có số liệu" in mt01.body
    assert not any("MT01" in n.key for n in db.session.scalars(
        select(Notification).where(Notification.user_id == other.id)))
    # Twice on the same day (another instant) and the next day: nothing repeated.
    before = count(db, Notification)
    run_job("reminders", at(2025, 12, 24, 9, 0))
    run_job("reminders", at(2025, 12, 25))
    assert count(db, Notification) == before
    assert first.summary["notifications"]["due_soon"] > 0
    # The day before, the day of, the day after.
    run_job("reminders", at(2025, 12, 30))
    assert count(db, Notification, Notification.key == "due1:target:MT01:2025-12-31") == 1
    run_job("reminders", at(2025, 12, 31))
    assert count(db, Notification, Notification.key == "due1:target:MT01:2025-12-31") == 1
    run_job("reminders", at(2026, 1, 1))
    assert count(db, Notification, Notification.key == "overdue:target:MT01:2025-12-31",
                 Notification.user_id == head.id) == 1


def test_stale_nudge_once_per_silence(db, plan, head, item):
    log(db, head, item("MT01"), date(2025, 10, 1), 10)
    run_job("reminders", at(2025, 11, 1))
    assert count(db, Notification, Notification.key == "stale:target:MT01:2025-10-01") == 1
    run_job("reminders", at(2025, 11, 2))
    assert count(db, Notification, Notification.key.like("stale:target:MT01:%")) == 1


def test_red_alert_only_when_an_item_turns_red(db, plan, head, leader, item):
    log(db, head, item("MT01"), date(2025, 12, 20), 20)   # 80 % of 25 on the deadline: amber
    run_job("snapshot", at(2025, 12, 31, 1, 0))
    run_job("red_alerts", at(2025, 12, 31, 1, 15))
    assert count(db, Notification, Notification.kind == "red") == 0
    run_job("snapshot", at(2026, 1, 1, 1, 0))
    run = run_job("red_alerts", at(2026, 1, 1, 1, 15))
    assert "MT01" in run.summary["turned_red"]
    alert = db.session.scalar(select(Notification).where(Notification.kind == "red",
                                                         Notification.key.like("%MT01%")))
    assert alert.user_id == leader.id
    assert "chuyển sang đỏ" in alert.title
    # Still red the next day: no new alert.
    run_job("snapshot", at(2026, 1, 2, 1, 0))
    run_job("red_alerts", at(2026, 1, 2, 1, 15))
    assert count(db, Notification, Notification.kind == "red", Notification.key.like("%MT01%")) == 1


def test_red_alert_takes_a_missing_snapshot_first(db, plan, leader):
    run = run_job("red_alerts", at(2026, 1, 1, 1, 15))
    assert run.outcome == "ok", run.error
    assert run.summary["turned_red"] == []
    assert count(db, StatusSnapshot, StatusSnapshot.as_of == date(2026, 1, 1)) > 0


def test_weekly_draft_for_the_previous_week_and_the_secretary_is_told(db, plan, secretary):
    run = run_job("weekly_draft", at(2025, 11, 10, 7, 0))
    period = db.session.scalar(select(ReportingPeriod))
    assert (period.kind, period.start_date, period.end_date, period.status) == (
        "week", date(2025, 11, 3), date(2025, 11, 9), "draft")
    assert run.summary["periods"] == [period.id]
    note = db.session.scalar(select(Notification).where(Notification.user_id == secretary.id))
    assert note.kind == "weekly_draft"
    assert note.link == f"/reports/{period.id}"
    assert "03/11/2025" in note.title
    run_job("weekly_draft", at(2025, 11, 10, 8, 0))
    assert count(db, ReportingPeriod) == 1


def test_weekly_draft_respects_an_overlapping_week(db, plan, week):
    run = run_job("weekly_draft", at(2025, 11, 10, 7, 0))   # week fixture: 27/10–03/11 overlaps 03/11
    assert run.summary["periods"] == []
    assert count(db, ReportingPeriod) == 1


def test_a_run_is_claimed_once(db, plan):
    instant = at(2025, 12, 1, 1, 0)
    assert run_job("snapshot", instant) is not None
    assert run_job("snapshot", instant) is None
    assert count(db, JobRun, JobRun.job == "snapshot") == 1


def test_a_failing_job_is_recorded_and_the_next_run_proceeds(db, plan, monkeypatch):
    def boom(session, now, config):
        session.add(StatusSnapshot(plan_id=plan.id, as_of=date(2025, 1, 1), kind="target", code="X",
                                   colour="red"))
        session.flush()
        raise RuntimeError("máy chủ bận")

    spec = JOBS["snapshot"]
    monkeypatch.setitem(JOBS, "snapshot", spec.__class__(spec.name, spec.label, boom, spec.schedule,
                                                         spec.make_trigger))
    failed = run_job("snapshot", at(2025, 12, 1, 1, 0))
    assert failed.outcome == "failed"
    assert "máy chủ bận" in failed.error
    assert failed.finished_at
    assert count(db, StatusSnapshot) == 0   # its work was rolled back
    monkeypatch.setitem(JOBS, "snapshot", spec)
    assert run_job("snapshot", at(2025, 12, 2, 1, 0)).outcome == "ok"


def test_run_due_runs_what_is_due_within_the_grace_time(db, plan):
    names = {run.job for run in run_due(at(2025, 12, 1, 1, 20))}   # 01:00 and 01:15 are due
    assert names == {"snapshot", "red_alerts", "outbox"}
    assert {run.job for run in run_due(at(2025, 12, 1, 1, 20))} == set()   # already claimed
    assert {run.job for run in run_due(at(2025, 12, 1, 5, 0))} == {"outbox"}  # 01:00 is beyond grace


def test_due_instant_after_the_clock_jumps():
    trigger = JOBS["reminders"].make_trigger("Asia/Ho_Chi_Minh")
    assert due_instant(trigger, at(2025, 12, 1, 7, 0)) == at(2025, 12, 1, 6, 30)
    assert due_instant(trigger, at(2025, 12, 1, 6, 29)) is None


def test_paused_job_records_a_run_but_does_nothing(db, plan, secretary):
    db.session.add(JobSetting(job="weekly_draft", paused=True))
    db.session.commit()
    run = run_job("weekly_draft", at(2025, 11, 10, 7, 0))
    assert run.outcome == "paused"
    assert count(db, ReportingPeriod) == 0


def test_run_now_requests_are_run_once(db, plan, secretary):
    request_run(db.session, "snapshot", secretary.id)
    db.session.commit()
    runs = process_requests(at(2025, 12, 1, 10, 0))
    assert [(r.job, r.trigger, r.outcome) for r in runs] == [("snapshot", "request", "ok")]
    assert process_requests(at(2025, 12, 1, 10, 1)) == []


def test_no_mail_without_smtp(db, plan, head):
    head.email = "tp.tthcc@example.vn"
    db.session.commit()
    run_job("reminders", at(2025, 12, 24))
    assert count(db, Notification) > 0
    assert count(db, OutboxMail) == 0


def test_the_overview_shows_the_colour_history_from_snapshots(client, db, plan, make_user):
    run_job("snapshot", at(2025, 12, 1, 1, 0))
    run_job("snapshot", at(2025, 12, 2, 1, 0))
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": "mat-khau-thu-nghiem"})
    page = client.get("/plan?as_of=2025-12-02").get_data(as_text=True)
    assert "Diễn biến màu" in page
    assert "01/12/2025" in page
    assert "02/12/2025" in page
    assert "Diễn biến màu" not in client.get("/plan?as_of=2025-11-30").get_data(as_text=True)


def test_prune_deletes_what_is_older_than_the_history_and_keeps_the_rest(db, data_app):
    now = at(2026, 6, 1, 2, 30)
    old, recent = now - timedelta(days=91), now - timedelta(days=89)
    assert data_app.config["JOB_HISTORY_DAYS"] == 90
    db.session.add_all([
        JobRun(job="outbox", scheduled_for=old, started_at=old, finished_at=old, outcome="ok"),
        JobRun(job="outbox", scheduled_for=recent, started_at=recent, finished_at=recent, outcome="ok"),
        JobRun(job="reminders", scheduled_for=old, started_at=old, outcome="running"),  # never finished
        JobRequest(job="snapshot", requested_at=old, picked_at=old),
        JobRequest(job="snapshot", requested_at=old),  # never picked: stale
        JobRequest(job="snapshot", requested_at=recent, picked_at=recent),
    ])
    db.session.commit()
    run = run_job("prune", now)
    assert run.outcome == "ok", run.error
    assert run.summary == {"job_runs_deleted": 1, "requests_deleted": 2}
    db.session.expire_all()
    assert sorted(db.session.scalars(select(JobRun.job))) == ["outbox", "prune", "reminders"]
    assert count(db, JobRequest) == 1
