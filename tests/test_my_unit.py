"""The unit head's desk: what needs an update, and one screen to update everything."""

from datetime import date

from sqlalchemy import func, select

from tests.conftest import LOGGED, PASSWORD
from tracker.domain.entries import EntryInput
from tracker.models import ProgressEntry
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


def sign_in(client, make_user):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})


def test_batch_update_saves_every_filled_row(client, make_user, db):
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


def test_batch_update_is_all_or_nothing(client, make_user, db):
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
