"""The activity log's sentences (issue 14, point 6): one per kind of event, in the reader's language."""

import re
from datetime import date
from pathlib import Path

import pytest

from tracker.domain import i18n
from tracker.domain.activity import (
    KIND_LABELS,
    SENTENCES,
    Event,
    ItemInfo,
    Names,
    describe,
)
from tracker.domain.dates import DateOutOfRange, parse_day, period_title

ROOT = Path(__file__).resolve().parent.parent
NAMES = Names(users={2: "Trần Thị B", 7: "Lê Văn C"}, usernames={"tp.kt": "Lê Văn C"},
              items={"MT02": ItemInfo("MT02", "dịch vụ"), "MT05": ItemInfo("MT05", "%"),
                     "NV05": ItemInfo("NV05", "", True),
                     "MT10": ItemInfo("MT10", "%")},
              periods={12: "Tuần 27/10–02/11/2025"}, entry_items={40: "MT02"}, directive_items={5: "NV05"})


def test_every_kind_of_event_the_code_records_has_a_sentence_and_a_label():
    """Whatever action any module writes to the audit log is worded (no raw code on the page)."""
    written = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'record_event\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', text))
        written |= set(re.findall(r'record_job_event\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', text))
        written |= set(re.findall(r'"((?:user|job)\.[a-z_]+)" if', text))
        written |= set(re.findall(r'else "((?:user|job)\.[a-z_]+)"', text))
    assert len(written) > 25, written
    assert written <= set(SENTENCES), written - set(SENTENCES)
    assert set(SENTENCES) == set(KIND_LABELS)


@pytest.mark.parametrize(("event", "sentence"), [
    (Event("progress.log", "Nguyễn Văn A", "target", "MT02", None, {"as_of": "2025-11-03", "value": 88.0}),
     "Nguyễn Văn A ghi nhận MT02: 88 dịch vụ, 03/11/2025"),
    (Event("progress.log", "Nguyễn Văn A", "task", "NV05", None,
           {"as_of": "2025-10-15", "state": "in_progress", "percent": 60.0}),
     "Nguyễn Văn A ghi nhận NV05: đang thực hiện 60%, 15/10/2025"),
    (Event("progress.log", "Nguyễn Văn A", "target", "MT02", {"supersedes": 3},
           {"as_of": "2025-11-03", "value": 90, "reason": "Nhập nhầm"}),
     "Nguyễn Văn A đính chính MT02: 90 dịch vụ, 03/11/2025 (lý do: Nhập nhầm)"),
    (Event("progress.log", "Nguyễn Văn A", "target", "MT02",
           {"supersedes": 3, "as_of": "2025-11-03", "value": 95.0},
           {"as_of": "2025-11-03", "value": 96.0, "reason": "Nhập nhầm"}),
     "Nguyễn Văn A đính chính MT02: từ 95 thành 96 dịch vụ, 03/11/2025 (lý do: Nhập nhầm)"),
    (Event("progress.log", "Nguyễn Văn A", "target", "MT05",
           {"supersedes": 3, "as_of": "2025-11-03", "value": 80.0},
           {"as_of": "2025-11-03", "value": 85.5, "reason": "Nhập nhầm"}),
     "Nguyễn Văn A đính chính MT05: từ 80% thành 85,50%, 03/11/2025 (lý do: Nhập nhầm)"),
    (Event("progress.log", "Nguyễn Văn A", "task", "NV05",
           {"supersedes": 3, "as_of": "2025-10-15", "state": "in_progress", "percent": 60.0},
           {"as_of": "2025-10-15", "state": "done", "percent": 100.0, "reason": "Nhập nhầm"}),
     "Nguyễn Văn A đính chính NV05: từ đang thực hiện 60% thành hoàn thành 100%, 15/10/2025 "
     "(lý do: Nhập nhầm)"),
    (Event("auth.login", "Trần Thị B", "user", "2"), "Trần Thị B đăng nhập"),
    (Event("auth.login_failed", None, "user", "bithu"),
     "Đăng nhập không thành công với tên đăng nhập “bithu”"),
    (Event("stats.record", "Trần Thị B", "period", "12", {"dossiers_new_total": 60},
           {"dossiers_new_total": 65, "dossiers_carried_over": 3}),
     "Trần Thị B sửa số liệu TTHC kỳ Tuần 27/10–02/11/2025: Hồ sơ kỳ trước chuyển sang 3; "
     "Hồ sơ tiếp nhận mới trong kỳ 60 → 65"),
    (Event("progress.derive", "Trần Thị B", "target", "MT10", None,
           {"period": 12, "numerator": 16, "denominator": 65, "entry": 9}),
     "MT10 nhận số liệu từ kỳ Tuần 27/10–02/11/2025: 24,62% (16/65) (do Trần Thị B lưu)"),
    (Event("user.lock", "Quản trị", "user", "7", {"active": True}, {"active": False}),
     "Quản trị khóa tài khoản của Lê Văn C"),
    (Event("directive.answer", "Lê Văn C", "directive", "5", None, {"reply": "Đã xong"}),
     "Lê Văn C trả lời chỉ đạo về NV05: “Đã xong”"),
    (Event("evidence.upload", "Lê Văn C", "attachment", "1", None,
           {"entry": 40, "name": "qd.pdf", "size": 20480, "sha256": "ab"}),
     "Lê Văn C đính kèm tệp minh chứng “qd.pdf” (20 KB) cho MT02"),
    (Event("token.create", "Quản trị", "api_token", "3", None,
           {"user": "tp.kt", "name": "Excel", "expires_at": "2026-01-31T00:00:00+00:00"}),
     "Quản trị tạo mã truy cập API “Excel” cho Lê Văn C, hiệu lực đến 31/01/2026"),
    (Event("paper_report.update", "Văn phòng tỉnh", "paper_report", "4", {"flags": 0},
           {"kind": "month", "start_date": "2025-10-01", "end_date": "2025-10-31", "flags": 5}),
     "Văn phòng tỉnh sửa báo cáo giấy kỳ tháng 01/10/2025–31/10/2025 (phát hiện 5 điểm không khớp)"),
    (Event("province_report.section", "Văn phòng tỉnh", "province_report", "2", {"key": "2", "text": ""},
           {"key": "2", "text": "Hạ tầng: 02/03 xã"}),
     "Văn phòng tỉnh biên tập mục 2 của báo cáo của tỉnh: Hạ tầng: 02/03 xã"),
    (Event("province_report.restore", "Văn phòng tỉnh", "province_report", "2", None, {"key": "5.2"}),
     "Văn phòng tỉnh đưa mục 5.2 của báo cáo của tỉnh về nội dung tổng hợp từ các xã"),
    (Event("job.run", None, "job", "reminders", None, {"job": "reminders", "label": "Nhắc hạn"}),
     "Quản trị viên (dòng lệnh) chạy tác vụ “Nhắc hạn”"),
])
def test_each_kind_reads_as_a_vietnamese_sentence(event, sentence):
    assert describe(event, NAMES) == sentence


