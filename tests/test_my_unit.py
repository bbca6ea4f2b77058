"""The unit head's desk: what needs an update, and one screen to update everything."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import LOGGED, PASSWORD
from tracker.domain.dates import local_today
from tracker.domain.desk import updated_recently
from tracker.domain.entries import EntryInput
from tracker.models import ProgressEntry, User
from tracker.services.progress import log_progress
from tracker.services.views import build_my_unit


def entries(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED))


def test_needs_update_lists_grey_red_stale_and_due_soon(db, plan, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    as_of = date(2025, 12, 20)
    log_progress(db.session, head, item("MT01"), EntryInput(as_of=date(2025, 12, 1), value=25), today=as_of)
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 10, 1), value=105), today=as_of)
    log_progress(db.session, head, item("MT03"), EntryInput(as_of=date(2025, 12, 15), value=100), today=as_of)
    db.session.commit()
    page = build_my_unit(db.session, plan, head.unit, as_of)
    reasons = {row.code: reason for row, reason in page.needs_update}
    assert "MT01" not in reasons  # met
    assert reasons["MT02"] == "Số liệu đã cũ"  # on pace but 80 days old
    assert reasons["MT03"] == "Chậm tiến độ"
    assert reasons["MT04"] == "Chưa có số liệu"
    assert {r.lead_unit.code for r in page.rows} == {"TTHCC"}


@pytest.mark.parametrize(("recorded_on", "recent"), [
    (date(2025, 11, 20), True),   # today
    (date(2025, 11, 14), True),   # six days before
    (date(2025, 11, 13), False),  # seven days before: a week has passed
    (date(2025, 11, 21), False),  # after the date the page is viewed as of
    (None, False),
])
def test_an_update_counts_as_recent_for_seven_days(recorded_on, recent):
    assert updated_recently(recorded_on, date(2025, 11, 20)) is recent


def test_an_item_updated_today_leaves_needs_an_update_and_shows_as_recent(db, plan, make_user, item, app):
    """Issue 14 walk: MT02 was still under "Cần cập nhật" (overdue) right after its update."""
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    today = local_today(app.config["TIMEZONE"])
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=today, value=96), today=today)
    db.session.commit()
    page = build_my_unit(db.session, plan, head.unit, today)
    assert "MT02" not in {row.code for row, _ in page.needs_update}
    recent = {row.code: reason for row, reason in page.recently_updated}
    assert recent == {"MT02": "Quá hạn"}, "its status is still shown: overdue is about the plan"
    assert "MT04" in {row.code for row, _ in page.needs_update}


def test_a_derived_target_never_needs_the_units_update(db, plan, make_user):
    """MT10 is computed from the office's period figures: the unit head cannot update it."""
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    page = build_my_unit(db.session, plan, head.unit, date(2025, 11, 20))
    assert "MT10" not in {row.code for row, _ in page.needs_update}
    assert "MT10" in {row.code for row in page.rows}


def test_the_desk_offers_no_inputs_for_a_derived_target(client, make_user, db):
    sign_in(client, make_user)
    page = client.get("/my").text
    assert 'name="MT10-numerator"' not in page
    assert 'name="MT10-denominator"' not in page
    assert "Tính tự động từ số liệu các kỳ báo cáo (văn phòng nhập)" in page
    assert 'href="/reports"' in page
    item_page = client.get("/items/MT10").text
    assert 'name="numerator"' not in item_page
    assert 'id="entry-form"' not in item_page
    assert "Tính tự động từ số liệu các kỳ báo cáo (văn phòng nhập)" in item_page


def test_the_desk_says_what_was_updated_recently(client, make_user, db, item, app):
    sign_in(client, make_user)
    head = db.session.scalar(select(User).where(User.username == "tp.tthcc"))
    today = local_today(app.config["TIMEZONE"])
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=today, value=96), today=today)
    db.session.commit()
    page = client.get("/my").text
    assert "Đã cập nhật gần đây (1)" in page
    assert "trong 7 ngày qua" in page


