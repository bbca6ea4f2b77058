"""Signing in and out."""

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db as _db
from tracker.models import AuditEvent


def test_login_page_is_vietnamese(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert "Đăng nhập" in page.text
    assert 'lang="vi"' in page.text


def test_pages_need_sign_in(client, plan):
    answer = client.get("/plan")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_sign_in_and_out(client, login, make_user, db):
    make_user("bithu", "leader", "TTDU")
    answer = login("bithu")
    assert answer.status_code == 302
    assert "Kế hoạch của Ban Thường vụ" in client.get("/plan").text
    assert client.post("/logout").status_code == 302
    assert client.get("/plan").status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_wrong_password_and_unknown_user_get_the_same_plain_message(client, login, make_user, db):
    make_user("bithu", "leader", "TTDU")
    wrong_password = login("bithu", "sai-mat-khau")
    unknown_user = login("khongco", "sai-mat-khau")
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert message in wrong_password.text
    assert message in unknown_user.text
    failures = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert len(failures) == 2


def test_locked_account_cannot_sign_in_and_its_sessions_end(app, client, login, make_user, db):
    admin = make_user("admin", "admin")
    head = make_user("tp.kt", "unit_head", "KT")
    other = app.test_client()
    other.post("/login", data={"username": "tp.kt", "password": "mat-khau-thu-nghiem"})
    assert other.get("/plan").status_code == 200
    login("admin")
    client.post(f"/admin/users/{head.id}/active", data={"active": "0"})
    assert other.get("/plan").status_code == 302, "the locked user's open session must end"
    again = app.test_client().post("/login", data={"username": "tp.kt", "password": "mat-khau-thu-nghiem"})
    assert again.status_code == 401
    assert admin.active


def test_next_only_follows_local_paths(client, login, make_user):
    make_user("bithu", "leader", "TTDU")
    answer = client.post("/login?next=https://evil.example/", data={
        "username": "bithu", "password": "mat-khau-thu-nghiem"})
    assert answer.headers["Location"] == "/"


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_missing_csrf_token_gets_a_vietnamese_message(app, make_user):
    make_user("bithu", "leader", "TTDU")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        answer = app.test_client().post("/login", data={"username": "bithu", "password": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert answer.status_code == 400
    assert "Vui lòng tải lại trang" in answer.text


def test_control_characters_in_the_login_are_refused(client, make_user):
    """The request guard refuses a NUL anywhere with 400 before the sign-in is tried (issue 12 #11;
    it used to be a plain 401 failure, which only the service's own check kept from PostgreSQL)."""
    make_user("bithu", "leader", "TTDU")
    answer = client.post("/login", data={"username": "bit\x00hu", "password": "x\x00y"})
    assert answer.status_code == 400
    assert "ký tự không được phép" in answer.text
    assert client.get("/plan").status_code == 302, "not signed in"


def test_as_of_accepts_only_yyyy_mm_dd(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    for text in ("20251001", "2025-W40-3", "2025-10-01T00:00"):
        assert client.get(f"/plan?as_of={text}").status_code == 400, text
    assert client.get("/plan?as_of=2025-10-01").status_code == 200


def test_behind_a_proxy_the_audit_log_records_the_client_address(db, plan, make_user):
    """With TRACKER_PROXY_COUNT=1 the address nginx forwards is the client's (sign-in throttle, audit)."""

    class BehindNginx(TestConfig):
        PROXY_COUNT = 1

    make_user("bithu", "leader", "TTDU")
    behind = create_app(BehindNginx)
    answer = behind.test_client().post("/login", data={"username": "bithu", "password": PASSWORD},
                                       headers={"X-Forwarded-For": "203.0.113.7"})
    with behind.app_context():
        _db.engine.dispose()  # this app's own pool: closed now, not by the garbage collector mid-suite
    assert answer.status_code == 302
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login")).one()
    assert event.remote_addr == "203.0.113.7"


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(app, client, login, make_user):
    make_user("bithu", "leader", "TTDU")
    login("bithu")
    copied = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/plan").status_code == 302, "signing out ended the session for every copy of the cookie"


def test_signing_out_ends_the_accounts_other_sessions(app, client, login, make_user):
    make_user("bithu", "leader", "TTDU")
    other = app.test_client()
    other.post("/login", data={"username": "bithu", "password": PASSWORD})
    login("bithu")
    client.post("/logout")
    assert other.get("/plan").status_code == 302


def test_a_role_change_ends_the_accounts_sessions(client, login, make_user, db):
    """Whatever writes the change (no page edits roles yet): no session outlives its rights."""
    head = make_user("tp.kt", "unit_head", "KT")
    login("tp.kt")
    assert client.get("/plan").status_code == 200
    head.role = "leader"
    head.unit_id = None
    db.session.commit()
    assert client.get("/plan").status_code == 302
    assert login("tp.kt").status_code == 302, "signing in again gives a session with the new rights"
    assert client.get("/plan").status_code == 200


def test_sign_in_starts_a_new_session_with_a_new_csrf_token(app, client, make_user, monkeypatch):
    make_user("bithu", "leader", "TTDU")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/login").text
    before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with client.session_transaction() as session:
        raw_before = session["csrf_token"]
        session["planted"] = "by someone else before sign-in"
    answer = client.post("/login", data={"username": "bithu", "password": PASSWORD, "csrf_token": before})
    assert answer.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session, "nothing from before sign-in survives it"
        assert session.get("csrf_token") != raw_before
    client.get("/plan")
    with client.session_transaction() as session:
        assert session["csrf_token"] != raw_before, "a fresh token is made for the signed-in session"
    refused = client.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 400, "the token known before sign-in is worth nothing after it"
