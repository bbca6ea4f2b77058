"""The inbox pages, the badge fragment, settings, and the admin jobs page."""

from sqlalchemy import select

from tests.conftest import PASSWORD
from tracker.domain.reminders import Reminder
from tracker.jobs import JOBS
from tracker.models import JobRequest, JobSetting, Notification, NotificationPreference
from tracker.services.notifications import notify
from tracker.services.users import create_user

REMINDER = Reminder("overdue", "overdue:target:MT01:2025-12-31", "MT01 đã quá hạn 31/12/2025",
                    "MT01 – Dịch vụ công: đã quá hạn. Trạng thái: MT01 (chậm / quá hạn).")


def sign_in(client, make_user, username="tp.tthcc", role="unit_head", unit="TTHCC"):
    user = make_user(username, role, unit)
    client.post("/login", data={"username": username, "password": PASSWORD})
    return user


def test_inbox_lists_and_marks_read(client, db, make_user):
    user = sign_in(client, make_user)
    note = notify(db.session, user, REMINDER, "/items/MT01", None)
    db.session.commit()
    page = client.get("/inbox").get_data(as_text=True)
    assert "MT01 đã quá hạn 31/12/2025" in page
    assert 'href="/items/MT01"' in page
    assert 'hx-get="/inbox/badge"' in page
    assert 'hx-trigger="every 60s"' in page
    badge = client.get("/inbox/badge").get_data(as_text=True)
    assert ">1</span>" in badge
    assert "hidden" not in badge
    fragment = client.post(f"/inbox/{note.id}/read", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    assert "hidden" in client.get("/inbox/badge").get_data(as_text=True)


def test_mark_all_read_and_someone_elses_notification(client, db, make_user):
    user = sign_in(client, make_user)
    other = make_user("tp.kt", "unit_head", "KT")
    notify(db.session, user, REMINDER, None, None)
    theirs = notify(db.session, other, REMINDER, None, None)
    db.session.commit()
    assert client.post(f"/inbox/{theirs.id}/read").status_code == 404
    assert client.post("/inbox/read-all").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Notification.read_at).where(Notification.user_id == user.id))
    assert db.session.get(Notification, theirs.id).read_at is None


def test_settings_save_channels_and_address(client, db, make_user):
    user = sign_in(client, make_user)
    assert "Sắp đến hạn" in client.get("/inbox/settings").get_data(as_text=True)
    answer = client.post("/inbox/settings", data={"email": "tp@ngokbay.example.vn", "red-in_app": "on",
                                                  "overdue-email": "on"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(user), user.id).email == "tp@ngokbay.example.vn"
    prefs = {p.kind: (p.in_app, p.email) for p in db.session.scalars(select(NotificationPreference))}
    assert prefs["red"] == (True, False)
    assert prefs["overdue"] == (False, True)
    bad = client.post("/inbox/settings", data={"email": "không phải e-mail"})
    assert bad.status_code == 422
    assert "Địa chỉ e-mail không hợp lệ" in bad.get_data(as_text=True)


def test_province_admin_runs_now_and_pauses(client, db, plan, data_app):
    # A commune's admin no longer may (issue 12, finding 4): see tests/test_job_control.py.
    create_user(db.session, province=plan.commune.province, username="admin.tinh", password=PASSWORD,
                role="admin", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    client.post("/login", data={"username": "admin.tinh", "password": PASSWORD})
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "Chụp trạng thái hằng đêm" in page
    assert "Chưa chạy" in page
    assert client.post("/admin/jobs/snapshot/run").status_code == 302
    assert db.session.scalar(select(JobRequest.job)) == "snapshot"
    assert "Đã yêu cầu" in client.get("/admin/jobs").get_data(as_text=True)
    paused = client.post("/admin/jobs/reminders/pause", data={"paused": "1"}, follow_redirects=True)
    assert db.session.get(JobSetting, "reminders").paused is True
    # The message names the job and says whom a pause affects.
    assert f"Đã tạm dừng “{JOBS['reminders'].label}” cho mọi xã" in paused.text
    assert "Đang tạm dừng" in client.get("/admin/jobs").get_data(as_text=True)
    assert client.post("/admin/jobs/nope/run").status_code == 404


def test_only_admins_touch_jobs(client, db, make_user):
    sign_in(client, make_user, "bithu", "leader", "TTDU")
    assert client.post("/admin/jobs/snapshot/run").status_code == 403
    assert client.post("/admin/jobs/snapshot/pause", data={"paused": "1"}).status_code == 403
    assert db.session.scalar(select(JobRequest)) is None