def sign_in(client, make_user):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})


def test_batch_update_saves_every_filled_row(client, make_user, db, hand_ratio):
    sign_in(client, make_user)
    page = client.get("/my")
    assert "Cập nhật nhiều mục cùng lúc" in page.text
    answer = client.post("/my/entries", data={
        "as_of": "2025-11-01", "doc_number": "119/QĐ-UBND",
        "MT01-value": "25", "MT02-value": "80", "MT10-numerator": "170", "MT10-denominator": "300",
        "NV05-state": "in_progress", "NV05-percent": "60", "NV06-state": "in_progress"})
    assert answer.status_code == 302
    assert entries(db) == 4
    assert "Đã ghi nhận 4 số liệu." in client.get("/my").text
    docs = db.session.scalars(select(ProgressEntry.doc_number).where(LOGGED)).all()
    assert set(docs) == {"119/QĐ-UBND"}


def test_batch_update_is_all_or_nothing(client, make_user, db, hand_ratio):
    sign_in(client, make_user)
    answer = client.post("/my/entries", data={
        "as_of": "2025-11-01", "MT01-value": "25", "MT10-numerator": "400", "MT10-denominator": "300",
        "MT02-value": "tám mươi"})
    assert answer.status_code == 422
    assert "Tử số (400) không được lớn hơn mẫu số (300)." in answer.text
    assert "không phải là số" in answer.text
    assert 'value="25"' in answer.text, "what was typed stays on screen"
    assert entries(db) == 0


def test_batch_update_with_nothing_filled_says_so(client, make_user, db):
    sign_in(client, make_user)
    answer = client.post("/my/entries", data={"as_of": "2025-11-01", "NV05-state": "in_progress"})
    assert answer.status_code == 422
    assert "Chưa nhập số liệu cho mục nào." in answer.text


def test_fields_of_another_units_items_are_ignored(client, make_user, db):
    sign_in(client, make_user)
    answer = client.post("/my/entries", data={"as_of": "2025-11-01", "MT16-numerator": "1",
                                              "MT16-denominator": "100", "MT01-value": "25"})
    assert answer.status_code == 302
    assert entries(db) == 1


def test_a_done_task_shows_its_state_in_the_batch_form(client, make_user, db, item):
    sign_in(client, make_user)
    head = db.session.scalar(select(User).where(User.username == "tp.tthcc"))
    log_progress(db.session, head, item("NV05"),
                 EntryInput(as_of=date(2025, 10, 1), state="done", percent=100), today=date(2025, 11, 1))
    log_progress(db.session, head, item("NV06"), EntryInput(as_of=date(2025, 10, 1), state="blocked",
                                                            percent=10), today=date(2025, 11, 1))
    db.session.commit()
    page = client.get("/my").text
    for code, state in (("NV05", "done"), ("NV06", "blocked")):
        select_html = page.split(f'id="{code}-state"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="{state}" selected>' in select_html, code
    never = page.split('id="NV03-state"', 1)[1].split("</select>", 1)[0] if 'id="NV03-state"' in page else ""
    assert 'value="in_progress" selected' not in never, "a task without figures is not 'in progress'"


def test_a_refused_batch_names_its_errors_at_the_top(client, make_user, db):
    sign_in(client, make_user)
    answer = client.post("/my/entries", data={"as_of": "2025-11-01", "MT02-value": "tám mươi",
                                              "MT01-value": "25"})
    assert answer.status_code == 422
    summary = answer.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#MT02-value"' in summary
    assert "autofocus" in answer.text.split('class="error-summary"', 1)[0].rsplit("<div", 1)[1] + summary
    field = answer.text.split('id="MT02-value"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in field


def test_the_needs_update_links_go_to_the_form(client, make_user, db):
    sign_in(client, make_user)
    page = client.get("/my").text
    needs = page.split('class="needs"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/items/MT01#entry-form"' in needs
