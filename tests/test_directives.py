"""Directives: leaders write, the lead unit answers once, others are refused."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tracker.models import AuditEvent, Directive
from tracker.services.directives import answer_directive, open_directives, write_directive
from tracker.services.errors import EntryRefused, NotAllowed

HX = {"HX-Request": "true"}


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Directive))


def test_leader_writes_and_lead_unit_answers(db, plan, make_user, item):
    leader = make_user("bithu", "leader", "TTDU")
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    directive = write_directive(db.session, leader, item("MT10"), "  Đẩy nhanh hồ sơ trực tuyến  ")
    db.session.commit()
    assert directive.text == "Đẩy nhanh hồ sơ trực tuyến"
    assert [d.id for d in open_directives(db.session, plan)] == [directive.id]
    assert open_directives(db.session, plan, lead_unit_id=item("MT16").lead_unit_id) == []
    answer_directive(db.session, head, directive, "Đã giao Tổ công nghệ số hỗ trợ")
    db.session.commit()
    assert not directive.is_open
    assert open_directives(db.session, plan) == []
    with pytest.raises(EntryRefused):
        answer_directive(db.session, head, directive, "lần hai")
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "directive.write" in actions
    assert "directive.answer" in actions


@pytest.mark.parametrize(("role", "unit"), [("unit_head", "TTHCC"), ("secretary", "VP")])
def test_only_leaders_write(db, make_user, item, role, unit):
    user = make_user("u", role, unit)
    with pytest.raises(NotAllowed):
        write_directive(db.session, user, item("MT10"), "x")


def test_other_units_cannot_answer(db, make_user, item):
    leader = make_user("bithu", "leader", "TTDU")
    other = make_user("tp.kt", "unit_head", "KT")
    directive = write_directive(db.session, leader, item("MT10"), "Báo cáo tiến độ")
    with pytest.raises(NotAllowed):
        answer_directive(db.session, other, directive, "không phải việc của tôi")
    with pytest.raises(NotAllowed):
        answer_directive(db.session, leader, directive, "lãnh đạo tự trả lời")


def test_empty_or_huge_text_is_refused(db, make_user, item):
    leader = make_user("bithu", "leader", "TTDU")
    for text in ("", "   ", "x" * 5001, "a\x00b", "<script>alert(1)</script>"):
        with pytest.raises(EntryRefused):
            write_directive(db.session, leader, item("MT10"), text)
    assert count(db) == 0


def test_directive_journey_over_http(app, client, make_user, db):
    make_user("bithu", "leader", "TTDU")
    make_user("tp.tthcc", "unit_head", "TTHCC")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    empty = client.post("/items/MT10/directives", headers=HX, data={"text": " "})
    assert empty.status_code == 422
    assert "Nhập nội dung chỉ đạo." in empty.text
    markup = client.post("/items/MT10/directives", headers=HX, data={"text": "<b>Khẩn</b> trương"})
    assert markup.status_code == 422
    assert "Không được chứa mã HTML" in markup.text
    written = client.post("/items/MT10/directives", headers=HX, data={"text": "Tỷ lệ < 60%: khẩn trương"})
    assert written.status_code == 200
    assert "Tỷ lệ &lt; 60%: khẩn trương" in written.text
    assert "<html" not in written.text
    directive_id = db.session.scalar(select(Directive.id))
    head = app.test_client()
    head.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})
    assert "Trả lời, báo cáo kết quả thực hiện" in head.get("/items/MT10").text
    assert head.post("/items/MT10/directives", data={"text": "tự chỉ đạo"}).status_code == 403
    answered = head.post(f"/directives/{directive_id}/reply", data={"reply": "Đã triển khai"})
    assert answered.status_code == 302
    assert "Đã trả lời" in client.get("/items/MT10").text
    assert head.post("/directives/9999/reply", data={"reply": "x"}).status_code == 404
    assert count(db) == 1
