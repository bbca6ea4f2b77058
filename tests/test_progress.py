"""Logging progress: checked values, permissions, append-only history, supersession."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import LOGGED
from tracker.domain.entries import EntryInput, check_entry, parse_number
from tracker.domain.formatting import format_datetime
from tracker.models import AppendOnlyError, AuditEvent, ProgressEntry
from tracker.services import progress
from tracker.services.errors import AlreadySuperseded, EntryRefused, NotAllowed
from tracker.services.progress import log_progress
from tracker.services.status import rules_of, status_of

TODAY = date(2025, 11, 23)
START = date(2025, 6, 19)


@pytest.mark.parametrize(("text", "number"), [
    ("74", 74), ("1.234,5", 1234.5), ("56,7", 56.7), ("56.5", 56.5), (" 12 ", 12), ("", None),
    ("1.234.567", 1234567), ("1.500", 1500),
])
def test_parse_number_reads_vietnamese_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1.5.5,", "NaN", "inf", "1,2,3"])
def test_parse_number_refuses_garbage_and_ambiguity(text):
    with pytest.raises(ValueError, match="số"):
        parse_number(text)


@pytest.mark.parametrize(("entry", "shape", "field"), [
    (EntryInput(as_of=None, value=1), "value", "as_of"),
    (EntryInput(as_of=date(2025, 6, 18), value=1), "value", "as_of"),
    (EntryInput(as_of=date(2025, 11, 24), value=1), "value", "as_of"),
    (EntryInput(as_of=TODAY, value=-1), "value", "value"),
    (EntryInput(as_of=TODAY), "value", "value"),
    (EntryInput(as_of=TODAY, value=101), "percent_value", "value"),
    (EntryInput(as_of=TODAY, numerator=5, denominator=4), "ratio", "numerator"),
    (EntryInput(as_of=TODAY, numerator=5, denominator=0), "ratio", "denominator"),
    (EntryInput(as_of=TODAY, state="done", percent=80), "progress", "percent"),
    (EntryInput(as_of=TODAY, state="finished", percent=80), "progress", "state"),
    (EntryInput(as_of=TODAY, state="in_progress", percent=120), "progress", "percent"),
    (EntryInput(as_of=TODAY, value=1, note="x" * 20000), "value", "note"),
    (EntryInput(as_of=TODAY, value=1, doc_issuer="UBND xã"), "value", "doc_number"),
    (EntryInput(as_of=TODAY, value=1, note="<script>alert(1)</script>"), "value", "note"),
    (EntryInput(as_of=TODAY, value=1, note="xem <!-- ghi chú -->"), "value", "note"),
    (EntryInput(as_of=TODAY, value=1, doc_number="<b>119</b>"), "value", "doc_number"),
    (EntryInput(as_of=TODAY, value=1, doc_number="1", doc_summary="</p>"), "value", "doc_summary"),
    (EntryInput(as_of=TODAY, value=1, note="a\x00b"), "value", "note"),
    (EntryInput(as_of=TODAY, value=1, reason="x" * 20000), "value", "reason"),
])
def test_check_entry_names_the_field(entry, shape, field):
    errors = check_entry(entry, shape=shape, tracking_start=START, today=TODAY)
    assert field in errors


def test_plain_text_with_less_than_signs_is_allowed():
    entry = EntryInput(as_of=TODAY, value=3, note="tỷ lệ < 50%, 3<4\ttab\ndòng mới")
    assert check_entry(entry, shape="value", tracking_start=START, today=TODAY) == {}


def test_the_plan_start_day_and_today_are_allowed():
    for day in (START, TODAY):
        assert check_entry(EntryInput(as_of=day, value=3), shape="value", tracking_start=START,
                           today=TODAY) == {}


def test_unit_head_logs_on_own_item(db, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt02 = item("MT02")
    entry = log_progress(db.session, head, mt02, EntryInput(
        as_of=date(2025, 10, 1), value=74, note="Theo Quyết định", doc_number="119/QĐ-UBND"),
        today=TODAY)
    db.session.commit()
    assert entry.author_id == head.id
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "progress.log"


def test_unit_head_cannot_log_on_another_units_item(db, make_user, item):
    head = make_user("tp.kt", "unit_head", "KT")
    with pytest.raises(NotAllowed):
        log_progress(db.session, head, item("MT02"), EntryInput(as_of=TODAY, value=1), today=TODAY)
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED)) == 0


@pytest.mark.parametrize("role", ["leader", "secretary"])
def test_readers_cannot_log(db, make_user, item, role):
    user = make_user(role, role, "VP")
    with pytest.raises(NotAllowed):
        log_progress(db.session, user, item("MT12"), EntryInput(as_of=TODAY, value=1), today=TODAY)


def test_refused_entry_saves_nothing(db, make_user, item, hand_ratio):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    with pytest.raises(EntryRefused) as caught:
        log_progress(db.session, head, item("MT10"), EntryInput(as_of=TODAY, numerator=9, denominator=3),
                     today=TODAY)
    assert "numerator" in caught.value.errors
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED)) == 0


def test_ratio_value_is_derived(db, make_user, item, hand_ratio):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt10 = item("MT10")
    log_progress(db.session, head, mt10, EntryInput(as_of=date(2025, 10, 31), numerator=170,
                                                    denominator=300), today=TODAY)
    db.session.commit()
    entries = db.session.scalars(select(ProgressEntry).where(LOGGED)).all()
    status = status_of(mt10, entries, date(2025, 11, 3), rules_of(mt10.plan))
    assert status.actual == pytest.approx(56.667, abs=1e-3)


def test_entries_are_append_only_and_corrections_supersede(db, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt01 = item("MT01")
    wrong = log_progress(db.session, head, mt01, EntryInput(as_of=date(2025, 9, 1), value=52),
                         today=TODAY)
    db.session.commit()
    wrong.value = 25
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(EntryRefused) as caught:
        log_progress(db.session, head, mt01, EntryInput(as_of=date(2025, 9, 1), value=25),
                     today=TODAY, supersedes=wrong)
    assert "reason" in caught.value.errors
    fixed = log_progress(db.session, head, mt01, EntryInput(as_of=date(2025, 9, 1), value=25,
                                                            reason="Nhập nhầm 52 thay vì 25"),
                         today=TODAY, supersedes=wrong)
    db.session.commit()
    with pytest.raises(AlreadySuperseded) as conflict:
        log_progress(db.session, head, mt01, EntryInput(as_of=date(2025, 9, 1), value=24, reason="lần 2"),
                     today=TODAY, supersedes=wrong)
    # Who corrected them and when, never the entry's internal number (issue 14, point 9).
    assert conflict.value.errors == {"supersedes": "Số liệu này đã được điều chỉnh bởi tp.tthcc lúc "
                                                   f"{format_datetime(fixed.created_at)}."}
    entries = db.session.scalars(select(ProgressEntry).where(LOGGED)).all()
    assert len(entries) == 2
    assert status_of(mt01, entries, TODAY, rules_of(mt01.plan)).actual == 25
    assert fixed.supersedes_id == wrong.id


def test_text_is_stored_in_nfc(db, make_user, item):
    import unicodedata

    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    entry = log_progress(db.session, head, item("MT01"), EntryInput(
        as_of=TODAY, value=25, note=unicodedata.normalize("NFD", "Đã tích hợp đủ")), today=TODAY)
    assert entry.note == "Đã tích hợp đủ"


def test_a_correction_that_loses_a_race_is_a_conflict(db, make_user, item, monkeypatch):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt01 = item("MT01")
    wrong = log_progress(db.session, head, mt01, EntryInput(as_of=TODAY, value=52), today=TODAY)
    log_progress(db.session, head, mt01, EntryInput(as_of=TODAY, value=25, reason="sửa"), today=TODAY,
                 supersedes=wrong)
    db.session.commit()
    # As if the other correction were committed between our check and our insert.
    monkeypatch.setattr(progress, "_check_supersedes", lambda *args: {})
    with pytest.raises(AlreadySuperseded):
        log_progress(db.session, head, mt01, EntryInput(as_of=TODAY, value=24, reason="sửa nữa"),
                     today=TODAY, supersedes=wrong)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED)) == 2


def test_find_entry_ignores_impossible_ids(db):
    assert progress.find_entry(db.session, 10**30) is None
    assert progress.find_entry(db.session, 0) is None


@pytest.mark.parametrize(("text", "kind", "number"), [
    ("70%", "percent", 70), ("70,5 %", "percent", 70.5), ("70", "percent", 70), ("1.234", "count", 1234),
])
def test_parse_number_takes_a_percent_sign_where_the_field_is_a_percentage(text, kind, number):
    assert parse_number(text, kind=kind) == number


@pytest.mark.parametrize(("text", "kind", "example"), [
    ("70%", "number", "1.234,5"), ("70%", "count", "1.234"), ("bảy", "percent", "70,5%"),
    ("bảy", "amount", "1.500.000"),
])
def test_the_refusals_example_fits_the_field(text, kind, example):
    with pytest.raises(ValueError, match=f"ví dụ: {example}\\)"):
        parse_number(text, kind=kind)


@pytest.mark.parametrize(("code", "username", "role", "unit"), [
    ("MT10", "tp.tthcc", "unit_head", "TTHCC"),
    ("MT16", "pct.ubnd", "unit_head", "UBND"),
    ("MT10", "quantri", "admin", None),
])
def test_a_derived_target_refuses_an_entry_by_hand(db, make_user, item, code, username, role, unit):
    """MT10 and MT16 are computed from the periods' figures: a typed entry would fight them silently."""
    user = make_user(username, role, unit)
    with pytest.raises(EntryRefused) as caught:
        log_progress(db.session, user, item(code), EntryInput(as_of=date(2025, 10, 31), numerator=170,
                                                              denominator=300), today=TODAY)
    assert caught.value.errors == {"item": f"{code} được tính tự động từ số liệu các kỳ báo cáo "
                                           "(văn phòng nhập); không nhập tay."}
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED)) == 0


def test_the_correction_sentence_gives_the_old_and_the_new_figure(db, make_user, item, plan):
    """The activity log promises "giá trị trước và sau": a correction names both (issue 14)."""
    from tracker.services.audit import describe_events

    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    wrong = log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 11, 3), value=95),
                         today=TODAY)
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 11, 3), value=96,
                                                            reason="Nhập nhầm"),
                 today=TODAY, supersedes=wrong)
    db.session.commit()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "progress.log")
                               .order_by(AuditEvent.id.desc())).first()
    [sentence] = describe_events(db.session, plan.commune_id, [event])
    assert sentence == "tp.tthcc đính chính MT02: từ 95 thành 96 dịch vụ, 03/11/2025 (lý do: Nhập nhầm)"
