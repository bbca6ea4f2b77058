"""Directives with a due date (issue 14, point 12): set when issued or changed, shown, and reminded to
the lead unit once before the date and once when overdue, in the inbox and by e-mail."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests import test_outbox
from tracker.domain.reminders import DirectiveFacts, directive_reminder
from tracker.jobs import tasks
from tracker.jobs.runner import run_job
from tracker.models import AuditEvent, Notification, OutboxMail
from tracker.services.directives import answer_directive, set_due_date, write_directive
from tracker.services.errors import EntryRefused

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
smtp = test_outbox.smtp  # the real SMTP test server the outbox tests use, and the app's config for it
config = test_outbox.config
WRITTEN = date(2025, 11, 3)
DUE = date(2025, 11, 10)


def at(y, m, d, hh=6, mm=30):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def directive_notes(db, user=None):
    query = select(Notification).where(Notification.key.like("directive-%"))
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return db.session.scalars(query.order_by(Notification.id)).all()


@pytest.fixture
def leader(make_user):
    return make_user("bithu", "leader", "TTDU")


@pytest.fixture
def head(make_user, db):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")  # the lead unit of MT10
    user.email = "tp.tthcc@ngokbay.example.vn"
    db.session.commit()
    return user


FACTS = DirectiveFacts(id=7, code="MT10", title="Hồ sơ trực tuyến toàn trình", text="Báo cáo  tiến độ",
                       author="Nguyễn Văn Thành", due=DUE, answered=False)


@pytest.mark.parametrize(("today", "kind", "key"), [
    (date(2025, 11, 6), None, None),
    (date(2025, 11, 7), "due_soon", "directive-due:7:2025-11-10"),
    (date(2025, 11, 10), "due_soon", "directive-due:7:2025-11-10"),
    (date(2025, 11, 11), "overdue", "directive-overdue:7:2025-11-10"),
    (date(2026, 3, 1), "overdue", "directive-overdue:7:2025-11-10"),
])
def test_directive_reminder_rule(today, kind, key):
    reminder = directive_reminder(FACTS, today)
    assert (reminder.kind, reminder.key) == (kind, key) if kind else reminder is None
    if reminder is not None:
        assert "MT10" in reminder.title
        assert "Nguyễn Văn Thành" in reminder.body
        assert "“Báo cáo tiến độ”" in reminder.body


def test_no_reminder_when_answered_or_without_a_date():
    from dataclasses import replace

    assert directive_reminder(replace(FACTS, answered=True), date(2025, 11, 11)) is None
    assert directive_reminder(replace(FACTS, due=None), date(2025, 11, 11)) is None


def test_the_due_date_is_kept_audited_and_never_in_the_past(db, plan, leader, item):
    directive = write_directive(db.session, leader, item("MT10"), "Báo cáo tiến độ", DUE, today=WRITTEN)
    db.session.commit()
    assert directive.due_date == DUE
    assert directive.overdue_on(date(2025, 11, 11))
    assert not directive.overdue_on(DUE)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directive.write"))
    assert event.after["due_date"] == "2025-11-10"
    with pytest.raises(EntryRefused) as refused:
        write_directive(db.session, leader, item("MT10"), "Quá khứ", date(2025, 11, 2), today=WRITTEN)
    assert "trước hôm nay" in refused.value.errors["due_date"]
    set_due_date(db.session, leader, directive, date(2025, 11, 20), today=WRITTEN)
    db.session.commit()
    moved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directive.due"))
    assert (moved.before["due_date"], moved.after["due_date"]) == ("2025-11-10", "2025-11-20")


def test_the_lead_unit_is_reminded_once_before_and_once_overdue(db, plan, leader, head, make_user, item):
    other = make_user("tp.kt", "unit_head", "KT")
    write_directive(db.session, leader, item("MT10"), "Báo cáo tiến độ số hóa", DUE, today=WRITTEN)
    db.session.commit()
    run_job("reminders", at(2025, 11, 6))
    assert directive_notes(db) == [], "not yet: more than three days left"
    for day in (7, 8, 9, 10):  # every run until the due date: one reminder only
        run_job("reminders", at(2025, 11, day))
        run_job("reminders", at(2025, 11, day, 18, 0))
    [soon] = directive_notes(db)
    assert (soon.user_id, soon.kind, soon.key) == (head.id, "due_soon", "directive-due:1:2025-11-10")
    assert soon.link == "/items/MT10#directives"
    assert "còn 3 ngày" in soon.title
    for day in (11, 12, 20):
        run_job("reminders", at(2025, 11, day))
    notes = directive_notes(db)
    assert [(n.kind, n.key) for n in notes] == [("due_soon", "directive-due:1:2025-11-10"),
                                               ("overdue", "directive-overdue:1:2025-11-10")]
    assert "đã quá hạn 10/11/2025" in notes[1].title
    assert directive_notes(db, other) == []


def test_an_answered_directive_is_not_reminded(db, plan, leader, head, item):
    directive = write_directive(db.session, leader, item("MT10"), "Báo cáo", DUE, today=WRITTEN)
    answer_directive(db.session, head, directive, "Đã báo cáo")
    undated = write_directive(db.session, leader, item("MT10"), "Không hạn", today=WRITTEN)
    db.session.commit()
    assert undated.due_date is None
    for day in (8, 10, 11, 15):
        run_job("reminders", at(2025, 11, day))
    assert directive_notes(db) == []


def test_a_new_due_date_is_reminded_again(db, plan, leader, head, item):
    directive = write_directive(db.session, leader, item("MT10"), "Báo cáo", DUE, today=WRITTEN)
    db.session.commit()
    run_job("reminders", at(2025, 11, 11))
    set_due_date(db.session, leader, directive, date(2025, 11, 14), today=date(2025, 11, 11))
    db.session.commit()
    run_job("reminders", at(2025, 11, 12))
    assert [n.key for n in directive_notes(db)] == ["directive-overdue:1:2025-11-10",
                                                    "directive-due:1:2025-11-14"]


def test_directive_reminders_are_mailed_through_the_smtp_server(db, plan, leader, head, item, smtp, config):
    write_directive(db.session, leader, item("MT10"), "Báo cáo tiến độ số hóa", DUE, today=WRITTEN)
    db.session.commit()
    for day in (8, 9, 11, 12):
        tasks.reminder_job(db.session, at(2025, 11, day), config)
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(
        OutboxMail.idempotency_key.like(f"{head.id}.directive-%"))) == 2
    tasks.outbox_job(db.session, datetime.now(UTC), config)
    mails = [(to, m) for to, m in smtp.inbox.received if "Chỉ đạo về MT10" in m["Subject"]]
    assert [to for to, _ in mails] == [["tp.tthcc@ngokbay.example.vn"]] * 2
    subjects = [m["Subject"] for _, m in mails]
    assert subjects == ["[Theo dõi CĐS] Chỉ đạo về MT10 đến hạn 10/11/2025 (còn 2 ngày)",
                        "[Theo dõi CĐS] Chỉ đạo về MT10 đã quá hạn 10/11/2025"]
    body = mails[1][1].get_content()
    assert "Báo cáo tiến độ số hóa" in body
    assert "https://cds.ngokbay.example.vn/items/MT10#directives" in body


HX = {"HX-Request": "true"}


def test_the_due_date_over_http_set_changed_and_overdue_highlighted(app, client, db, plan, leader, head,
                                                                    item):
    from tests.conftest import PASSWORD
    from tracker.models import Directive

    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    past = client.post("/items/MT10/directives", headers=HX,
                       data={"text": "Báo cáo", "due_date": "01/01/2020"})
    assert past.status_code == 422
    assert "Hạn trả lời không được trước hôm nay" in past.text
    assert 'id="directive-due-error"' in past.text
    bad = client.post("/items/MT10/directives", headers=HX,
                      data={"text": "Báo cáo", "due_date": "31/02/2099"})
    assert bad.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Directive)) == 0
    written = client.post("/items/MT10/directives", headers=HX,
                          data={"text": "Báo cáo tiến độ", "due_date": "2099-01-15"})
    assert written.status_code == 200
    assert "Hạn trả lời: 15/01/2099" in written.text
    assert "quá hạn" not in written.text
    directive = db.session.scalar(select(Directive))
    assert directive.due_date == date(2099, 1, 15)
    # An older directive past its date is highlighted on the item page and on the unit's desk.
    late = write_directive(db.session, leader, item("MT10"), "Việc đã trễ", DUE, today=WRITTEN)
    db.session.commit()
    page = client.get("/items/MT10").text
    assert "Hạn trả lời: 10/11/2025 · <strong>quá hạn</strong>" in page
    assert "directive open overdue" in page
    desk = app.test_client()
    desk.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})
    mine = desk.get("/my").text
    assert '<li class="overdue">' in mine
    assert "Hạn trả lời: 15/01/2099" in mine
    assert desk.post(f"/directives/{late.id}/due", data={"due_date": ""}).status_code == 403
    # The leader changes the date, then removes it.
    moved = client.post(f"/directives/{late.id}/due", headers=HX, data={"due_date": "20/01/2099"})
    assert moved.status_code == 200
    db.session.expire_all()
    assert db.session.get(Directive, late.id).due_date == date(2099, 1, 20)
    assert client.post(f"/directives/{late.id}/due", data={"due_date": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Directive, late.id).due_date is None
