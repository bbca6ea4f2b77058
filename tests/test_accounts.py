"""Accounts: changing and resetting passwords, the audit log page (the throttle: test_sign_in_throttle)."""

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tracker.models import AuditEvent


def test_change_password_ends_other_sessions(app, client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    other = app.test_client()
    other.post("/login", data={"username": "bithu", "password": PASSWORD})
    wrong = client.post("/account/password", data={"current": "sai", "password": "mat-khau-moi-dai",
                                                   "confirm": "mat-khau-moi-dai"})
    assert wrong.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in wrong.text
    short = client.post("/account/password",
                        data={"current": PASSWORD, "password": "ngan", "confirm": "ngan"})
    assert "ít nhất 8 ký tự" in short.text
    changed = client.post("/account/password", data={"current": PASSWORD, "password": "mat-khau-moi-dai",
                                                     "confirm": "mat-khau-moi-dai"})
    assert changed.status_code == 302
    assert client.get("/plan").status_code == 200, "this session carries on"
    assert other.get("/plan").status_code == 302, "the other session ended"
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "bithu", "password": "mat-khau-moi-dai"}).status_code == 302


def test_admin_resets_a_password(app, client, make_user):
    make_user("admin", "admin")
    head = make_user("tp.kt", "unit_head", "KT")
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert client.post(f"/admin/users/{head.id}/password", data={"password": "ngan"}).status_code == 302
    refused_reset = app.test_client().post("/login", data={"username": "tp.kt", "password": PASSWORD})
    assert refused_reset.status_code == 302, "a refused reset (too short) changes nothing"
    client.post(f"/admin/users/{head.id}/password", data={"password": "mat-khau-dat-lai"})
    assert app.test_client().post("/login", data={"username": "tp.kt",
                                                  "password": "mat-khau-dat-lai"}).status_code == 302


def test_audit_page_filters_and_exports(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": "sai"})
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    page = client.get("/admin/audit?action=auth")
    assert page.status_code == 200
    # Issue 14.6: sentences, not the stored codes (which only remain as the kind filter's values).
    assert "Đăng nhập không thành công với tên đăng nhập “bithu”" in page.text
    assert "bithu đăng nhập" in page.text
    assert ">auth.login" not in page.text
    only_failed = client.get("/admin/audit?kind=auth.login_failed")
    assert "Đăng nhập không thành công" in only_failed.text
    assert "bithu đăng nhập<" not in only_failed.text
    csv = client.get("/admin/audit.csv?action=auth.login_failed")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.data.startswith("\ufeff".encode())
    assert csv.text.count("auth.login_failed") == 1
    assert client.get("/admin/audit?from=hôm-qua").status_code == 400


@pytest.mark.parametrize("password", ["12345678", "Password123", "matkhau123", "aaaaaaaaaaaa", "ababababab"])
def test_common_passwords_are_refused(password):
    from tracker.services.users import UserError, check_password_rules

    with pytest.raises(UserError, match="quá phổ biến"):
        check_password_rules(password, 8)


def test_long_passphrases_are_accepted():
    from tracker.services.users import check_password_rules

    check_password_rules("trâu ơi ta bảo trâu này", 8)
    check_password_rules("x" * 64 + "yz", 8)


def test_permission_denials_are_audited(client, make_user, db):
    make_user("tp.kt", "unit_head", "KT")
    client.post("/login", data={"username": "tp.kt", "password": PASSWORD})
    assert client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "1"}).status_code == 403
    denial = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied"))
    assert denial.actor_name == "tp.kt"
    assert denial.object_id == "POST /items/MT02/entries"


def test_audit_csv_cells_never_start_a_formula(client, make_user, db):
    """Finding 12.8 (CSV side): a value starting with "=" was exported as a live spreadsheet formula."""
    import csv
    import io

    from tracker.services.audit import record_event

    admin = make_user("admin", "admin")
    hostile = '=HYPERLINK("http://evil.example","Bấm")'
    for start in (hostile, "+1", "-2+3", "@SUM(A1)"):
        record_event(db.session, "item.rename", actor=admin, object_type="target", object_id=start)
    db.session.commit()
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    answer = client.get("/admin/audit.csv?action=item.rename")
    rows = list(csv.reader(io.StringIO(answer.text.removeprefix("\ufeff"))))
    ids = sorted(row[5] for row in rows[1:])
    assert ids == sorted(["'" + hostile, "'+1", "'-2+3", "'@SUM(A1)"])
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_the_activity_log_speaks_the_readers_language_and_pages(client, make_user, db):
    """Issue 14.6: sentences through the i18n pipeline (English too), 50 a page, the filters kept."""
    from tracker.services.audit import record_event

    leader = make_user("bithu", "leader", "TTDU")
    leader.full_name, leader.language = "Nguyễn Văn Thành", "en"
    for _ in range(55):
        record_event(db.session, "auth.login", actor=leader, object_type="user", object_id=leader.id)
    db.session.commit()
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    typed = client.get("/admin/audit?kind=auth.login&from=01/01/2020")  # as typed: to the ISO address
    assert typed.status_code == 303
    assert typed.headers["Location"].endswith("/admin/audit?kind=auth.login&from=2020-01-01")
    first = client.get("/admin/audit?kind=auth.login&from=2020-01-01")
    assert "<h1>Activity log</h1>" in first.text
    assert first.text.count("Nguyễn Văn Thành signed in") == 50
    assert 'href="/admin/audit?page=2&amp;kind=auth.login&amp;from=2020-01-01"' in first.text
    second = client.get("/admin/audit?page=2&kind=auth.login&from=2020-01-01")
    assert second.text.count("Nguyễn Văn Thành signed in") == 6  # 55 recorded and the sign-in itself
    assert "Next page" not in second.text
    assert client.get("/admin/audit?page=0").status_code == 400
    assert client.get("/admin/audit?from=32/01/2025").status_code == 400
