"""Who pauses and runs the scheduled jobs, and who learns of it (issue 12, finding 4).

Every job works on every commune at once: a province's admin (or the deployment's administrator,
with ``flask jobs``) controls them; a commune's admin sees them read-only; every pause, resume and
run-now is in the audit log of every commune.
"""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tracker.domain.permissions import Actor, can_run_jobs, can_see_jobs
from tracker.models import AuditEvent, Commune, JobRequest, JobSetting
from tracker.services.plan_template import find_or_create_commune
from tracker.services.users import create_user


@pytest.fixture
def admins(db, plan, make_user, data_app):
    """The seeded commune's admin, a second commune's admin, and the province's admin."""
    other = find_or_create_commune(db.session, "xa-khac", "Xã Khác", plan.commune.province.name)
    made = {}
    places = {"admin.khac": {"commune": other}, "admin.tinh": {"province": plan.commune.province}}
    for username, place in places.items():
        made[username] = create_user(db.session, username=username, password=PASSWORD, role="admin",
                                     hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                                     min_length=data_app.config["PASSWORD_MIN_LENGTH"], **place)
    db.session.commit()
    made["admin"] = make_user("admin", "admin")
    return made


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_only_a_provinces_admin_controls_jobs():
    assert can_run_jobs(Actor("admin", None, province_id=1))
    assert not can_run_jobs(Actor("admin", 10, province_id=1))
    assert not can_run_jobs(Actor("leader", None, province_id=1))
    assert can_see_jobs(Actor("admin", 10))
    assert not can_see_jobs(Actor("leader", 10))


def test_a_communes_admin_sees_the_jobs_but_cannot_pause_or_run_them(app, db, admins):
    client = signed_in(app, "admin")
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Chụp trạng thái hằng đêm" in text
    assert "/admin/jobs/snapshot/run" not in text
    assert "/admin/jobs/snapshot/pause" not in text
    assert "chỉ quản trị viên của tỉnh" in text
    assert client.post("/admin/jobs/reminders/pause", data={"paused": "1"}).status_code == 403
    assert client.post("/admin/jobs/snapshot/run").status_code == 403
    db.session.expire_all()
    assert db.session.get(JobSetting, "reminders") is None
    assert db.session.scalar(select(JobRequest)) is None


def test_a_pause_is_in_every_communes_audit_log_with_who_did_it(app, db, admins):
    province = signed_in(app, "admin.tinh")
    assert "/admin/jobs/reminders/pause" in province.get("/admin/jobs").get_data(as_text=True)
    assert province.post("/admin/jobs/reminders/pause", data={"paused": "1"}).status_code == 302
    assert province.post("/admin/jobs/snapshot/run").status_code == 302
    db.session.expire_all()
    assert db.session.get(JobSetting, "reminders").paused is True
    communes = db.session.scalars(select(Commune.id)).all()
    assert len(communes) == 2
    for action in ("job.pause", "job.request"):
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        assert sorted(e.commune_id for e in events) == sorted(communes)
        assert {e.actor_name for e in events} == {"admin.tinh"}
    for username in ("admin", "admin.khac"):  # each commune's admin reads it in their own log
        client = signed_in(app, username)
        log = client.get("/admin/audit?action=job.").get_data(as_text=True)
        assert "job.pause" in log
        assert "job.request" in log
        assert "admin.tinh" in log
        jobs = client.get("/admin/jobs").get_data(as_text=True)
        assert "Tạm dừng bởi admin.tinh" in jobs
    assert province.post("/admin/jobs/reminders/pause", data={"paused": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "job.resume")) == 2


def test_the_command_line_pauses_resumes_and_runs_for_every_commune(runner, db, admins):
    assert runner.invoke(args=["jobs", "pause", "reminders"]).exit_code == 0
    assert db.session.get(JobSetting, "reminders").paused is True
    assert runner.invoke(args=["jobs", "resume", "reminders"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(JobSetting, "reminders").paused is False
    result = runner.invoke(args=["jobs", "run", "prune", "--now", "2026-01-01T02:30:00"])
    assert result.exit_code == 0, result.output
    for action in ("job.pause", "job.resume", "job.run"):
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        assert len(events) == 2
        assert {(e.actor_id, e.after["via"]) for e in events} == {(None, "command line")}
    assert runner.invoke(args=["jobs", "pause", "nope"]).exit_code == 2