def test_a_first_save_of_figures_is_an_entry_not_a_change():
    first = Event("finance.record", "Trần Thị B", "period", "12", {"estimate": None, "approved": None},
                  {"estimate": 650_000_000, "approved": None})
    assert describe(first, NAMES) == ("Trần Thị B nhập số liệu kinh phí kỳ Tuần 27/10–02/11/2025: "
                                      "Dự toán kinh phí thực hiện các nhiệm vụ 650.000.000 đồng")


def test_unknown_kinds_and_old_shapes_fall_back_to_a_sentence_without_json():
    renamed = Event("item.rename", "Trần Thị B", "target", "MT02", {"title": "A"}, {"title": "B"})
    unknown = describe(renamed, NAMES)
    assert unknown == "Trần Thị B: thao tác được ghi là “item.rename” (MT02)"
    old = describe(Event("progress.log", "Trần Thị B", "target", "MT02", None, {"value": 3}), NAMES)
    assert old == "Trần Thị B: ghi nhận tiến độ (MT02)"
    assert "{" not in old


def test_sentences_follow_the_readers_language(monkeypatch):
    monkeypatch.setattr(i18n, "_language_getter", lambda: "en")
    event = Event("progress.log", "Nguyễn Văn A", "target", "MT02", None,
                  {"as_of": "2025-11-03", "value": 88})
    assert describe(event, NAMES) == "Nguyễn Văn A recorded MT02: 88 dịch vụ, 03/11/2025"
    assert describe(Event("auth.logout", None), NAMES) == "The system signed out"
    assert period_title("week", date(2025, 10, 27), date(2025, 11, 2)) == "Week 27/10–02/11/2025"


def test_period_label_names_the_kind_and_dates():
    assert period_title("week", date(2025, 10, 27), date(2025, 11, 2)) == "Tuần 27/10–02/11/2025"
    assert period_title("custom", date(2024, 12, 30), date(2025, 1, 5)) == "Tùy chọn 30/12/2024–05/01/2025"
    assert period_title("month", date(2025, 10, 1), date(2025, 10, 31)) == "Tháng 10/2025"


def test_filter_dates_are_read_as_written_in_vietnam():
    assert parse_day("03/11/2025", "Từ ngày") == date(2025, 11, 3)
    assert parse_day("3/1/2025", "Từ ngày") == date(2025, 1, 3)
    assert parse_day("2025-11-03", "Từ ngày") == date(2025, 11, 3)  # older links
    assert parse_day(" ", "Từ ngày") is None
    with pytest.raises(ValueError, match="Ngày 31/02/2025 không có trong lịch"):  # no such day (issue 14)
        parse_day("31/02/2025", "Từ ngày")
    with pytest.raises(ValueError, match="ngày/tháng/năm"):
        parse_day("hôm qua", "Từ ngày")
    with pytest.raises(DateOutOfRange):
        parse_day("01/01/0001", "Từ ngày")
